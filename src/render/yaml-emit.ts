// A small block-style YAML emitter for plain data (objects, arrays, strings, finite numbers,
// booleans, null). The `yaml` package renders the same documents about 20× slower, which a fleet of
// a thousand hubs notices. Quoting is deliberately conservative: a string is left plain only when
// no YAML 1.1 (go-yaml, used by helm and kubectl) or 1.2 reader could take it for anything else.
// Tests round-trip arbitrary data through the `yaml` parser in both versions.
import { memoized } from '../memo.js';

/** Words that YAML 1.1 or 1.2 read as booleans or null when unquoted (compared lowercased). */
const RESERVED_WORDS = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']);
/** Starts with a letter, `_`, `/` or `$`; then only characters with no special meaning inside a plain scalar. */
const PLAIN = /^[A-Za-z_/$][A-Za-z0-9_\-./:@$()=+~]*$/;
/** C0/C1 controls, DEL, line and paragraph separators, BOM: never left to a reader's interpretation. */
function isControl(code: number, allowNewlineAndTab: boolean): boolean {
  if (allowNewlineAndTab && (code === 0x0a || code === 0x09)) return false;
  return (
    code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff
  );
}

function hasControl(s: string, allowNewlineAndTab: boolean): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i), allowNewlineAndTab)) return true;
  return false;
}

function isPlain(s: string): boolean {
  return PLAIN.test(s) && !s.endsWith(':') && !RESERVED_WORDS.has(s.toLowerCase());
}

/** A key as written, once per key: a fleet's files repeat the same few hundred keys. */
const keyText = memoized((key) => inlineScalar(key));

/** A scalar on the same line as its key or dash. */
function inlineScalar(s: string): string {
  if (isPlain(s)) return s;
  if (!hasControl(s, false)) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

/**
 * A double-quoted scalar in which every character a YAML reader could drop, fold or refuse is an
 * escape: C0 controls, DEL and C1 (YAML 1.2 §5.1 leaves them out of the printable set; NEL U+0085,
 * LS U+2028 and PS U+2029 are line breaks in YAML 1.1, which go-yaml reads, so a raw one would be
 * folded into a space), and the BOM U+FEFF. JSON.stringify alone escapes only C0, `"` and `\`.
 * `\xNN` and `\uNNNN` are escapes in YAML 1.1 and 1.2 (§5.7).
 */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * Multi-line text as a literal block (`|` keeps one final newline, `|-` none), or undefined when a
 * block could not carry it exactly: leading blank on the first line (would need an indentation
 * indicator), whitespace-only lines (read back as empty), several trailing newlines, \r or controls.
 */
function literalBlock(s: string): { header: string; lines: string[] } | undefined {
  if (!s.includes('\n') || hasControl(s, true) || s.endsWith('\n\n')) return undefined;
  const header = s.endsWith('\n') ? '|' : '|-';
  const lines = (header === '|' ? s.slice(0, -1) : s).split('\n');
  const first = lines[0] ?? '';
  if (first === '' || first.startsWith(' ') || first.startsWith('\t')) return undefined;
  if (lines.some((l) => l !== '' && l.trim() === '')) return undefined;
  return { header, lines };
}

/**
 * A literal block's lines indented by `indent` spaces, joined: the same text (a snippet rendered
 * into every hub) at the same indentation is built once per process (at most BLOCK_MEMO_LIMIT).
 */
const blocks = new Map<string, Map<number, { header: string; body: string } | undefined>>();
const BLOCK_MEMO_LIMIT = 1000;

function indentedBlock(s: string, indent: number): { header: string; body: string } | undefined {
  let byIndent = blocks.get(s);
  if (byIndent?.has(indent) === true) return byIndent.get(indent);
  const block = literalBlock(s);
  const inner = ' '.repeat(indent);
  const built =
    block === undefined
      ? undefined
      : { header: block.header, body: block.lines.map((l) => (l === '' ? '' : `${inner}${l}`)).join('\n') };
  if (byIndent === undefined) {
    if (blocks.size >= BLOCK_MEMO_LIMIT) blocks.clear();
    byIndent = new Map();
    blocks.set(s, byIndent);
  }
  byIndent.set(indent, built);
  return built;
}

/**
 * YAML 1.2 §7.4 (and go-yaml's reader) limit an implicit key to 1024 characters as written, quotes
 * and escapes included; nothing hubfleet renders comes near.
 */
export const MAX_KEY_LENGTH = 1024;

/** `key` as the emitter writes it (quotes and escapes included); the validator measures it. */
export function writtenKey(key: string): string {
  return inlineScalar(key);
}

function unwritableKeyReason(key: string): string {
  return `cannot write a ${key.length}-character key as YAML: a key is at most ${MAX_KEY_LENGTH} characters as written (quotes and escapes included)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as YAML`);
    return Object.is(value, -0) ? '0' : String(value);
  }
  if (typeof value === 'string') return inlineScalar(value);
  throw new TypeError(`cannot write a ${typeof value} as YAML`);
}

/**
 * The order an emit writes a mapping's keys in. `keys` may refuse a value (by throwing) that the
 * writer's caller does not take; `strict` refuses a missing list item instead of writing null.
 */
export interface KeyOrder {
  keys(record: Record<string, unknown>, top: boolean): string[];
  strict: boolean;
}

/** The keys as the object has them (undefined values are skipped when written). */
const AS_GIVEN: KeyOrder = { keys: (record) => Object.keys(record), strict: false };

/**
 * Appends `value` placed after `lead` (`key:` or `-`), continuation lines at `indent` spaces.
 */
function emitAfter(
  out: string[],
  lead: string,
  value: unknown,
  indent: number,
  pad: string,
  order: KeyOrder,
): void {
  if (Array.isArray(value) && value.length > 0) {
    if (lead.endsWith(':')) {
      out.push(`${pad}${lead}`);
      emitSequence(out, value, indent, order);
    } else {
      emitSequence(out, value, indent, order, `${pad}${lead} `);
    }
    return;
  }
  if (isRecord(value)) {
    const keys = order.keys(value, false);
    if (keys.length > 0) {
      if (lead.endsWith(':')) {
        out.push(`${pad}${lead}`);
        emitMapping(out, value, keys, indent, order);
      } else {
        emitMapping(out, value, keys, indent, order, `${pad}${lead} `);
      }
      return;
    }
  }
  if (Array.isArray(value)) return void out.push(`${pad}${lead} []`);
  if (isRecord(value)) return void out.push(`${pad}${lead} {}`);
  if (typeof value === 'string' && value.includes('\n')) {
    const block = indentedBlock(value, indent);
    if (block !== undefined) {
      out.push(`${pad}${lead} ${block.header}`, block.body);
      return;
    }
  }
  out.push(`${pad}${lead} ${scalarText(value)}`);
}

/** `firstPad` replaces the indentation of the first line (a `- ` of an enclosing sequence item). */
function emitMapping(
  out: string[],
  value: Record<string, unknown>,
  keys: readonly string[],
  indent: number,
  order: KeyOrder,
  firstPad?: string,
): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const key of keys) {
    const item = value[key];
    if (item === undefined) continue;
    const written = keyText(key);
    if (written.length > MAX_KEY_LENGTH) throw new TypeError(unwritableKeyReason(key));
    emitAfter(out, `${written}:`, item, indent + 2, first && firstPad !== undefined ? firstPad : pad, order);
    first = false;
  }
}

function emitSequence(
  out: string[],
  value: readonly unknown[],
  indent: number,
  order: KeyOrder,
  firstPad?: string,
): void {
  const pad = ' '.repeat(indent);
  value.forEach((item, i) => {
    if (item === undefined && order.strict) throw new TypeError('cannot write a missing list item');
    emitAfter(
      out,
      '-',
      item === undefined ? null : item,
      indent + 2,
      i === 0 && firstPad !== undefined ? firstPad : pad,
      order,
    );
  });
}

/** One YAML document body (no `---`), ending in a newline; mappings' keys in `order`. */
export function emitYaml(value: unknown, order: KeyOrder = AS_GIVEN): string {
  const out: string[] = [];
  const keys = isRecord(value) ? order.keys(value, true) : [];
  if (isRecord(value) && keys.length > 0) emitMapping(out, value, keys, 0, order);
  else if (Array.isArray(value) && value.length > 0) emitSequence(out, value, 0, order);
  else if (Array.isArray(value)) out.push('[]');
  else if (isRecord(value)) out.push('{}');
  else {
    const block = typeof value === 'string' ? literalBlock(value) : undefined;
    if (block !== undefined) out.push(block.header, ...block.lines.map((l) => (l === '' ? '' : `  ${l}`)));
    else out.push(scalarText(value));
  }
  return `${out.join('\n')}\n`;
}
