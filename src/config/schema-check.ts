// JSON Schema validation of a parsed file, with ajv's errors translated into problems a person
// can act on, each at the YAML node of the offending field. The validators are ajv code generated
// from the model at build time (validators.generated.ts, written by `npm run schema`), so a run
// neither loads the ajv compiler nor compiles the schemas.
import type { ErrorObject } from 'ajv';
import type { ClusterConfig, ConfigProblem, HubConfig } from './model.js';
import * as generated from './validators.generated.js';
import { problemAt, type YamlSource } from './config-source.js';
import {
  describeType,
  describeValue,
  isRecord,
  jsonType,
  pointerToPath,
  type PathSegment,
} from './field-path.js';
import { didYouMean } from './did-you-mean.js';
import { clusterFieldHome } from './field-homes.js';
import { patternMessage } from './format-hints.js';

/** An ajv validate function: true, or false with `errors` set. */
interface ValidateFunction<T> {
  (data: unknown): data is T;
  errors?: ErrorObject[] | null;
}

interface Validators {
  cluster: ValidateFunction<ClusterConfig>;
  hub: ValidateFunction<HubConfig>;
}

// The generated module is untyped JavaScript; these are its two exports.
const compiled = generated as unknown as Validators;

function validators(): Validators {
  return compiled;
}

// Documents that passed schemaProblems: the loader checks them again only to narrow their type
// when it builds the fleet (the rules between only read them), so the answer is remembered.
const passed = { cluster: new WeakSet<object>(), hub: new WeakSet<object>() };

export function isValidCluster(data: unknown): data is ClusterConfig {
  return (isObject(data) && passed.cluster.has(data)) || validators().cluster(data);
}

export function isValidHub(data: unknown): data is HubConfig {
  return (isObject(data) && passed.hub.has(data)) || validators().hub(data);
}

const isObject = (data: unknown): data is object => typeof data === 'object' && data !== null;

/** Problems of `source` against the cluster or hub schema; [] when it is valid. */
export function schemaProblems(source: YamlSource, kind: 'cluster' | 'hub'): ConfigProblem[] {
  const validate = kind === 'cluster' ? validators().cluster : validators().hub;
  if (validate(source.data)) {
    passed[kind].add(source.data);
    return [];
  }
  return translateErrors(source, validate.errors ?? []);
}

type Err = ErrorObject;

function schemaOf(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

// When the same value fails several keywords (a 70-character name fails both maxLength and
// pattern), the first of these is the clearest one to show.
const VALUE_KEYWORD_ORDER = [
  'type',
  'const',
  'enum',
  'anyOf',
  'oneOf',
  'maxLength',
  'minLength',
  'pattern',
  'minimum',
  'maximum',
];

export function translateErrors(source: YamlSource, errors: readonly Err[]): ConfigProblem[] {
  const kept = collapseUnions(errors);
  const problems: ConfigProblem[] = [];
  const valueErrorSeen = new Set<string>();
  const ordered = [...kept].sort((a, b) => rank(a.error) - rank(b.error));
  const misspelt = misspeltRequired(kept.map((k) => k.error));
  for (const item of ordered) {
    const e = item.error;
    // `runners:` for `runner:` is one problem: the typo's "did you mean" already names the field.
    if (e.keyword === 'required' && misspelt.has(`${e.instancePath}/${String(e.params.missingProperty)}`))
      continue;
    if (VALUE_KEYWORD_ORDER.includes(e.keyword)) {
      if (valueErrorSeen.has(e.instancePath)) continue;
      valueErrorSeen.add(e.instancePath);
    }
    problems.push(translate(source, e, item.unionMessage));
  }
  return problems;
}

/** `path/key` of each required key that an unknown key in the same mapping is a likely typo of. */
function misspeltRequired(errors: readonly Err[]): Set<string> {
  const found = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const allowed = Object.keys(schemaOf(schemaOf(e.parentSchema).properties));
    const suggestion = didYouMean(String(e.params.additionalProperty), allowed);
    if (suggestion !== undefined) found.add(`${e.instancePath}/${suggestion}`);
  }
  return found;
}

function rank(e: Err): number {
  const i = VALUE_KEYWORD_ORDER.indexOf(e.keyword);
  return i === -1 ? VALUE_KEYWORD_ORDER.length : i;
}

interface Kept {
  error: Err;
  /** For a collapsed anyOf/oneOf: the one message that replaces all branch errors. */
  unionMessage?: string;
}

/**
 * ajv reports a failed union as one error per branch plus the union itself. Keep the errors of the
 * one branch whose type matches the value (the user clearly meant that shape); otherwise replace
 * them all with a single "must be one of …" message.
 */
function collapseUnions(errors: readonly Err[]): Kept[] {
  const unions = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  const dropped = new Set<Err>();
  const messages = new Map<Err, string>();
  for (const union of unions) {
    if (dropped.has(union)) continue;
    const branches = Array.isArray(union.schema) ? union.schema.map(schemaOf) : [];
    const prefix = `${union.schemaPath}/`;
    const inside = errors.filter((e) => e.schemaPath.startsWith(prefix));
    const matching = branches
      .map((branch, index) => ({ branch, index }))
      .filter(({ branch }) => typeAccepts(branch, union.data) && !('const' in branch));
    const only = matching.length === 1 ? matching[0] : undefined;
    const chosenPrefix = only !== undefined ? `${prefix}${only.index}/` : undefined;
    if (chosenPrefix !== undefined && inside.some((e) => e.schemaPath.startsWith(chosenPrefix))) {
      for (const e of inside) if (!e.schemaPath.startsWith(chosenPrefix)) dropped.add(e);
      dropped.add(union);
    } else {
      for (const e of inside) dropped.add(e);
      messages.set(union, unionMessage(branches, schemaOf(union.parentSchema), union.data));
    }
  }
  return errors
    .filter((e) => !dropped.has(e))
    .map((error) => {
      const unionMessage = messages.get(error);
      return unionMessage === undefined ? { error } : { error, unionMessage };
    });
}

function typeAccepts(schema: Record<string, unknown>, data: unknown): boolean {
  const type = schema.type;
  if (typeof type !== 'string') return true;
  const actual = jsonType(data);
  return type === actual || (type === 'number' && actual === 'integer');
}

function unionMessage(
  branches: Record<string, unknown>[],
  unionSchema: Record<string, unknown>,
  data: unknown,
): string {
  const got = describeValue(data);
  if (branches.length > 0 && branches.every((b) => 'const' in b)) {
    return `must be one of ${branches.map((b) => String(b.const)).join(', ')} (got ${got})`;
  }
  const description = unionSchema.description;
  if (typeof description === 'string') return `must be ${description} (got ${got})`;
  const shapes = branches.map((b) =>
    'const' in b
      ? JSON.stringify(b.const)
      : typeof b.description === 'string'
        ? b.description
        : describeType(b.type),
  );
  return `must be ${shapes.join(' or ')} (got ${got})`;
}

function translate(source: YamlSource, e: Err, unionMsg: string | undefined): ConfigProblem {
  const path = pointerToPath(e.instancePath, source.data);
  const params: Record<string, unknown> = e.params;
  const schema = schemaOf(e.parentSchema);
  const got = describeValue(e.data);
  if (unionMsg !== undefined) return problemAt(source, path, 'value', unionMsg);
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      const child = schemaOf(schemaOf(schema.properties)[missing]);
      const why = typeof child.description === 'string' ? ` (${child.description})` : '';
      return { ...problemAt(source, [...path, missing], 'value', `required field is missing${why}`) };
    }
    case 'additionalProperties':
      return unknownKey(source, path, String(params.additionalProperty), schema);
    case 'type': {
      const quote = e.schema === 'string' && (typeof e.data === 'number' || typeof e.data === 'boolean');
      const hint = quote ? `; quote it: "${String(e.data)}"` : '';
      return problemAt(source, path, 'value', `must be ${describeType(e.schema)} (got ${got})${hint}`);
    }
    case 'const':
      return problemAt(source, path, 'value', `must be ${JSON.stringify(e.schema)} (got ${got})`);
    case 'enum': {
      const allowed = Array.isArray(e.schema) ? e.schema.map((v) => String(v)).join(', ') : '';
      return problemAt(source, path, 'value', `must be one of ${allowed} (got ${got})`);
    }
    case 'pattern': {
      const description = typeof schema.description === 'string' ? schema.description : undefined;
      return problemAt(source, path, 'value', patternMessage(String(e.schema), description, e.data, got));
    }
    case 'minLength':
      return problemAt(
        source,
        path,
        'value',
        e.schema === 1 ? 'must not be empty' : `must be at least ${String(e.schema)} characters (got ${got})`,
      );
    case 'maxLength': {
      const length = typeof e.data === 'string' ? e.data.length : 0;
      return problemAt(
        source,
        path,
        'value',
        `must be at most ${String(e.schema)} characters (got ${length})`,
      );
    }
    case 'minItems': {
      const n = Number(e.schema);
      return problemAt(source, path, 'value', `must list at least ${n} ${n === 1 ? 'item' : 'items'}`);
    }
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(e.data) ? (e.data[later] as unknown) : undefined;
      return problemAt(
        source,
        [...path, later],
        'value',
        `repeats ${describeValue(item)}; list each entry once`,
      );
    }
    case 'minimum':
    case 'maximum': {
      const word = e.keyword === 'minimum' ? 'at least' : 'at most';
      return problemAt(source, path, 'value', `must be ${word} ${String(e.schema)} (got ${got})`);
    }
    default:
      return problemAt(source, path, 'value', `${e.message ?? 'is invalid'} (got ${got})`);
  }
}

function unknownKey(
  source: YamlSource,
  path: PathSegment[],
  key: string,
  schema: Record<string, unknown>,
): ConfigProblem {
  const allowed = Object.keys(schemaOf(schema.properties));
  // Hub files have no provider; cluster.yaml names fields from other blocks (field-homes.ts).
  const home =
    source.data.provider === undefined ? undefined : clusterFieldHome(path, key, source.data.provider);
  if (home !== undefined)
    return problemAt(source, [...path, key], 'key', `unknown field "${key}" here: ${home}`);
  const suggestion = didYouMean(key, allowed);
  const where = path.length === 0 ? 'at the top level' : 'here';
  const tail =
    suggestion !== undefined
      ? `; did you mean "${suggestion}"?`
      : allowed.length > 0
        ? `; allowed ${where}: ${allowed.join(', ')}`
        : '';
  return problemAt(source, [...path, key], 'key', `unknown field "${key}"${tail}`);
}
