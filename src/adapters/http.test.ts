import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createTestCa, type TestCa } from '../../test/support/openssl-certs.js';
import { parseConnectTo, resolveConnectTo } from './connect-to.js';
import { BODY_SNIPPET_BYTES, httpRequest, type ConnectToResolver } from './http.js';

let ca: TestCa;
let tlsServer: HttpsServer;
let plainServer: HttpServer;
let tlsPort: number;
let plainPort: number;
const seen: {
  host: string | undefined;
  sni: string | false | null;
  path: string | undefined;
  auth: string | undefined;
}[] = [];

const portOf = (s: HttpServer | HttpsServer): number => (s.address() as AddressInfo).port;

beforeAll(async () => {
  ca = await createTestCa();
  const leaf = await ca.issue(['hub.test']);
  tlsServer = createHttpsServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    seen.push({
      host: req.headers.host,
      sni: (req.socket as TLSSocket).servername,
      path: req.url,
      auth: req.headers['proxy-authorization'],
    });
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'https://accounts.google.com/o/oauth2/v2/auth' }).end();
    } else if (req.url === '/big') {
      res.writeHead(200);
      // Never ends: the adapter must stop after the snippet.
      res.write('x'.repeat(BODY_SNIPPET_BYTES * 3));
    } else if (req.url === '/hang') {
      // No answer at all.
    } else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  plainServer = createHttpServer((req, res) => {
    res.writeHead(301, { location: `https://${req.headers.host ?? ''}${req.url ?? ''}` }).end();
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', r));
  tlsPort = portOf(tlsServer);
  plainPort = portOf(plainServer);
});

afterAll(async () => {
  tlsServer.closeAllConnections();
  await new Promise((r) => tlsServer.close(r));
  await new Promise((r) => plainServer.close(r));
  await ca.remove();
});

const via = (text: string): ConnectToResolver => {
  const rules = parseConnectTo(text);
  return (host, port) => resolveConnectTo(rules, host, port);
};

describe('httpRequest', () => {
  it('connects to the connect-to address while SNI, Host and the certificate check use the domain', async () => {
    seen.length = 0;
    const outcome = await httpRequest({
      url: 'https://hub.test/hub/health',
      headers: { 'Proxy-Authorization': 'Bearer abc' },
      timeoutMs: 5000,
      connectTo: via(`hub.test:443:127.0.0.1:${tlsPort}`),
      ca: ca.caPem,
    });
    expect(outcome).toMatchObject({
      kind: 'response',
      status: 200,
      body: 'ok',
      connectedTo: `127.0.0.1:${tlsPort}`,
    });
    expect(seen).toEqual([{ host: 'hub.test', sni: 'hub.test', path: '/hub/health', auth: 'Bearer abc' }]);
  });

  it('does not follow redirects', async () => {
    const outcome = await httpRequest({
      url: 'https://hub.test/redirect',
      timeoutMs: 5000,
      connectTo: via(`hub.test:443:127.0.0.1:${tlsPort}`),
      ca: ca.caPem,
    });
    expect(outcome.kind === 'response' && [outcome.status, outcome.headers.location]).toEqual([
      302,
      'https://accounts.google.com/o/oauth2/v2/auth',
    ]);
  });

  it('reports a certificate that does not name the domain as a name mismatch', async () => {
    const outcome = await httpRequest({
      url: 'https://other.test/',
      timeoutMs: 5000,
      connectTo: via(`other.test:443:127.0.0.1:${tlsPort}`),
      ca: ca.caPem,
    });
    expect(outcome.kind).toBe('tls-name-mismatch');
  });

  it('reports a certificate from an unknown CA as untrusted (node default store without the test CA)', async () => {
    const outcome = await httpRequest({
      url: 'https://hub.test/',
      timeoutMs: 5000,
      connectTo: via(`hub.test:443:127.0.0.1:${tlsPort}`),
    });
    expect(outcome).toMatchObject({ kind: 'tls-untrusted', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('reads plain HTTP answers with the Host of the URL', async () => {
    const outcome = await httpRequest({
      url: 'http://hub.test/hub/health',
      timeoutMs: 5000,
      connectTo: via(`hub.test:80:127.0.0.1:${plainPort}`),
    });
    expect(outcome.kind === 'response' && [outcome.status, outcome.headers.location]).toEqual([
      301,
      'https://hub.test/hub/health',
    ]);
  });

  it('stops reading after the body snippet', async () => {
    const outcome = await httpRequest({
      url: 'https://hub.test/big',
      timeoutMs: 5000,
      connectTo: via(`hub.test:443:127.0.0.1:${tlsPort}`),
      ca: ca.caPem,
    });
    expect(outcome.kind === 'response' && outcome.body.length).toBe(BODY_SNIPPET_BYTES);
  });

  it('times out an attempt that gets no answer', async () => {
    const outcome = await httpRequest({
      url: 'https://hub.test/hang',
      timeoutMs: 300,
      connectTo: via(`hub.test:443:127.0.0.1:${tlsPort}`),
      ca: ca.caPem,
    });
    expect(outcome).toEqual({
      kind: 'timeout',
      detail: `no complete answer from 127.0.0.1:${tlsPort} within 300 ms`,
    });
  });

  it('reports a closed port as refused', async () => {
    const closed = createHttpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = portOf(closed);
    await new Promise((r) => closed.close(r));
    const outcome = await httpRequest({
      url: 'http://hub.test/',
      timeoutMs: 5000,
      connectTo: via(`hub.test:80:127.0.0.1:${port}`),
    });
    expect(outcome.kind).toBe('refused');
  });
});
