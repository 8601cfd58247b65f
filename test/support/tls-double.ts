import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

/**
 * Local HTTPS-less TLS endpoints on 127.0.0.1 with certificates generated at setup, standing in for
 * a hub's Google load balancer. What a client sees (OpenSSL verification as node's `tls` does it):
 *
 * | kind              | chain served                          | client's authorizationError     |
 * |-------------------|---------------------------------------|---------------------------------|
 * | valid             | leaf (90 days) by the test CA         | none (when the test CA is trusted) |
 * | expiring-5d       | leaf valid 5 more days, test CA       | none; daysLeft ≈ 5              |
 * | expired           | leaf that ended 10 days ago, test CA  | CERT_HAS_EXPIRED                |
 * | not-yet-valid     | leaf starting in 10 days, test CA     | CERT_NOT_YET_VALID              |
 * | wrong-san         | leaf for another name, test CA        | ERR_TLS_CERT_ALTNAME_INVALID    |
 * | self-signed       | one self-signed leaf                  | DEPTH_ZERO_SELF_SIGNED_CERT     |
 * | untrusted-chain   | leaf + a CA nobody trusts             | SELF_SIGNED_CERT_IN_CHAIN       |
 *
 * The product trusts the test CA the normal way: `NODE_EXTRA_CA_CERTS=<caFile>` for a bundle run as
 * a child process; adapter-level tests may pass `caPem` as the `ca` option.
 */

export type CertKind =
  'valid' | 'expiring-5d' | 'expired' | 'not-yet-valid' | 'wrong-san' | 'self-signed' | 'untrusted-chain';

export interface IssuedCert {
  keyPem: string;
  /** Leaf first, then any CA the server sends along. */
  chainPem: string;
  notBefore: Date;
  notAfter: Date;
}

export interface TestPki {
  caPem: string;
  /** A file holding caPem, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** A certificate of `kind` for `names` (SANs; the first is the CN). Cached per kind and names. */
  issue(kind: CertKind, names: readonly string[]): IssuedCert;
}

const DAY = 86_400_000;

interface Authority {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  pem: string;
}

export async function createTestPki(now: Date = new Date()): Promise<TestPki> {
  // One RSA key for every certificate: node generates it fast, forge only signs.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const pub = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());

  const makeCa = (cn: string): Authority => {
    const cert = build(
      pub,
      cn,
      [],
      new Date(now.getTime() - 30 * DAY),
      new Date(now.getTime() + 3650 * DAY),
      true,
    );
    cert.setIssuer(cert.subject.attributes);
    cert.sign(key, forge.md.sha256.create());
    return { cert, key, pem: forge.pki.certificateToPem(cert) };
  };
  const trusted = makeCa('hubfleet test CA');
  const untrusted = makeCa('untrusted test CA');

  const dir = await mkdtemp(join(tmpdir(), 'hubfleet-pki-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, trusted.pem);

  const cache = new Map<string, IssuedCert>();
  return {
    caPem: trusted.pem,
    caFile,
    issue(kind, names) {
      const cacheKey = `${kind}\u0000${names.join(',')}`;
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const [first = 'localhost'] = names;
      const t = now.getTime();
      const window: Record<CertKind, [number, number]> = {
        valid: [t - DAY, t + 90 * DAY],
        'expiring-5d': [t - 80 * DAY, t + 5 * DAY],
        expired: [t - 100 * DAY, t - 10 * DAY],
        'not-yet-valid': [t + 10 * DAY, t + 100 * DAY],
        'wrong-san': [t - DAY, t + 90 * DAY],
        'self-signed': [t - DAY, t + 90 * DAY],
        'untrusted-chain': [t - DAY, t + 90 * DAY],
      };
      const [from, to] = window[kind];
      const sans = kind === 'wrong-san' ? [`other-${first}`] : [...names];
      const leaf = build(pub, sans[0] ?? first, sans, new Date(from), new Date(to), false);
      const issuer = kind === 'untrusted-chain' ? untrusted : kind === 'self-signed' ? undefined : trusted;
      leaf.setIssuer(issuer === undefined ? leaf.subject.attributes : issuer.cert.subject.attributes);
      leaf.sign(key, forge.md.sha256.create());
      const leafPem = forge.pki.certificateToPem(leaf);
      const issued: IssuedCert = {
        keyPem,
        chainPem: kind === 'untrusted-chain' ? leafPem + untrusted.pem : leafPem,
        notBefore: new Date(from),
        notAfter: new Date(to),
      };
      cache.set(cacheKey, issued);
      return issued;
    },
  };
}

function build(
  pub: forge.pki.PublicKey,
  cn: string,
  sans: readonly string[],
  notBefore: Date,
  notAfter: Date,
  ca: boolean,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  // Positive serial: a leading 0x01 keeps the top bit clear.
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: cn }]);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: ca, critical: true },
    ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
  ];
  if (!ca) {
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
    extensions.push({ name: 'subjectAltName', altNames: sans.map((value) => ({ type: 2, value })) });
  }
  cert.setExtensions(extensions);
  return cert;
}

export interface TlsEndpointSpec {
  domain: string;
  kind: CertKind;
  /** SANs of the served certificate; default [domain]. */
  names?: readonly string[];
}

export interface TlsEndpoint extends TlsEndpointSpec {
  port: number;
}

export interface TlsDouble {
  endpoints: TlsEndpoint[];
  /** `domain:443:127.0.0.1:<port>` per endpoint, one per line: the product's `connect-to` input. */
  connectTo: string;
  /** TLS handshakes started, per SNI name the client sent. */
  handshakes: Map<string, number>;
  close(): Promise<void>;
}

export interface TlsDoubleOptions {
  /** Delay before answering a ClientHello, standing in for the round trip to a remote load balancer. */
  latencyMs?: number;
}

/** One TLS server per endpoint (each on its own random port, as each hub has its own address). */
export async function startTlsDouble(
  pki: TestPki,
  specs: readonly TlsEndpointSpec[],
  options: TlsDoubleOptions = {},
): Promise<TlsDouble> {
  const latency = options.latencyMs ?? 0;
  const servers: Server[] = [];
  const endpoints: TlsEndpoint[] = [];
  const handshakes = new Map<string, number>();
  for (const spec of specs) {
    const issued = pki.issue(spec.kind, spec.names ?? [spec.domain]);
    const server = createServer(
      {
        key: issued.keyPem,
        cert: issued.chainPem,
        // Counted when the ClientHello arrives, so the count is there before the client finishes.
        SNICallback: (name, done) => {
          handshakes.set(name, (handshakes.get(name) ?? 0) + 1);
          if (latency > 0) setTimeout(() => done(null, undefined), latency);
          else done(null, undefined);
        },
      },
      (socket) => socket.end(),
    );
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('TLS double: no port');
    servers.push(server);
    endpoints.push({ ...spec, port: address.port });
  }
  return {
    endpoints,
    connectTo: endpoints.map((e) => `${e.domain}:443:127.0.0.1:${e.port}`).join('\n'),
    handshakes,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
        () => undefined,
      ),
  };
}
