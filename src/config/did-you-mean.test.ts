import { describe, expect, it } from '@jest/globals';
import { didYouMean, editDistance } from './did-you-mean.js';

const HUB_KEYS = [
  'name',
  'stage',
  'domain',
  'chart',
  'iap',
  'auth',
  'cloudPermissions',
  'buckets',
  'podSecurity',
  'values',
];

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['stage', 'satge', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
});

describe('didYouMean', () => {
  it.each([
    ['podSecurty', 'podSecurity'],
    ['stge', 'stage'],
    ['Domain', 'domain'],
    ['pod_security', 'podSecurity'],
    ['cloud-permissions', 'cloudPermissions'],
    ['bucket', 'buckets'],
    ['value', 'values'],
  ])('suggests %s → %s', (typo, want) => {
    expect(didYouMean(typo, HUB_KEYS)).toBe(want);
  });

  it.each(['owner', 'x', 'replicas', 'image'])('suggests nothing for %s', (key) => {
    expect(didYouMean(key, HUB_KEYS)).toBeUndefined();
  });

  it('suggests the full key for a truncated one', () => {
    expect(didYouMean('deleteAfter', ['deleteAfterDays'])).toBe('deleteAfterDays');
  });

  it('suggests nothing when nothing is allowed', () => {
    expect(didYouMean('name', [])).toBeUndefined();
  });
});
