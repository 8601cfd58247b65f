import { describe, expect, it } from '@jest/globals';
import type { DnsLookup } from '../adapters/dns.js';
import type { TlsProbe } from '../adapters/tls.js';
import { hubVerdict, type HubFacts } from './hub-verdict.js';
import { checkSummary, issueBody, issueKey, summaryRow } from './report.js';

const D = 'ocean.example.org';
const IP = '203.0.113.10';
const NOW = new Date('2026-06-01T12:00:00Z');
const okDns: DnsLookup = { state: 'resolved', domain: D, a: [IP], aaaa: [], cname: [] };
const okTls: TlsProbe = {
  state: 'handshake',
  domain: D,
  via: `${IP}:443`,
  certificate: {
    subject: `CN=${D}`,
    issuer: 'CN=GTS',
    san: [D],
    validFrom: '2026-05-01T00:00:00.000Z',
    validTo: '2026-07-30T00:00:00.000Z',
    daysLeft: 58,
    fingerprint256: 'AA',
  },
  problems: [],
};
const facts = (over: Partial<HubFacts> = {}): HubFacts => ({
  cluster: 'pangeo-gcp',
  hub: 'ocean',
  domain: D,
  certificateName: 'ocean-cert-1',
  certificate: {
    name: 'ocean-cert-1',
    certificateStatus: 'Active',
    domainStatus: [{ domain: D, status: 'Active' }],
    domains: [D],
    expireTime: undefined,
    creationTimestamp: '2026-05-01T00:00:00Z',
    deleting: false,
  },
  ingress: { name: 'ocean', addresses: [IP], certificates: ['ocean-cert-1'] },
  dns: okDns,
  tls: okTls,
  minDaysValid: 21,
  now: NOW,
  ...over,
});
/** [severity, area, message] of every finding: the complete list. */
const findings = (f: HubFacts): [string, string, string][] =>
  hubVerdict(f).findings.map((x) => [x.severity, x.area, x.message]);

describe('hubVerdict', () => {
  it('is ok for an Active certificate, DNS on the static IP and a valid TLS certificate', () => {
    expect(hubVerdict(facts())).toEqual({
      cluster: 'pangeo-gcp',
      hub: 'ocean',
      domain: D,
      verdict: 'ok',
      status: 'Active',
      domainStatus: `${D}: Active`,
      dns: `A ${IP}`,
      tls: 'ok',
      daysLeft: 58,
      findings: [],
      todo: '',
    });
  });

  it.each<[string, Partial<HubFacts>, [string, string, string][]]>([
    [
      'A record elsewhere (proxied DNS)',
      { dns: { ...okDns, a: ['104.16.1.1'] } },
      [
        [
          'fail',
          'dns',
          `${D} resolves to 104.16.1.1, not the static IP ${IP} (a stale record, or a proxied DNS provider answering with its own address)`,
        ],
      ],
    ],
    [
      'AAAA record',
      { dns: { ...okDns, aaaa: ['2001:db8::1'] } },
      [
        [
          'fail',
          'dns',
          `${D} has AAAA record(s) 2001:db8::1: the load balancer has no IPv6 address, which blocks provisioning`,
        ],
      ],
    ],
    [
      'CNAME ending elsewhere',
      { dns: { ...okDns, a: ['198.51.100.7'], cname: ['cdn.elsewhere.net'] } },
      [
        [
          'fail',
          'dns',
          `${D} is a CNAME to cdn.elsewhere.net that ends at 198.51.100.7, not the static IP ${IP}`,
        ],
      ],
    ],
    ['CNAME ending at the static IP', { dns: { ...okDns, cname: ['lb.example.org'] } }, []],
    [
      'extra A record',
      { dns: { ...okDns, a: [IP, '198.51.100.8'] } },
      [['fail', 'dns', `${D} has extra A records besides the static IP ${IP}: 198.51.100.8`]],
    ],
    [
      'NXDOMAIN',
      { dns: { state: 'nxdomain', domain: D, message: `${D} does not exist in DNS` } },
      [['fail', 'dns', `${D} does not exist in DNS`]],
    ],
    [
      'expiring in 5 days',
      { tls: { ...okTls, certificate: { ...okTls.certificate, daysLeft: 5 } } },
      [
        [
          'fail',
          'tls',
          `the certificate served for ${D} expires in 5 days (2026-07-30T00:00:00.000Z), less than min-days-valid 21`,
        ],
      ],
    ],
    [
      'name mismatch',
      { tls: { ...okTls, problems: [{ kind: 'name-mismatch', message: 'mismatch' }] } },
      [['fail', 'tls', 'mismatch']],
    ],
    [
      'expired is not reported twice',
      {
        tls: {
          ...okTls,
          certificate: { ...okTls.certificate, daysLeft: -3 },
          problems: [{ kind: 'expired', message: 'expired' }],
        },
      },
      [['fail', 'tls', 'expired']],
    ],
    [
      'no certificate, no Ingress',
      { certificate: undefined, ingress: undefined },
      [
        ['fail', 'certificate', 'ManagedCertificate ocean/ocean-cert-1 does not exist'],
        ['fail', 'ingress', 'Ingress ocean/ocean does not exist: no load balancer serves the certificate'],
      ],
    ],
    [
      'Ingress names another certificate',
      { ingress: { name: 'ocean', addresses: [IP], certificates: ['ocean-cert'] } },
      [['fail', 'ingress', 'Ingress ocean/ocean names ocean-cert, not ocean-cert-1']],
    ],
    [
      'Provisioning for 30 min is a warning',
      {
        certificate: {
          ...facts().certificate!,
          certificateStatus: 'Provisioning',
          domainStatus: [{ domain: D, status: 'Provisioning' }],
          creationTimestamp: '2026-06-01T11:30:00Z',
        },
        tls: {
          state: 'failed',
          domain: D,
          via: `${IP}:443`,
          reason: 'handshake',
          message: 'handshake failed',
        },
      },
      [
        ['warn', 'certificate', 'ocean-cert-1: Provisioning (for 30 min)'],
        ['fail', 'tls', 'handshake failed'],
      ],
    ],
    [
      'Provisioning for 2 hours is stuck',
      {
        certificate: {
          ...facts().certificate!,
          certificateStatus: 'Provisioning',
          domainStatus: [{ domain: D, status: 'Provisioning' }],
          creationTimestamp: '2026-06-01T10:00:00Z',
        },
      },
      [
        [
          'fail',
          'certificate',
          'ocean-cert-1 has been Provisioning for 120 min (provisioning takes up to ~60 min)',
        ],
      ],
    ],
    [
      'FailedNotVisible within the threshold: Google retries, so it is a warning without recreate advice',
      {
        certificate: {
          ...facts().certificate!,
          certificateStatus: 'ProvisioningFailed',
          creationTimestamp: '2026-06-01T11:30:00Z',
          domainStatus: [{ domain: D, status: 'FailedNotVisible' }],
        },
      },
      [
        [
          'warn',
          'certificate',
          `${D}: FailedNotVisible — Google's CA cannot reach the domain through the load balancer yet (it retries while the load balancer is built and DNS propagates), waiting (for 30 min)`,
        ],
      ],
    ],
    [
      'FailedNotVisible past the threshold: stuck, with the cause',
      {
        certificate: {
          ...facts().certificate!,
          certificateStatus: 'Provisioning',
          domainStatus: [{ domain: D, status: 'FailedNotVisible' }],
        },
      },
      [
        [
          'fail',
          'certificate',
          `ocean-cert-1 has been Provisioning for 45360 min (provisioning takes up to ~60 min); ${D}: FailedNotVisible — Google's CA cannot reach the domain through the load balancer`,
        ],
      ],
    ],
  ])('%s', (_name, over, expected) => {
    expect(findings(facts(over))).toEqual(expected);
  });

  it('advises recreate-cert only once a retried failure is past the threshold', () => {
    const failing = (creationTimestamp: string) =>
      hubVerdict(
        facts({
          certificate: {
            ...facts().certificate!,
            certificateStatus: 'ProvisioningFailed',
            creationTimestamp,
            domainStatus: [{ domain: D, status: 'FailedNotVisible' }],
          },
        }),
      );
    const fresh = failing('2026-06-01T11:30:00Z');
    expect([fresh.verdict, fresh.todo]).toEqual([
      'warn',
      'wait for provisioning (up to ~60 min; Google retries failed attempts while the load balancer is built); check again after 90 min',
    ]);
    const stuck = failing('2026-06-01T10:00:00Z');
    expect([stuck.verdict, stuck.todo]).toEqual([
      'fail',
      `point the A record of ${D} at the hub's static IP (no AAAA record, no proxy in front) and make sure the hub's Ingress exists and names this certificate, then run recreate-cert`,
    ]);
  });

  it('names the first failing finding’s fix as what to do', () => {
    const v = hubVerdict(facts({ dns: { ...okDns, aaaa: ['2001:db8::1'] } }));
    expect([v.verdict, v.todo]).toEqual(['fail', `delete the AAAA record(s) of ${D}`]);
  });
});

describe('report', () => {
  it('renders one row per hub and the findings', () => {
    const ok = hubVerdict(facts());
    const bad = hubVerdict(facts({ hub: 'land', dns: { ...okDns, aaaa: ['2001:db8::1'] } }));
    expect(summaryRow(bad)).toEqual([
      'land',
      D,
      'Active',
      `${D}: Active`,
      `A ${IP}; AAAA 2001:db8::1`,
      'ok',
      58,
      '❌ fail',
      `delete the AAAA record(s) of ${D}`,
    ]);
    const parts = checkSummary('pangeo-gcp', [ok, bad]);
    expect(parts[0]).toBe('### ❌ pangeo-gcp: certificates failing on 1 of 2 hubs');
    expect(parts[1]?.split('\n')).toEqual([
      '| hub | domain | status | domain status | DNS | TLS | days left | verdict | what to do |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ocean | ${D} | Active | ${D}: Active | A ${IP} | ok | 58 | ✅ ok |  |`,
      `| land | ${D} | Active | ${D}: Active | A ${IP}; AAAA 2001:db8::1 | ok | 58 | ❌ fail | delete the AAAA record(s) of ${D} |`,
    ]);
    expect(parts).toHaveLength(3);
    expect(issueKey('pangeo-gcp', 'land')).toBe('cert:pangeo-gcp/land');
    expect(issueBody(bad, 'https://github.com/o/r/actions/runs/1')).toContain(
      `- **fail** (dns): ${D} has AAAA record(s) 2001:db8::1: the load balancer has no IPv6 address, which blocks provisioning. What to do: delete the AAAA record(s) of ${D}.`,
    );
  });
});
