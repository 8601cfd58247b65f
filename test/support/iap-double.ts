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
// - plain HTTP: the FrontendConfig's redirect answers 301 to https;
// - a hub with a `backend` URL is a real one: admitted requests are proxied to it, WebSocket
//   upgrades included (IAP applies the same check to the upgrade request: "IAP supports
//   WebSockets", IAP concepts overview). The Proxy-Authorization header is consumed by IAP and the
//   Authorization header passes to the application untouched (Programmatic authentication:
//   "Authenticating with a Proxy-Authorization header"), which is how a client sends IAP one token
//   and JupyterHub another.
import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
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
  /** A real hub (http://127.0.0.1:PORT) to proxy admitted requests to, instead of the stand-in. */
  backend?: string;
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
  const backends = new Map(
    options.hubs.flatMap((h) => (h.backend === undefined ? [] : [[h.domain, new URL(h.backend)] as const])),
  );
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
    assertIdentity(req, email);
    const backend = backends.get(hostOf(req));
    if (backend !== undefined) {
      proxy(req, res, backend);
      return;
    }
    hub(req, res, email);
  }

  /** What IAP hands the backend; the hub (decision 0004) trusts only the signed assertion. */
  function assertIdentity(req: IncomingMessage, email: string | undefined): void {
    arrivedWith.set(req, credentialOf(req));
    delete req.headers['proxy-authorization'];
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
  }

  function proxy(req: IncomingMessage, res: ServerResponse, backend: URL): void {
    const upstream = httpRequest(
      {
        host: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Server Error</body></html>');
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  /** A WebSocket upgrade, admitted as any request is, then spliced to the backend byte for byte. */
  function upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const decision = admit(req);
    const backend = backends.get(hostOf(req));
    const refuse = (status: number, text: string): void => {
      record(req, 'https', status);
      socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
    };
    if (decision.kind === 'answer') return refuse(decision.status, 'Refused');
    if (backend === undefined || switches.hub === 'down') return refuse(502, 'Bad Gateway');
    assertIdentity(req, decision.email);
    record(req, 'https', 101);
    const upstream = netConnect(Number(backend.port), backend.hostname, () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i] ?? '';
        if (/^(proxy-authorization|x-goog-iap-jwt-assertion|x-goog-authenticated-user-email)$/i.test(name))
          continue;
        lines.push(`${name}: ${req.rawHeaders[i + 1] ?? ''}`);
      }
      for (const name of ['x-goog-iap-jwt-assertion', 'x-goog-authenticated-user-email']) {
        const value = req.headers[name];
        if (typeof value === 'string') lines.push(`${name}: ${value}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = (): void => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', close);
    socket.on('close', close);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  }

  const credentialOf = (req: IncomingMessage): GatewayRequest['credential'] =>
    req.headers['proxy-authorization'] !== undefined
      ? 'proxy-authorization'
      : req.headers.authorization !== undefined
        ? 'authorization'
        : 'none';

  function record(req: IncomingMessage, scheme: 'https' | 'http', status: number): void {
    const socket = req.socket as Partial<TLSSocket>;
    const entry: GatewayRequest = {
      scheme,
      host: req.headers.host ?? '',
      path: req.url ?? '',
      // What the client sent, even when IAP consumed it (assertIdentity) before the answer.
      credential: arrivedWith.get(req) ?? credentialOf(req),
      xhr: req.headers['x-requested-with'] === 'XMLHttpRequest',
      status,
    };
    if (typeof socket.servername === 'string') entry.sni = socket.servername;
    requests.push(entry);
  }

  const bearer = (value: string | undefined): string | undefined =>
    /^Bearer\s+(\S+)$/i.exec(value ?? '')?.[1];

  const hostOf = (req: IncomingMessage): string => (req.headers.host ?? '').replace(/:\d+$/, '');
  const sockets = new Set<Socket>();
  const arrivedWith = new WeakMap<IncomingMessage, GatewayRequest['credential']>();

  type Admission =
    | { kind: 'forward'; email: string | undefined }
    | { kind: 'answer'; status: number; headers: Record<string, string>; body: string; hang?: true };

  /** IAP's decision for one request (the behaviour table above). */
  function admit(req: IncomingMessage): Admission {
    const host = hostOf(req);
    const html = { 'content-type': 'text/html' };
    if (switches.failFirst > 0) {
      switches.failFirst -= 1;
      // hang: never answers; the client's timeout ends it
      return switches.failMode === 'hang'
        ? { kind: 'answer', status: 0, headers: {}, body: '', hang: true }
        : {
            kind: 'answer',
            status: 503,
            headers: html,
            body: '<html><body>503 Service Unavailable</body></html>',
          };
    }
    if (!domains.has(host)) {
      return {
        kind: 'answer',
        status: 404,
        headers: html,
        body: '<html><body>default backend - 404</body></html>',
      };
    }
    if (switches.iap === 'disabled' || withoutIap.has(host)) return { kind: 'forward', email: undefined };
    const token = bearer(req.headers['proxy-authorization']) ?? bearer(req.headers.authorization);
    if (token === undefined) {
      if (req.headers['x-requested-with'] === 'XMLHttpRequest') {
        return { kind: 'answer', status: 401, headers: html, body: 'Invalid IAP credentials: empty token' };
      }
      const redirect = new URL('https://accounts.google.com/o/oauth2/v2/auth');
      redirect.searchParams.set('client_id', clientId);
      redirect.searchParams.set('response_type', 'code');
      redirect.searchParams.set('scope', 'openid email');
      redirect.searchParams.set('redirect_uri', `https://${host}/_gcp_gatekeeper/authenticate`);
      redirect.searchParams.set('state', randomBytes(12).toString('hex'));
      return {
        kind: 'answer',
        status: 302,
        headers: {
          location: redirect.toString(),
          'set-cookie': `GCP_IAP_XSRF_NONCE_${randomBytes(6).toString('hex')}=1; expires=Wed, 02 Dec 2026 05:00:00 GMT; path=/; Secure; HttpOnly`,
        },
        body: '',
      };
    }
    const check = checkToken(token);
    if (!check.ok) {
      return { kind: 'answer', status: 401, headers: html, body: `Invalid IAP credentials: ${check.why}` };
    }
    if (!check.allowed) return { kind: 'answer', status: 403, headers: html, body: "You don't have access" };
    return { kind: 'forward', email: check.email };
  }

  function gateway(req: IncomingMessage, res: ServerResponse): void {
    res.on('finish', () => record(req, 'https', res.statusCode));
    // A streamed answer the client stopped reading (server-sent events) never finishes.
    res.on('close', () => {
      if (!res.writableFinished && res.headersSent) record(req, 'https', res.statusCode);
    });
    const decision = admit(req);
    if (decision.kind === 'forward') {
      forward(req, res, decision.email);
      return;
    }
    if (decision.hang === true) return;
    res.writeHead(decision.status, decision.headers).end(decision.body);
  }

  const httpsServer = createHttpsServer(
    { SNICallback: (_name, cb) => cb(null, contexts[switches.certificate]) },
    gateway,
  );
  httpsServer.on('upgrade', upgrade);
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
      for (const socket of sockets) socket.destroy();
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
