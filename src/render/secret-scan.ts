// Rendered values are committed, posted in PR comments and passed to helm in logs, so a secret
// value in them is a leak. hubfleet itself only ever renders references (secretKeyRef, a Secret
// name); this scan refuses a hub whose `values:` carries a literal secret anyway.
import { isRecord } from './deep-merge.js';

/** Key names (lowercased, without `_` and `-`) whose string value is a credential. */
const SECRET_SUFFIXES = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'privatekey',
  'secretaccesskey',
  'cryptkey',
];
/** Names of a reference to a Secret, not the secret itself. */
const REFERENCE_KEYS = new Set(['existingsecret']);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return !REFERENCE_KEYS.has(k) && SECRET_SUFFIXES.some((s) => k.endsWith(s));
}

const literal = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

/** Dotted paths of literal secret values, e.g. `hub.config.GitHubOAuthenticator.client_secret`. */
export function findSecretValues(value: unknown): string[] {
  const found: string[] = [];
  scan(value, '', found);
  return found;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function scan(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => scan(item, join(path, String(i)), found));
    return;
  }
  if (!isRecord(value)) return;
  // Kubernetes EnvVar in list form: {name: GITHUB_TOKEN, value: "…"}.
  if (typeof value.name === 'string' && isSecretKey(value.name) && literal(value.value)) {
    found.push(join(path, 'value'));
  }
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key)) {
      // A plain string, or an EnvVar in map form ({value: "…"}); valueFrom references are fine.
      if (literal(item)) found.push(join(path, key));
      else if (isRecord(item) && literal(item.value)) found.push(join(join(path, key), 'value'));
    }
    if (typeof item === 'object' && item !== null) scan(item, join(path, key), found);
  }
}
