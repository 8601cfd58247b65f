import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HubfleetError } from '../errors.js';
import { startDnsDouble, type DnsDouble } from '../../test/support/dns-double.js';
import { createDnsAdapter, parseDnsServers, type DnsAdapter } from './dns.js';

describe('DNS adapter against the local DNS double', () => {
  let dns: DnsDouble;
  let adapter: DnsAdapter;
  beforeAll(async () => {
    dns = await startDnsDouble({
      'hub.example.org': { a: ['203.0.113.10'] },
      'dual.example.org': { a: ['203.0.113.11'], aaaa: ['2001:db8::11'] },
      'alias.example.org': { cname: 'hub.example.org' },
      'away.example.org': { cname: 'cdn.elsewhere.net' },
      'v6only.example.org': { aaaa: ['2001:db8::12'] },
      'slow.example.org': { timeout: true },
      'broken.example.org': { servfail: true },
    });
    adapter = createDnsAdapter({ servers: [dns.server], timeoutMs: 200, tries: 1 });
  });
  afterAll(async () => dns.close());

  it.each([
    [
      'hub.example.org',
      { state: 'resolved', domain: 'hub.example.org', a: ['203.0.113.10'], aaaa: [], cname: [] },
    ],
    [
      'dual.example.org',
      {
        state: 'resolved',
        domain: 'dual.example.org',
        a: ['203.0.113.11'],
        aaaa: ['2001:db8::11'],
        cname: [],
      },
    ],
    [
      'alias.example.org',
      {
        state: 'resolved',
        domain: 'alias.example.org',
        a: ['203.0.113.10'],
        aaaa: [],
        cname: ['hub.example.org'],
      },
    ],
    [
      'away.example.org',
      { state: 'resolved', domain: 'away.example.org', a: [], aaaa: [], cname: ['cdn.elsewhere.net'] },
    ],
    [
      'v6only.example.org',
      { state: 'resolved', domain: 'v6only.example.org', a: [], aaaa: ['2001:db8::12'], cname: [] },
    ],
  ])('%s resolves', async (domain, expected) => {
    expect(await adapter.lookup(domain)).toEqual(expected);
  });

  it('says NXDOMAIN for a name that does not exist, naming the resolver', async () => {
    expect(await adapter.lookup('nope.example.org')).toEqual({
      state: 'nxdomain',
      domain: 'nope.example.org',
      message: `nope.example.org does not exist in DNS (NXDOMAIN from ${dns.server})`,
    });
  });

  it('says timeout when the resolver does not answer', async () => {
    expect(await adapter.lookup('slow.example.org')).toEqual({
      state: 'timeout',
      domain: 'slow.example.org',
      message: `no answer for slow.example.org A from ${dns.server} (timeout)`,
    });
  });

  it('says SERVFAIL', async () => {
    expect(await adapter.lookup('broken.example.org')).toEqual({
      state: 'error',
      code: 'ESERVFAIL',
      domain: 'broken.example.org',
      message: `${dns.server} answered SERVFAIL for broken.example.org A (the zone's servers failed or DNSSEC did not validate)`,
    });
  });
});

describe('parseDnsServers', () => {
  it('accepts IPv4/IPv6 with optional ports, separated by newlines or commas', () => {
    expect(parseDnsServers('10.0.0.2\n127.0.0.1:5353, [fd00::2]:53\n::1\n')).toEqual([
      '10.0.0.2',
      '127.0.0.1:5353',
      '[fd00::2]:53',
      '::1',
    ]);
  });
  it('reports every bad entry', () => {
    expect(() => parseDnsServers('dns.google\n10.0.0.300\n10.0.0.2:70000')).toThrow(
      new HubfleetError(
        'dns-servers: "dns.google" is not an IP address with an optional port; "10.0.0.300" is not an IP address with an optional port; "10.0.0.2:70000" is not an IP address with an optional port',
        { hint: '' },
      ),
    );
  });
});
