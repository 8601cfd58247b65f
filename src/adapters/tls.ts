// The TLS adapter: a handshake to a hub's domain as a browser makes it (SNI = the domain, the
// system's trust store plus NODE_EXTRA_CA_CERTS), reading the certificate the load balancer serves.
// It never throws for what it finds: a failed handshake or a bad certificate is a result.
import { X509Certificate } from 'node:crypto';
import {
  checkServerIdentity,
  connect,
  createSecureContext,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { resolveConnectTo, type ConnectTo } from './connect-to.js';

export interface TlsProbeOptions {
  domain: string;
  /** Where to connect when no connect-to rule matches; default the domain itself. */
  address?: string;
  port?: number;
  connectTo?: readonly ConnectTo[];
  timeoutMs?: number;
  /** Replaces the trust store; only adapter-level tests use it (the product trusts the normal way). */
  ca?: string;
  now?: () => Date;
}

export type TlsProblem =
  | { kind: 'name-mismatch'; message: string }
  | { kind: 'expired'; message: string }
  | { kind: 'not-yet-valid'; message: string }
  | { kind: 'self-signed'; message: string }
  | { kind: 'untrusted-chain'; message: string };

export interface ServedCertificate {
  subject: string;
  issuer: string;
  san: string[];
  validFrom: string;
  validTo: string;
  /** Whole days until validTo (negative once expired). */
  daysLeft: number;
  fingerprint256: string;
}

export type TlsProbe =
  | {
      state: 'handshake';
      domain: string;
      /** host:port actually connected to. */
      via: string;
      certificate: ServedCertificate;
      /** Empty when the certificate verifies, covers the domain and is inside its validity. */
      problems: TlsProblem[];
    }
  | {
      state: 'failed';
      domain: string;
      via: string;
      reason: 'timeout' | 'refused' | 'handshake' | 'unreachable';
      message: string;
    };

const DEFAULT_TIMEOUT_MS = 10_000;

// Building a context parses the CA bundle (for the default one: the system store plus
// NODE_EXTRA_CA_CERTS), which costs more than a local handshake; one per bundle, not one per probe.
const contexts = new Map<string, SecureContext>();
function contextFor(ca: string | undefined): SecureContext {
  const key = ca ?? '';
  let context = contexts.get(key);
  if (context === undefined) {
    context = ca === undefined ? createSecureContext() : createSecureContext({ ca });
    contexts.set(key, context);
  }
  return context;
}
const DAY_MS = 86_400_000;

export function probeTls(opts: TlsProbeOptions): Promise<TlsProbe> {
  const { domain } = opts;
  const port = opts.port ?? 443;
  const target = resolveConnectTo(opts.connectTo ?? [], domain, port);
  // Without a connect-to rule, connect where the caller says users go (the resolved address).
  const host = target.host === domain && opts.address !== undefined ? opts.address : target.host;
  const via = `${host.includes(':') ? `[${host}]` : host}:${target.port}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = opts.now ?? (() => new Date());

  return new Promise<TlsProbe>((resolve) => {
    let settled = false;
    const socket: TLSSocket = connect({
      host,
      port: target.port,
      servername: domain,
      // Verification is judged below so that every problem is named, not only the first.
      rejectUnauthorized: false,
      secureContext: contextFor(opts.ca),
    });
    const finish = (result: TlsProbe): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const failed = (reason: 'timeout' | 'refused' | 'handshake' | 'unreachable', message: string): void =>
      finish({ state: 'failed', domain, via, reason, message });
    const timer = setTimeout(
      () => failed('timeout', `TLS handshake with ${domain} at ${via} did not finish within ${timeoutMs} ms`),
      timeoutMs,
    );

    socket.once('secureConnect', () => {
      // The X509Certificate view: getPeerCertificate(true) builds a legacy object for every
      // certificate of the chain, which costs more than the handshake itself on a fleet check.
      const leaf = socket.getPeerX509Certificate();
      if (leaf === undefined) {
        failed('handshake', `${domain} at ${via} completed a handshake without a certificate`);
        return;
      }
      const authError = socket.authorizationError as unknown as Error | string | null;
      const code =
        authError === null ? undefined : typeof authError === 'string' ? authError : authError.message;
      const at = now();
      finish({
        state: 'handshake',
        domain,
        via,
        certificate: describeCertificate(leaf, at),
        problems: judge(domain, leaf, code, at),
      });
    });
    socket.once('error', (error: Error & { code?: string }) => {
      const code = error.code ?? '';
      if (code === 'ECONNREFUSED')
        failed('refused', `nothing accepts connections at ${via} for ${domain} (connection refused)`);
      else if (['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
        failed('unreachable', `cannot reach ${via} for ${domain} (${code})`);
      } else {
        failed(
          'handshake',
          `TLS handshake with ${domain} at ${via} failed: ${error.message}${code === '' ? '' : ` (${code})`}`,
        );
      }
    });
  });
}

function describeCertificate(leaf: X509Certificate, now: Date): ServedCertificate {
  const validTo = new Date(leaf.validTo);
  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    issuer: leaf.issuer.replace(/\n/g, ', '),
    san: sanNames(leaf.subjectAltName),
    validFrom: new Date(leaf.validFrom).toISOString(),
    validTo: validTo.toISOString(),
    daysLeft: Math.floor((validTo.getTime() - now.getTime()) / DAY_MS),
    fingerprint256: leaf.fingerprint256,
  };
}

function sanNames(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(/,\s*/)
    .map((entry) => /^DNS:(.+)$/.exec(entry.trim())?.[1])
    .filter((name): name is string => name !== undefined);
}

/** Every problem with the served certificate, in the order a person should fix them. */
function judge(domain: string, x509: X509Certificate, authCode: string | undefined, now: Date): TlsProblem[] {
  const problems: TlsProblem[] = [];
  const issuer = x509.issuer.replace(/\n/g, ', ');
  if (authCode === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    problems.push({
      kind: 'self-signed',
      message: `the certificate for ${domain} is self-signed (${issuer}), not issued by a trusted CA`,
    });
  } else if (
    authCode !== undefined &&
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'CERT_UNTRUSTED',
      'CERT_SIGNATURE_FAILURE',
      'INVALID_CA',
      'CERT_CHAIN_TOO_LONG',
      'CERT_REVOKED',
    ].includes(authCode)
  ) {
    problems.push({
      kind: 'untrusted-chain',
      message: `the certificate chain for ${domain} does not verify: ${authCode} (issuer ${issuer})`,
    });
  } else if (
    authCode !== undefined &&
    !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(authCode)
  ) {
    problems.push({
      kind: 'untrusted-chain',
      message: `the certificate for ${domain} does not verify: ${authCode}`,
    });
  }
  // Node's own rules for the name (SAN, wildcards, CN only without SAN), on the leaf alone.
  const mismatch = checkServerIdentity(domain, x509.toLegacyObject());
  if (mismatch !== undefined) {
    const san = sanNames(x509.subjectAltName);
    problems.push({
      kind: 'name-mismatch',
      message: `the certificate served for ${domain} does not cover it (SAN: ${san.length === 0 ? 'none' : san.join(', ')})`,
    });
  }
  const from = new Date(x509.validFrom);
  const to = new Date(x509.validTo);
  if (to.getTime() <= now.getTime()) {
    problems.push({
      kind: 'expired',
      message: `the certificate for ${domain} expired on ${to.toISOString()}`,
    });
  } else if (from.getTime() > now.getTime()) {
    problems.push({
      kind: 'not-yet-valid',
      message: `the certificate for ${domain} is not valid before ${from.toISOString()}`,
    });
  }
  return problems;
}
