import { describe, expect, it } from '@jest/globals';
import { backoffDelay, waitFitsBudget, type Backoff } from './backoff.js';

const waits = (policy: Backoff, failures = 6): number[] =>
  Array.from({ length: failures }, (_, i) => backoffDelay(policy, i + 1));

describe('backoffDelay', () => {
  it('doubles from the base after each failure, without a cap unless one is given', () => {
    expect(waits({ baseMs: 1000 })).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
    expect(waits({ baseMs: 500, maxMs: 3000 })).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
  });

  it('grows by the given factor', () => {
    expect(waits({ baseMs: 100, factor: 3, maxMs: 5000 }, 5)).toEqual([100, 300, 900, 2700, 5000]);
    expect(waits({ baseMs: 250, factor: 1 }, 3)).toEqual([250, 250, 250]);
  });

  it('waits the base for zero or fewer failures (a loop that has not failed yet)', () => {
    expect(backoffDelay({ baseMs: 250, maxMs: 30_000 }, 0)).toBe(250);
    expect(backoffDelay({ baseMs: 250 }, -3)).toBe(250);
  });

  it('draws a full-jitter wait below the ceiling from the injected source, in whole ms', () => {
    const draws = [0, 0.5, 0.999, 0.25, 0.3333];
    const random = (): number => draws.shift() ?? 0;
    // Ceilings 100, 200, 400, 800, 800 (capped); draws 0, 0.5, 0.999, 0.25, 0.3333.
    expect(waits({ baseMs: 100, maxMs: 800, random }, 5)).toEqual([0, 100, 400, 200, 267]);
    expect(draws).toEqual([]);
  });
});

describe('waitFitsBudget', () => {
  it.each([
    [{ budgetMs: 1000, spentMs: 400, waitMs: 500, mayStartAtEnd: true }, true],
    [{ budgetMs: 1000, spentMs: 400, waitMs: 600, mayStartAtEnd: true }, true],
    [{ budgetMs: 1000, spentMs: 400, waitMs: 601, mayStartAtEnd: true }, false],
    [{ budgetMs: 1000, spentMs: 400, waitMs: 599, mayStartAtEnd: false }, true],
    [{ budgetMs: 1000, spentMs: 400, waitMs: 600, mayStartAtEnd: false }, false],
    [{ budgetMs: 0, spentMs: 0, waitMs: 0, mayStartAtEnd: true }, true],
    [{ budgetMs: 0, spentMs: 0, waitMs: 0, mayStartAtEnd: false }, false],
  ])('%j → %s', (check, fits) => {
    expect(waitFitsBudget(check)).toBe(fits);
  });
});
