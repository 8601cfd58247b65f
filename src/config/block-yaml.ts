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
const isName = (key: string): boolean =>
  key.length <= MAX_KEY_LENGTH && PLAIN_KEY.test(key) && typeof resolvePlain(key) === 'string';
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

interface Line {
  indent: number;
  /** The line without its indentation. */
  text: string;
  /** The raw line's index in the file, for literal blocks. */
  at: number;
}

class Reader {
  private readonly lines: Line[] = [];
  private i = 0;

  constructor(private readonly raw: string[]) {
    for (let at = 0; at < raw.length; at++) {
      const line = raw[at] ?? '';
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      if (indent === line.length || line.charCodeAt(indent) === 35 /* # */) continue;
      this.lines.push({ indent, text: line.slice(indent), at });
    }
  }

  document(): Record<string, unknown> {
    const first = this.lines[0];
    if (first === undefined || first.indent !== 0) return unsure();
    const data = this.mapping(0);
    if (this.i !== this.lines.length) unsure();
    return data;
  }

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let line = this.peek(); line !== undefined && line.indent >= indent; line = this.peek()) {
      if (line.indent > indent || isEntry(line.text)) unsure();
      const colon = keyEnd(line.text);
      const key = line.text.slice(0, colon);
      if (!isName(key) || Object.hasOwn(map, key)) unsure();
      this.i++;
      map[key] = this.valueAfter(line, colon + 1, indent);
    }
    return map;
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    for (
      let line = this.peek();
      line !== undefined && line.indent === indent && isEntry(line.text);
      line = this.peek()
    ) {
      let offset = 1;
      while (line.text.charCodeAt(offset) === 32) offset++;
      const rest = line.text.slice(offset);
      if (rest === '' || rest.startsWith('#')) {
        if (rest !== '' && line.text.charCodeAt(offset - 1) !== 32) unsure();
        this.i++;
        list.push(this.nested(indent, true));
      } else if (isEntry(rest) || keyEnd(rest, false) >= 0) {
        // A compact mapping or list (`- name: x`): the rest of the line is its first line.
        this.lines[this.i] = { indent: indent + offset, text: rest, at: line.at };
        list.push(isEntry(rest) ? this.sequence(indent + offset) : this.mapping(indent + offset));
      } else {
        this.i++;
        if (rest.startsWith('|') || rest.startsWith('>')) unsure();
        list.push(this.inline(rest));
        this.noContinuation(indent);
      }
    }
    const next = this.peek();
    if (next !== undefined && next.indent > indent) unsure();
    return list;
  }

  /** The value after `key:` at `from` in `line`, a mapping entry at `indent`. */
  private valueAfter(line: Line, from: number, indent: number): unknown {
    const text = line.text;
    let start = from;
    while (text.charCodeAt(start) === 32) start++;
    if (start === text.length || text.charCodeAt(start) === 35) {
      if (start < text.length && start === from) unsure();
      return this.nested(indent, false);
    }
    if (start === from) unsure();
    const rest = text.slice(start);
    if (rest.startsWith('|')) return this.literal(line, rest, indent);
    if (rest.startsWith('>')) unsure();
    const value = this.inline(rest);
    this.noContinuation(indent);
    return value;
  }

  /** What follows an entry with nothing after its indicator: a deeper block, a list, or null. */
  private nested(indent: number, inList: boolean): unknown {
    const next = this.peek();
    if (next === undefined || next.indent < indent) return null;
    if (next.indent === indent) {
      // `key:` then `- item` at the key's own indentation is the key's list.
      return !inList && isEntry(next.text) ? this.sequence(indent) : null;
    }
    return isEntry(next.text) ? this.sequence(next.indent) : this.mapping(next.indent);
  }

  /** An inline value must end on its line: a deeper line after it would continue it. */
  private noContinuation(indent: number): void {
    const next = this.peek();
    if (next !== undefined && next.indent > indent) unsure();
  }

  /** `|` or `|-` then lines indented deeper than the entry; the block keeps its line breaks. */
  private literal(line: Line, header: string, indent: number): string {
    const chomp = header[1] === '-' ? 'strip' : 'clip';
    const after = header.slice(chomp === 'strip' ? 2 : 1);
    if (after.trim() !== '' && !/^ +#/.test(after)) unsure();
    const body: string[] = [];
    let contentIndent = -1;
    let at = line.at + 1;
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
    while (this.i < this.lines.length && (this.lines[this.i]?.at ?? 0) < at) this.i++;
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    if (body.length === 0) return '';
    const text = body.join('\n');
    return chomp === 'strip' ? text : `${text}\n`;
  }

  /** A scalar or a one-line flow collection, then at most a comment. */
  private inline(text: string): unknown {
    const c = text[0];
    if (c === '[' || c === '{') {
      const [value, end] = flow(text);
      endOfLine(text, end);
      return value;
    }
    if (c === '"' || c === "'") {
      const [value, end] = quoted(text, 0);
      endOfLine(text, end);
      return value;
    }
    return plain(text, false)[0];
  }
}

const isEntry = (text: string): boolean =>
  text.charCodeAt(0) === 45 /* - */ && (text.length === 1 || text.charCodeAt(1) === 32);

/** Where `key:` ends (the colon), or -1; `required` throws instead. */
function keyEnd(text: string, required = true): number {
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (i + 1 === text.length || next === 32) return i;
  }
  return required ? unsure() : -1;
}

/** Only spaces and a comment may follow a value on its line. */
function endOfLine(text: string, from: number): void {
  let i = from;
  while (text.charCodeAt(i) === 32) i++;
  if (i === text.length) return;
  if (text.charCodeAt(i) !== 35 || i === from) unsure();
}

/** A plain scalar from `text`'s start: to the end (block) or to `,]}` (flow); cut at ` #`. */
function plain(text: string, inFlow: boolean): [unknown, number] {
  const c = text[0] ?? '';
  if (PLAIN_START_REFUSED.has(c) || (c === '-' && (text.length === 1 || ' ,[]{}'.includes(text[1] ?? ''))))
    unsure();
  let end = text.length;
  for (let i = 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 35 /* # */ && text.charCodeAt(i - 1) === 32) {
      end = i;
      break;
    }
    if (ch === 58 /* : */) {
      // `a:b` is text; `a: b`, `a:` at the end, and in a flow `a:,` `a:]` would be a key.
      const next = text[i + 1];
      if (next === undefined || next === ' ' || (inFlow && ',[]{}'.includes(next))) unsure();
    }
    if (ch === 91 || ch === 93 || ch === 123 || ch === 125 /* [ ] { } */) {
      if (!inFlow) unsure();
      end = i;
      break;
    }
    if (ch === 44 /* , */ && inFlow) {
      end = i;
      break;
    }
    if (inFlow && (ch === 34 || ch === 39 || ch === 35)) unsure();
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

/** `[a, b]` or `{k: v, …}` of scalars, on one line: [value, index after the closing bracket]. */
function flow(text: string): [unknown, number] {
  const isList = text[0] === '[';
  const close = isList ? ']' : '}';
  const list: unknown[] = [];
  const map: Record<string, unknown> = {};
  let i = skipSpaces(text, 1);
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
  const [value, end] = plain(text.slice(from), true);
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
