// The IAP double's own contract tests (the table in design §6 and the switches), spoken to through
// the real HTTP adapter with connect-to, as smoke-iap speaks to it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseConnectTo, resolveConnectTo } from '../../src/adapters/connect-to.js';
import { httpRequest, type HttpOutcome } from '../../src/adapters/http.js';
import type { KubeObject } from '../../src/render/manifests.js';
import { forgeIdToken } from '../../src/smoke/forged-token.js';
import { SOUND, startIapDouble, type IapDouble } from './iap-double.js';
import { createTestCa, type TestCa } from './openssl-certs.js';

const DOMAIN = 'ocean.hubs.test';
const ALLOWED = 'smoke@fleet.iam.gserviceaccount.com';
let ca: TestCa;
let iap: IapDouble;
const services = new Map<string, KubeObject>();

beforeAll(async () => {
  ca = await createTestCa();
  iap = await startIapDouble({
    ca,
    hubs: [{ domain: DOMAIN, namespace: 'ocean' }],
    allowed: [ALLOWED],
    kube: { put: (o) => services.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, o) },
  });
});
afterAll(async () => {
  await iap.close();
  await ca.remove();
});
beforeEach(() => {
  iap.set({ ...SOUND });
  iap.requests.length = 0;
});

function get(path: string, headers: Record<string, string> = {}, scheme = 'https'): Promise<HttpOutcome> {
  const rules = parseConnectTo(iap.connectTo);
  return httpRequest({
    url: `${scheme}://${DOMAIN}${path}`,
    headers,
    timeoutMs: 2000,
    connectTo: (h, p) => resolveConnectTo(rules, h, p),
    ca: ca.caPem,
  });
}
const status = (o: HttpOutcome): number | string => (o.kind === 'response' ? o.status : o.kind);
const xhr = { 'x-requested-with': 'XMLHttpRequest' };
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('IAP double: the contract', () => {
  it('redirects a browser without credentials to Google sign-in and sets the XSRF nonce cookie', async () => {
    const o = await get('/hub/health');
    if (o.kind !== 'response') throw new Error(o.kind);
    expect(o.status).toBe(302);
    const location = new URL(String(o.headers.location));
    expect([location.origin, location.pathname, location.searchParams.get('client_id')]).toEqual([
      'https://accounts.google.com',
      '/o/oauth2/v2/auth',
      iap.clientId,
    ]);
    expect(String(o.headers['set-cookie'])).toMatch(/^GCP_IAP_XSRF_NONCE_[0-9a-f]+=1;.*HttpOnly/);
  });

  it('answers 401 to XHR without credentials, and to forged, wrong-audience, expired and foreign-key tokens', async () => {
    const results = await Promise.all([
      get('/hub/health', xhr),
      get(
        '/hub/health',
        bearer(
          forgeIdToken({
            like: { aud: iap.clientId, email: ALLOWED },
            nowSeconds: Math.floor(Date.now() / 1000),
          }),
        ),
      ),
      get('/hub/health', bearer(iap.mintIdToken(ALLOWED, { aud: 'another-client' }))),
      get('/hub/health', bearer(iap.mintIdToken(ALLOWED, { expiresInSeconds: -10 }))),
      get('/hub/health', bearer(iap.mintIdToken(ALLOWED, { kid: 'unknown' }))),
      get('/hub/health', bearer('not-a-jwt')),
    ]);
    expect(results.map(status)).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it('answers 403 to a valid token of an identity without the role, 200 with it (either header)', async () => {
    expect(status(await get('/hub/health', bearer(iap.mintIdToken('someone@example.org'))))).toBe(403);
    expect(status(await get('/hub/health', bearer(iap.mintIdToken(ALLOWED))))).toBe(200);
    expect(
      status(await get('/hub/health', { 'proxy-authorization': `Bearer ${iap.mintIdToken(ALLOWED)}` })),
    ).toBe(200);
    // Proxy-Authorization wins when both are sent.
    expect(
      status(
        await get('/hub/health', {
          'proxy-authorization': `Bearer ${iap.mintIdToken('someone@example.org')}`,
          authorization: `Bearer ${iap.mintIdToken(ALLOWED)}`,
        }),
      ),
    ).toBe(403);
  });

  it('redirects plain HTTP to https and records what it saw (SNI, Host, credential header)', async () => {
    const o = await get('/hub/health', {}, 'http');
    expect(o.kind === 'response' && [o.status, o.headers.location]).toEqual([
      301,
      `https://${DOMAIN}/hub/health`,
    ]);
    await get('/hub/health', bearer(iap.mintIdToken(ALLOWED)));
    expect(iap.requests).toEqual([
      { scheme: 'http', host: DOMAIN, path: '/hub/health', credential: 'none', xhr: false, status: 301 },
      {
        scheme: 'https',
        host: DOMAIN,
        sni: DOMAIN,
        path: '/hub/health',
        credential: 'authorization',
        xhr: false,
        status: 200,
      },
    ]);
  });

  it('writes proxy-public as a NodePort without external address', () => {
    const svc = services.get('ocean/proxy-public');
    expect([svc?.['spec'], svc?.['status']]).toEqual([
      {
        type: 'NodePort',
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
      },
      { loadBalancer: {} },
    ]);
  });
});

describe('IAP double: switches', () => {
  it('iap disabled: everything reaches the hub, the health check answers 200 to anyone', async () => {
    iap.set({ iap: 'disabled' });
    expect((await Promise.all([get('/hub/health'), get('/hub/health', xhr)])).map(status)).toEqual([
      200, 200,
    ]);
  });

  it('any token accepted: a forged token gets 200', async () => {
    iap.set({ tokens: 'any-accepted' });
    const forged = forgeIdToken({ nowSeconds: Math.floor(Date.now() / 1000) });
    expect(status(await get('/hub/health', bearer(forged)))).toBe(200);
  });

  it('wrong audience accepted: a token for another audience gets 200, a forged one still 401', async () => {
    iap.set({ tokens: 'wrong-audience-accepted' });
    expect(status(await get('/hub/health', bearer(iap.mintIdToken(ALLOWED, { aud: 'other' }))))).toBe(200);
    const forged = forgeIdToken({ like: { email: ALLOWED }, nowSeconds: Math.floor(Date.now() / 1000) });
    expect(status(await get('/hub/health', bearer(forged)))).toBe(401);
  });

  it('plain HTTP content: the hub answers over http; closed: no answer', async () => {
    iap.set({ plainHttp: 'content' });
    expect(status(await get('/hub/health', {}, 'http'))).toBe(200);
    iap.set({ plainHttp: 'closed' });
    expect(['reset', 'network']).toContain(status(await get('/hub/health', {}, 'http')));
  });

  it('proxy-public LoadBalancer: the Service gets the type and an external IP', () => {
    iap.set({ proxyPublic: 'LoadBalancer' });
    const svc = services.get('ocean/proxy-public');
    expect([(svc?.['spec'] as { type: string }).type, svc?.['status']]).toEqual([
      'LoadBalancer',
      { loadBalancer: { ingress: [{ ip: '34.120.0.7' }] } },
    ]);
  });

  it('hub down: IAP still answers, the backend gives 502', async () => {
    iap.set({ hub: 'down' });
    expect(
      (await Promise.all([get('/hub/health'), get('/hub/health', bearer(iap.mintIdToken(ALLOWED)))])).map(
        status,
      ),
    ).toEqual([302, 502]);
  });

  it('failFirst: the next n requests fail, then it answers', async () => {
    iap.set({ failFirst: 2 });
    const seen: (number | string)[] = [];
    for (let i = 0; i < 3; i++) seen.push(status(await get('/hub/health', xhr)));
    expect(seen).toEqual([503, 503, 401]);
    iap.set({ failFirst: 1, failMode: 'hang' });
    expect(status(await get('/hub/health', xhr))).toBe('timeout');
  });

  it('wrong-name certificate: TLS name mismatch', async () => {
    iap.set({ certificate: 'wrong-name' });
    expect(status(await get('/hub/health'))).toBe('tls-name-mismatch');
  });

  it('open hub login: a page that needs a login answers 200 without one', async () => {
    iap.set({ iap: 'disabled' });
    const required = await get('/hub/home');
    expect(required.kind === 'response' && [required.status, required.headers.location]).toEqual([
      302,
      '/hub/login?next=%2Fhub%2Fhome',
    ]);
    expect(status(await get('/hub/api/user', xhr))).toBe(403);
    iap.set({ hubLogin: 'open' });
    expect(status(await get('/hub/home'))).toBe(200);
  });
});
