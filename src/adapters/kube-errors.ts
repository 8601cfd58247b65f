// What a failed kubectl run means: kubectl prints the API server's Status reason in parentheses
// ("Error from server (Forbidden): …"), or the transport error from Go's net/http. This module
// turns that text into a kind of failure (pure; the adapter decides retries and messages from it).

export type KubeFailureKind =
  | 'not-found' // 404
  | 'conflict' // 409 (apply conflicts are forced, so a 409 is an optimistic-lock race)
  | 'throttled' // 429
  | 'server' // 5xx, server timeouts
  | 'connection' // reset, refused, EOF, TLS and dial timeouts
  | 'forbidden' // 403: RBAC
  | 'unauthorized' // 401: credentials
  | 'invalid' // 400/422: the object itself is wrong
  | 'no-such-kind' // the resource type is not served (CRD not installed)
  | 'timeout' // kubectl's own --timeout/--wait elapsed
  | 'unknown';

export const RETRYABLE: ReadonlySet<KubeFailureKind> = new Set([
  'conflict',
  'throttled',
  'server',
  'connection',
]);

const PATTERNS: readonly [KubeFailureKind, RegExp][] = [
  ['unauthorized', /\(Unauthorized\)|must be logged in to the server|401 Unauthorized/i],
  ['forbidden', /\(Forbidden\)|is forbidden:/],
  [
    'no-such-kind',
    /the server doesn't have a resource type|no matches for kind|could not find the requested resource \(get|resource mapping not found/i,
  ],
  ['not-found', /\(NotFound\)|\bnot found\b/],
  // On a 409 to an apply kubectl drops the Status reason and appends advice about field managers.
  [
    'conflict',
    /\(Conflict\)|\(AlreadyExists\)|the object has been modified|they currently have other managers/,
  ],
  ['throttled', /\(TooManyRequests\)|too many requests|rate limit/i],
  [
    'server',
    /\(InternalError\)|\(ServiceUnavailable\)|\(ServerTimeout\)|\(Timeout\)|\(BadGateway\)|\(GatewayTimeout\)|an error on the server|Internal error occurred|currently unable to handle the request|etcdserver/i,
  ],
  [
    'connection',
    /connection reset|connection refused|connection to the server .* was refused|broken pipe|unexpected EOF|\bEOF\b|i\/o timeout|TLS handshake timeout|client connection lost|Unable to connect to the server|no such host|network is unreachable|http2: .*(closed|GOAWAY)|context deadline exceeded|Client\.Timeout exceeded/i,
  ],
  ['invalid', /\(Invalid\)|\(BadRequest\)|is invalid:|error validating|error converting YAML|error parsing/],
  ['timeout', /timed out waiting for the condition/],
];

export function classifyKubectlError(stderr: string): KubeFailureKind {
  for (const [kind, pattern] of PATTERNS) if (pattern.test(stderr)) return kind;
  return 'unknown';
}

/** The last non-empty lines of kubectl's stderr, without the "W1202 …" client-side warnings. */
export function kubectlErrorText(stderr: string, maxLines = 3): string {
  const lines = stderr
    .split(/\r?\n/)
    .filter((_l, i, all) => i < firstAdviceLine(all))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^[IW]\d{4} /.test(l));
  return lines.slice(-maxLines).join(' ') || '(kubectl printed nothing on stderr)';
}

/** kubectl's advice after an apply conflict is boilerplate; the lines before it say what failed. */
function firstAdviceLine(lines: string[]): number {
  const at = lines.findIndex((l) => l.startsWith('Please review the fields above'));
  return at < 0 ? lines.length : at;
}
