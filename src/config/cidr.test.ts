import { describe, expect, it } from '@jest/globals';
import { canonicalCidr, cidrContains, cidrsOverlap, parseCidr, type CidrRange } from './cidr.js';

const range = (text: string): CidrRange => {
  const r = parseCidr(text);
  if (r === undefined) throw new Error(`not a CIDR: ${text}`);
  return r;
};

describe('IPv4 CIDR arithmetic', () => {
  it.each([
    ['10.20.0.0/16', '10.20.0.0/16'],
    ['10.20.0.1/16', '10.20.0.0/16'],
    ['199.36.153.7/30', '199.36.153.4/30'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['255.255.255.255/32', '255.255.255.255/32'],
  ])('%s starts at %s', (text, canonical) => {
    expect(canonicalCidr(range(text))).toBe(canonical);
  });

  it.each(['10.20.0.0', '256.0.0.0/8', '10.0.0.0/33', '10.0.0/8', ' 10.0.0.0/8'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('overlap and containment', () => {
    expect(cidrsOverlap(range('10.30.0.0/16'), range('10.30.8.0/24'))).toBe(true);
    expect(cidrsOverlap(range('10.30.0.0/16'), range('10.31.0.0/16'))).toBe(false);
    expect(cidrContains(range('128.0.0.0/1'), range('169.254.0.0/16'))).toBe(true);
    expect(cidrContains(range('169.254.0.0/16'), range('169.254.169.254/32'))).toBe(true);
    expect(cidrContains(range('169.254.169.254/32'), range('169.254.0.0/16'))).toBe(false);
  });
});
