import { connect } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestPki, startTlsDouble, type CertKind, type TestPki, type TlsDouble } from './tls-double.js';

/** What node's client verification says about each endpoint, with only the test CA trusted. */
async function handshake(
  port: number,
  servername: string,
  ca: string,
): Promise<{ auth: string | null; san: string | undefined; chain: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
      const peer = socket.getPeerCertificate(true);
      let chain = 1;
      let cur = peer as { issuerCertificate?: { fingerprint256: string }; fingerprint256: string };
      while (
        cur.issuerCertificate !== undefined &&
        cur.issuerCertificate.fingerprint256 !== cur.fingerprint256
      ) {
        chain += 1;
        cur = cur.issuerCertificate;
      }
      const auth = socket.authorizationError as unknown as Error | null;
      resolve({ auth: auth === null ? null : String(auth.message ?? auth), san: peer.subjectaltname, chain });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('TLS double', () => {
  let pki: TestPki;
  let tls: TlsDouble;
  const kinds: CertKind[] = [
    'valid',
    'expiring-5d',
    'expired',
    'not-yet-valid',
    'wrong-san',
    'self-signed',
    'untrusted-chain',
  ];
  beforeAll(async () => {
    pki = await createTestPki();
    tls = await startTlsDouble(
      pki,
      kinds.map((kind) => ({ domain: `${kind}.example.org`, kind })),
    );
  });
  afterAll(async () => tls.close());

  it.each([
    // The chain as verified ends at the trusted test CA, so it has two links.
    ['valid', null, 'DNS:valid.example.org', 2],
    ['expiring-5d', null, 'DNS:expiring-5d.example.org', 2],
    ['expired', 'CERT_HAS_EXPIRED', 'DNS:expired.example.org', 2],
    ['not-yet-valid', 'CERT_NOT_YET_VALID', 'DNS:not-yet-valid.example.org', 2],
    ['wrong-san', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DNS:other-wrong-san.example.org', 2],
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'DNS:self-signed.example.org', 1],
    ['untrusted-chain', 'SELF_SIGNED_CERT_IN_CHAIN', 'DNS:untrusted-chain.example.org', 2],
  ])('%s: client sees %s', async (kind, auth, san, chain) => {
    const endpoint = tls.endpoints.find((e) => e.kind === kind);
    expect(endpoint).toBeDefined();
    expect(await handshake(endpoint?.port ?? 0, `${kind}.example.org`, pki.caPem)).toEqual({
      auth,
      san,
      chain,
    });
  });

  it('writes the CA for NODE_EXTRA_CA_CERTS, lists connect-to rules and counts handshakes by SNI', async () => {
    expect(await readFile(pki.caFile, 'utf8')).toBe(pki.caPem);
    expect(tls.connectTo.split('\n')).toEqual(
      tls.endpoints.map((e) => `${e.kind}.example.org:443:127.0.0.1:${e.port}`),
    );
    expect(tls.handshakes.get('valid.example.org')).toBe(1);
  });
});
