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

/** Where this module's code is (parse-cache.ts keys its readings by it). */
export const FAST_YAML_MODULE = import.meta.url;

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
// Each test runs only when the text holds its trigger, which most files do not; the three whose
// triggers every file holds look only at each occurrence of their bracket, as the pattern in the
// comment beside them would match.
const FULL_PARSER_NEEDED: ReadonlyArray<readonly [string, (text: string) => boolean]> = [
  ['&', matches(/(?:^|[\s[{,])&/)], // anchors
  ['*', matches(/(?:^|[\s[{,])\*/)], // aliases
  ['!', matches(/(?:^|[\s[{,])!/)], // tags
  ['%', matches(/^%/m)], // directives
  ['---', matches(/^---/m)], // document markers
  ['...', matches(/^\.\.\./m)],
  ['?', matches(/(?:^|[\s[{,])\?(?:\s|$)/)], // explicit (complex) keys
  ['[', (text) => opensALine(text, '[')], // /^[ \t-]*\[/m: a flow collection opening a line,
  ['{', (text) => opensALine(text, '{')], // /^[ \t-]*\{/m  possibly a collection as a key
  [':', (text) => keyAfter(text, ']') || keyAfter(text, '}')], // /[\]}][ \t]*:(?:\s|$)/: a flow collection as a key
  ['<<', matches(/<<[ \t]*:/)], // merge keys
  ['__proto__', () => true],
];

function matches(pattern: RegExp): (text: string) => boolean {
  return (text) => pattern.test(text);
}

/** Where `^` of a multiline pattern matches: after these, or at the start. */
const LINE_TERMINATORS = '\n\r\u2028\u2029';

/** Some `bracket` has only spaces, tabs and dashes before it on its line. */
function opensALine(text: string, bracket: string): boolean {
  for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
    let before = at - 1;
    while (before >= 0 && ' \t-'.includes(text.charAt(before))) before--;
    if (before < 0 || LINE_TERMINATORS.includes(text.charAt(before))) return true;
  }
  return false;
}

const WHITESPACE = /\s/;

/** Some `bracket` is followed by spaces or tabs, then `:` and whitespace or the end. */
function keyAfter(text: string, bracket: string): boolean {
  for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
    let after = at + 1;
    while (text.charAt(after) === ' ' || text.charAt(after) === '\t') after++;
    if (text.charAt(after) !== ':') continue;
    if (after + 1 === text.length || WHITESPACE.test(text.charAt(after + 1))) return true;
  }
  return false;
}
// Tabs, CR, control characters, byte-order marks and Unicode line separators.
// eslint-disable-next-line no-control-regex
const AWKWARD_CHARACTERS = /[\t\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** True when the full parser must read `text` (exported for its differential test). */
export function needsFullParser(text: string): boolean {
  if (AWKWARD_CHARACTERS.test(text)) return true;
  return FULL_PARSER_NEEDED.some(([trigger, found]) => text.includes(trigger) && found(text));
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
