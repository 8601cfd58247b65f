import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, sameOwnedValue } from './owned-values.js';

// What sameOwnedValue answered before its scalar shortcut: the canonical (sorted-key) JSON of both.
const asCanonicalJson = (actual: unknown, owned: unknown): boolean =>
  canonicalJson(actual) === canonicalJson(owned);

describe('sameOwnedValue', () => {
  const scalar = fc.oneof(
    fc.constantFrom(0, -0, 1, Number.NaN, Number.POSITIVE_INFINITY, null, '', '0', 'true', true, false),
    fc.string({ maxLength: 3 }),
    fc.integer({ min: -2, max: 2 }),
    fc.double(),
  );
  const value = fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b'), scalar),
  );

  it('answers as the canonical JSON of both, for any values', () => {
    fc.assert(
      fc.property(value, value, (actual, owned) => {
        expect(sameOwnedValue(actual, owned as never)).toBe(asCanonicalJson(actual, owned));
        expect(sameOwnedValue(actual, actual as never)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    [{ b: 1, a: 2 }, { a: 2, b: 1 }, true],
    ['1', 1, false],
    [Number.NaN, null, true],
    [-0, 0, true],
    [null, 'null', false],
    [[1, 2], [2, 1], false],
  ])('%j and %j: %s', (actual, owned, same) => {
    expect(sameOwnedValue(actual, owned as never)).toBe(same);
  });
});
