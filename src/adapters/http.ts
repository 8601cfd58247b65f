// The HTTP adapter: one request, exactly as sent, answered exactly as received. smoke-iap judges a
// hub by the raw answer, so this adapter never follows redirects, never retries (the caller owns
// the retry policy) and reports failures as data (timeout, refused, TLS name mismatch…) instead
// of throwing. A `connectTo` mapping sends the TCP connection elsewhere while SNI, the Host header
// and the certificate check keep using the URL's host, as curl's --connect-to does.
import * as http from 'node:http';
import * as https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';

/** Where to open the TCP connection for a URL's host and port; undefined keeps them. */
export type ConnectToResolver = (host: string, port: number) => { host: string; port: number } | undefined;

export interface HttpRequestOptions {
  url: string;
  method?: 'GET' | 'HEAD';
  headers?: Readonly<Record<string, string>>;
  /** Whole attempt: connect, TLS, headers and the body snippet. */
  timeoutMs: number;
  connectTo?: ConnectToResolver;
  /**
   * Replaces the trusted CAs for this request. Leave unset in production: node's default store
   * (with NODE_EXTRA_CA_CERTS) is then used, as for the default agent.
   */
  ca?: string | readonly string[];
}

/** The answer, or why there was none. Nothing here throws for a network or TLS failure. */
export type HttpOutcome =
  | {
      kind: 'response';
      status: number;
      headers: IncomingHttpHeaders;
      /** At most BODY_SNIPPET_BYTES of the body, as UTF-8. */
      body: string;
      /** The address the connection actually went to (after connect-to). */
      connectedTo: string;
    }
  | { kind: 'timeout'; detail: string }
  | { kind: 'refused'; detail: string }
  | { kind: 'reset'; detail: string }
  | { kind: 'dns'; detail: string }
  /** The certificate does not name the host: someone else's server or a wrong certificate. */
  | { kind: 'tls-name-mismatch'; detail: string }
  /** The certificate is untrusted, expired or otherwise rejected. */
  | { kind: 'tls-untrusted'; code: string; detail: string }
  /** The handshake failed before any certificate was judged (e.g. no certificate provisioned yet). */
  | { kind: 'tls-handshake'; detail: string }
  | { kind: 'network'; code: string; detail: string };

export type HttpFailureKind = Exclude<HttpOutcome['kind'], 'response'>;

/** Enough body to tell a hub page from an error page; nothing more is read. */
export const BODY_SNIPPET_BYTES = 4096;

// OpenSSL/node verification codes for a certificate that does not chain to a trusted root or is
// not valid now. A name mismatch is ERR_TLS_CERT_ALTNAME_INVALID and is told apart on purpose.
const UNTRUSTED_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'CERT_SIGNATURE_FAILURE',
]);

export function defaultPort(protocol: string): number {
  return protocol === 'http:' ? 80 : 443;
}

/** Sends one request and resolves with what happened; never rejects for network reasons. */
export function httpRequest(options: HttpRequestOptions): Promise<HttpOutcome> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return Promise.reject(new Error(`only http and https URLs are supported, got ${url.protocol}`));
  }
  const secure = url.protocol === 'https:';
  // URL keeps IPv6 literals in brackets; TLS and DNS want the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
  const target = options.connectTo?.(host, port) ?? { host, port };
  const connectedTo = `${target.host}:${target.port}`;
  const headers: Record<string, string> = {
    // Host as the URL says, whatever address the connection goes to.
    host: url.port === '' ? url.hostname : `${url.hostname}:${url.port}`,
    ...lowerCaseKeys(options.headers ?? {}),
  };

  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const requestOptions: https.RequestOptions = {
      method: options.method ?? 'GET',
      host: target.host,
      port: target.port,
      path: `${url.pathname}${url.search}`,
      headers,
      // A fresh connection per request: each probe is judged on its own handshake, and no
      // keep-alive socket outlives the check. Without `ca`, node's default secure context is
      // used, which holds the bundled roots plus NODE_EXTRA_CA_CERTS.
      agent: false,
    };
    if (secure) {
      // SNI and the certificate's name check use the domain, not the connect-to address.
      // (RFC 6066 forbids an IP address as SNI.) The name check is pinned to the URL's host
      // explicitly, so it never falls back to the connect-to address.
      if (isIP(host) === 0) requestOptions.servername = host;
      requestOptions.checkServerIdentity = (_name, cert) => checkServerIdentity(host, cert);
      if (options.ca !== undefined)
        requestOptions.ca = [...(typeof options.ca === 'string' ? [options.ca] : options.ca)];
    }
    const request = (secure ? https : http).request(requestOptions, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void =>
        finish({
          kind: 'response',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          connectedTo,
        });
      response.on('data', (chunk: Buffer) => {
        if (size >= BODY_SNIPPET_BYTES) return;
        const part = chunk.subarray(0, BODY_SNIPPET_BYTES - size);
        chunks.push(part);
        size += part.length;
        // The status and headers are what count; a large or endless body must not hold the check.
        if (size >= BODY_SNIPPET_BYTES) done();
      });
      response.on('end', done);
      response.on('error', done);
      response.on('aborted', done);
    });
    const timer = setTimeout(() => {
      finish({
        kind: 'timeout',
        detail: `no complete answer from ${connectedTo} within ${options.timeoutMs} ms`,
      });
    }, options.timeoutMs);
    request.on('error', (error: unknown) => finish(failureOutcome(error, connectedTo)));
    request.end();
  });
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Turns a request error into the outcome a caller can classify. */
export function failureOutcome(error: unknown, connectedTo: string): HttpOutcome {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = `${connectedTo}: ${message}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { kind: 'tls-name-mismatch', detail: message };
  if (code !== undefined && UNTRUSTED_CODES.has(code)) return { kind: 'tls-untrusted', code, detail };
  if (code === 'ECONNREFUSED') return { kind: 'refused', detail };
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    // A reset during the handshake is how a load balancer without a certificate for the name
    // usually answers; it is still "no answer", not a verdict on the certificate.
    return { kind: 'reset', detail };
  }
  if (code === 'ETIMEDOUT') return { kind: 'timeout', detail };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return { kind: 'dns', detail };
  if (
    code !== undefined &&
    (code.startsWith('ERR_SSL_') || code === 'EPROTO' || code.startsWith('ERR_TLS_'))
  ) {
    return { kind: 'tls-handshake', detail };
  }
  return { kind: 'network', code: code ?? 'UNKNOWN', detail };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The first value of a header, whether node gave a string or a list. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
