// Sign-in fields beyond their schema (decision 0061): an admin the hub would refuse at the door is
// a mistake the pull request should show, not something found when that admin gets a 403.
import type { ConfigProblem } from './model.js';
import { isRecord } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';

/** The domain part of an email, as the IAP authenticator compares it (lowercased, after the last `@`). */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** Every `iap.admins` entry must be an email of one of `iap.allowedDomains`, when that is set. */
export function signInRules(source: YamlSource): ConfigProblem[] {
  const iap = source.data.iap;
  if (!isRecord(iap) || !Array.isArray(iap.admins) || !Array.isArray(iap.allowedDomains)) return [];
  const domains = iap.allowedDomains.filter((d): d is string => typeof d === 'string');
  const problems: ConfigProblem[] = [];
  iap.admins.forEach((admin, i) => {
    if (typeof admin !== 'string' || !admin.includes('@')) return;
    if (domains.includes(emailDomain(admin))) return;
    problems.push(
      problemAt(
        source,
        ['iap', 'admins', i],
        'value',
        `${admin} is not in iap.allowedDomains (${domains.join(', ')}): the hub would refuse this admin with a 403; add ${emailDomain(admin)} to allowedDomains or remove the admin`,
      ),
    );
  });
  return problems;
}
