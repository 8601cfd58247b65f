// An IAP gateway double: a local HTTPS load balancer with Identity-Aware Proxy in front of a tiny
// JupyterHub stand-in, plus the plain-HTTP frontend next to it. Switches turn it into each broken
// setup smoke-iap must catch.
//
// The contract it copies (Google Cloud IAP docs: "Programmatic authentication", "Securing your app
// with signed headers", "Authenticating from a service account"; design §6):
// - no credentials, browser: 302 to https://accounts.google.com/o/oauth2/v2/auth?… and an
//   HttpOnly GCP_IAP_XSRF_NONCE cookie;
// - no credentials, `X-Requested-With: XMLHttpRequest`: 401;
// - `Authorization: Bearer <id token>` or `Proxy-Authorization: Bearer <id token>` (the latter wins
//   when both are present): the token must be a Google-signed OpenID Connect ID token (here: signed
//   by this double's "Google" key) with `aud` = the IAP OAuth client id, unexpired, issued by
//   accounts.google.com; otherwise 401. A valid token of an identity without
//   roles/iap.httpsResourceAccessor: 403. With the role: the request goes to the backend with
//   `x-goog-iap-jwt-assertion` (ES256, iss https://cloud.google.com/iap) and
//   `x-goog-authenticated-user-email: accounts.google.com:<email>`;
// - the backend answers 502 when it is down (GCLB: no healthy upstream);
// - plain HTTP: the FrontendConfig's redirect answers 301 to https.
import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import type { KubeObject } from '../../src/render/manifests.js';
import type { TestCa } from './openssl-certs.js';

export interface IapSwitches {
  /** disabled: the load balancer forwards everything to the hub (no IAP at all). */
  iap: 'enforced' | 'disabled';
  /** any-accepted: any well-formed JWT passes as the allowed identity; wrong-audience-accepted: aud is not checked. */
  tokens: 'verified' | 'any-accepted' | 'wrong-audience-accepted';
  /** redirect: 301 to https; content: plain HTTP reaches the hub; closed: connections are dropped. */
  plainHttp: 'redirect' | 'content' | 'closed';
  /** Written to the Kubernetes API double (when one is given) for every hub namespace. */
  proxyPublic: 'NodePort' | 'LoadBalancer';
  hub: 'up' | 'down';
  /** The next `failFirst` HTTPS requests get `failMode` before anything else (a hub still starting). */
  failFirst: number;
  failMode: 'unavailable' | 'hang';
  certificate: 'valid' | 'wrong-name';
  /** The hub stand-in's own login: required (JupyterHub with an authenticator) or open (none). */
  hubLogin: 'required' | 'open';
}

export const SOUND: IapSwitches = {
  iap: 'enforced',
  tokens: 'verified',
  plainHttp: 'redirect',
  proxyPublic: 'NodePort',
  hub: 'up',
  failFirst: 0,
  failMode: 'unavailable',
  certificate: 'valid',
  hubLogin: 'required',
};

export interface DoubleHub {
  domain: string;
  namespace: string;
  /** false: an EKS-style hub behind a plain load balancer (ALB), no IAP in front. Default true. */
  iap?: boolean;
}

export interface IapDoubleOptions {
  ca: TestCa;
  hubs: readonly DoubleHub[];
  /** Identities (emails) holding roles/iap.httpsResourceAccessor. */
  allowed: readonly string[];
  clientId?: string;
  /** The Kubernetes API double, for the proxy-public Service. */
  kube?: { put(object: KubeObject): void };
  switches?: Partial<IapSwitches>;
}

export interface GatewayRequest {
  scheme: 'https' | 'http';
  host: string;
  sni?: string;
  path: string;
  credential: 'none' | 'authorization' | 'proxy-authorization';
  xhr: boolean;
  status: number;
}

export interface IapDouble {
  httpsPort: number;
  httpPort: number;
  clientId: string;
  /** connect-to lines (curl form) sending every hub domain to this double. */
  connectTo: string;
  requests: GatewayRequest[];
  switches: Readonly<IapSwitches>;
  set(changes: Partial<IapSwitches>): void;
  /** An ID token as Google would sign it for `email`; `aud` defaults to the client id. */
  mintIdToken(email: string, opts?: { aud?: string; expiresInSeconds?: number; kid?: string }): string;
  close(): Promise<void>;
}

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function signJwt(header: object, payload: object, key: KeyObject): string {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`;
}

type TokenCheck = { ok: true; email: string; allowed: boolean } | { ok: false; why: string };

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function startIapDouble(options: IapDoubleOptions): Promise<IapDouble> {
  const switches: IapSwitches = { ...SOUND, ...options.switches };
  const clientId = options.clientId ?? `${randomBytes(6).toString('hex')}-iap.apps.googleusercontent.com`;
  const google = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const googleKid = randomBytes(8).toString('hex');
  const iapKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const allowed = new Set(options.allowed.map((e) => e.toLowerCase()));
  const domains = new Set(options.hubs.map((h) => h.domain));
  const withoutIap = new Set(options.hubs.filter((h) => h.iap === false).map((h) => h.domain));
  const requests: GatewayRequest[] = [];

  const good = await options.ca.issue([...domains]);
  const wrong = await options.ca.issue(['wrong-name.invalid']);
  const contexts: Record<IapSwitches['certificate'], SecureContext> = {
    valid: createSecureContext({ cert: good.certPem, key: good.keyPem }),
    'wrong-name': createSecureContext({ cert: wrong.certPem, key: wrong.keyPem }),
  };

  function checkToken(token: string): TokenCheck {
    const parts = token.split('.');
    const header = decodePart(parts[0]);
    const payload = decodePart(parts[1]);
    if (parts.length !== 3 || header === undefined || payload === undefined)
      return { ok: false, why: 'Unable to parse JWT' };
    const email = typeof payload['email'] === 'string' ? payload['email'].toLowerCase() : '';
    if (switches.tokens === 'any-accepted') return { ok: true, email, allowed: true };
    if (header['alg'] !== 'ES256' || header['kid'] !== googleKid)
      return { ok: false, why: 'Invalid JWT signature key' };
    const signed = verify(
      'sha256',
      Buffer.from(`${parts[0] ?? ''}.${parts[1] ?? ''}`),
      { key: google.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(parts[2] ?? '', 'base64url'),
    );
    if (!signed) return { ok: false, why: 'Invalid JWT signature' };
    if (payload['iss'] !== 'https://accounts.google.com' && payload['iss'] !== 'accounts.google.com') {
      return { ok: false, why: 'Invalid JWT issuer' };
    }
    if (switches.tokens !== 'wrong-audience-accepted' && payload['aud'] !== clientId) {
      return { ok: false, why: 'Expected JWT to have audience ' + clientId };
    }
    const exp = payload['exp'];
    if (typeof exp !== 'number' || exp * 1000 <= Date.now()) return { ok: false, why: 'JWT has expired' };
    if (email === '') return { ok: false, why: 'JWT has no email claim' };
    return { ok: true, email, allowed: allowed.has(email) };
  }

  // The hub stand-in: JupyterHub's public health check, its login redirect and its REST API refusal.
  function hub(req: IncomingMessage, res: ServerResponse, iapEmail: string | undefined): void {
    const path = req.url ?? '/';
    if (path === '/hub/health' || path.startsWith('/hub/health?')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('');
      return;
    }
    if (iapEmail !== undefined || switches.hubLogin === 'open') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>JupyterHub home</body></html>');
      return;
    }
    if (path.startsWith('/hub/api/')) {
      res
        .writeHead(403, { 'content-type': 'application/json' })
        .end('{"status":403,"message":"Missing or invalid credentials."}');
      return;
    }
    if (path.startsWith('/hub/login')) {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Sign in with GitHub</body></html>');
      return;
    }
    res.writeHead(302, { location: `/hub/login?next=${encodeURIComponent(path)}` }).end();
  }

  function forward(req: IncomingMessage, res: ServerResponse, email: string | undefined): void {
    if (switches.hub === 'down') {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Server Error</body></html>');
      return;
    }
    if (email !== undefined) {
      const now = Math.floor(Date.now() / 1000);
      // What IAP hands the backend; the hub (decision 0004) trusts only this.
      req.headers['x-goog-iap-jwt-assertion'] = signJwt(
        { alg: 'ES256', typ: 'JWT', kid: 'iap-double' },
        {
          iss: 'https://cloud.google.com/iap',
          aud: '/projects/1/global/backendServices/2',
          email,
          sub: email,
          iat: now,
          exp: now + 600,
        },
        iapKey.privateKey,
      );
      req.headers['x-goog-authenticated-user-email'] = `accounts.google.com:${email}`;
    }
    hub(req, res, email);
  }

  function record(req: IncomingMessage, scheme: 'https' | 'http', status: number): void {
    const socket = req.socket as Partial<TLSSocket>;
    const entry: GatewayRequest = {
      scheme,
      host: req.headers.host ?? '',
      path: req.url ?? '',
      credential:
        req.headers['proxy-authorization'] !== undefined
          ? 'proxy-authorization'
          : req.headers.authorization !== undefined
            ? 'authorization'
            : 'none',
      xhr: req.headers['x-requested-with'] === 'XMLHttpRequest',
      status,
    };
    if (typeof socket.servername === 'string') entry.sni = socket.servername;
    requests.push(entry);
  }

  const bearer = (value: string | undefined): string | undefined =>
    /^Bearer\s+(\S+)$/i.exec(value ?? '')?.[1];

  function gateway(req: IncomingMessage, res: ServerResponse): void {
    res.on('finish', () => record(req, 'https', res.statusCode));
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (switches.failFirst > 0) {
      switches.failFirst -= 1;
      if (switches.failMode === 'hang') return; // never answers; the client's timeout ends it
      res
        .writeHead(503, { 'content-type': 'text/html' })
        .end('<html><body>503 Service Unavailable</body></html>');
      return;
    }
    if (!domains.has(host)) {
      res
        .writeHead(404, { 'content-type': 'text/html' })
        .end('<html><body>default backend - 404</body></html>');
      return;
    }
    if (switches.iap === 'disabled' || withoutIap.has(host)) {
      forward(req, res, undefined);
      return;
    }
    const token = bearer(req.headers['proxy-authorization']) ?? bearer(req.headers.authorization);
    if (token === undefined) {
      if (req.headers['x-requested-with'] === 'XMLHttpRequest') {
        res.writeHead(401, { 'content-type': 'text/html' }).end('Invalid IAP credentials: empty token');
        return;
      }
      const redirect = new URL('https://accounts.google.com/o/oauth2/v2/auth');
      redirect.searchParams.set('client_id', clientId);
      redirect.searchParams.set('response_type', 'code');
      redirect.searchParams.set('scope', 'openid email');
      redirect.searchParams.set('redirect_uri', `https://${host}/_gcp_gatekeeper/authenticate`);
      redirect.searchParams.set('state', randomBytes(12).toString('hex'));
      res
        .writeHead(302, {
          location: redirect.toString(),
          'set-cookie': `GCP_IAP_XSRF_NONCE_${randomBytes(6).toString('hex')}=1; expires=Wed, 02 Dec 2026 05:00:00 GMT; path=/; Secure; HttpOnly`,
        })
        .end();
      return;
    }
    const check = checkToken(token);
    if (!check.ok) {
      res.writeHead(401, { 'content-type': 'text/html' }).end(`Invalid IAP credentials: ${check.why}`);
      return;
    }
    if (!check.allowed) {
      res.writeHead(403, { 'content-type': 'text/html' }).end("You don't have access");
      return;
    }
    forward(req, res, check.email);
  }

  const httpsServer = createHttpsServer(
    { SNICallback: (_name, cb) => cb(null, contexts[switches.certificate]) },
    gateway,
  );
  const httpServer = createHttpServer((req, res) => {
    res.on('finish', () => record(req, 'http', res.statusCode));
    if (switches.plainHttp === 'content') {
      forward(req, res, undefined);
      return;
    }
    res
      .writeHead(301, {
        location: `https://${(req.headers.host ?? '').replace(/:\d+$/, '')}${req.url ?? '/'}`,
      })
      .end();
  });
  httpServer.on('connection', (socket) => {
    if (switches.plainHttp === 'closed') socket.destroy();
  });

  const listen = (server: Server): Promise<number> =>
    new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const httpsPort = await listen(httpsServer);
  const httpPort = await listen(httpServer);

  function putServices(): void {
    if (options.kube === undefined) return;
    for (const h of options.hubs) {
      const lb = switches.proxyPublic === 'LoadBalancer';
      options.kube.put({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'proxy-public', namespace: h.namespace },
        spec: {
          type: switches.proxyPublic,
          ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }],
        },
        status: { loadBalancer: lb ? { ingress: [{ ip: '34.120.0.7' }] } : {} },
      });
    }
  }
  putServices();

  return {
    httpsPort,
    httpPort,
    clientId,
    connectTo: options.hubs
      .flatMap((h) => [`${h.domain}:443:127.0.0.1:${httpsPort}`, `${h.domain}:80:127.0.0.1:${httpPort}`])
      .join('\n'),
    requests,
    get switches() {
      return switches;
    },
    set(changes) {
      Object.assign(switches, changes);
      if (changes.proxyPublic !== undefined) putServices();
    },
    mintIdToken(email, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(
        { alg: 'ES256', typ: 'JWT', kid: opts.kid ?? googleKid },
        {
          iss: 'https://accounts.google.com',
          aud: opts.aud ?? clientId,
          azp: email,
          sub: String(Math.abs(hashCode(email))),
          email,
          email_verified: true,
          iat: now,
          exp: now + (opts.expiresInSeconds ?? 600),
        },
        google.privateKey,
      );
    },
    async close() {
      httpsServer.closeAllConnections();
      httpServer.closeAllConnections();
      await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r))]);
    },
  };
}

function hashCode(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}
