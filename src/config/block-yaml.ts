// The quickest reading of a config file: a reader for the plain block YAML that cluster and hub
// files are written in (nested mappings and lists by indentation, plain and quoted scalars, short
// flow lists and mappings on one line, literal blocks, comments). Reading YAML was ~40 % of a cold
// validate with js-yaml alone; this reader does the same for such files in about a quarter of the
// time and allocates little.
//
// It answers only when sure: anything outside that subset (folded or kept blocks, multi-line
// scalars, nested flow collections, escapes other than \\ \" \n \t \/, keys that are not plain
// names, duplicate keys, unexpected indentation, …) returns undefined, and fast-yaml.ts then asks
// js-yaml as before. Texts with anchors, tags, tabs and the like never get here (fast-yaml.ts
// sends them to the full parser first). A differential test holds this reader to js-yaml's reading
// (fast-yaml.ts's schema, so the `yaml` package's core rules) over every fixture and a fuzz corpus.
import { resolvePlain } from './core-scalars.js';
import { memoized } from '../memo.js';

/** Where this module's code is (parse-cache.ts keys its readings by it). */
export const BLOCK_YAML_MODULE = import.meta.url;

/** Thrown inside the reader when the text leaves the subset; caught by readBlockYaml. */
class Unsure extends Error {}
const unsure = (): never => {
  throw new Unsure();
};

/** A key written as a plain name, without indicators. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** YAML 1.2 limits an implicit key to 1024 characters; the `yaml` package enforces it, js-yaml not. */
const MAX_KEY_LENGTH = 1024;

/** A plain key that is its own text: js-yaml would write one read as null, a bool or a number differently. */
const isNameUncached = (key: string): boolean =>
  key.length <= MAX_KEY_LENGTH && PLAIN_KEY.test(key) && typeof resolvePlain(key) === 'string';
/** isNameUncached, once per key: a fleet repeats its keys. */
const isName = memoized(isNameUncached);
/** Characters that may not start a plain scalar here (YAML indicators, or left to js-yaml). */
const PLAIN_START_REFUSED = new Set([
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ',',
  '?',
  ':',
]);

/**
 * The reader works on the file's lines as they are, by index: a structural line (not blank, not a
 * comment) is its raw line and an indentation, where the indentation of the first line of a
 * compact entry (`- name: x`) is moved past the dash. No line is copied or wrapped in an object:
 * reading YAML was a third of a cold 1,000-hub validate, and much of it was those copies (decision
 * 0070).
 */
class Reader {
  /** Raw line of each structural line. */
  private readonly rows: number[] = [];
  /** Indentation of each structural line: where its content starts. */
  private readonly indents: number[] = [];
  private i = 0;

  constructor(private readonly raw: string[]) {
    for (let at = 0; at < raw.length; at++) {
      const line = raw[at] ?? '';
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) continue;
      this.rows.push(at);
      this.indents.push(indent);
    }
  }

  document(): Record<string, unknown> {
    if (this.rows.length === 0 || this.indents[0] !== 0) return unsure();
    const data = this.mapping(0);
    if (this.i !== this.rows.length) unsure();
    return data;
  }

  /** The indentation of the next structural line, or -1 at the end. */
  private nextIndent(): number {
    return this.i < this.indents.length ? (this.indents[this.i] ?? -1) : -1;
  }

  private line(): string {
    return this.raw[this.rows[this.i] ?? -1] ?? '';
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let lineIndent = this.nextIndent(); lineIndent >= indent; lineIndent = this.nextIndent()) {
      const at = this.rows[this.i] ?? -1;
      const line = this.line();
      if (lineIndent > indent || isEntry(line, lineIndent)) unsure();
      const colon = keyEnd(line, lineIndent);
      const key = line.slice(lineIndent, colon);
      if (!isName(key) || Object.hasOwn(map, key)) unsure();
      this.i++;
      map[key] = this.valueAfter(line, at, colon + 1, indent);
    }
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    while (this.nextIndent() === indent && isEntry(this.line(), indent)) {
      const line = this.line();
      let offset = indent + 1;
      while (line.charCodeAt(offset) === 32) offset++;
      if (offset === line.length || line.charCodeAt(offset) === 35 /* # */) {
        if (offset !== line.length && line.charCodeAt(offset - 1) !== 32) unsure();
        this.i++;
        list.push(this.nested(indent, true));
      } else if (isEntry(line, offset) || keyEnd(line, offset, false) >= 0) {
        // A compact mapping or list (`- name: x`): the rest of the line is its first line.
        this.indents[this.i] = offset;
        list.push(isEntry(line, offset) ? this.sequence(offset) : this.mapping(offset));
      } else {
        this.i++;
        const c = line.charCodeAt(offset);
        if (c === 124 /* | */ || c === 62 /* > */) unsure();
        list.push(inline(line, offset));
        this.noContinuation(indent);
      }
    }
    if (this.nextIndent() > indent) unsure();
    return list;
  }

  /** The value after `key:` at `from` in `line` (raw line `at`), a mapping entry at `indent`. */
  private valueAfter(line: string, at: number, from: number, indent: number): unknown {
    let start = from;
    while (line.charCodeAt(start) === 32) start++;
    if (start === line.length || line.charCodeAt(start) === 35 /* # */) {
      if (start < line.length && start === from) unsure();
      return this.nested(indent, false);
    }
    if (start === from) unsure();
    const c = line.charCodeAt(start);
    if (c === 124 /* | */) return this.literal(at, line.slice(start), indent);
    if (c === 62 /* > */) unsure();
    const value = inline(line, start);
    this.noContinuation(indent);
    return value;
  }

  /** What follows an entry with nothing after its indicator: a deeper block, a list, or null. */
  private nested(indent: number, inList: boolean): unknown {
    const next = this.nextIndent();
    if (next < indent) return null;
    if (next === indent) {
      // `key:` then `- item` at the key's own indentation is the key's list.
      return !inList && isEntry(this.line(), next) ? this.sequence(indent) : null;
    }
    return isEntry(this.line(), next) ? this.sequence(next) : this.mapping(next);
  }

  /** An inline value must end on its line: a deeper line after it would continue it. */
  private noContinuation(indent: number): void {
    if (this.nextIndent() > indent) unsure();
  }

  /** `|` or `|-` then lines indented deeper than the entry; the block keeps its line breaks. */
  private literal(lineAt: number, header: string, indent: number): string {
    const chomp = header[1] === '-' ? 'strip' : 'clip';
    const after = header.slice(chomp === 'strip' ? 2 : 1);
    if (after.trim() !== '' && !/^ +#/.test(after)) unsure();
    const body: string[] = [];
    let contentIndent = -1;
    let at = lineAt + 1;
    for (; at < this.raw.length; at++) {
      const raw = this.raw[at] ?? '';
      let spaces = 0;
      while (raw.charCodeAt(spaces) === 32) spaces++;
      if (spaces === raw.length) {
        // An empty line: part of the block (a line break) unless it carries spaces beyond the
        // content's indentation, which js-yaml keeps as text.
        if (contentIndent === -1 ? spaces > indent + 1 : spaces > contentIndent) unsure();
        body.push('');
        continue;
      }
      if (contentIndent === -1) {
        if (spaces <= indent) break;
        contentIndent = spaces;
      }
      if (spaces < contentIndent) {
        if (spaces > indent) unsure();
        break;
      }
      body.push(raw.slice(contentIndent));
    }
    if (at === this.raw.length && this.raw[this.raw.length - 1] !== '') unsure();
    // Skip the lines the block took; the next structural line is the first at or after `at`.
    while (this.i < this.rows.length && (this.rows[this.i] ?? 0) < at) this.i++;
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    if (body.length === 0) return '';
    const text = body.join('\n');
    return chomp === 'strip' ? text : `${text}\n`;
  }
}

/** `-` at `at` in `line`, then a space or the end: a list entry. */
const isEntry = (line: string, at: number): boolean =>
  line.charCodeAt(at) === 45 /* - */ && (at + 1 === line.length || line.charCodeAt(at + 1) === 32);

/** Where `key:` starting at `from` ends (the colon), or -1; `required` throws instead. */
function keyEnd(line: string, from: number, required = true): number {
  for (let i = line.indexOf(':', from); i >= 0; i = line.indexOf(':', i + 1)) {
    if (i + 1 === line.length || line.charCodeAt(i + 1) === 32) return i;
  }
  return required ? unsure() : -1;
}

/** A scalar or a one-line flow collection from `start` in `line`, then at most a comment. */
function inline(line: string, start: number): unknown {
  const c = line.charCodeAt(start);
  if (c === 91 || c === 123 /* [ { */) {
    const [value, end] = flow(line, start);
    endOfLine(line, end);
    return value;
  }
  if (c === 34 || c === 39 /* " ' */) {
    const [value, end] = quoted(line, start);
    endOfLine(line, end);
    return value;
  }
  return blockPlain(line, start);
}

/** Only spaces and a comment may follow a value on its line. */
function endOfLine(text: string, from: number): void {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  if (i === text.length) return;
  if (text.charCodeAt(i) !== 35 || i === from) unsure();
}

/** The refused first characters of a plain scalar, and what a `-` may not be followed by. */
function refusedStart(text: string, at: number): boolean {
  const c = text[at] ?? '';
  return (
    PLAIN_START_REFUSED.has(c) ||
    (c === '-' && (at + 1 === text.length || ' ,[]{}'.includes(text[at + 1] ?? '')))
  );
}

/**
 * Where a plain scalar in a block stops being one: ` #` starts a comment (the value ends before
 * it); `: ` or `:` at the end would make it a key, and a bracket is left to js-yaml. One native
 * search instead of a loop over its characters.
 */
const BLOCK_PLAIN_STOP = / #|:(?= |$)|[[\]{}]/g;

/** A plain scalar from `start` to the end of `line` (or a comment), resolved. */
function blockPlain(line: string, start: number): unknown {
  if (refusedStart(line, start)) unsure();
  BLOCK_PLAIN_STOP.lastIndex = start + 1;
  const stop = BLOCK_PLAIN_STOP.exec(line);
  let end = line.length;
  if (stop !== null) {
    if (stop[0] !== ' #') unsure();
    end = stop.index + 1;
  }
  let last = end;
  while (last > start && line.charCodeAt(last - 1) === 32) last--;
  return resolvePlain(line.slice(start, last));
}

/** A plain scalar inside a flow collection, from `text`'s start: to `,]}`; cut at ` #`. */
function flowPlain(text: string): [unknown, number] {
  if (refusedStart(text, 0)) unsure();
  let end = text.length;
  for (let i = 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 35 /* # */ && text.charCodeAt(i - 1) === 32) {
      end = i;
      break;
    }
    if (ch === 58 /* : */) {
      // `a:b` is text; `a: b`, `a:` at the end, `a:,` `a:]` would be a key.
      const next = text[i + 1];
      if (next === undefined || next === ' ' || ',[]{}'.includes(next)) unsure();
    }
    if (ch === 91 || ch === 93 || ch === 123 || ch === 125 /* [ ] { } */ || ch === 44 /* , */) {
      end = i;
      break;
    }
    if (ch === 34 || ch === 39 || ch === 35) unsure();
  }
  let last = end;
  while (last > 0 && text.charCodeAt(last - 1) === 32) last--;
  return [resolvePlain(text.slice(0, last)), end];
}

/** A single- or double-quoted scalar starting at `from`, on one line: [value, index after it]. */
function quoted(text: string, from: number): [string, number] {
  const q = text[from];
  let out = '';
  let i = from + 1;
  for (;;) {
    const next = q === "'" ? text.indexOf("'", i) : nextQuoteOrEscape(text, i);
    if (next < 0) return unsure();
    out += text.slice(i, next);
    if (q === "'") {
      if (text[next + 1] === "'") {
        out += "'";
        i = next + 2;
        continue;
      }
      return [out, next + 1];
    }
    if (text[next] === '"') return [out, next + 1];
    const escaped = ESCAPES[text[next + 1] ?? ''];
    if (escaped === undefined) return unsure();
    out += escaped;
    i = next + 2;
  }
}

const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n', t: '\t', '/': '/' };

function nextQuoteOrEscape(text: string, from: number): number {
  const quote = text.indexOf('"', from);
  const escape = text.indexOf('\\', from);
  return escape >= 0 && (quote < 0 || escape < quote) ? escape : quote;
}

/** `[a, b]` or `{k: v, …}` of scalars from `from`, on one line: [value, index after the closing bracket]. */
function flow(text: string, from: number): [unknown, number] {
  const isList = text[from] === '[';
  const close = isList ? ']' : '}';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = skipSpaces(text, from + 1);
  if (text[i] === close) return [isList ? list : map, i + 1];
  for (;;) {
    if (isList) {
      const [item, end] = flowScalar(text, i);
      list.push(item);
      i = end;
    } else {
      const colon = text.indexOf(': ', i);
      if (colon < 0) return unsure();
      const key = text.slice(i, colon);
      if (!isName(key) || Object.hasOwn(map, key)) unsure();
      const [item, end] = flowScalar(text, skipSpaces(text, colon + 2));
      map[key] = item;
      i = end;
    }
    i = skipSpaces(text, i);
    if (text[i] === close) return [isList ? list : map, i + 1];
    if (text[i] !== ',') return unsure();
    i = skipSpaces(text, i + 1);
    if (text[i] === close || text[i] === ',') unsure();
  }
}

function flowScalar(text: string, from: number): [unknown, number] {
  const c = text[from];
  if (c === '"' || c === "'") return quoted(text, from);
  const [value, end] = flowPlain(text.slice(from));
  if (value === null && end === 0) unsure();
  return [value, from + end];
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * The data of `text` when it is a block mapping written in the subset above, else undefined (the
 * caller reads it with js-yaml). Call only on texts fast-yaml.ts would read at all.
 */
export function readBlockYaml(text: string): Record<string, unknown> | undefined {
  try {
    return new Reader(text.split('\n')).document();
  } catch (err: unknown) {
    if (err instanceof Unsure) return undefined;
    throw err;
  }
}
