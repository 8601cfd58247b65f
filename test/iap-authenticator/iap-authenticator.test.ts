// Runs the IAP authenticator in real JupyterHubs configured from the values renderHelmValues
// produces for a GKE hub: Debian bookworm's 3.x (jupyterhub on PATH) and Debian trixie's 5.x (what
// z2jh 4.x ships; a trixie root made by scripts/make-trixie-root.sh). .ci/run installs both. IAP is
// played by this test: it signs assertions with a locally generated P-256 key and serves the JWK set
// from 127.0.0.1. The test speaks to the hub as a browser does, _xsrf token included.
//
// Without a JupyterHub the rest of `npm test` still passes: the suites that need it are skipped and
// one notice says what did not run and how to install it. With CI=true that is one failure instead.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { type KeyObject, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { LoadedHub } from '../../src/config/model.js';
import { gcpBasehub, gcpCluster } from '../fixtures/render/fleet.js';
import { deepMerge } from '../../src/render/deep-merge.js';
import { renderHelmValues } from '../../src/render/values.js';
import {
  type Detected,
  type HubInstall,
  type MissingInstall,
  detectPathInstall,
  detectTrixieRoot,
  inCI,
} from './hub-installs.js';

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

interface Answer {
  status: number;
  location: string | null;
  body: string;
  cookies: string[];
}

interface RequestInit {
  assertion?: string;
  cookie?: string;
  form?: Record<string, string>;
}

/** A JupyterHub with the authenticator, its JWKS server and scratch directory. */
class HubUnderTest {
  jwksFetches = 0;
  log = '';
  private base = '';
  private jwks: Server | undefined;
  private hub: ChildProcess | undefined;
  private dir: string | undefined;
  private readonly apiToken = randomBytes(24).toString('hex');

  /** `audience`: the backend service audience deploy-hub (or a re-pin) renders; none: project-wide. */
  constructor(
    private readonly install: HubInstall,
    private readonly hubFile: LoadedHub = gcpBasehub,
    private readonly audience?: string,
  ) {}

  async start(): Promise<void> {
    const jwks = createServer((_req, res) => {
      this.jwksFetches += 1;
      const jwk = { ...iapKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig' };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    this.jwks = jwks;
    const keysUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/iap/verify/public_key-jwk`;

    // The hub section exactly as rendered for a GKE hub, with the keys URL pointed at this test and
    // a 1 s auth refresh so the identity-switch case need not wait the default 30 s.
    const rendered = renderHelmValues(
      gcpCluster,
      this.hubFile,
      this.audience === undefined ? {} : { iapAudience: this.audience },
    );
    const hubValues = deepMerge(rendered.hub as Record<string, unknown>, {
      config: { HubfleetIAPAuthenticator: { keys_url: keysUrl, auth_refresh_age: 1 } },
    });
    const dir = this.install.makeDir();
    this.dir = dir.here;
    writeFileSync(join(dir.here, 'hub-values.json'), JSON.stringify(hubValues));
    copyFileSync(CONFIG, join(dir.here, 'jupyterhub_config.py'));

    const [proxyPort, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    this.base = `http://127.0.0.1:${proxyPort}`;
    const hub = this.install.start(['-f', join(dir.hub, 'jupyterhub_config.py')], {
      cwd: dir.hub,
      env: {
        HUBFLEET_TEST_DIR: dir.hub,
        HUBFLEET_TEST_HUB_VALUES: join(dir.hub, 'hub-values.json'),
        HUBFLEET_TEST_PROXY_PORT: String(proxyPort),
        HUBFLEET_TEST_HUB_PORT: String(hubPort),
        HUBFLEET_TEST_PROXY_API_PORT: String(apiPort),
        HUBFLEET_TEST_API_TOKEN: this.apiToken,
      },
    });
    this.hub = hub;
    hub.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    hub.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    hub.on('error', (e) => (this.log += `\n${String(e)}`));
    await this.waitForHealth(Date.now() + 30_000);
  }

  /** Stops only what start() started; safe after a start that failed half-way. */
  async stop(): Promise<void> {
    const child = this.hub;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const pid = child.pid;
      const kill = (signal: NodeJS.Signals): void => {
        try {
          process.kill(-pid, signal);
        } catch {
          // the group is gone already
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    const jwks = this.jwks;
    if (jwks !== undefined) {
      jwks.closeAllConnections();
      await new Promise((resolve) => jwks.close(resolve));
    }
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitForHealth(deadline: number): Promise<void> {
    for (;;) {
      const hub = this.hub;
      if (hub === undefined || hub.exitCode !== null || hub.signalCode !== null) {
        throw new Error(`jupyterhub exited (${hub?.exitCode ?? hub?.signalCode}):\n${this.log}`);
      }
      try {
        if ((await fetch(`${this.base}/hub/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(`jupyterhub did not answer /hub/health within 30 s:\n${this.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * One request as a browser makes it, through node:http: fetch may not send Sec-Fetch-Mode (a
   * forbidden header; it says "cors" itself), and JupyterHub 4+ sets its _xsrf cookie only on
   * navigation, which is what a page load or a form submission is.
   */
  async request(path: string, init: RequestInit = {}): Promise<Answer> {
    const body = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
    const headers: Record<string, string> = { 'sec-fetch-mode': 'navigate' };
    if (init.assertion !== undefined) headers[HEADER] = init.assertion;
    if (init.cookie !== undefined) headers.cookie = init.cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(`${this.base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
      });
      req.once('response', resolve).once('error', reject);
      req.end(body);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return {
      status: res.statusCode ?? 0,
      location: res.headers.location ?? null,
      // The error page HTML-escapes the message's quotes.
      body: Buffer.concat(chunks)
        .toString('utf8')
        .replace(/&#39;/g, "'")
        .replace(/&#34;|&quot;/g, '"'),
      cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0] ?? ''),
    };
  }

  /**
   * A browser session as JupyterHub gives one: log in through IAP at /hub/login, then load a page
   * (/hub/home), which sets the _xsrf cookie that JupyterHub 4+ wants back with every POST. An
   * anonymous client gets no _xsrf at all here: with the IAP authenticator no page renders for it.
   */
  async session(assertion: string): Promise<{ cookies: Map<string, string>; xsrf: string | undefined }> {
    const cookies = new Map<string, string>();
    const keep = (answer: Answer): void => {
      for (const c of answer.cookies) {
        const eq = c.indexOf('=');
        cookies.set(c.slice(0, eq), c.slice(eq + 1));
      }
    };
    const login = await this.request('/hub/login', { assertion });
    expect(login.status).toBe(302);
    keep(login);
    const home = await this.request('/hub/home', { assertion, cookie: cookieHeader(cookies) });
    expect(home.status).toBe(200);
    keep(home);
    const xsrf = cookies.get('_xsrf');
    if (xsrf === undefined && !this.install.version.startsWith('3.')) {
      throw new Error(`JupyterHub ${this.install.version} set no _xsrf cookie on /hub/home`);
    }
    return { cookies, xsrf };
  }

  /** Posts the login form from a session, with its cookies and _xsrf token, as a browser does. */
  async postLogin(
    session: { cookies: Map<string, string>; xsrf: string | undefined },
    form: Record<string, string>,
    assertion?: string,
  ): Promise<Answer> {
    return this.request('/hub/login', {
      ...(assertion === undefined ? {} : { assertion }),
      cookie: cookieHeader(session.cookies),
      form: session.xsrf === undefined ? form : { ...form, _xsrf: session.xsrf },
    });
  }

  /** Names of the users the hub has: only a login creates one. */
  async users(): Promise<string[]> {
    return Object.keys(await this.admins()).sort();
  }

  /** Every user the hub has, with whether the hub holds them an admin. */
  async admins(): Promise<Record<string, boolean>> {
    const res = await fetch(`${this.base}/hub/api/users`, {
      headers: { authorization: `token ${this.apiToken}` },
    });
    expect(res.status).toBe(200);
    const users = (await res.json()) as { name: string; admin: boolean }[];
    return Object.fromEntries(
      users.sort((a, b) => a.name.localeCompare(b.name)).map((u) => [u.name, u.admin]),
    );
  }
}

const cookieHeader = (cookies: Map<string, string>): string =>
  [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

const REFUSALS: Array<[string, number, string | RegExp, () => string | undefined]> = [
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
    () => es256(iapKey.privateKey, iapClaims({ aud: `/projects/${PROJECT_NUMBER}/global/backendServices/` })),
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
];

/**
 * Defines every case for one installation (skipped when it is missing); returns how many tests it
 * defined, so the notice can say how many did not run.
 */
function defineHubSuite(title: string, short: string, install: HubInstall | undefined): number {
  let count = 0;
  const test = (name: string, fn: () => Promise<void> | void): void => {
    count += 1;
    it(name, fn);
  };
  (install === undefined ? describe.skip : describe)(title, () => {
    let hub: HubUnderTest;
    if (install !== undefined) {
      beforeAll(async () => {
        hub = new HubUnderTest(install);
        await hub.start();
      }, 45_000);
      afterAll(async () => {
        await hub?.stop();
      }, 15_000);
    }

    test(`${short}: answers the load balancer health check without an assertion`, async () => {
      expect((await hub.request('/hub/health')).status).toBe(200);
    });

    for (const [what, status, message, assertion] of REFUSALS) {
      test(`${short}: refuses ${what} with ${status} and logs nobody in`, async () => {
        const token = assertion();
        const res = await hub.request('/hub/login', token === undefined ? {} : { assertion: token });
        expect(res.status).toBe(status);
        expect(res.body).toMatch(message);
        expect(res.cookies.filter((c) => c.startsWith('jupyterhub-hub-login='))).toEqual([]);
        expect(await hub.users()).not.toContain('ana@example.org');
      });
    }

    test(`${short}: logs in from a valid assertion as the lowercased email, straight from /hub/login`, async () => {
      const res = await hub.request('/hub/login', {
        assertion: es256(iapKey.privateKey, iapClaims({ email: 'Ana@Example.ORG' })),
      });
      expect(res.status).toBe(302);
      expect(res.cookies.some((c) => c.startsWith('jupyterhub-hub-login='))).toBe(true);
      expect(await hub.users()).toEqual(['ana@example.org']);
      expect(hub.log).toContain('User logged in: ana@example.org');
    });

    test(`${short}: never falls back to a login form: a session posting a username and password without the header is refused`, async () => {
      const session = await hub.session(es256(iapKey.privateKey, iapClaims()));
      const res = await hub.postLogin(session, { username: 'admin', password: 'admin' });
      // The authenticator refused it (its message), not the hub's _xsrf check.
      expect(res.status).toBe(401);
      expect(res.body).toContain('no x-goog-iap-jwt-assertion header');
      expect(res.body).not.toContain('name="password"');
      expect(res.cookies.filter((c) => c.startsWith('jupyterhub-hub-login='))).toEqual([]);
      expect(await hub.users()).toEqual(['ana@example.org']);
    });

    test(`${short}: ignores a posted username: the header decides who logs in`, async () => {
      const session = await hub.session(es256(iapKey.privateKey, iapClaims()));
      const res = await hub.postLogin(
        session,
        { username: 'admin', password: 'x' },
        es256(iapKey.privateKey, iapClaims({ email: 'carol@example.org' })),
      );
      expect(res.status).toBe(302);
      expect(await hub.users()).toEqual(['ana@example.org', 'carol@example.org']);
      expect(hub.log).toContain('User logged in: carol@example.org');
    });

    test(`${short}: ends a session when IAP vouches for someone else than the cookie's user`, async () => {
      const login = await hub.request('/hub/login', { assertion: es256(iapKey.privateKey, iapClaims()) });
      const cookie = login.cookies.join('; ');
      const asAna = es256(iapKey.privateKey, iapClaims());
      const asBob = es256(iapKey.privateKey, iapClaims({ email: 'bob@example.org' }));
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past auth_refresh_age
      expect((await hub.request('/hub/home', { cookie, assertion: asAna })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const switched = await hub.request('/hub/home', { cookie, assertion: asBob });
      expect(switched.status).toBe(302);
      expect(switched.location).toMatch(/^\/hub\/login/);
      // and the next login is Bob's own
      const relogin = await hub.request('/hub/login', { cookie, assertion: asBob });
      expect(relogin.status).toBe(302);
      expect(await hub.users()).toEqual(['ana@example.org', 'bob@example.org', 'carol@example.org']);
    });

    test(`${short}: fetched the key set once for all of the above (cached; unknown kids do not refetch within a minute)`, () => {
      expect(hub.jwksFetches).toBe(1);
    });

    // A second hub whose file names admins and allowed domains (iap.admins, iap.allowedDomains).
    describe('with iap.admins and iap.allowedDomains', () => {
      let signIn: HubUnderTest;
      if (install !== undefined) {
        beforeAll(async () => {
          signIn = new HubUnderTest(install, SIGN_IN_HUB);
          await signIn.start();
        }, 45_000);
        afterAll(async () => {
          await signIn?.stop();
        }, 15_000);
      }
      const as = (email: string): string => es256(iapKey.privateKey, iapClaims({ email }));

      test(`${short}: an admin named in iap.admins (in any case) is a JupyterHub admin and sees /hub/admin`, async () => {
        const session = await signIn.session(as('Ana@Example.org'));
        const page = await signIn.request('/hub/admin', {
          assertion: as('ana@example.org'),
          cookie: cookieHeader(session.cookies),
        });
        expect(page.status).toBe(200);
        expect((await signIn.admins())['ana@example.org']).toBe(true);
      });

      test(`${short}: a user not in iap.admins is no admin and gets 403 at /hub/admin`, async () => {
        const session = await signIn.session(as('bob@example.org'));
        const page = await signIn.request('/hub/admin', {
          assertion: as('bob@example.org'),
          cookie: cookieHeader(session.cookies),
        });
        expect(page.status).toBe(403);
        expect((await signIn.admins())['bob@example.org']).toBe(false);
      });

      for (const email of ['eve@elsewhere.net', 'eve@lab.example.org', 'eve@example.org.evil.net']) {
        test(`${short}: refuses ${email} with 403 and a log line naming the allowed domains`, async () => {
          const res = await signIn.request('/hub/login', { assertion: as(email) });
          const message = `${email} is not in a domain this hub allows (example.org)`;
          expect(res.status).toBe(403);
          expect(res.body).toContain(message);
          expect(res.cookies.filter((c) => c.startsWith('jupyterhub-hub-login='))).toEqual([]);
          expect(signIn.log).toContain(`IAP login refused (403): ${message}`);
          expect(await signIn.users()).not.toContain(email);
        });
      }

      test(`${short}: a.b@example.org and a_b@example.org are two users, neither of them admin`, async () => {
        for (const email of ['a.b@example.org', 'a_b@example.org']) {
          expect((await signIn.request('/hub/login', { assertion: as(email) })).status).toBe(302);
        }
        expect(await signIn.admins()).toEqual({
          'a.b@example.org': false,
          'a_b@example.org': false,
          'ana@example.org': true,
          'bob@example.org': false,
        });
      });
    });
  });

  // After recreate-cert the Ingress has a new backend service (ingress-gce GC, decision 0023) and
  // the release is re-pinned to it: the values below are what the re-pin renders (the same path,
  // test/actions/deploy-hub-audience.test.ts and recreate-cert.test.ts check it is the live one).
  // A login with IAP's assertion for the new backend works; one for the old backend is refused.
  (install === undefined ? describe.skip : describe)(`${title}, re-pinned to a new backend service`, () => {
    const oldBackend = `/projects/${PROJECT_NUMBER}/global/backendServices/1111111111111111111`;
    const newBackend = `/projects/${PROJECT_NUMBER}/global/backendServices/2222222222222222222`;
    let hub: HubUnderTest;
    if (install !== undefined) {
      beforeAll(async () => {
        hub = new HubUnderTest(install, gcpBasehub, newBackend);
        await hub.start();
      }, 45_000);
      afterAll(async () => {
        await hub?.stop();
      }, 15_000);
    }

    test(`${short}: logs in with the assertion IAP signs for the new backend, and refuses the old backend's`, async () => {
      const stale = await hub.request('/hub/login', {
        assertion: es256(iapKey.privateKey, iapClaims({ aud: oldBackend })),
      });
      expect(stale.status).toBe(403);
      expect(stale.body).toContain(
        `IAP assertion is for '${oldBackend}', not this hub's backend '${newBackend}'`,
      );
      const fresh = await hub.request('/hub/login', {
        assertion: es256(iapKey.privateKey, iapClaims({ aud: newBackend })),
      });
      expect(fresh.status).toBe(302);
      expect(await hub.users()).toEqual(['ana@example.org']);
    });
  });
  return count;
}

/** The test hub with sign-in settings: Ana is its admin, and only example.org comes in. */
const SIGN_IN_HUB: LoadedHub = {
  ...gcpBasehub,
  config: {
    ...gcpBasehub.config,
    iap: {
      members: ['domain:example.org'],
      oauthClient: 'google-managed',
      admins: ['Ana@Example.org'],
      allowedDomains: ['example.org'],
    },
  },
};

function notice(missing: readonly MissingInstall[], notRun: number, total: number): string {
  return [
    `${notRun} of the ${total} real-JupyterHub tests in test/iap-authenticator did not run:`,
    ...missing.flatMap((m) => [`  - ${m.name}: ${m.why}`, `    install it with: ${m.install}`]),
    'CI runs them all: .ci/run installs both, and with CI=true a missing one fails the run.',
  ].join('\n');
}

const detected: Detected[] = [detectPathInstall(), detectTrixieRoot()];
let total = 0;
let notRun = 0;
for (const d of detected) {
  if (d.found) {
    total += defineHubSuite(
      `IAP authenticator in ${d.install.title}`,
      `JupyterHub ${d.install.version}`,
      d.install,
    );
  } else {
    const count = defineHubSuite(
      `IAP authenticator in ${d.missing.name} (not installed)`,
      d.missing.short,
      undefined,
    );
    total += count;
    notRun += count;
  }
}
const missing = detected.flatMap((d) => (d.found ? [] : [d.missing]));
if (missing.length > 0) {
  const text = notice(missing, notRun, total);
  if (inCI()) {
    // One failure, not one per test: the cause is one missing installation.
    describe('JupyterHub installations for the IAP authenticator test', () => {
      it('are all present (CI=true)', () => {
        const error = new Error(text);
        error.stack = text; // the message is the whole story; a code frame here would only mislead
        throw error;
      });
    });
  } else {
    // Straight to stderr, once, when the suite loads: console.warn would add a misleading code frame.
    process.stderr.write(`\n\u26a0 NOTICE (test/iap-authenticator): ${text}\n\n`);
  }
}
