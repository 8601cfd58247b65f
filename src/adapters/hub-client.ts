// The adapter a hub health check speaks through: JupyterHub's REST API and a user server's
// Jupyter Server API over HTTPS (through IAP on GKE), its server-sent progress events, and the
// kernel WebSocket. Every request carries the same headers (IAP's `Proxy-Authorization: Bearer
// <ID token>`, JupyterHub's `Authorization: token <service token>`); they are added here and go
// nowhere else. Like http.ts, a connect-to resolver sends the TCP connection elsewhere while SNI,
// Host and the certificate check keep the hub's domain.
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import { defaultPort, type ConnectToResolver } from './http.js';

export interface HubConnection {
  /** `https://<domain>` (or http:// for a test). */
  baseUrl: string;
  /** Sent with every request and WebSocket upgrade. */
  headers: Readonly<Record<string, string>>;
  connectTo?: ConnectToResolver;
  /** Trusted CAs replacing node's default store; leave unset outside tests (see http.ts). */
  ca?: string;
}

export interface HubAnswer {
  status: number;
  /** At most MAX_BODY bytes, as UTF-8. */
  body: string;
}

/** A network failure (no HTTP answer at all); HTTP errors are answers, not this. */
export class HubUnreachable extends Error {}

const MAX_BODY = 64 * 1024;

interface Target {
  url: URL;
  secure: boolean;
  host: string;
  port: number;
  connect: { host: string; port: number };
}

function target(conn: HubConnection, path: string, ws = false): Target {
  const url = new URL(path, conn.baseUrl);
  const secure = url.protocol === 'https:';
  if (ws) url.protocol = secure ? 'wss:' : 'ws:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? defaultPort(secure ? 'https:' : 'http:') : Number(url.port);
  return { url, secure, host, port, connect: conn.connectTo?.(host, port) ?? { host, port } };
}

function tlsOptions(conn: HubConnection, t: Target): https.RequestOptions {
  return {
    ...(net.isIP(t.host) === 0 ? { servername: t.host } : {}),
    checkServerIdentity: (_name, cert) => checkServerIdentity(t.host, cert),
    ...(conn.ca === undefined ? {} : { ca: [conn.ca] }),
  };
}

function openRequest(
  conn: HubConnection,
  method: string,
  path: string,
  body: string | undefined,
  timeoutMs: number,
  onResponse: (response: http.IncomingMessage, done: (error?: Error) => void) => void,
): Promise<void> {
  const t = target(conn, path);
  const headers: Record<string, string> = {
    host: t.url.host,
    accept: 'application/json',
    ...conn.headers,
  };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const done = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const options: https.RequestOptions = {
      method,
      host: t.connect.host,
      port: t.connect.port,
      path: `${t.url.pathname}${t.url.search}`,
      headers,
      agent: false,
      ...(t.secure ? tlsOptions(conn, t) : {}),
    };
    const request = (t.secure ? https : http).request(options, (response) => onResponse(response, done));
    const timer = setTimeout(
      () => done(new HubUnreachable(`${method} ${t.url.pathname}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('error', (error) => done(new HubUnreachable(`${method} ${t.url.pathname}: ${error.message}`)));
    request.end(body);
  });
}

/** One request; resolves with any HTTP answer, rejects (HubUnreachable) only when there is none. */
export async function hubRequest(
  conn: HubConnection,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  opts: { body?: unknown; timeoutMs: number },
): Promise<HubAnswer> {
  let answer: HubAnswer = { status: 0, body: '' };
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  await openRequest(conn, method, path, body, opts.timeoutMs, (response, done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size >= MAX_BODY) return;
      chunks.push(chunk.subarray(0, MAX_BODY - size));
      size += chunk.length;
    });
    response.on('end', () => {
      answer = { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
      done();
    });
    response.on('error', (error) => done(new HubUnreachable(error.message)));
  });
  return answer;
}

export type StreamEnd =
  { kind: 'stopped' } | { kind: 'ended' } | { kind: 'status'; status: number; body: string };

/**
 * Reads a server-sent event stream (JupyterHub's spawn progress), handing each event's `data:` to
 * `onEvent` until it returns true (stop), the stream ends, or `timeoutMs` passes (HubUnreachable).
 */
export async function readEventStream(
  conn: HubConnection,
  path: string,
  opts: { timeoutMs: number; onEvent: (data: string) => boolean },
): Promise<StreamEnd> {
  let end: StreamEnd = { kind: 'ended' };
  await openRequest(conn, 'GET', path, undefined, opts.timeoutMs, (response, done) => {
    if (response.statusCode !== 200) {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        end = {
          kind: 'status',
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8').slice(0, 2000),
        };
        done();
      });
      return;
    }
    let buffered = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffered += chunk;
      // Events are separated by a blank line; each `data:` line of one event is joined by \n.
      for (let cut = buffered.search(/\r?\n\r?\n/); cut >= 0; cut = buffered.search(/\r?\n\r?\n/)) {
        const event = buffered.slice(0, cut);
        buffered = buffered.slice(cut).replace(/^\r?\n\r?\n/, '');
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data !== '' && opts.onEvent(data)) {
          end = { kind: 'stopped' };
          done();
          return;
        }
      }
    });
    response.on('end', () => done());
    response.on('error', (error) => done(new HubUnreachable(error.message)));
  });
  return end;
}

/**
 * Opens a WebSocket (the kernel channels) with the connection's headers: node's built-in
 * WebSocket follows the browser API, which cannot set headers, so IAP and JupyterHub would turn it
 * away. Rejects with the upgrade's HTTP status when the server refuses it.
 */
export function openHubWebSocket(conn: HubConnection, path: string, timeoutMs: number): Promise<WebSocket> {
  const t = target(conn, path, true);
  return new Promise<WebSocket>((resolve, reject) => {
    // ws hands these options to https.request and tls.connect (its types narrow them too far).
    const options: Record<string, unknown> = {
      headers: { ...conn.headers },
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      ...(t.secure ? tlsOptions(conn, t) : {}),
      // connect-to: the TCP (and TLS) connection goes to the mapped address; SNI and the name
      // check stay on the hub's domain (tlsOptions).
      createConnection: (options: https.RequestOptions) =>
        t.secure
          ? tlsConnect({ ...(options as object), host: t.connect.host, port: t.connect.port })
          : net.connect({ host: t.connect.host, port: t.connect.port }),
    };
    const socket = new WebSocket(t.url, options);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, response: http.IncomingMessage) => {
      socket.terminate();
      reject(new HubUnreachable(`WebSocket upgrade refused: HTTP ${response.statusCode ?? 0}`));
    });
    socket.once('error', (error) => reject(new HubUnreachable(`WebSocket: ${error.message}`)));
  });
}
