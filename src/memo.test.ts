import { describe, expect, it } from '@jest/globals';
import { memoized } from './memo.js';

describe('memoized', () => {
  it('works each answer out once per argument, and gives it back as it was', () => {
    const calls: string[] = [];
    const length = memoized((s) => {
      calls.push(s);
      return s === 'none' ? undefined : s.length;
    });
    expect(['ab', 'abc', 'ab', 'none', 'none', 'abc'].map(length)).toEqual([
      2,
      3,
      2,
      undefined,
      undefined,
      3,
    ]);
    expect(calls).toEqual(['ab', 'abc', 'none']);
  });

  it('holds at most `limit` answers: a full table starts again', () => {
    const calls: string[] = [];
    const same = memoized((s) => {
      calls.push(s);
      return s;
    }, 2);
    for (const s of ['a', 'b', 'a', 'c', 'a', 'b']) same(s);
    // a, b kept; c empties the table (a, b gone) and is kept; a is new again, b too.
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b']);
  });
});
