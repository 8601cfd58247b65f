import { describe, expect, it } from '@jest/globals';
import { clusterMinutes, simulateMinutes, TYPICAL } from '../bench/fleet-deploy.js';

describe('fleet deploy time model', () => {
  it.each([
    // staging, prod, concurrency → minutes: 4 jobs × 1 + apply 2 + waves × 3 + 2 smokes + certs 1
    [5, 5, 4, 4 + 2 + 2 * 3 + 1 + 2 * 3 + 1 + 1],
    [4, 4, 4, 4 + 2 + 3 + 1 + 3 + 1 + 1],
    [50, 50, 4, 4 + 2 + 13 * 3 + 1 + 13 * 3 + 1 + 1],
    [3, 0, 4, 3 + 2 + 3 + 1 + 1],
  ])('%i staging + %i prod hubs at concurrency %i take %i minutes', (staging, prod, concurrency, minutes) => {
    const load = { cluster: 'c', staging, prod, concurrency };
    expect(clusterMinutes(load, TYPICAL)).toBe(minutes);
    expect(simulateMinutes([load], TYPICAL)).toBe(minutes);
  });

  it('takes as long as the slowest cluster: clusters run in parallel', () => {
    const big = { cluster: 'big', staging: 40, prod: 40, concurrency: 4 };
    const loads = [{ cluster: 'small', staging: 1, prod: 1, concurrency: 4 }, big];
    expect(simulateMinutes(loads, TYPICAL)).toBe(clusterMinutes(big, TYPICAL));
  });
});
