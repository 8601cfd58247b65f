import { describe, expect, it } from '@jest/globals';
import type { DnsLookup } from '../adapters/dns.js';
import { restrictedApisDnsCheck, vpcScPerimeterCheck } from './network-checks.js';

const resolved = (a: string[]): DnsLookup => ({
  state: 'resolved',
  domain: 'storage.googleapis.com',
  a,
  aaaa: [],
  cname: ['restricted.googleapis.com'],
});

describe('restricted-apis-dns', () => {
  it.each([
    [['199.36.153.4'], 'pass'],
    [['199.36.153.7', '199.36.153.6'], 'pass'],
    // The /30 is .4–.7: its neighbours are outside (private.googleapis.com is 199.36.153.8/30).
    [['199.36.153.3'], 'fail'],
    [['199.36.153.8'], 'fail'],
    [['199.36.153.4', '142.250.72.91'], 'fail'],
    [[], 'fail'],
  ])('%j → %s', (a, status) => {
    expect(restrictedApisDnsCheck('c', 'vpc', resolved(a)).status).toBe(status);
  });

  it('says which addresses are outside the VIP, and when there is none', () => {
    expect(restrictedApisDnsCheck('c', 'vpc', resolved(['199.36.153.4', '199.36.153.8'])).message).toBe(
      'storage.googleapis.com resolves to 199.36.153.8 from this runner, outside the restricted VIP 199.36.153.4/30: Google API calls leave by the public endpoints',
    );
    expect(restrictedApisDnsCheck('c', 'vpc', resolved([])).message).toBe(
      'storage.googleapis.com has no IPv4 address from this runner, not the restricted VIP 199.36.153.4/30',
    );
  });

  it('fails on a timeout with the resolver message', () => {
    const check = restrictedApisDnsCheck('c', 'vpc', {
      state: 'timeout',
      domain: 'storage.googleapis.com',
      message: 'no answer from 10.0.0.2 in 2000 ms',
    });
    expect([check.status, check.message]).toEqual([
      'fail',
      'storage.googleapis.com does not resolve from this runner (timeout: no answer from 10.0.0.2 in 2000 ms)',
    ]);
  });
});

describe('vpc-sc-perimeter', () => {
  const perimeter = 'accessPolicies/555/servicePerimeters/hubs';

  it('matches the project number exactly, not as a prefix', () => {
    const facts = { kind: 'ok' as const, value: { resources: ['projects/1234567890123'] } };
    expect(vpcScPerimeterCheck('c', perimeter, '123456789012', facts).status).toBe('fail');
  });

  it('fails when the API cannot be reached', () => {
    expect(vpcScPerimeterCheck('c', perimeter, '1', { kind: 'error', message: 'ECONNRESET' })).toEqual({
      id: 'vpc-sc-perimeter',
      scope: 'c',
      status: 'fail',
      message: `could not read the service perimeter ${perimeter}: ECONNRESET`,
      fix: 'check the network path to the API (proxy, Private Google Access) and re-run',
    });
  });
});
