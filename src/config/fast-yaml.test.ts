// The fast reading must give exactly the data the `yaml` package gives, or step aside (undefined).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify, type ToStringOptions } from 'yaml';
import { fastParse, needsFullParser } from './fast-yaml.js';
import { FastReadingDisagrees, fastSource, locate, NeedsFullParser } from './config-source.js';
import { fullParser } from './yaml-source.js';

const root = join(import.meta.dirname, '..', '..');
const examples: string[] = [];
for (const cluster of readdirSync(join(root, 'config', 'clusters'))) {
  const dir = join(root, 'config', 'clusters', cluster);
  examples.push(readFileSync(join(dir, 'cluster.yaml'), 'utf8'));
  for (const hub of readdirSync(join(dir, 'hubs')))
    examples.push(readFileSync(join(dir, 'hubs', hub), 'utf8'));
}

/** What the full parser reads, when it reads a mapping without errors or warnings. */
function fullReading(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

function expectAgreement(text: string): void {
  const fast = fastParse(text);
  if (fast === undefined) return;
  expect({ text, data: fast }).toEqual({ text, data: fullReading(text) });
}

describe('fastParse', () => {
  it('reads every example file, exactly as the full parser does', () => {
    for (const text of examples) {
      expect(fastParse(text)).toBeDefined();
      expect(fastParse(text)).toEqual(fullReading(text));
    }
  });

  it.each([
    '0b11',
    '1_000',
    '0o17',
    '0x1F',
    '-0x1F',
    '+12',
    '-0',
    '007',
    '.inf',
    '-.Inf',
    '.NaN',
    '1e3',
    '1.50',
    '.5',
    '~',
    'Null',
    'yes',
    'on',
    'True',
    'tRue',
    '2026.3.0',
    '2001-12-14',
    '12:30:00',
    '"quoted: \\u00e9\\t"',
    "'it''s'",
    '>-\n  folded\n  text\n',
    '|\n  literal\n   indented\n',
    'plain\n  continued',
  ])('resolves %j as the yaml package does', (scalar) => {
    const text = `value: ${scalar}\n`;
    expect(fastParse(text)).toEqual(fullReading(text));
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a null key, which yaml reads as ""', '~: 1\n'],
    ['a "null" key', 'null: 1\n'],
    ['a complex key', '? [a, b]\n: 1\n'],
    ['a flow collection as a key', 'x: {[a]: 1}\n'],
    ['a merge key', 'a: {b: 1}\nc:\n  <<: {b: 2}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a document marker', '---\na: 1\n'],
    ['a list', '- a\n'],
    ['a scalar', 'a\n'],
    ['an empty file', ''],
    ['a syntax error', 'a: [1, 2\n'],
  ])('leaves %s to the full parser', (_name, text) => {
    expect(fastParse(text)).toBeUndefined();
  });

  it('agrees with the full parser on random values dumped in every style', () => {
    const styles: fc.Arbitrary<ToStringOptions> = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom(
        'PLAIN',
        'QUOTE_DOUBLE',
        'QUOTE_SINGLE',
        'BLOCK_LITERAL',
        'BLOCK_FOLDED',
      ),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), styles, (value, options) => {
        expectAgreement(stringify(value, null, options));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the full parser on example files with garbage lines inserted', () => {
    const garbage = fc.string({
      unit: fc.constantFrom(...': -[]{}#&*!|>\'"%@`\n ab1.,?~\\'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.nat(), garbage, (example, at, line) => {
        const lines = example.split('\n');
        lines.splice(at % (lines.length + 1), 0, line);
        expectAgreement(lines.join('\n'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('needsFullParser', () => {
  // The gate as it was written first: one pattern per trigger over the whole text. The scans that
  // replaced three of them must answer alike.
  const PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
    ['&', /(?:^|[\s[{,])&/],
    ['*', /(?:^|[\s[{,])\*/],
    ['!', /(?:^|[\s[{,])!/],
    ['%', /^%/m],
    ['---', /^---/m],
    ['...', /^\.\.\./m],
    ['?', /(?:^|[\s[{,])\?(?:\s|$)/],
    ['[', /^[ \t-]*\[/m],
    ['{', /^[ \t-]*\{/m],
    [':', /[\]}][ \t]*:(?:\s|$)/],
    ['<<', /<<[ \t]*:/],
    ['__proto__', /__proto__/],
  ];
  // eslint-disable-next-line no-control-regex
  const AWKWARD = /[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
  const byPatterns = (text: string): boolean =>
    AWKWARD.test(text) || PATTERNS.some(([trigger, pattern]) => text.includes(trigger) && pattern.test(text));

  it('answers as the patterns do, on example files and on text made of their characters', () => {
    for (const text of examples) expect(needsFullParser(text)).toBe(byPatterns(text));
    const unit = fc.constantFrom(...' \t\n\r\u2028\u00a0-[]{}:ab#'.split(''));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
        expect({ text, full: needsFullParser(text) }).toEqual({ text, full: byPatterns(text) });
      }),
      { numRuns: 5000 },
    );
    for (const text of [
      '[a]: 1\n',
      'x:\n  - [a]\n',
      'a: [b]\n',
      'a: {b: 1} : 2\n',
      'a: [b]:\n',
      'a: [b]:c\n',
      'a:\n\u2028{b}\n',
    ])
      expect({ text, full: needsFullParser(text) }).toEqual({ text, full: byPatterns(text) });
  });
});

describe('fastSource', () => {
  const text = 'name: demo\nchart:\n  version: 1.0\n';

  it('parses the document for positions only when asked, and refuses data the full parser does not read', () => {
    const good = fastSource('f.yaml', text, { name: 'demo', chart: { version: 1 } }, fullParser);
    expect(locate(good, ['chart', 'version'], 'value')).toEqual({ file: 'f.yaml', line: 3, col: 12 });
    const bad = fastSource('f.yaml', text, { name: 'other', chart: { version: 1 } }, fullParser);
    expect(() => locate(bad, ['name'], 'value')).toThrow(FastReadingDisagrees);
  });

  it('asks for the full parser when it has none', () => {
    const lazy = fastSource('f.yaml', text, { name: 'demo', chart: { version: 1 } }, undefined);
    expect(lazy.data).toEqual({ name: 'demo', chart: { version: 1 } });
    expect(() => locate(lazy, ['name'], 'value')).toThrow(NeedsFullParser);
  });
});
