import { describe, expect, it } from '@jest/globals';
import type { HttpOutcome } from '../adapters/http.js';
import { classifyHttp, classifyService } from './classify.js';
import { probesFor, type HttpProbe, type HubTarget } from './probes.js';

const gke: HubTarget = {
  cluster: 'c',
  hub: 'ocean',
  provider: 'gcp',
  domain: 'ocean.example.org',
  namespace: 'ocean',
};
const eks: HubTarget = {
  ...gke,
  provider: 'aws',
  hub: 'glacier',
  domain: 'glacier.example.org',
  namespace: 'glacier',
};
const all = { path: '/hub/health', hasUnauthorizedToken: true, hasWrongAudienceToken: true };

function probe(target: HubTarget, id: string): HttpProbe {
  const p = probesFor(target, all).find((x) => x.id === id);
  if (p?.kind !== 'http') throw new Error(`no http probe ${id}`);
  return p;
}

const answer = (status: number, headers: Record<string, string> = {}, body = ''): HttpOutcome => ({
  kind: 'response',
  status,
  headers,
  body,
  connectedTo: '127.0.0.1:1',
});
const failure = (kind: 'timeout' | 'refused' | 'reset' | 'dns' | 'tls-handshake'): HttpOutcome => ({
  kind,
  detail: 'x',
});
const google = { location: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=1&redirect_uri=x' };

describe('probesFor', () => {
  it('lists exactly the IAP contract for a GKE hub, optional tokens only when given', () => {
    expect(probesFor(gke, all).map((p) => p.id)).toEqual([
      'browser-no-credentials',
      'xhr-no-credentials',
      'forged-token',
      'forged-other-audience-token',
      'wrong-audience-token',
      'unauthorized-token',
      'authorized-authorization',
      'authorized-proxy-authorization',
      'plain-http',
      'proxy-public-service',
    ]);
    expect(
      probesFor(gke, { path: '/hub/health', hasUnauthorizedToken: false, hasWrongAudienceToken: false }).map(
        (p) => p.id,
      ),
    ).toEqual([
      'browser-no-credentials',
      'xhr-no-credentials',
      'forged-token',
      'forged-other-audience-token',
      'authorized-authorization',
      'authorized-proxy-authorization',
      'plain-http',
      'proxy-public-service',
    ]);
  });

  it('checks an EKS hub (GitHub OAuth, no IAP) for login-protected pages, health, plain HTTP and the Service', () => {
    expect(probesFor(eks, all).map((p) => [p.id, p.kind === 'http' ? p.url : p.namespace])).toEqual([
      ['health', 'https://glacier.example.org/hub/health'],
      ['browser-no-credentials', 'https://glacier.example.org/hub/home'],
      ['api-no-credentials', 'https://glacier.example.org/hub/api/user'],
      ['forged-token', 'https://glacier.example.org/hub/api/user'],
      ['plain-http', 'http://glacier.example.org/hub/health'],
      ['proxy-public-service', 'glacier'],
    ]);
  });

  it('puts tokens in the named header only, and asks as a browser or as a program', () => {
    const byId = Object.fromEntries(
      probesFor(gke, all).flatMap((p) => (p.kind === 'http' ? [[p.id, p]] : [])),
    );
    expect(byId['authorized-proxy-authorization']?.tokenHeader).toBe('proxy-authorization');
    expect(byId['authorized-authorization']?.tokenHeader).toBe('authorization');
    expect(byId['xhr-no-credentials']?.headers['x-requested-with']).toBe('XMLHttpRequest');
    expect(byId['browser-no-credentials']?.headers['x-requested-with']).toBeUndefined();
    expect(byId['browser-no-credentials']?.headers['accept']).toMatch(/^text\/html/);
  });
});

describe('classifyHttp', () => {
  const cases: [string, HubTarget, string, HttpOutcome, string, boolean][] = [
    // [name, target, probe, outcome, verdict, retryable]
    ['IAP sign-in redirect', gke, 'browser-no-credentials', answer(302, google), 'pass', false],
    [
      'sign-in redirect with 303 still goes to Google',
      gke,
      'browser-no-credentials',
      answer(303, google),
      'pass',
      false,
    ],
    [
      'redirect elsewhere',
      gke,
      'browser-no-credentials',
      answer(302, { location: '/hub/login' }),
      'misbehaving',
      false,
    ],
    [
      'sign-in over http',
      gke,
      'browser-no-credentials',
      answer(302, { location: 'http://accounts.google.com/' }),
      'misbehaving',
      false,
    ],
    [
      'look-alike host',
      gke,
      'browser-no-credentials',
      answer(302, { location: 'https://accounts.google.com.evil.test/' }),
      'misbehaving',
      false,
    ],
    ['200 without credentials', gke, 'browser-no-credentials', answer(200), 'exposed', false],
    ['204 without credentials', gke, 'xhr-no-credentials', answer(204), 'exposed', false],
    [
      '401 for XHR',
      gke,
      'xhr-no-credentials',
      answer(401, {}, 'Invalid IAP credentials: empty token'),
      'pass',
      false,
    ],
    ['403 for XHR', gke, 'xhr-no-credentials', answer(403), 'misbehaving', false],
    ['forged token refused', gke, 'forged-token', answer(401), 'pass', false],
    ['forged token accepted', gke, 'forged-token', answer(200), 'exposed', false],
    ['forged other-audience token refused', gke, 'forged-other-audience-token', answer(401), 'pass', false],
    [
      'forged other-audience token accepted',
      gke,
      'forged-other-audience-token',
      answer(200),
      'exposed',
      false,
    ],
    ['wrong audience accepted', gke, 'wrong-audience-token', answer(200), 'exposed', false],
    ['unauthorised refused', gke, 'unauthorized-token', answer(403), 'pass', false],
    ['unauthorised accepted', gke, 'unauthorized-token', answer(200), 'exposed', false],
    ['unauthorised 401 (expired token?)', gke, 'unauthorized-token', answer(401), 'misbehaving', false],
    ['authorised 200', gke, 'authorized-authorization', answer(200), 'pass', false],
    ['authorised refused', gke, 'authorized-proxy-authorization', answer(401), 'misbehaving', false],
    ['authorised 502 while starting', gke, 'authorized-authorization', answer(502), 'down', true],
    ['authorised 503', gke, 'authorized-proxy-authorization', answer(503), 'down', true],
    ['timeout', gke, 'authorized-authorization', failure('timeout'), 'down', true],
    ['refused', gke, 'xhr-no-credentials', failure('refused'), 'down', true],
    [
      'handshake failure (no certificate yet)',
      gke,
      'xhr-no-credentials',
      failure('tls-handshake'),
      'down',
      true,
    ],
    [
      'name mismatch',
      gke,
      'authorized-authorization',
      { kind: 'tls-name-mismatch', detail: 'x' },
      'exposed',
      false,
    ],
    [
      'untrusted certificate',
      gke,
      'xhr-no-credentials',
      { kind: 'tls-untrusted', code: 'CERT_HAS_EXPIRED', detail: 'x' },
      'misbehaving',
      false,
    ],
    [
      'plain http redirects to https',
      gke,
      'plain-http',
      answer(301, { location: 'https://ocean.example.org/hub/health' }),
      'pass',
      false,
    ],
    ['plain http through IAP to Google sign-in', gke, 'plain-http', answer(302, google), 'pass', false],
    ['plain http not answered', gke, 'plain-http', failure('timeout'), 'pass', false],
    ['plain http refused', gke, 'plain-http', failure('refused'), 'pass', false],
    ['plain http content', gke, 'plain-http', answer(200, {}, '<html>'), 'exposed', false],
    [
      'plain http redirects to http',
      gke,
      'plain-http',
      answer(301, { location: 'http://ocean.example.org/' }),
      'misbehaving',
      false,
    ],
    ['plain http 404', gke, 'plain-http', answer(404), 'misbehaving', false],
    ['EKS health is public', eks, 'health', answer(200), 'pass', false],
    ['EKS health down', eks, 'health', answer(503), 'down', true],
    [
      'EKS login redirect',
      eks,
      'browser-no-credentials',
      answer(302, { location: '/hub/login?next=%2Fhub%2Fhome' }),
      'pass',
      false,
    ],
    [
      'EKS GitHub redirect',
      eks,
      'browser-no-credentials',
      answer(302, { location: 'https://github.com/login/oauth/authorize?x' }),
      'pass',
      false,
    ],
    ['EKS page without login', eks, 'browser-no-credentials', answer(200), 'exposed', false],
    ['EKS API refuses', eks, 'api-no-credentials', answer(403), 'pass', false],
    ['EKS API 401', eks, 'forged-token', answer(401), 'pass', false],
  ];
  it.each(cases)('%s', (_name, target, id, outcome, verdict, retryable) => {
    const judged = classifyHttp(probe(target, id), outcome);
    expect([judged.verdict, judged.retryable]).toEqual([verdict, retryable]);
  });

  it('names what happened in people’s words', () => {
    expect(classifyHttp(probe(gke, 'forged-token'), answer(200))).toEqual({
      verdict: 'exposed',
      answer: '200',
      reason: 'answered 200 to a forged token (signed by a key IAP cannot know)',
      retryable: false,
    });
    expect(
      classifyHttp(probe(gke, 'browser-no-credentials'), answer(302, { location: '/hub/login?next=x' })),
    ).toEqual({
      verdict: 'misbehaving',
      answer: '302 → https://ocean.example.org/hub/login?…',
      reason: 'expected 302 to accounts.google.com, got 302 → https://ocean.example.org/hub/login?…',
      retryable: false,
    });
    expect(classifyHttp(probe(gke, 'plain-http'), answer(200))).toEqual({
      verdict: 'exposed',
      answer: '200',
      reason: 'plain HTTP answered 200 with content instead of redirecting to https',
      retryable: false,
    });
  });
});

describe('classifyService', () => {
  const svc = (spec: object, status: object = {}): Parameters<typeof classifyService>[0] => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'proxy-public', namespace: 'ocean' },
    spec,
    status,
  });
  it.each([
    ['NodePort', svc({ type: 'NodePort' }), 'pass', 'type NodePort'],
    ['ClusterIP', svc({ type: 'ClusterIP' }), 'pass', 'type ClusterIP'],
    ['LoadBalancer still pending', svc({ type: 'LoadBalancer' }), 'exposed', 'type LoadBalancer'],
    [
      'LoadBalancer with an IP',
      svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '34.1.2.3' }] } }),
      'exposed',
      'type LoadBalancer, external 34.1.2.3',
    ],
    [
      'externalIPs on a NodePort',
      svc({ type: 'NodePort', externalIPs: ['34.9.9.9'] }),
      'exposed',
      'type NodePort, external 34.9.9.9',
    ],
  ])('%s', (_name, service, verdict, shown) => {
    const judged = classifyService(service, 'ocean', 'proxy-public');
    expect([judged.verdict, judged.answer]).toEqual([verdict, shown]);
  });
});
