import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTestPki,
  startTlsDouble,
  type TestPki,
  type TlsDouble,
} from '../../test/support/tls-double.js';
import { parseConnectTo } from './connect-to.js';
import { probeTls, type TlsProbe } from './tls.js';

// Real time (OpenSSL checks validity against the clock, reporting one error only) to the second.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const DAY = 86_400_000;
const iso = (days: number): string => new Date(NOW.getTime() + days * DAY).toISOString();

describe('TLS adapter against local TLS servers', () => {
  let pki: TestPki;
  let tls: TlsDouble;
  beforeAll(async () => {
    pki = await createTestPki(NOW);
    tls = await startTlsDouble(pki, [
      { domain: 'valid.example.org', kind: 'valid' },
      { domain: 'soon.example.org', kind: 'expiring-5d' },
      { domain: 'expired.example.org', kind: 'expired' },
      { domain: 'future.example.org', kind: 'not-yet-valid' },
      { domain: 'wrong.example.org', kind: 'wrong-san' },
      { domain: 'self.example.org', kind: 'self-signed' },
      { domain: 'chain.example.org', kind: 'untrusted-chain' },
    ]);
  });
  afterAll(async () => tls.close());

  const probe = (domain: string): Promise<TlsProbe> =>
    probeTls({
      domain,
      connectTo: parseConnectTo(tls.connectTo),
      ca: pki.caPem,
      now: () => NOW,
      timeoutMs: 2000,
    });
  const port = (domain: string): number => tls.endpoints.find((e) => e.domain === domain)?.port ?? 0;
  const problems = async (domain: string): Promise<unknown> => {
    const result = await probe(domain);
    return result.state === 'handshake' ? result.problems : result;
  };

  it('reads a valid certificate through connect-to, with SNI = the domain', async () => {
    const result = await probe('valid.example.org');
    expect(result).toEqual({
      state: 'handshake',
      domain: 'valid.example.org',
      via: `127.0.0.1:${port('valid.example.org')}`,
      certificate: {
        subject: 'CN=valid.example.org',
        issuer: 'CN=hubfleet test CA',
        san: ['valid.example.org'],
        validFrom: iso(-1),
        validTo: iso(90),
        daysLeft: 90,
        fingerprint256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) as unknown as string,
      },
      problems: [],
    });
    expect(tls.handshakes.get('valid.example.org')).toBe(1);
  });

  it('reports days left for a certificate that expires in 5 days, without a problem', async () => {
    const result = await probe('soon.example.org');
    expect(result.state === 'handshake' ? [result.certificate.daysLeft, result.problems] : result).toEqual([
      5,
      [],
    ]);
  });

  it.each([
    [
      'expired.example.org',
      [
        {
          kind: 'expired',
          message: `the certificate for expired.example.org expired on ${iso(-10)}`,
        },
      ],
    ],
    [
      'future.example.org',
      [
        {
          kind: 'not-yet-valid',
          message: `the certificate for future.example.org is not valid before ${iso(10)}`,
        },
      ],
    ],
    [
      'wrong.example.org',
      [
        {
          kind: 'name-mismatch',
          message:
            'the certificate served for wrong.example.org does not cover it (SAN: other-wrong.example.org)',
        },
      ],
    ],
    [
      'self.example.org',
      [
        {
          kind: 'self-signed',
          message:
            'the certificate for self.example.org is self-signed (CN=self.example.org), not issued by a trusted CA',
        },
      ],
    ],
    [
      'chain.example.org',
      [
        {
          kind: 'untrusted-chain',
          message:
            'the certificate chain for chain.example.org does not verify: SELF_SIGNED_CERT_IN_CHAIN (issuer CN=untrusted test CA)',
        },
      ],
    ],
  ])('%s: %j', async (domain, expected) => {
    expect(await problems(domain)).toEqual(expected);
  });

  it('says connection refused when nothing listens', async () => {
    const closed = await freePort();
    expect(
      await probeTls({ domain: 'gone.example.org', address: '127.0.0.1', port: closed, timeoutMs: 2000 }),
    ).toEqual({
      state: 'failed',
      domain: 'gone.example.org',
      via: `127.0.0.1:${closed}`,
      reason: 'refused',
      message: `nothing accepts connections at 127.0.0.1:${closed} for gone.example.org (connection refused)`,
    });
  });

  it('says timeout when the server never answers the handshake', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const address = silent.address();
    const p = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      expect(
        await probeTls({ domain: 'slow.example.org', address: '127.0.0.1', port: p, timeoutMs: 200 }),
      ).toEqual({
        state: 'failed',
        domain: 'slow.example.org',
        via: `127.0.0.1:${p}`,
        reason: 'timeout',
        message: `TLS handshake with slow.example.org at 127.0.0.1:${p} did not finish within 200 ms`,
      });
    } finally {
      silent.close();
    }
  });

  it('says handshake failure when the server speaks something else', async () => {
    const plain = createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    const address = plain.address();
    const p = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await probeTls({
        domain: 'plain.example.org',
        address: '127.0.0.1',
        port: p,
        timeoutMs: 2000,
      });
      expect(
        result.state === 'failed'
          ? [
              result.reason,
              result.message.startsWith(`TLS handshake with plain.example.org at 127.0.0.1:${p} failed: `),
            ]
          : result,
      ).toEqual(['handshake', true]);
    } finally {
      plain.close();
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}
