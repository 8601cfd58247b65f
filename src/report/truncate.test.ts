import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { truncateMiddle } from './truncate.js';

/** No lone surrogate anywhere (String#isWellFormed is ES2024, newer than our lib). */
const wellFormed = (s: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const NOTE = 'full plan in the job summary / artifact plan-pangeo-gcp';

describe('truncateMiddle', () => {
  it('returns text that fits unchanged', () => {
    expect(truncateMiddle('short', 5, NOTE)).toBe('short');
    expect(truncateMiddle('', 0, NOTE)).toBe('');
  });

  it('keeps head and tail around a note saying how much was cut and where the rest is', () => {
    const text = 'a'.repeat(500) + 'b'.repeat(500);
    const out = truncateMiddle(text, 200, NOTE);
    expect(out).toHaveLength(200);
    const marker = `\n\n… 889 characters cut here — ${NOTE} …\n\n`;
    const keep = 200 - marker.length;
    expect(keep + 889).toBe(1000);
    expect(out).toBe('a'.repeat(Math.ceil(keep / 2)) + marker + 'b'.repeat(Math.floor(keep / 2)));
  });

  it('counts the lines it cut', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const out = truncateMiddle(text, 300, NOTE);
    expect(out).toHaveLength(300);
    expect(out.startsWith('line 0\nline 1\n')).toBe(true);
    expect(out.endsWith('line 998\nline 999')).toBe(true);
    const m = /… ([\d,]+) characters \(([\d,]+) lines\) cut here — full plan in the job summary/.exec(out);
    expect(m).not.toBeNull();
    const head = out.slice(0, out.indexOf('\n\n…'));
    const tail = out.slice(out.indexOf('…\n\n') + 3);
    const removed = text.slice(head.length, text.length - tail.length);
    expect(Number(m?.[1]?.replace(/,/g, ''))).toBe(removed.length);
    expect(Number(m?.[2]?.replace(/,/g, ''))).toBe(removed.split('\n').length - 1);
  });

  it('is exactly maxChars long for ASCII text of any length over the limit', () => {
    for (const length of [101, 150, 999, 10_000, 123_456]) {
      for (const max of [90, 100]) {
        expect(truncateMiddle('x'.repeat(length), max, NOTE)).toHaveLength(max);
      }
    }
  });

  it('never splits a surrogate pair at either edge of the cut', () => {
    expect(wellFormed('😀'.slice(0, 1))).toBe(false);
    const text = '😀'.repeat(400);
    for (let max = 80; max < 140; max++) {
      const out = truncateMiddle(text, max, 'see artifact');
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.length).toBeGreaterThanOrEqual(max - 2);
      expect(wellFormed(out)).toBe(true);
    }
  });

  it('returns as much of the note as fits when the limit is tiny', () => {
    const out = truncateMiddle('y'.repeat(100), 10, NOTE);
    expect(out).toHaveLength(10);
    expect(out.startsWith('\n\n… 100 ')).toBe(true);
  });

  it('never exceeds the limit and stays well-formed for any text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.integer({ min: 0, max: 300 }),
        (text, max) => {
          const out = truncateMiddle(text, max, 'note');
          expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
          if (text.length <= max) expect(out).toBe(text);
          expect(wellFormed(out)).toBe(true);
        },
      ),
    );
  });

  it('rejects a negative or fractional limit', () => {
    expect(() => truncateMiddle('x', -1, NOTE)).toThrow(RangeError);
    expect(() => truncateMiddle('x', 1.5, NOTE)).toThrow(RangeError);
  });
});
