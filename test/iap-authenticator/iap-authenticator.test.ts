// Runs the IAP authenticator in a real JupyterHub (Debian's 3.x; .ci/run installs it) configured
// from the values renderHelmValues produces for a GKE hub. IAP is played by this test: it signs
// assertions with a locally generated P-256 key and serves the JWK set from 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { type KeyObject, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcpBasehub, gcpCluster } from '../fixtures/render/fleet.js';
import { deepMerge } from '../../src/render/deep-merge.js';
import { renderHelmValues } from '../../src/render/values.js';

const CONFIG = join(process.cwd(), 'test/iap-authenticator/jupyterhub_config.py');
const PROJECT_NUMBER = '123456789012'; // gcpCluster's
const AUD = `/projects/${PROJECT_NUMBER}/global/backendServices/4242424242424242`;
const KID = 'iap-test-key';
const HEADER = 'x-goog-iap-jwt-assertion';

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

type Claims = Record<string, unknown>;

function signingInput(header: Claims, claims: Claims): string {
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
}

/** An ES256 JWT as IAP makes one: r||s signature, not DER. */
function es256(
  key: KeyObject,
  claims: Claims,
  header: Claims = { alg: 'ES256', kid: KID, typ: 'JWT' },
): string {
  const input = signingInput(header, claims);
  return `${input}.${b64url(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

function iapClaims(overrides: Claims = {}): Claims {
  const t = now();
  return {
    iss: 'https://cloud.google.com/iap',
    aud: AUD,
    email: 'ana@example.org',
    sub: 'accounts.google.com:1234567890',
    iat: t - 5,
    exp: t + 600,
    ...overrides,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const iapKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const apiToken = randomBytes(24).toString('hex');

let jwks: Server;
let jwksFetches = 0;
let hub: ChildProcess | undefined;
let hubLog = '';
let dir = '';
let base = '';

interface Answer {
  status: number;
  location: string | null;
  body: string;
  cookies: string[];
}

async function request(
  path: string,
  init: { assertion?: string; cookie?: string; form?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (init.assertion !== undefined) headers[HEADER] = init.assertion;
  if (init.cookie !== undefined) headers.cookie = init.cookie;
  if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(`${base}${path}`, {
    method: init.form === undefined ? 'GET' : 'POST',
    headers,
    redirect: 'manual',
    ...(init.form === undefined ? {} : { body: init.form }),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    // The error page HTML-escapes the message's quotes.
    body: (await res.text()).replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"'),
    cookies: res.headers.getSetCookie().map((c) => c.split(';')[0] ?? ''),
  };
}

/** Names of the users the hub has: only a login creates one. */
async function hubUsers(): Promise<string[]> {
  const res = await fetch(`${base}/hub/api/users`, { headers: { authorization: `token ${apiToken}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { name: string }[]).map((u) => u.name).sort();
}

async function waitForHub(deadline: number): Promise<void> {
  for (;;) {
    if (hub?.exitCode !== null) throw new Error(`jupyterhub exited (${hub?.exitCode}):\n${hubLog}`);
    try {
      if ((await fetch(`${base}/hub/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`jupyterhub did not answer /hub/health within 15 s:\n${hubLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  // Not skipped when JupyterHub is missing: .ci/run installs it, and a silent skip would hide a
  // broken authenticator.
  const found = spawnSync('jupyterhub', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(
      'jupyterhub is not installed: apt-get install -y --no-install-recommends jupyterhub python3-jwt python3-cryptography',
    );
  }

  jwks = createServer((req, res) => {
    jwksFetches += 1;
    const jwk = { ...iapKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const keysUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/iap/verify/public_key-jwk`;

  // The hub section exactly as rendered for a GKE hub, with the keys URL pointed at this test and
  // a 1 s auth refresh so the identity-switch case need not wait the default 30 s.
  const rendered = renderHelmValues(gcpCluster, gcpBasehub);
  const hubValues = deepMerge(rendered.hub as Record<string, unknown>, {
    config: { HubfleetIAPAuthenticator: { keys_url: keysUrl, auth_refresh_age: 1 } },
  });
  dir = mkdtempSync(join(tmpdir(), 'hubfleet-iap-'));
  writeFileSync(join(dir, 'hub-values.json'), JSON.stringify(hubValues));

  const [proxyPort, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  base = `http://127.0.0.1:${proxyPort}`;
  hub = spawn('jupyterhub', ['-f', CONFIG], {
    cwd: dir,
    detached: true, // own process group, so the proxy it starts is stopped with it
    env: {
      ...process.env,
      // Debian's configurable-http-proxy finds its modules where Debian's node looks by default; a
      // node from elsewhere (nodesource, nvm) needs to be told.
      NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':'),
      NODE_OPTIONS: '', // jest's --experimental-vm-modules is not the proxy's business
      HUBFLEET_TEST_DIR: dir,
      HUBFLEET_TEST_HUB_VALUES: join(dir, 'hub-values.json'),
      HUBFLEET_TEST_PROXY_PORT: String(proxyPort),
      HUBFLEET_TEST_HUB_PORT: String(hubPort),
      HUBFLEET_TEST_PROXY_API_PORT: String(apiPort),
      HUBFLEET_TEST_API_TOKEN: apiToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stdout?.on('data', (d: Buffer) => (hubLog += d.toString()));
  hub.stderr?.on('data', (d: Buffer) => (hubLog += d.toString()));
  await waitForHub(Date.now() + 15_000);
}, 20_000);

afterAll(async () => {
  const child = hub;
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  await new Promise((resolve) => jwks?.close(resolve));
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
}, 10_000);

describe('IAP authenticator in a real JupyterHub', () => {
  it('answers the load balancer health check without an assertion', async () => {
    expect((await request('/hub/health')).status).toBe(200);
  });

  it.each<[string, number, string | RegExp, () => string | undefined]>([
    ['no header', 401, 'no x-goog-iap-jwt-assertion header', () => undefined],
    ['an empty header', 401, 'no x-goog-iap-jwt-assertion header', () => ''],
    ['garbage', 401, 'is not a JWT', () => 'not.a.jwt'],
    [
      'an audience in another project',
      403,
      'not a backend service of project 123456789012',
      () => es256(iapKey.privateKey, iapClaims({ aud: '/projects/999999999999/global/backendServices/42' })),
    ],
    [
      'an audience that only starts like a backend service',
      403,
      'not a backend service of project 123456789012',
      () =>
        es256(iapKey.privateKey, iapClaims({ aud: `/projects/${PROJECT_NUMBER}/global/backendServices/` })),
    ],
    [
      'an App Engine audience of the same project',
      403,
      'not a backend service',
      () => es256(iapKey.privateKey, iapClaims({ aud: `/projects/${PROJECT_NUMBER}/apps/pangeo-prod` })),
    ],
    [
      'an expired assertion',
      401,
      'Signature has expired',
      () => es256(iapKey.privateKey, iapClaims({ iat: now() - 1200, exp: now() - 600 })),
    ],
    [
      'an assertion issued in the future',
      401,
      // PyJWT ≥ 2.6 says so itself; the authenticator's own check covers older ones
      /IAP assertion rejected: .*iat/,
      () => es256(iapKey.privateKey, iapClaims({ iat: now() + 600, exp: now() + 1200 })),
    ],
    [
      'no exp',
      401,
      /IAP assertion rejected: .*"exp"/,
      () => es256(iapKey.privateKey, iapClaims({ exp: undefined })),
    ],
    [
      'another issuer',
      401,
      'Invalid issuer',
      () => es256(iapKey.privateKey, iapClaims({ iss: 'https://accounts.google.com' })),
    ],
    [
      'a signature by another key under the published kid',
      401,
      'Signature verification failed',
      () => es256(otherKey.privateKey, iapClaims()),
    ],
    [
      'a kid nobody published',
      401,
      "unknown key 'forged'",
      () => es256(otherKey.privateKey, iapClaims(), { alg: 'ES256', kid: 'forged' }),
    ],
    [
      'alg none',
      401,
      "alg 'none'",
      () => `${signingInput({ alg: 'none', kid: KID, typ: 'JWT' }, iapClaims())}.`,
    ],
    [
      'HS256 keyed with the public key',
      401,
      "alg 'HS256'",
      () => {
        const input = signingInput({ alg: 'HS256', kid: KID, typ: 'JWT' }, iapClaims());
        const pem = iapKey.publicKey.export({ format: 'pem', type: 'spki' });
        return `${input}.${b64url(createHmac('sha256', pem).update(input).digest())}`;
      },
    ],
    ['no email', 403, 'no email', () => es256(iapKey.privateKey, iapClaims({ email: undefined }))],
  ])('refuses %s with %i and logs nobody in', async (_case, status, message, assertion) => {
    const token = assertion();
    const res = await request('/hub/login', token === undefined ? {} : { assertion: token });
    expect(res.status).toBe(status);
    expect(res.body).toMatch(message);
    expect(res.cookies.filter((c) => c.startsWith('jupyterhub-hub-login='))).toEqual([]);
    expect(await hubUsers()).not.toContain('ana@example.org');
  });

  it('never falls back to a login form: a posted username and password without the header is refused', async () => {
    const res = await request('/hub/login', { form: 'username=admin&password=admin' });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('name="password"');
    expect(await hubUsers()).toEqual([]);
  });

  it('logs in from a valid assertion as the lowercased email, straight from /hub/login', async () => {
    const res = await request('/hub/login', {
      assertion: es256(iapKey.privateKey, iapClaims({ email: 'Ana@Example.ORG' })),
    });
    expect(res.status).toBe(302);
    expect(res.cookies.some((c) => c.startsWith('jupyterhub-hub-login='))).toBe(true);
    expect(await hubUsers()).toEqual(['ana@example.org']);
    expect(hubLog).toContain('User logged in: ana@example.org');
  });

  it('ignores a posted username: the header decides who logs in', async () => {
    const res = await request('/hub/login', {
      assertion: es256(iapKey.privateKey, iapClaims({ email: 'carol@example.org' })),
      form: 'username=admin&password=x',
    });
    expect(res.status).toBe(302);
    expect(await hubUsers()).toEqual(['ana@example.org', 'carol@example.org']);
  });

  it("ends a session when IAP vouches for someone else than the cookie's user", async () => {
    const login = await request('/hub/login', { assertion: es256(iapKey.privateKey, iapClaims()) });
    const cookie = login.cookies.join('; ');
    const asAna = es256(iapKey.privateKey, iapClaims());
    const asBob = es256(iapKey.privateKey, iapClaims({ email: 'bob@example.org' }));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past auth_refresh_age
    expect((await request('/hub/home', { cookie, assertion: asAna })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const switched = await request('/hub/home', { cookie, assertion: asBob });
    expect(switched.status).toBe(302);
    expect(switched.location).toMatch(/^\/hub\/login/);
    // and the next login is Bob's own
    const relogin = await request('/hub/login', { cookie, assertion: asBob });
    expect(relogin.status).toBe(302);
    expect(await hubUsers()).toEqual(['ana@example.org', 'bob@example.org', 'carol@example.org']);
  });

  it('fetched the key set once for all of the above (cached; unknown kids do not refetch within a minute)', () => {
    expect(jwksFetches).toBe(1);
  });
});
