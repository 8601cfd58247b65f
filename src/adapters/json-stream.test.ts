import { describe, expect, it } from '@jest/globals';
import { JsonStreamSplitter } from './json-stream.js';

describe('JsonStreamSplitter', () => {
  const events = [
    { type: 'ADDED', object: { metadata: { name: 'a', annotations: { x: 'a "quoted" } brace' } } } },
    { type: 'MODIFIED', object: { list: [1, { b: '\\' }], s: '{[' } },
  ];
  const compact = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const pretty = events.map((e) => JSON.stringify(e, null, 4)).join('');

  it.each([
    ['compact, one chunk', [compact]],
    ['pretty-printed, concatenated without separators', [pretty]],
    ['cut into single characters', [...compact]],
    ['cut inside strings and escapes', [compact.slice(0, 37), compact.slice(37, 90), compact.slice(90)]],
  ])('frames %s', (_name, chunks) => {
    const splitter = new JsonStreamSplitter();
    const out = chunks.flatMap((c) => splitter.push(c));
    expect(out).toEqual(events);
    expect(splitter.partial).toBe(false);
  });

  it('reports a value cut off by a dropped connection', () => {
    const splitter = new JsonStreamSplitter();
    expect(splitter.push(compact.slice(0, compact.length - 10))).toEqual([events[0]]);
    expect(splitter.partial).toBe(true);
  });

  it('refuses text that is not JSON objects', () => {
    expect(() => new JsonStreamSplitter().push('error: something\n')).toThrow(
      'JSON stream: text outside an object: "error: something\\n"',
    );
  });
});
