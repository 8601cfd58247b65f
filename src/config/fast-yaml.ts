// A fast first reading of a config file. Most files in a fleet have no problem, and for those the
// only thing needed is their data: js-yaml builds it ~10x faster than the `yaml` parser builds a
// document with node ranges. Positions are only needed for problems, so a file in which a problem
// is found is parsed again with `yaml` (yaml-source.ts), and the two readings must then agree.
//
// The fast reading returns undefined, so the caller takes the full parser, for anything where the
// two parsers could disagree: scalars resolve by the exact rules of the `yaml` package's YAML 1.2
// core schema (js-yaml's own core schema also takes 0b…, 1_000 and signed hex), and texts with
// anchors, aliases, tags, directives, document markers, complex keys, merge keys, tabs, CR or
// control characters go straight to the full parser. A property test compares the two readings.
import jsYaml from 'js-yaml';
import { readBlockYaml } from './block-yaml.js';
import {
  constructBool,
  constructFloat,
  constructInt,
  isBool,
  isFloat,
  isInt,
  isNull,
} from './core-scalars.js';

const { FAILSAFE_SCHEMA, Type, load } = jsYaml;

const CORE_AS_YAML_PACKAGE = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: isNull,
      construct: () => null,
    }),
    new Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: isBool,
      construct: constructBool,
    }),
    new Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: isInt,
      construct: constructInt,
    }),
    new Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: isFloat,
      construct: constructFloat,
    }),
  ],
});

// Syntax whose handling differs between the parsers or which needs the full parser's checks
// (alias limits, unresolved aliases, collection keys). Conservative: a match only costs speed.
// Each pattern runs only when the text holds its trigger character, which most files do not.
const FULL_PARSER_NEEDED: ReadonlyArray<readonly [string, RegExp]> = [
  ['&', /(?:^|[\s[{,])&/], // anchors
  ['*', /(?:^|[\s[{,])\*/], // aliases
  ['!', /(?:^|[\s[{,])!/], // tags
  ['%', /^%/m], // directives
  ['---', /^---/m], // document markers
  ['...', /^\.\.\./m],
  ['?', /(?:^|[\s[{,])\?(?:\s|$)/], // explicit (complex) keys
  ['[', /^[ \t-]*\[/m], // a flow collection opening a line: possibly a collection as a key
  ['{', /^[ \t-]*\{/m],
  [':', /[\]}][ \t]*:(?:\s|$)/], // a flow collection used as a key
  ['<<', /<<[ \t]*:/], // merge keys
  ['__proto__', /__proto__/],
];
// Tabs, CR, control characters, byte-order marks and Unicode line separators.
// eslint-disable-next-line no-control-regex
const AWKWARD_CHARACTERS = /[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function needsFullParser(text: string): boolean {
  if (AWKWARD_CHARACTERS.test(text)) return true;
  return FULL_PARSER_NEEDED.some(([trigger, pattern]) => text.includes(trigger) && pattern.test(text));
}

function plainMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping with a key js-yaml writes differently: `null`/`~` as a key is "" in `yaml`. */
function hasAmbiguousKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasAmbiguousKey);
  if (!plainMapping(value)) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'null' || hasAmbiguousKey(inner)) return true;
  }
  return false;
}

/**
 * The file's data when it is a mapping that js-yaml reads exactly as the `yaml` package would;
 * undefined when the full parser must read it (any error, any syntax listed above, not a mapping).
 * Plain block files are read by block-yaml.ts, which gives js-yaml's reading or steps aside.
 */
export function fastParse(text: string): Record<string, unknown> | undefined {
  if (needsFullParser(text)) return undefined;
  return readBlockYaml(text) ?? readWithJsYaml(text);
}

/** fastParse without block-yaml.ts: what that reader is held to (block-yaml.test.ts). */
export function fastParseWithJsYaml(text: string): Record<string, unknown> | undefined {
  return needsFullParser(text) ? undefined : readWithJsYaml(text);
}

/** js-yaml's reading with the core rules above, when it is a mapping without an ambiguous key. */
export function readWithJsYaml(text: string): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = load(text, { schema: CORE_AS_YAML_PACKAGE, json: false });
  } catch {
    return undefined;
  }
  if (!plainMapping(data)) return undefined;
  if (/null|Null|NULL|~/.test(text) && hasAmbiguousKey(data)) return undefined;
  return data;
}
