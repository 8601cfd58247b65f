import { describe, expect, it } from '@jest/globals';
import { decodeConfigBytes } from './config-bytes.js';
import { faithfulValueRules, mayHoldUnfaithfulValues, stateLocation } from './integrity-rules.js';
import type { YamlSource } from './config-source.js';
import fc from 'fast-check';
import { parse } from 'yaml';
import { insideZone } from './dns-zone.js';
import { loadFleetFromSources } from './load.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('stateLocation', () => {
  it.each([
    ['gcp', 'b', 'clusters/a', 'gs://b/clusters/a'],
    ['gcp', 'b', 'clusters/a/', 'gs://b/clusters/a'],
    ['gcp', 'b', '/clusters//a/./', 'gs://b/clusters/a'],
    ['gcp', 'gs://B/', 'clusters/a', 'gs://b/clusters/a'],
    ['aws', 'b', 'clusters/a', 's3://b/clusters/a'],
    ['aws', 's3://b', ' clusters/a ', 's3://b/clusters/a'],
  ])('%s %j %j is %s', (provider, bucket, prefix, location) => {
    expect(stateLocation(provider, bucket, prefix)).toBe(location);
  });

  it('keeps prefixes that name different objects apart', () => {
    expect(stateLocation('gcp', 'b', 'clusters/a')).not.toBe(stateLocation('gcp', 'b', 'clusters/ab'));
    expect(stateLocation('gcp', 'b', 'Clusters/a')).not.toBe(stateLocation('gcp', 'b', 'clusters/a'));
  });
});

describe('decodeConfigBytes', () => {
  const bytes = (...parts: Array<string | number[]>): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

  it('returns UTF-8 text unchanged, a leading BOM included', () => {
    expect(decodeConfigBytes(bytes([0xef, 0xbb, 0xbf], 'a: é\n'))).toEqual({ text: '\ufeffa: é\n' });
  });

  it.each<[string, Uint8Array, number, number, string]>([
    ['a Latin-1 byte', bytes('a: 1\nb: caf', [0xe9], '\n'), 2, 7, 'e9'],
    ['a truncated sequence at the end', bytes('a: x\n# ', [0xe2, 0x82]), 2, 3, 'e2'],
    ['an encoded surrogate', bytes('a: "', [0xed, 0xa0, 0x80], '"'), 1, 5, 'ed'],
    ['an overlong encoding', bytes('ab', [0xc0, 0xaf]), 1, 3, 'c0'],
    ['a stray continuation byte after multi-byte text', bytes('é', [0x80]), 1, 2, '80'],
  ])('points at %s', (_name, input, line, col, hex) => {
    expect(decodeConfigBytes(input)).toEqual({
      refused: {
        line,
        col,
        message: `byte 0x${hex} is not UTF-8; config files are UTF-8 text (a reader would turn it into U+FFFD, changing the value): save the file as UTF-8`,
      },
    });
  });
});

describe('insideZone', () => {
  it.each([
    ['hubs.example.org', 'hubs.example.org', true],
    ['a.hubs.example.org', 'hubs.example.org.', true],
    ['A.Hubs.Example.org', 'hubs.example.org', true],
    ['evilhubs.example.org', 'hubs.example.org', false],
    ['example.org', 'hubs.example.org', false],
  ])('%s in %s: %s', (domain, zone, inside) => {
    expect(insideZone(domain, zone)).toBe(inside);
  });
});

describe('render agreement', () => {
  const clusters = join(import.meta.dirname, '..', '..', 'config', 'clusters');
  it('refuses a literal secret render would refuse, at its line', () => {
    const cluster = {
      path: 'config/clusters/pangeo-gcp/cluster.yaml',
      text: readFileSync(join(clusters, 'pangeo-gcp', 'cluster.yaml'), 'utf8'),
    };
    const hub = {
      path: 'config/clusters/pangeo-gcp/hubs/demo.yaml',
      text:
        'name: demo\nstage: staging\ndomain: demo.hubs.example.org\nchart: {name: basehub, version: 4.4.0}\n' +
        "iap: {members: ['group:demo@example.org'], oauthClient: google-managed}\n" +
        'values:\n  hub:\n    extraEnv:\n      GH_TOKEN: not-a-real-token\n',
    };
    const result = loadFleetFromSources([cluster, hub]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: hub.path,
        line: 9,
        col: 17,
        field: 'values.hub.extraEnv.GH_TOKEN',
        // The secret rules (decision 0019) see it first, at the same spot render's scan would.
        message: expect.stringContaining('holds a literal value: put it in a GitHub secret') as unknown,
      }),
    );
  });
});

describe('mayHoldUnfaithfulValues (the walk is skipped only where it could find nothing)', () => {
  const source = (data: Record<string, unknown>): YamlSource => ({
    file: 'f.yaml',
    data,
    locate: () => ({ file: 'f.yaml', line: 1, col: 1 }),
  });
  const piece = fc.oneof(
    fc.constantFrom(
      '.inf',
      '-.NaN',
      '9007199254740993',
      '0x20000000000001',
      '0x000020000000000001',
      '0o400000000000000000',
      '-9007199254740993',
      '12345678901234567.5',
      '1e400',
      '1.0E+309',
      '.5e-400',
      '-1e+400',
      '"\\ud800"',
      '&a',
      '*a',
      '? ',
    ),
    fc.constantFrom('a', ' ', ':', '\n', '- ', '"', "'", '\u2028', '\r', '\u0001', 'k: ', '{', '}', ','),
    fc.constantFrom('1', '9', '.', 'e', 'E', '+', '-', '0', '400'),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.string({ unit: fc.constantFrom('x', '\u2028'), minLength: 150, maxLength: 400 }),
  );

  it('is true for every text whose data the walk finds fault with', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        let data: unknown;
        try {
          data = parse(text, { uniqueKeys: false });
        } catch {
          return;
        }
        if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
        if (faithfulValueRules(source(data as Record<string, unknown>)).length > 0)
          expect({ text, gate: mayHoldUnfaithfulValues(text) }).toEqual({ text, gate: true });
      }),
      { numRuns: 2000 },
    );
  });

  it('is true for every number written in a core-schema form that the walk finds fault with', () => {
    // Around 2^53, where the shortest faulty forms are, and far beyond it.
    const digits = fc.oneof(
      fc.bigInt({ min: 2n ** 53n - 8n, max: 2n ** 53n + 2n ** 20n }),
      fc.bigInt({ min: 0n, max: 2n ** 70n }),
    );
    const written = fc.oneof(
      digits.map((n) => n.toString(10)),
      digits.map((n) => `0x${n.toString(16)}`),
      digits.map((n) => `0o${n.toString(8)}`),
      fc.tuple(digits, fc.nat(99)).map(([n, f]) => `${n}.${f}`),
    );
    const number = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.constantFrom('', '0', '000'), written)
      .map(([sign, zeros, n]) => (n.startsWith('0x') || n.startsWith('0o') ? n : `${sign}${zeros}${n}`));
    fc.assert(
      fc.property(number, (n) => {
        const text = `k: ${n}\n`;
        const data = parse(text) as Record<string, unknown>;
        if (faithfulValueRules(source(data)).length > 0)
          expect({ text, gate: mayHoldUnfaithfulValues(text) }).toEqual({ text, gate: true });
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['9007199254740993', true],
    ['900719925474099', false],
    ['0x20000000000001', true],
    ['0x2000000000000', false],
    ['deadbeefcafebabe', false],
    ['x: 1e5', true],
    ['x: .E-3', true],
    ['x: e5', false],
    ['x: 1e+', false],
    ['x: -.INF', true],
    ['x: .in', false],
    ['a\\b', true],
    ['a & b', true],
    [`${'x'.repeat(170)}\n${'y'.repeat(170)}`, false],
    [`${'x'.repeat(171)}`, true],
    ['? a', true],
    ['a?b', false],
  ])('%j: %s', (text, gate) => {
    expect(mayHoldUnfaithfulValues(text)).toBe(gate);
  });

  it.each([
    ['a key of 200 "a\\u2028" pairs written raw', `${'a\u2028'.repeat(200)}: x\n`],
    ['an aliased multi-line key', `v: &k "${'x'.repeat(100)}\n  ${'y'.repeat(100)}"\n*k : 1\n`],
  ])('walks %s', (_name, text) => {
    expect(mayHoldUnfaithfulValues(text)).toBe(true);
  });

  it('skips a plain hub file', () => {
    expect(mayHoldUnfaithfulValues('name: demo\nvalues:\n  singleuser:\n    memory: {limit: 8G}\n')).toBe(
      false,
    );
    expect(mayHoldUnfaithfulValues('name: demo\ndomain: demo.hubs.example.org\nversion: 2024.1.1\n')).toBe(
      false,
    );
  });
});

describe('the secret check render shares', () => {
  it('sees a key that only lowercases to a secret word (KELVIN SIGN)', () => {
    const clusters = join(import.meta.dirname, '..', '..', 'config', 'clusters');
    const result = loadFleetFromSources([
      {
        path: 'config/clusters/pangeo-gcp/cluster.yaml',
        text: readFileSync(join(clusters, 'pangeo-gcp', 'cluster.yaml'), 'utf8'),
      },
      {
        path: 'config/clusters/pangeo-gcp/hubs/demo.yaml',
        text:
          'name: demo\nstage: staging\ndomain: demo.hubs.example.org\nchart: {name: basehub, version: 4.4.0}\n' +
          "iap: {members: ['group:demo@example.org'], oauthClient: google-managed}\n" +
          'values:\n  custom:\n    TO\u212aEN: abc\n',
      },
    ]);
    expect(result.ok).toBe(false);
  });
});
