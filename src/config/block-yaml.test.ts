// block-yaml.ts must read a file exactly as js-yaml does (fast-yaml.ts's schema), or step aside.
// Held to that over every YAML file in the repository's config and fixtures, and over fuzz
// corpora: values dumped in every style, and example files with lines and characters changed.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify, type ToStringOptions } from 'yaml';
import { readBlockYaml } from './block-yaml.js';
import { fastParse, fastParseWithJsYaml, readWithJsYaml } from './fast-yaml.js';

const root = join(import.meta.dirname, '..', '..');

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFilesUnder(path));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(path);
  }
  return out.sort();
}

const files = [...yamlFilesUnder(join(root, 'config')), ...yamlFilesUnder(join(root, 'test', 'fixtures'))];
const texts = files.map((f) => readFileSync(f, 'utf8'));
const examples = yamlFilesUnder(join(root, 'config', 'clusters')).map((f) => readFileSync(f, 'utf8'));

/**
 * The reader's answer, when it gives one, is js-yaml's; and where fast-yaml.ts lets a text through
 * to the readers at all, fastParse's answer is the one without this reader and the `yaml` package's.
 */
function expectAgreement(text: string): boolean {
  const quick = readBlockYaml(text);
  if (quick === undefined) return false;
  expect({ text, data: quick }).toEqual({ text, data: readWithJsYaml(text) });
  const before = fastParseWithJsYaml(text);
  expect({ text, data: fastParse(text) }).toEqual({ text, data: before });
  if (before === undefined) return true;
  const doc = parseDocument(text, { uniqueKeys: true });
  expect({ text, errors: doc.errors.length, data: quick }).toEqual({
    text,
    errors: 0,
    data: doc.toJS() as unknown,
  });
  return true;
}

describe('readBlockYaml', () => {
  it('reads every example config file, as js-yaml does', () => {
    expect(examples.length).toBeGreaterThan(5);
    for (const text of examples) expect(expectAgreement(text)).toBe(true);
  });

  it('agrees with js-yaml on every YAML file under config/ and test/fixtures/ it reads', () => {
    const read = texts.filter((text) => expectAgreement(text)).length;
    // Most fixtures are plain block YAML; the rest (anchors, errors, folded text) step aside.
    expect(read).toBeGreaterThan(texts.length / 2);
  });

  it.each([
    [
      'nested mappings and lists',
      'a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: [1, "two", \'3\']\nd: {e: f, g: 1.5}\n',
    ],
    ["a list at its key's indentation", 'a:\n- 1\n- - 2\n  - 3\nb: ~\n'],
    ['empty values', 'a:\nb: ""\nc: []\nd: {}\ne:\n  -\n  - null\n'],
    ['comments everywhere', '# top\na: 1 # one\n  # deeper\nb: # none\n  c: x#y\n'],
    ['quoted escapes', 'a: "x\\ty\\n\\"q\\" \\\\ \\/"\nb: \'it\'\'s\'\n'],
    [
      'literal blocks',
      'a: |\n  line one\n\n    indented\n  # not a comment\nb: |-\n  stripped\n\n\nc: |\nd: 1\n',
    ],
    ['a literal block in a list item', 'a:\n  - name: x\n    code: |\n      print(1)\n    after: 2\n'],
    [
      'core scalars',
      'a: [0o17, 0x1F, -0, 007, .inf, -.Inf, .NaN, 1e3, 1.50, .5, ~, Null, "true", True, yes, 2026.3.0]\n',
    ],
    ['plain text with indicators inside', 'a: a,b c\'d "e" x:y 100%\nb: -1\nc: http://x.org/a?b=c#d\n'],
  ])('reads %s as js-yaml does', (_name, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    ['a folded block', 'a: >\n  folded\n  text\n'],
    ['a kept block', 'a: |+\n  kept\n\n'],
    ['an indentation indicator', 'a: |2\n    x\n'],
    ['a plain scalar over two lines', 'a: plain\n  continued\n'],
    ['a quoted scalar over two lines', 'a: "one\n  two"\n'],
    ['a nested flow collection', 'a: [[1], 2]\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a quoted key', '"a": 1\n'],
    ['a key that is a number', '1: a\n'],
    ['a key that is a bool', 'True: a\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate flow key', 'a: {b: 1, b: 2}\n'],
    ['a \\u escape', 'a: "\\u00e9"\n'],
    ['a value with ": " inside', 'a: b: c\n'],
    ['a deeper line after a scalar', 'a: 1\n   b: 2\n'],
    ['a line between two indentations', 'a:\n    b: 1\n  c: 2\n'],
    ['an indented document', '  a: 1\n'],
    ['a list', '- a\n'],
    ['a scalar', 'a\n'],
    ['a trailing comma', 'a: [1, 2, ]\n'],
    ['a literal block at the end without a line break', 'a: |\n  x'],
    ['a literal block in a list', 'a:\n  - |\n    x\n'],
  ])('steps aside for %s', (_name, text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  it('agrees with js-yaml on random values dumped in every style', () => {
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
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,12}$/);
    const scalar = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'ab1 .-:#\'"\\\n,[]{}~%'.split('')), maxLength: 12 }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { minKeys: 1, maxKeys: 6 }), styles, (value, options) => {
        expectAgreement(stringify(value, null, options));
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees with js-yaml on example files with lines inserted and characters changed', () => {
    const alphabet = fc.constantFrom(...': -[]{}#&*!|>\'"%@`\n ab1.,?~\\'.split(''));
    const garbage = fc.string({ unit: alphabet, maxLength: 40 });
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        garbage,
        fc.nat(),
        fc.string({ unit: alphabet, maxLength: 3 }),
        (example, at, line, where, chars) => {
          const lines = example.split('\n');
          lines.splice(at % (lines.length + 1), 0, line);
          const text = lines.join('\n');
          const cut = where % (text.length + 1);
          expectAgreement(text);
          expectAgreement(text.slice(0, cut) + chars + text.slice(cut));
          expectAgreement(
            example.slice(0, cut % (example.length + 1)) + chars + example.slice(cut % (example.length + 1)),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
