import { describe, expect, it } from '@jest/globals';
import { linePositions } from './line-index.js';

describe('linePositions', () => {
  it('counts LF, CRLF and a lone CR as line breaks, 1-based', () => {
    const at = linePositions('ab\ncd\r\nef\rgh');
    expect([0, 1, 3, 4, 7, 10, 11].map((o) => at(o))).toEqual([
      { line: 1, col: 1 },
      { line: 1, col: 2 },
      { line: 2, col: 1 },
      { line: 2, col: 2 },
      { line: 3, col: 1 },
      { line: 4, col: 1 },
      { line: 4, col: 2 },
    ]);
  });

  it('clamps offsets to the text, so the end of the file is a position in it', () => {
    const at = linePositions('a: 1\n');
    expect([at(-3), at(5), at(99)]).toEqual([
      { line: 1, col: 1 },
      { line: 2, col: 1 },
      { line: 2, col: 1 },
    ]);
  });
});
