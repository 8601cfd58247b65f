// Human wording for the schema's string patterns. A regex in a message helps nobody; "must be a
// semantic version like 2026.3.0" does. Patterns without an entry fall back to the schema description.
import {
  CIDR28_PATTERN,
  PERIMETER_NAME_PATTERN,
  CIDR_PATTERN,
  DNS_LABEL_PATTERN,
  DOMAIN_PATTERN,
  EMAIL_PATTERN,
  GITHUB_LOGIN_PATTERN,
  IMAGE_MIRROR_PATTERN,
  SECRET_NAME_PATTERN,
} from './patterns.js';

export interface FormatHint {
  /** Completes "must be …". */
  what: string;
  /** A specific reason for this value, when one can be named (e.g. "must be lowercase"). */
  explain?: (value: string) => string | undefined;
}

export const MAX_LABEL_LENGTH = 63;

/** Why `value` is not an RFC 1123 DNS label, or undefined if it is one. */
export function explainDnsLabel(value: string): string | undefined {
  if (value === '') return 'must not be empty';
  if (value !== value.toLowerCase())
    return `must be lowercase (got ${JSON.stringify(value)}; try ${JSON.stringify(value.toLowerCase())})`;
  const bad = /[^-a-z0-9]/.exec(value);
  if (bad !== null)
    return `may contain only lowercase letters, digits and "-" (found ${JSON.stringify(bad[0])} in ${JSON.stringify(value)})`;
  if (value.length > MAX_LABEL_LENGTH)
    return `is ${value.length} characters; a DNS label holds at most ${MAX_LABEL_LENGTH}`;
  if (!/^[a-z]/.test(value)) return `must start with a letter (got ${JSON.stringify(value)})`;
  if (value.endsWith('-')) return `must not end with "-" (got ${JSON.stringify(value)})`;
  return undefined;
}

/** Why `value` is not a domain a ManagedCertificate accepts, or undefined if it is one. */
export function explainDomain(value: string): string | undefined {
  if (value.includes('*'))
    return `must not be a wildcard (got ${JSON.stringify(value)}); a ManagedCertificate cannot hold wildcard domains`;
  if (value !== value.toLowerCase())
    return `must be lowercase (got ${JSON.stringify(value)}; try ${JSON.stringify(value.toLowerCase())})`;
  if (/^[a-z]+:\/\//.test(value) || value.includes('/'))
    return `must be a bare hostname without scheme or path (got ${JSON.stringify(value)})`;
  const bad = /[^-a-z0-9.]/.exec(value);
  if (bad !== null)
    return `may contain only lowercase letters, digits, "-" and "." (found ${JSON.stringify(bad[0])} in ${JSON.stringify(value)})`;
  const labels = value.split('.');
  if (labels.length < 2)
    return `must have at least two labels like hub.example.org (got ${JSON.stringify(value)})`;
  if (labels.some((l) => l === ''))
    return `must not have empty labels (leading, trailing or doubled ".") (got ${JSON.stringify(value)})`;
  const long = labels.find((l) => l.length > MAX_LABEL_LENGTH);
  if (long !== undefined)
    return `label "${long.slice(0, 20)}…" is ${long.length} characters; each label holds at most ${MAX_LABEL_LENGTH}`;
  const dashed = labels.find((l) => l.startsWith('-') || l.endsWith('-'));
  if (dashed !== undefined) return `label ${JSON.stringify(dashed)} must not start or end with "-"`;
  const tld = labels[labels.length - 1] ?? '';
  if (!/^[a-z]{2,63}$/.test(tld))
    return `must end in a top-level domain of letters (got ${JSON.stringify(tld)})`;
  return undefined;
}

const hints = new Map<string, FormatHint>([
  [
    DNS_LABEL_PATTERN,
    {
      what: 'a DNS label (lowercase letters, digits and "-", starting with a letter)',
      explain: explainDnsLabel,
    },
  ],
  [DOMAIN_PATTERN, { what: 'a lowercase domain name like hub.example.org', explain: explainDomain }],
  [
    SECRET_NAME_PATTERN,
    {
      what: 'the name of a GitHub Actions secret in UPPER_SNAKE_CASE like IAP_OAUTH_OCEAN (the name, never the value)',
    },
  ],
  [CIDR_PATTERN, { what: 'an IPv4 CIDR block like 10.20.0.0/16 (address/prefix length)' }],
  [
    CIDR28_PATTERN,
    { what: 'an IPv4 /28 block like 172.16.0.0/28 (GKE gives the control plane exactly 16 addresses)' },
  ],
  [
    PERIMETER_NAME_PATTERN,
    {
      what: 'a service perimeter name like accessPolicies/123456789/servicePerimeters/hubs (the short name starts with a letter; letters, digits and "_")',
    },
  ],
  ['^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$', { what: 'a semantic version like 2026.3.0' }],
  [
    '^[a-z][-a-z0-9]{4,28}[a-z0-9]$',
    {
      what: 'a GCP project ID (6–30 lowercase letters, digits and "-", starting with a letter) like pangeo-prod',
    },
  ],
  ['^[0-9]{6,20}$', { what: 'a GCP project number (digits, quoted) like "123456789012"' }],
  ['^[a-z]+-[a-z]+[0-9]+$', { what: 'a GCP region like us-central1' }],
  ['^[a-z]+-[a-z]+[0-9]+-[a-z]$', { what: 'a GCP zone like us-central1-b' }],
  ['^[a-z]{2}(-gov)?-[a-z]+-[0-9]$', { what: 'an AWS region like us-west-2' }],
  ['^[0-9]{12}$', { what: 'a 12-digit AWS account ID, quoted, like "111122223333"' }],
  [
    '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$',
    { what: 'an EKS cluster name (letters, digits, "-" and "_", at most 100 characters)' },
  ],
  [
    '^arn:aws:iam::[0-9]{12}:role/[\\w+=,.@/-]+$',
    { what: 'an IAM role ARN like arn:aws:iam::111122223333:role/hubfleet-deployer' },
  ],
  ['^Z[A-Z0-9]{1,31}$', { what: 'a Route 53 hosted zone ID like Z0123456789ABCDEFGHIJ' }],
  [
    '^projects/[0-9]+/locations/global/workloadIdentityPools/[^/]+/providers/[^/]+$',
    {
      what: 'a workload identity provider like projects/123456789012/locations/global/workloadIdentityPools/github/providers/github',
    },
  ],
  [
    '^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com$',
    { what: 'a service account email like deployer@pangeo-prod.iam.gserviceaccount.com' },
  ],
  [
    '^(user|group|serviceAccount|domain):[^\\s]+$',
    { what: 'an IAM member like group:ocean@example.org (user:, group:, serviceAccount: or domain:)' },
  ],
  ['^[a-z0-9][-a-z0-9]{1,40}[a-z0-9]$', { what: 'a bucket name (3–42 lowercase letters, digits and "-")' }],
  [EMAIL_PATTERN, { what: 'an email address like ana@example.org' }],
  [
    GITHUB_LOGIN_PATTERN,
    { what: 'a GitHub login (letters, digits and single "-" inside, at most 39 characters) like octocat' },
  ],
  [
    IMAGE_MIRROR_PATTERN,
    {
      what: 'a registry host and repository prefix like us-docker.pkg.dev/my-project/mirror (lowercase path, no tag, no trailing "/")',
    },
  ],
  [
    '^[^\\s{}]+$',
    {
      what: 'a Kubernetes user or group name exactly as the API server sees it (no spaces, no {{…}} templates: RBAC matches names literally)',
    },
  ],
]);

/** Patterns that have a hand-written hint (a test checks every pattern in the schemas has one). */
export function formatHint(pattern: string): FormatHint | undefined {
  return hints.get(pattern);
}

/** "must be …" for a value that failed `pattern`. */
export function patternMessage(
  pattern: string,
  description: string | undefined,
  value: unknown,
  shown: string,
): string {
  const hint = hints.get(pattern);
  const reason = hint?.explain !== undefined && typeof value === 'string' ? hint.explain(value) : undefined;
  if (hint !== undefined && reason !== undefined) return `is not ${hint.what}: ${reason}`;
  if (hint !== undefined) return `must be ${hint.what} (got ${shown})`;
  const what = description ?? `a string matching /${pattern}/`;
  return `must be ${what} (got ${shown})`;
}
