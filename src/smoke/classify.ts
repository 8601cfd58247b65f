// Judging one answer against the contract. Pure. The order of the rules is the security argument:
// an answer that lets someone in without valid credentials is an exposure whatever else is true;
// a hub that is merely not answering is down, never exposed; anything else that differs from the
// contract is "misbehaving" (broken, but not open).
import type { IncomingHttpHeaders } from 'node:http';
import type { KubeObject } from '../render/manifests.js';
import type { HttpOutcome } from '../adapters/http.js';
import { describeExpectation, isValidCredential, type HttpProbe } from './probes.js';

export type Verdict = 'pass' | 'exposed' | 'down' | 'misbehaving';

export interface Judgement {
  verdict: Verdict;
  /** What was received, for people: "302 → https://accounts.google.com/o/oauth2/v2/auth". */
  answer: string;
  /** Why the verdict, when it is not a pass. */
  reason?: string;
  /** Another attempt may change the verdict (the hub may still be starting). */
  retryable: boolean;
}

const GOOGLE_SIGN_IN_HOST = 'accounts.google.com';
const GITHUB_HOST = 'github.com';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A Location resolved against the request URL; undefined when it is not a URL. */
function locationOf(outcome: { headers: IncomingHttpHeaders }, requestUrl: string): URL | undefined {
  const location = header(outcome.headers, 'location');
  if (location === undefined || location === '') return undefined;
  try {
    return new URL(location, requestUrl);
  } catch {
    return undefined;
  }
}

/** Query strings of sign-in redirects are long and say nothing a person needs; keep origin + path. */
function shortUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

export function describeOutcome(outcome: HttpOutcome, requestUrl: string): string {
  if (outcome.kind !== 'response') {
    const names: Record<Exclude<HttpOutcome['kind'], 'response'>, string> = {
      timeout: 'no answer (timeout)',
      refused: 'connection refused',
      reset: 'connection reset',
      dns: 'name not resolved',
      'tls-name-mismatch': 'TLS certificate does not name the domain',
      'tls-untrusted': 'TLS certificate not trusted',
      'tls-handshake': 'TLS handshake failed',
      network: 'network error',
    };
    const code = outcome.kind === 'tls-untrusted' || outcome.kind === 'network' ? ` (${outcome.code})` : '';
    return `${names[outcome.kind]}${code}`;
  }
  const location = locationOf(outcome, requestUrl);
  return location === undefined ? String(outcome.status) : `${outcome.status} → ${shortUrl(location)}`;
}

const isRedirect = (status: number): boolean => status >= 300 && status < 400;
const isSuccess = (status: number): boolean => status >= 200 && status < 300;

export function classifyHttp(probe: HttpProbe, outcome: HttpOutcome): Judgement {
  const answer = describeOutcome(outcome, probe.url);
  const judged = (verdict: Verdict, reason?: string, retryable = false): Judgement =>
    reason === undefined ? { verdict, answer, retryable } : { verdict, answer, reason, retryable };
  const plainHttp = probe.expect.kind === 'https-or-silence';

  if (outcome.kind === 'tls-name-mismatch') {
    return judged('exposed', `the certificate served for the domain does not name it: ${outcome.detail}`);
  }
  if (outcome.kind !== 'response') {
    if (plainHttp && outcome.kind !== 'network') return judged('pass');
    if (outcome.kind === 'tls-untrusted') {
      return judged(
        'misbehaving',
        `the TLS certificate is not trusted (${outcome.code}); check it with verify-cert`,
      );
    }
    return judged('down', `${answer}: ${outcome.detail}`, true);
  }

  const { status } = outcome;
  if (isSuccess(status) && plainHttp) {
    return judged('exposed', `plain HTTP answered ${status} with content instead of redirecting to https`);
  }
  // Only a probe of a public endpoint (JupyterHub's /hub/health on EKS) may expect a 2xx unasked.
  const expectedSuccess = probe.expect.kind === 'status' && probe.expect.statuses.includes(status);
  if (isSuccess(status) && !isValidCredential(probe.credential) && !expectedSuccess) {
    return judged('exposed', `answered ${status} ${withoutWhat(probe)}`);
  }
  if (status >= 500) return judged('down', `answered ${status}`, true);

  const expected = describeExpectation(probe.expect);
  const location = locationOf(outcome, probe.url);
  switch (probe.expect.kind) {
    case 'status':
      return probe.expect.statuses.includes(status)
        ? judged('pass')
        : judged('misbehaving', `expected ${expected}, got ${answer}`);
    case 'google-sign-in':
      // 302 is what IAP documents; the sign-in page is what matters, so 303/307 pass as well.
      return isRedirect(status) &&
        location?.protocol === 'https:' &&
        location.hostname === GOOGLE_SIGN_IN_HOST
        ? judged('pass')
        : judged('misbehaving', `expected ${expected}, got ${answer}`);
    case 'hub-login': {
      const requested = new URL(probe.url);
      const toHubLogin =
        location !== undefined &&
        location.hostname === requested.hostname &&
        /^\/hub\/(oauth_)?login\b/.test(location.pathname);
      const toGitHub = location?.hostname === GITHUB_HOST && location.pathname.startsWith('/login/oauth');
      return isRedirect(status) && (toHubLogin || toGitHub)
        ? judged('pass')
        : judged('misbehaving', `expected ${expected}, got ${answer}`);
    }
    case 'https-or-silence':
      return isRedirect(status) && location?.protocol === 'https:'
        ? judged('pass')
        : judged('misbehaving', `expected ${expected}, got ${answer}`);
  }
}

function withoutWhat(probe: HttpProbe): string {
  switch (probe.credential) {
    case 'none':
      return 'without any credentials';
    case 'forged':
      return 'to a forged token (signed by a key IAP cannot know)';
    case 'forged-other-audience':
      return 'to a forged token for another audience';
    case 'wrong-audience':
      return 'to an ID token issued for another audience';
    case 'unauthorized':
      return 'to the ID token of an identity without the IAP role';
    case 'authorized':
      return '';
  }
}

/**
 * proxy-public must only be reachable through the load balancer (GKE: NodePort behind the GCLB;
 * EKS: ClusterIP with ALB IP targets). A LoadBalancer type or any external address bypasses IAP
 * and the TLS listener.
 */
export function classifyService(service: KubeObject, namespace: string, name: string): Judgement {
  const spec = (service['spec'] ?? {}) as { type?: unknown; externalIPs?: unknown; loadBalancerIP?: unknown };
  const status = (service['status'] ?? {}) as { loadBalancer?: { ingress?: unknown } };
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const ingress = Array.isArray(status.loadBalancer?.ingress)
    ? (status.loadBalancer.ingress as unknown[])
    : [];
  const externalIps = Array.isArray(spec.externalIPs) ? (spec.externalIPs as unknown[]) : [];
  const addresses = [
    ...ingress.map((i) => {
      const entry = (i ?? {}) as { ip?: unknown; hostname?: unknown };
      if (typeof entry.ip === 'string') return entry.ip;
      return typeof entry.hostname === 'string' ? entry.hostname : '?';
    }),
    ...externalIps.map(String),
  ];
  const answer = addresses.length === 0 ? `type ${type}` : `type ${type}, external ${addresses.join(', ')}`;
  const problems: string[] = [];
  if (type === 'LoadBalancer') problems.push('is of type LoadBalancer');
  if (addresses.length > 0) problems.push(`has external address ${addresses.join(', ')}`);
  if (problems.length > 0) {
    return {
      verdict: 'exposed',
      answer,
      reason: `Service ${namespace}/${name} ${problems.join(' and ')}: the hub is reachable from outside around the load balancer (no TLS, no IAP)`,
      retryable: false,
    };
  }
  return { verdict: 'pass', answer, retryable: false };
}
