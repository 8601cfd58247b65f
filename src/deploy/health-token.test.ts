import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import { healthTokenSecret, planHealthToken, rotatedAtOf, tokenOf } from './health-token.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');

function secret(rotatedAt: string | undefined, token: string | null = 'c2VjcmV0'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'hubfleet-health-token',
      namespace: 'ocean',
      ...(rotatedAt === undefined ? {} : { annotations: { 'hubfleet.io/rotated-at': rotatedAt } }),
    },
    ...(token === null ? {} : { data: { token } }),
  };
}

describe('planHealthToken', () => {
  it.each([
    ['no Secret', undefined, { action: 'create', rotatedAt: '2026-12-07T12:00:00Z', why: 'no token yet' }],
    ['a fresh token', secret('2026-12-01T00:00:00Z'), { action: 'keep', rotatedAt: '2026-12-01T00:00:00Z' }],
    ['29 days old', secret('2026-11-08T12:00:01Z'), { action: 'keep', rotatedAt: '2026-11-08T12:00:01Z' }],
    [
      '30 days old',
      secret('2026-11-07T12:00:00Z'),
      { action: 'rotate', rotatedAt: '2026-12-07T12:00:00Z', why: 'older than 30 days' },
    ],
    [
      'a rotation time in the future',
      secret('2027-01-01T00:00:00Z'),
      { action: 'rotate', rotatedAt: '2026-12-07T12:00:00Z', why: 'its rotation time is in the future' },
    ],
    [
      'no rotation time',
      secret(undefined),
      {
        action: 'rotate',
        rotatedAt: '2026-12-07T12:00:00Z',
        why: 'the Secret has no usable token or rotation time',
      },
    ],
    [
      'no token',
      secret('2026-12-01T00:00:00Z', null),
      {
        action: 'rotate',
        rotatedAt: '2026-12-07T12:00:00Z',
        why: 'the Secret has no usable token or rotation time',
      },
    ],
  ])('%s', (_name, existing, plan) => {
    expect(planHealthToken(existing, NOW)).toEqual(plan);
  });
});

describe('healthTokenSecret', () => {
  it('makes a labelled Secret with a new 256-bit token each time, read back by tokenOf', () => {
    const a = healthTokenSecret('ocean', 'ocean', '2026-12-07T12:00:00Z');
    const b = healthTokenSecret('ocean', 'ocean', '2026-12-07T12:00:00Z');
    expect({ ...a, data: undefined }).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'hubfleet-health-token',
        namespace: 'ocean',
        labels: { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'ocean' },
        annotations: { 'hubfleet.io/rotated-at': '2026-12-07T12:00:00Z' },
      },
      type: 'Opaque',
      data: undefined,
    });
    expect(tokenOf(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenOf(a)).not.toBe(tokenOf(b));
    expect(rotatedAtOf(a)).toBe('2026-12-07T12:00:00Z');
    expect(tokenOf(undefined)).toBeUndefined();
    expect(tokenOf(secret('2026-12-01T00:00:00Z', null))).toBeUndefined();
  });
});
