import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import {
  canonicalKubeObject,
  GENERATED_HEADER,
  sortKeysDeep,
  toCompactJson,
  toStableJson,
  toYamlDocument,
  toYamlDocuments,
} from './serialize.js';
import { emitYaml } from './yaml-emit.js';

/** Reads YAML the way go-yaml (helm, kubectl) does, as 1.1, and as a 1.2 reader would. */
const readBoth = (text: string): [unknown, unknown] => [parse(text, { version: '1.1' }), parse(text)];

/** Plain JSON-like data; keys and strings from the whole of Unicode, including YAML's special characters. */
const data = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      'yes',
      'No',
      'ON',
      'off',
      'y',
      'N',
      '~',
      'null',
      '',
      ' ',
      '0123',
      '0x1F',
      '1e3',
      '1_000',
      '.inf',
      '2026-01-01',
      '12:30',
      '<<',
      '=',
      '- x',
      '#c',
      'a #c',
      'a: b',
      'a:',
      "it's",
      'x\n',
      'x\n\n',
      '\nx',
      ' x\ny',
      'a\n \nb',
      '|',
      '>',
      '!t',
      '&a',
      '*a',
      '%x',
      '@x',
      '`x',
      '[x',
      '{x',
      '?x',
    ),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('emitYaml', () => {
  it('round-trips any plain data through YAML 1.1 and 1.2 readers', () => {
    fc.assert(
      fc.property(data, (value) => {
        const text = emitYaml(value);
        const expected = JSON.parse(JSON.stringify(value)) as unknown; // -0 → 0, as YAML has no -0
        const [v11, v12] = readBoth(text);
        expect(v11).toEqual(expected);
        expect(v12).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['yes', `a: 'yes'\n`],
    ['on', `a: 'on'\n`],
    ['2026-01-01', `a: '2026-01-01'\n`],
    ['443', `a: '443'\n`],
    ['{"default":"ocean-iap"}', `a: '{"default":"ocean-iap"}'\n`],
    ['gs://bucket/$(JUPYTERHUB_USER)', 'a: gs://bucket/$(JUPYTERHUB_USER)\n'],
    ['serviceAccount:p.svc.id.goog[ns/user-sa]', `a: 'serviceAccount:p.svc.id.goog[ns/user-sa]'\n`],
    ['line one\nline two\n', 'a: |\n  line one\n  line two\n'],
    ['no final newline\nsecond', 'a: |-\n  no final newline\n  second\n'],
    ['tab\there', 'a: "tab\\there"\n'],
  ])('writes %j readably and unambiguously', (value, text) => {
    expect(emitYaml({ a: value })).toBe(text);
  });

  it('nests mappings and sequences in block style', () => {
    expect(emitYaml({ a: [{ b: 1, c: [true, null] }, [], {}], d: {} })).toBe(
      'a:\n  - b: 1\n    c:\n      - true\n      - null\n  - []\n  - {}\nd: {}\n',
    );
  });
});

describe('sortKeysDeep', () => {
  it('sorts keys at every depth by code unit, keeps array order, drops undefined', () => {
    const sorted = sortKeysDeep({ b: 1, B: 2, a: [{ z: 1, y: undefined, x: 2 }], é: 0 });
    expect(JSON.stringify(sorted)).toBe('{"B":2,"a":[{"x":2,"z":1}],"b":1,"é":0}');
  });

  it('keeps a "__proto__" key as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const sorted = sortKeysDeep(input) as Record<string, unknown>;
    expect(Object.keys(sorted)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(toStableJson(input)).toBe('{\n  "__proto__": {\n    "polluted": true\n  },\n  "a": 1\n}\n');
  });

  it.each([
    [{ a: { b: [1, Number.NaN] } }, 'cannot serialize NaN at a.b.1'],
    [{ a: Infinity }, 'cannot serialize Infinity at a'],
    [{ a: () => 1 }, 'cannot serialize a value of type function at a'],
    [{ a: new Date(0) }, 'cannot serialize a value of type object at a'],
  ])('refuses what JSON and YAML cannot carry faithfully', (value, message) => {
    expect(() => sortKeysDeep(value)).toThrow(message);
  });
});

describe('toYamlDocument and toYamlDocuments write what the sorted copy would', () => {
  // The documents are written off the objects in sorted order, without sortKeysDeep's copy; they
  // must be byte for byte emitYaml of the copy (canonicalKubeObject's for manifests), and throw
  // its very error where it refuses a value.
  const awkward = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      data,
      fc.constantFrom(
        undefined,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        -0,
        10n,
        new Date(0),
        'x'.repeat(1100),
      ),
      fc.constant(Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 })),
      fc.constant(JSON.parse('{"__proto__": {"p": 1}, "a": 1}') as unknown),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            'apiVersion',
            'kind',
            'metadata',
            'b',
            'A',
            'a',
            '__proto__',
            '0',
            '1',
            '10',
            '01',
            '4294967294',
            '4294967295',
          ),
          fc.string(),
        ),
        tie('value'),
        { maxKeys: 5 },
      ),
    ),
  })).value;
  const outcome = (write: () => string): { text?: string; error?: string } => {
    try {
      return { text: write() };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };

  it('for any value: the same bytes, or the same error', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        expect(outcome(() => toYamlDocument(value))).toEqual(
          outcome(() => `${GENERATED_HEADER}\n${emitYaml(sortKeysDeep(value))}`),
        );
        if (typeof value !== 'object' || value === null) return;
        expect(outcome(() => toYamlDocuments([value, { kind: 'K', a: value }]))).toEqual(
          outcome(
            () =>
              `${GENERATED_HEADER}\n---\n${emitYaml(canonicalKubeObject(value))}---\n${emitYaml(canonicalKubeObject({ kind: 'K', a: value }))}`,
          ),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('documents', () => {
  const objects = [
    { spec: { b: 1, a: 2 }, metadata: { name: 'x' }, kind: 'Namespace', apiVersion: 'v1' },
    { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { namespace: 'x', name: 'user-sa' } },
  ];

  it('writes the header, one document per object, apiVersion/kind/metadata first', () => {
    expect(toYamlDocuments(objects)).toBe(
      `${GENERATED_HEADER}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nspec:\n  a: 2\n  b: 1\n` +
        '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: user-sa\n  namespace: x\n',
    );
    expect(parseAllDocuments(toYamlDocuments(objects)).map((d) => d.toJS() as unknown)).toEqual(objects);
  });

  it('gives the same bytes whatever order the keys were built in', () => {
    const shuffled = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { a: 2, b: 1 } },
      { metadata: { name: 'user-sa', namespace: 'x' }, apiVersion: 'v1', kind: 'ServiceAccount' },
    ];
    expect(toYamlDocuments(shuffled)).toBe(toYamlDocuments(objects));
    expect(toYamlDocument({ b: { d: 1, c: 2 }, a: 0 })).toBe(toYamlDocument({ a: 0, b: { c: 2, d: 1 } }));
    expect(toYamlDocument({ a: 0 })).toBe(`${GENERATED_HEADER}\na: 0\n`);
  });

  it('writes stable pretty JSON with a final newline, and compact JSON', () => {
    expect(toStableJson({ b: [2, 1], a: null })).toBe('{\n  "a": null,\n  "b": [\n    2,\n    1\n  ]\n}\n');
    expect(toCompactJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] })).toBe(
      '{"Statement":[{"Effect":"Allow"}],"Version":"2012-10-17"}',
    );
  });
});
