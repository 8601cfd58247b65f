import { describe, expect, it } from '@jest/globals';
import { mapLimit } from './map-limit.js';

describe('mapLimit', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const started: number[] = [];
    const done = mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      started.push(n);
      await new Promise<void>((resolve) => release.push(resolve));
      running -= 1;
      if (n === 3) throw new Error('three');
      return n * 10;
    });
    // Release one call at a time, in reverse order of arrival where possible.
    while (started.length < 5 || release.length > 0) {
      await new Promise((r) => setImmediate(r));
      release.pop()?.();
    }
    const results = await done;
    expect(peak).toBe(2);
    expect(results.map((r) => (r.ok ? r.value : (r.error as Error).message))).toEqual([
      10,
      20,
      'three',
      40,
      50,
    ]);
  });

  it('handles an empty list and refuses a bad limit', async () => {
    expect(await mapLimit([], 4, () => Promise.resolve(1))).toEqual([]);
    await expect(mapLimit([1], 0, () => Promise.resolve(1))).rejects.toThrow(
      'concurrency must be a positive integer, got 0',
    );
  });
});
