import * as core from '@actions/core';
import { HubfleetError } from '../errors.js';

/**
 * How an action declares its inputs. `default` is the raw text, exactly as in action.yml, and goes
 * through the same parser as a value the workflow passes. A default that is an expression
 * (`${{ github.token }}`) is filled in by the runner, so here the input is treated as required.
 */
interface InputBase {
  readonly required?: boolean;
  readonly default?: string;
  /** Masked with core.setSecret before any input is parsed; never echoed in an error. */
  readonly secret?: boolean;
}

export type StringInput = InputBase & { readonly kind: 'string' };
export type BooleanInput = InputBase & { readonly kind: 'boolean' };
export type IntegerInput = InputBase & {
  readonly kind: 'integer';
  readonly min?: number;
  readonly max?: number;
};
export type EnumInput = InputBase & {
  readonly kind: 'enum';
  readonly values: readonly [string, ...string[]];
};
export type JsonInput = InputBase & {
  readonly kind: 'json';
  /** Narrows the parsed value; the input's type becomes what the guard asserts. */
  readonly guard?: (value: unknown) => value is unknown;
  /** What the guard wants, for the error message ("a list of hub names"). */
  readonly expected?: string;
};
/** Parsed to milliseconds; `min`/`max` are milliseconds too. */
export type DurationInput = InputBase & {
  readonly kind: 'duration';
  readonly min?: number;
  readonly max?: number;
};

export type InputDecl = StringInput | BooleanInput | IntegerInput | EnumInput | JsonInput | DurationInput;
export type InputDecls = Readonly<Record<string, InputDecl>>;

type ValueOf<D extends InputDecl> = D extends { kind: 'string' }
  ? string
  : D extends { kind: 'boolean' }
    ? boolean
    : D extends { kind: 'integer' } | { kind: 'duration' }
      ? number
      : D extends { kind: 'enum'; values: readonly (infer V)[] }
        ? V
        : D extends { kind: 'json'; guard: (value: unknown) => value is infer T }
          ? T
          : unknown;

type FieldOf<D extends InputDecl> = D extends { required: true } | { default: string }
  ? ValueOf<D>
  : ValueOf<D> | undefined;

/** `body-file` → `bodyFile`, so the typed object reads like TypeScript. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type InputsOf<Ds extends InputDecls> = {
  readonly [K in keyof Ds & string as CamelCase<K>]: FieldOf<Ds[K]>;
};

/** Declares inputs; `const` keeps enum values and flags literal so the parsed type is precise. */
export function defineInputs<const Ds extends InputDecls>(decls: Ds): Ds {
  return decls;
}

export function camelCase(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_match, c: string) => c.toUpperCase());
}

/**
 * Reads and parses every declared input. Secrets are masked first, before anything is parsed or
 * logged; every invalid input is reported in one error.
 */
export function readInputs<const Ds extends InputDecls>(decls: Ds): InputsOf<Ds> {
  for (const [name, decl] of Object.entries(decls)) {
    if (decl.secret === true) maskSecret(core.getInput(name));
  }

  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    const result = readOne(name, decl, core.getInput(name));
    if (result.ok) values[camelCase(name)] = result.value;
    else problems.push(`input "${name}": ${result.problem}`);
  }
  if (problems.length > 0) throw invalidInputs(problems);
  return values as InputsOf<Ds>;
}

/** The error for invalid inputs, also used by an action's own cross-input checks. */
export function invalidInputs(problems: readonly string[]): HubfleetError {
  const count = problems.length === 1 ? '1 invalid input' : `${problems.length} invalid inputs`;
  return new HubfleetError(`${count}: ${problems.join('; ')}`, {
    hint: "fix the step's `with:` block (each input is described in the action's action.yml)",
  });
}

/**
 * Registers a secret with the runner's log masker: the whole value, each line of a multi-line
 * value (the runner matches masks line by line), and each string inside a JSON value.
 */
export function maskSecret(value: string): void {
  if (value === '') return;
  core.setSecret(value);
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  if (lines.length > 1) for (const line of lines) if (line !== '') core.setSecret(line);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return;
  }
  for (const text of jsonStrings(parsed)) {
    core.setSecret(text);
    if (text.includes('\n'))
      for (const line of text.split(/\r?\n/)) if (line.trim() !== '') core.setSecret(line.trim());
  }
}

// Masking very short strings ("id", "us") would blank them out across the whole log without
// protecting anything secret.
const MIN_MASKED_JSON_STRING = 4;

function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= MIN_MASKED_JSON_STRING ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(jsonStrings);
  return [];
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string };

function readOne(name: string, decl: InputDecl, raw: string): Parsed {
  if (raw === '') {
    if (decl.default !== undefined && !decl.default.startsWith('${{')) {
      return parseValue(decl, decl.default, false);
    }
    if (decl.required === true || decl.default !== undefined) {
      const why =
        decl.default === undefined
          ? ''
          : ` (action.yml defaults it to ${decl.default}, which the runner fills in)`;
      return { ok: false, problem: `required but not set${why}` };
    }
    return { ok: true, value: undefined };
  }
  return parseValue(decl, raw, decl.secret === true);
}

const MAX_ECHO = 80;

function shown(raw: string, secret: boolean): string {
  if (secret) return 'a value that is not shown (secret)';
  const text = raw.length > MAX_ECHO ? `${raw.slice(0, MAX_ECHO)}…` : raw;
  return JSON.stringify(text);
}

export function parseValue(decl: InputDecl, raw: string, secret: boolean): Parsed {
  const fail = (expected: string): Parsed => ({
    ok: false,
    problem: `expected ${expected}, got ${shown(raw, secret)}`,
  });
  switch (decl.kind) {
    case 'string':
      return { ok: true, value: raw };
    case 'boolean':
      // YAML 1.2 core schema spellings, as core.getBooleanInput accepts.
      if (['true', 'True', 'TRUE'].includes(raw)) return { ok: true, value: true };
      if (['false', 'False', 'FALSE'].includes(raw)) return { ok: true, value: false };
      return fail('true or false');
    case 'integer': {
      const value = /^[+-]?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      const range = rangeText(decl.min, decl.max, String);
      if (!Number.isSafeInteger(value) || !inRange(value, decl.min, decl.max))
        return fail(`an integer${range}`);
      return { ok: true, value };
    }
    case 'enum':
      if (decl.values.includes(raw)) return { ok: true, value: raw };
      return fail(`one of ${decl.values.join(', ')}`);
    case 'duration': {
      const value = parseDuration(raw);
      const range = rangeText(decl.min, decl.max, formatDuration);
      if (value === undefined || !inRange(value, decl.min, decl.max)) {
        return fail(`a duration like 45m or 1h30m${range}`);
      }
      return { ok: true, value };
    }
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error: unknown) {
        // The parser's message quotes the text, so a secret's gets left out.
        const why = secret || !(error instanceof Error) ? '' : ` (${error.message})`;
        return fail(`JSON${why}`);
      }
      if (decl.guard !== undefined && !decl.guard(value))
        return fail(decl.expected ?? 'JSON of the documented shape');
      return { ok: true, value };
    }
  }
}

function inRange(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

function rangeText(min: number | undefined, max: number | undefined, show: (n: number) => string): string {
  if (min !== undefined && max !== undefined) return ` from ${show(min)} to ${show(max)}`;
  if (min !== undefined) return ` of at least ${show(min)}`;
  if (max !== undefined) return ` of at most ${show(max)}`;
  return '';
}

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;

/** `45s`, `10m`, `1h30m`, `1h5m30s`, `250ms` → milliseconds; anything else → undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text.trim());
  if (match === null || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, h, m, s, ms] = match;
  const total =
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s +
    Number(ms ?? 0) * UNIT_MS.ms;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Milliseconds → `1h30m`, `45s`, `250ms`: the form parseDuration reads back. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const unit of ['h', 'm', 's', 'ms'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * UNIT_MS[unit];
  }
  return text;
}
