// What smoke-iap sends to a hub and what it must get back (design §6, the IAP table). Pure: the
// probe list is data, the tokens are named here and filled in only when a request is sent, so a
// probe can be logged, summarised and compared without ever holding a secret.
import type { Provider } from '../config/model.js';

/** Which credential a probe carries. */
export type Credential =
  | 'none'
  | 'forged'
  /** Forged and for another audience: an IAP that skips either check must still refuse it. */
  | 'forged-other-audience'
  | 'wrong-audience'
  | 'unauthorized'
  | 'authorized';

/** Credentials that must never get a 2xx: anything but the authorised identity's own token. */
export const isValidCredential = (c: Credential): boolean => c === 'authorized';

export type Expectation =
  /** IAP's answer to a browser without a session: 302 to Google's sign-in. */
  | { kind: 'google-sign-in' }
  /** One of these statuses exactly. */
  | { kind: 'status'; statuses: readonly number[] }
  /** A JupyterHub page without a session: a redirect to the hub's login (or GitHub's OAuth page). */
  | { kind: 'hub-login' }
  /** Plain http: a redirect to https, or no answer at all; never content. */
  | { kind: 'https-or-silence' };

export interface HttpProbe {
  kind: 'http';
  /** Stable id used in tables, fingerprints and tests, e.g. `xhr-no-credentials`. */
  id: string;
  /** What is sent, for people. */
  title: string;
  url: string;
  /** Non-secret headers. */
  headers: Readonly<Record<string, string>>;
  credential: Credential;
  /** Where the token goes when the probe carries one. */
  tokenHeader?: 'authorization' | 'proxy-authorization';
  expect: Expectation;
}

/** The proxy-public Service must not be reachable from outside (no LoadBalancer, no external IP). */
export interface ServiceProbe {
  kind: 'service';
  id: 'proxy-public-service';
  title: string;
  namespace: string;
  name: string;
}

export type Probe = HttpProbe | ServiceProbe;

export interface HubTarget {
  cluster: string;
  hub: string;
  provider: Provider;
  domain: string;
  namespace: string;
}

export interface ProbeOptions {
  /** Path that answers 200 for the authorised identity (default /hub/health). */
  path: string;
  hasUnauthorizedToken: boolean;
  hasWrongAudienceToken: boolean;
}

// What a browser sends; IAP tells browsers (redirect to sign-in) from programs (401) by these.
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) hubfleet-smoke-iap',
} as const;
const PROGRAM_HEADERS = { accept: 'application/json', 'user-agent': 'hubfleet-smoke-iap' } as const;
// Google's documented way to get a 401 instead of the sign-in redirect.
const XHR_HEADERS = { ...PROGRAM_HEADERS, 'x-requested-with': 'XMLHttpRequest' } as const;

/** The checks for one hub, in the order they run. */
export function probesFor(target: HubTarget, options: ProbeOptions): Probe[] {
  const https = (path: string): string => `https://${target.domain}${path}`;
  const service: ServiceProbe = {
    kind: 'service',
    id: 'proxy-public-service',
    title: 'proxy-public Service is not a LoadBalancer and has no external IP',
    namespace: target.namespace,
    name: 'proxy-public',
  };
  const plainHttp: HttpProbe = {
    kind: 'http',
    id: 'plain-http',
    title: `GET http://${target.domain}${options.path} (plain HTTP)`,
    url: `http://${target.domain}${options.path}`,
    headers: BROWSER_HEADERS,
    credential: 'none',
    expect: { kind: 'https-or-silence' },
  };
  const path = options.path;
  const on = (title: string): string => `${title} on ${path}`;

  if (target.provider === 'aws') {
    // EKS hubs have no IAP: the ALB forwards everything to JupyterHub, which logs people in with
    // GitHub. /hub/health is public there, so the exposure checks use pages that need a login.
    return [
      {
        kind: 'http',
        id: 'health',
        title: on('no credentials, health check answers'),
        url: https(path),
        headers: PROGRAM_HEADERS,
        credential: 'none',
        expect: { kind: 'status', statuses: [200] },
      },
      {
        kind: 'http',
        id: 'browser-no-credentials',
        title: 'no credentials, browser-like, on /hub/home',
        url: https('/hub/home'),
        headers: BROWSER_HEADERS,
        credential: 'none',
        expect: { kind: 'hub-login' },
      },
      {
        kind: 'http',
        id: 'api-no-credentials',
        title: 'no credentials, on the REST API /hub/api/user',
        url: https('/hub/api/user'),
        headers: XHR_HEADERS,
        credential: 'none',
        expect: { kind: 'status', statuses: [401, 403] },
      },
      {
        kind: 'http',
        id: 'forged-token',
        title: 'forged bearer token, on the REST API /hub/api/user',
        url: https('/hub/api/user'),
        headers: XHR_HEADERS,
        credential: 'forged',
        tokenHeader: 'authorization',
        expect: { kind: 'status', statuses: [401, 403] },
      },
      plainHttp,
      service,
    ];
  }

  const probes: Probe[] = [
    {
      kind: 'http',
      id: 'browser-no-credentials',
      title: on('no credentials, browser-like'),
      url: https(path),
      headers: BROWSER_HEADERS,
      credential: 'none',
      expect: { kind: 'google-sign-in' },
    },
    {
      kind: 'http',
      id: 'xhr-no-credentials',
      title: on('no credentials, X-Requested-With: XMLHttpRequest'),
      url: https(path),
      headers: XHR_HEADERS,
      credential: 'none',
      expect: { kind: 'status', statuses: [401] },
    },
    {
      kind: 'http',
      id: 'forged-token',
      title: on('forged ID token (signed by a key made up for this run)'),
      url: https(path),
      // As a program: a 401 is then the only right answer, whatever IAP thinks of the token.
      headers: XHR_HEADERS,
      credential: 'forged',
      tokenHeader: 'authorization',
      expect: { kind: 'status', statuses: [401] },
    },
    {
      kind: 'http',
      id: 'forged-other-audience-token',
      title: on('forged ID token for another audience'),
      url: https(path),
      headers: XHR_HEADERS,
      credential: 'forged-other-audience',
      tokenHeader: 'authorization',
      expect: { kind: 'status', statuses: [401] },
    },
  ];
  if (options.hasWrongAudienceToken) {
    probes.push({
      kind: 'http',
      id: 'wrong-audience-token',
      title: on('ID token for another audience'),
      url: https(path),
      headers: XHR_HEADERS,
      credential: 'wrong-audience',
      tokenHeader: 'authorization',
      expect: { kind: 'status', statuses: [401] },
    });
  }
  if (options.hasUnauthorizedToken) {
    probes.push({
      kind: 'http',
      id: 'unauthorized-token',
      title: on('ID token of an identity without the IAP role'),
      url: https(path),
      headers: PROGRAM_HEADERS,
      credential: 'unauthorized',
      tokenHeader: 'authorization',
      expect: { kind: 'status', statuses: [403] },
    });
  }
  probes.push(
    {
      kind: 'http',
      id: 'authorized-authorization',
      title: on('authorised ID token as Authorization: Bearer'),
      url: https(path),
      headers: PROGRAM_HEADERS,
      credential: 'authorized',
      tokenHeader: 'authorization',
      expect: { kind: 'status', statuses: [200] },
    },
    {
      kind: 'http',
      id: 'authorized-proxy-authorization',
      title: on('authorised ID token as Proxy-Authorization: Bearer'),
      url: https(path),
      headers: PROGRAM_HEADERS,
      credential: 'authorized',
      tokenHeader: 'proxy-authorization',
      expect: { kind: 'status', statuses: [200] },
    },
    plainHttp,
    service,
  );
  return probes;
}

/** What the contract expects, for people: "302 to accounts.google.com", "401", … */
export function describeExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case 'google-sign-in':
      return '302 to accounts.google.com';
    case 'status':
      return expect.statuses.join(' or ');
    case 'hub-login':
      return 'redirect to the hub login';
    case 'https-or-silence':
      return 'redirect to https or no answer';
  }
}
