import { afterEach, describe, expect, it } from '@jest/globals';
import { captureStdout } from '../../test/actions/capture-stdout.js';
import { HubfleetError } from '../errors.js';
import {
  defineInputs,
  formatDuration,
  parseDuration,
  readInputs,
  type InputDecl,
  type InputsOf,
} from './inputs.js';

// The runner's variable for an input: spaces → `_`, upper-cased, `-` kept.
function setInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

function readOne(decl: InputDecl, raw: string): unknown {
  setInputs({ value: raw });
  return readInputs({ value: decl }).value;
}

function problemOf(decl: InputDecl, raw: string): string {
  setInputs({ value: raw });
  try {
    readInputs({ value: decl });
  } catch (error: unknown) {
    if (error instanceof HubfleetError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('readInputs parses each kind', () => {
  it.each<[string, InputDecl, string, unknown]>([
    ['string keeps text (trimmed by core)', { kind: 'string' }, '  hello world ', 'hello world'],
    ['boolean true', { kind: 'boolean' }, 'true', true],
    ['boolean True', { kind: 'boolean' }, 'True', true],
    ['boolean FALSE', { kind: 'boolean' }, 'FALSE', false],
    ['integer', { kind: 'integer' }, '42', 42],
    ['negative integer', { kind: 'integer', min: -5 }, '-5', -5],
    ['integer at max', { kind: 'integer', min: 1, max: 10 }, '10', 10],
    ['enum value', { kind: 'enum', values: ['comment', 'issue'] }, 'issue', 'issue'],
    ['json object', { kind: 'json' }, '{"a":[1,2]}', { a: [1, 2] }],
    ['json array', { kind: 'json' }, '["x"]', ['x']],
    ['duration seconds', { kind: 'duration' }, '45s', 45_000],
    ['duration minutes', { kind: 'duration' }, '10m', 600_000],
    ['duration h+m', { kind: 'duration' }, '1h30m', 5_400_000],
    ['duration milliseconds', { kind: 'duration' }, '250ms', 250],
  ])('%s', (_name, decl, raw, expected) => {
    expect(readOne(decl, raw)).toEqual(expected);
  });
});

describe('readInputs rejects invalid values, naming the input and what was expected', () => {
  it.each<[string, InputDecl, string, string]>([
    ['boolean', { kind: 'boolean' }, 'yes', 'expected true or false, got "yes"'],
    ['integer text', { kind: 'integer' }, '4.5', 'expected an integer, got "4.5"'],
    [
      'integer below range',
      { kind: 'integer', min: 1, max: 10 },
      '0',
      'expected an integer from 1 to 10, got "0"',
    ],
    ['integer above max', { kind: 'integer', max: 3 }, '4', 'expected an integer of at most 3, got "4"'],
    [
      'integer unsafe',
      { kind: 'integer' },
      '99999999999999999999',
      'expected an integer, got "99999999999999999999"',
    ],
    [
      'enum',
      { kind: 'enum', values: ['comment', 'issue'] },
      'Issue',
      'expected one of comment, issue, got "Issue"',
    ],
    ['duration word', { kind: 'duration' }, 'soon', 'expected a duration like 45m or 1h30m, got "soon"'],
    ['duration bare number', { kind: 'duration' }, '30', 'expected a duration like 45m or 1h30m, got "30"'],
    [
      'duration out of order',
      { kind: 'duration' },
      '30m1h',
      'expected a duration like 45m or 1h30m, got "30m1h"',
    ],
    [
      'duration above max',
      { kind: 'duration', max: 3_600_000 },
      '2h',
      'expected a duration like 45m or 1h30m of at most 1h, got "2h"',
    ],
    ['json syntax', { kind: 'json' }, '{nope', 'expected JSON ('],
    [
      'json shape',
      {
        kind: 'json',
        guard: (v: unknown): v is string[] => Array.isArray(v),
        expected: 'a list of hub names',
      },
      '{}',
      'expected a list of hub names, got "{}"',
    ],
  ])('%s', (_name, decl, raw, expected) => {
    const message = problemOf(decl, raw);
    expect(message).toContain(`input "value": ${expected}`);
  });

  it('shortens a long value it echoes', () => {
    const message = problemOf({ kind: 'boolean' }, 'x'.repeat(200));
    expect(message).toContain(`got "${'x'.repeat(80)}…"`);
    expect(message).not.toContain('x'.repeat(81));
  });
});

describe('required, defaults and optional inputs', () => {
  const decls = defineInputs({
    name: { kind: 'string', required: true },
    label: { kind: 'string', default: 'hubfleet' },
    attempts: { kind: 'integer', default: '3', min: 1 },
    wait: { kind: 'duration', default: '1h30m' },
    token: { kind: 'string', secret: true, default: '${{ github.token }}' },
    'pr-number': { kind: 'integer' },
  });

  it('uses defaults (parsed like given values) and leaves optional inputs undefined', () => {
    setInputs({ name: 'ocean', token: 'tok' });
    const inputs = readInputs(decls);
    expect(inputs).toEqual({
      name: 'ocean',
      label: 'hubfleet',
      attempts: 3,
      wait: 5_400_000,
      token: 'tok',
      prNumber: undefined,
    });
  });

  it('types the object from the declarations, with camelCase keys', () => {
    setInputs({ name: 'ocean', token: 'tok', 'pr-number': '7' });
    const inputs: InputsOf<typeof decls> = readInputs(decls);
    // These assignments fail to compile if the inferred types drift.
    const name: string = inputs.name;
    const attempts: number = inputs.attempts;
    const pr: number | undefined = inputs.prNumber;
    expect([name, attempts, pr]).toEqual(['ocean', 3, 7]);
  });

  it('reports a missing required input and an expression default the runner did not fill', () => {
    expect(() => readInputs(decls)).toThrow(
      '2 invalid inputs: input "name": required but not set; input "token": required but not set ' +
        '(action.yml defaults it to ${{ github.token }}, which the runner fills in)',
    );
  });

  it('reads names the way the runner mangles them: spaces become _, dashes stay', () => {
    process.env['INPUT_BODY-FILE'] = 'a.md';
    process.env['INPUT_MY_INPUT'] = 'spaced';
    const inputs = readInputs(
      defineInputs({ 'body-file': { kind: 'string' }, 'my input': { kind: 'string' } }),
    );
    expect(inputs).toEqual({ bodyFile: 'a.md', 'my input': 'spaced' });
  });
});

describe('all invalid inputs are reported together', () => {
  it('lists every problem in declaration order, in one error with a hint', () => {
    setInputs({ mode: 'sideways', timeout: 'soon', attempts: '0', label: 'fine' });
    const decls = defineInputs({
      mode: { kind: 'enum', values: ['comment', 'issue'], required: true },
      label: { kind: 'string' },
      timeout: { kind: 'duration' },
      attempts: { kind: 'integer', min: 1, max: 5 },
      config: { kind: 'json', required: true },
    });
    let error: unknown;
    try {
      readInputs(decls);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubfleetError);
    expect((error as HubfleetError).message).toBe(
      '4 invalid inputs: ' +
        'input "mode": expected one of comment, issue, got "sideways"; ' +
        'input "timeout": expected a duration like 45m or 1h30m, got "soon"; ' +
        'input "attempts": expected an integer from 1 to 5, got "0"; ' +
        'input "config": required but not set',
    );
    expect((error as HubfleetError).hint).toMatch(/with:/);
  });
});

describe('secrets', () => {
  it('masks every secret before anything else is written, and never echoes one in an error', async () => {
    const token = 'ghs_CanaryTokenValue123';
    const key = '-----BEGIN KEY-----\nline-one-secret\nline-two-secret\n-----END KEY-----';
    const json = '{"client_id":"client-1234","client_secret":"shh-very-secret","n":12}';
    setInputs({ level: 'loud', token, key, creds: json, broken: `{${token}` });
    const decls = defineInputs({
      level: { kind: 'enum', values: ['quiet'] },
      token: { kind: 'string', secret: true },
      key: { kind: 'string', secret: true },
      creds: { kind: 'json', secret: true },
      broken: { kind: 'json', secret: true },
    });
    const { result, lines } = await captureStdout(() => {
      try {
        readInputs(decls);
        return undefined;
      } catch (error: unknown) {
        return error instanceof Error ? error.message : 'not an Error';
      }
    });
    const masks = lines
      .filter((l) => l.startsWith('::add-mask::'))
      .map((l) => l.slice('::add-mask::'.length));
    expect(lines.slice(0, masks.length).every((l) => l.startsWith('::add-mask::'))).toBe(true);
    expect(masks).toEqual(
      expect.arrayContaining([
        token,
        '-----BEGIN KEY-----%0Aline-one-secret%0Aline-two-secret%0A-----END KEY-----',
        'line-one-secret',
        'line-two-secret',
        json,
        'client-1234',
        'shh-very-secret',
        `{${token}`,
      ]),
    );
    expect(result).toBe(
      '2 invalid inputs: input "level": expected one of quiet, got "loud"; ' +
        'input "broken": expected JSON, got a value that is not shown (secret)',
    );
    expect(result).not.toContain(token);
  });

  it('does not mask an empty secret (masking "" would blank the log)', async () => {
    const { lines } = await captureStdout(() => readInputs({ token: { kind: 'string', secret: true } }));
    expect(lines).toEqual([]);
  });
});

describe('durations', () => {
  it.each<[string, number | undefined]>([
    ['45s', 45_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1h5m30s', 3_930_000],
    ['2h', 7_200_000],
    ['1m500ms', 60_500],
    ['0s', 0],
    ['', undefined],
    ['m', undefined],
    ['1.5h', undefined],
    ['10 m', undefined],
    ['1d', undefined],
    ['-5m', undefined],
  ])('parseDuration(%j) = %j', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });

  it.each([0, 250, 45_000, 600_000, 5_400_000, 3_930_000, 60_500])(
    'formatDuration round-trips %d ms',
    (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    },
  );
});
