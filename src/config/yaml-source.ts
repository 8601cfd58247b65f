// One YAML file parsed with node ranges kept, so every problem can point at file:line:col.
import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigProblem, SourcePosition } from './model.js';
import type { FullParser, ParseOutcome, YamlSource } from './config-source.js';
import { linePositions, type LinePositions } from './line-index.js';
import { formatPath, type FieldPath, type PathSegment } from './field-path.js';

export { locate, problemAt, type ParseOutcome, type YamlSource } from './config-source.js';

/** The document with node ranges behind a fully parsed source. */
interface DocumentSource {
  file: string;
  doc: Document.Parsed;
  position: LinePositions;
}

/** The full parser, for the loader (which takes it as a parameter so it can load it lazily). */
export const fullParser: FullParser = { parseYaml: (file, text) => parseYaml(file, text) };

// Billion-laughs guard: the yaml default, stated so a reader sees the bound.
const MAX_ALIAS_COUNT = 100;

export function parseYaml(file: string, text: string): ParseOutcome {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const position = linePositions(text);
  const at = (offset: number): SourcePosition => ({ file, ...position(offset) });
  // After a real syntax error the parser's recovery invents keys, so its duplicate-key reports are
  // noise; and its recovery often adds more errors on the line of the first one (a tab used as
  // indentation also yields "implicit keys…" there), so each line keeps its first syntax error.
  const syntax = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const problems: ConfigProblem[] = [];
  if (syntax.length > 0) {
    const lines = new Set<number>();
    for (const e of syntax) {
      const position = at(openingOffset(doc, e.message, e.pos[0]));
      if (lines.has(position.line)) continue;
      lines.add(position.line);
      // The recovered document is a guess, so a syntax error names no field.
      problems.push({
        ...position,
        severity: 'error',
        field: '',
        message: yamlMessage(e.code, e.message, ''),
      });
    }
  } else {
    for (const e of doc.errors) {
      problems.push({
        ...at(e.pos[0]),
        severity: 'error',
        field: formatPath(pathToOffset(doc.contents, e.pos[0]) ?? []),
        message: yamlMessage(e.code, e.message, keyText(text, e.pos[0])),
      });
    }
  }
  const warnings: ConfigProblem[] = doc.warnings.map((w) => ({
    ...at(w.pos[0]),
    severity: 'warning',
    field: '',
    message: `YAML: ${w.message}`,
  }));
  if (problems.length > 0) return { ok: false, problems: [...problems, ...warnings] };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: 1,
          col: 1,
          severity: 'error',
          field: '',
          message: 'file is empty; expected a mapping of fields',
        },
      ],
    };
  }
  if (!isMap(contents)) {
    const kind = isSeq(contents) ? 'a list' : 'a single value';
    const start = contents.range?.[0] ?? 0;
    return {
      ok: false,
      problems: [
        { ...at(start), severity: 'error', field: '', message: `expected a mapping of fields, got ${kind}` },
      ],
    };
  }
  const unresolved: ConfigProblem[] = [];
  const fail = (offset: number | undefined, message: string): void => {
    const start = offset ?? 0;
    const field = formatPath(pathToOffset(contents, start) ?? []);
    unresolved.push({ ...at(start), severity: 'error', field, message });
  };
  visit(doc, {
    Alias(_key, alias) {
      if (alias.resolve(doc) === undefined) {
        fail(
          alias.range?.[0],
          `YAML: alias *${alias.source} refers to no anchor &${alias.source} defined before it`,
        );
      }
    },
    // A list or mapping used as a key has no JSON form; reject it before conversion mangles it.
    Pair(_key, pair) {
      if (isCollection(pair.key))
        fail(pair.key.range?.[0], 'keys must be plain names, not lists or mappings');
    },
  });
  if (unresolved.length > 0) return { ok: false, problems: unresolved };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err: unknown) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      problems: [{ ...at(contents.range[0]), severity: 'error', field: '', message: `YAML: ${reason}` }],
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      problems: [
        { ...at(contents.range[0]), severity: 'error', field: '', message: 'expected a mapping of fields' },
      ],
    };
  }
  const located: DocumentSource = { file, doc, position };
  const source: YamlSource = {
    file,
    data: data as Record<string, unknown>,
    locate: (path, target) => locateInDocument(located, path, target),
  };
  return { ok: true, source, warnings };
}

/**
 * The parser notices an unclosed `[`, `{` or quote only where the text runs out, often lines later;
 * a person looks for the opening, so point there.
 */
function openingOffset(doc: Document.Parsed, message: string, offset: number): number {
  const flow = /^Flow (sequence|mapping)/.exec(message);
  const quote = /^Missing closing .?quote/.test(message);
  if (flow === null && !quote) return offset;
  let best = offset;
  let bestStart = -1;
  visit(doc, (_key, node) => {
    const start = isNode(node) ? (node.range?.[0] ?? -1) : -1;
    if (start < 0 || start >= offset || start <= bestStart) return;
    const matches =
      flow !== null
        ? isCollection(node) && node.flow === true && (flow[1] === 'sequence') === isSeq(node)
        : isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    if (matches) {
      best = start;
      bestStart = start;
    }
  });
  return best;
}

/**
 * The field path of the node that starts at `offset` (a key, or a value in a list or mapping), so a
 * YAML-level problem names its field: a duplicate `version:` under `chart:` is `chart.version`.
 * A collection used as a key has no name of its own; the path stops at the mapping holding it.
 */
function pathToOffset(node: unknown, offset: number, path: PathSegment[] = []): PathSegment[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      const name = isScalar(key) ? String(key.value) : undefined;
      if (isNode(key) && key.range?.[0] === offset) return name === undefined ? path : [...path, name];
      if (isCollection(key) && contains(key, offset)) return path;
      const inner = pathToOffset(pair.value, offset, name === undefined ? path : [...path, name]);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const inner = pathToOffset(item, offset, [...path, index]);
      if (inner !== undefined) return inner;
    }
    return undefined;
  }
  return isNode(node) && node.range?.[0] === offset ? path : undefined;
}

function contains(node: Node, offset: number): boolean {
  const range = node.range;
  return range != null && range[0] <= offset && offset < range[1];
}

/** The key written at `offset` (the parser's duplicate-key position spans one character only). */
function keyText(text: string, offset: number): string {
  const raw = (/^[^:\n]*/.exec(text.slice(offset))?.[0] ?? '').trim();
  return raw.replace(/^(["'])(.*)\1$/, '$2');
}

function yamlMessage(code: string, message: string, source: string): string {
  if (code === 'DUPLICATE_KEY') {
    return `duplicate key ${JSON.stringify(source.trim())}: it is already set earlier in the same mapping, and only one value can win`;
  }
  if (code === 'MULTIPLE_DOCS')
    return 'a config file holds one YAML document; remove the "---" and what follows it';
  return `YAML syntax: ${message}`;
}

interface Located {
  /** The key of the last pair walked, if the last step was a mapping key. */
  key: Node | undefined;
  /** The node at the deepest step reached. */
  node: Node | undefined;
  /** False when the walk stopped early (the path does not exist in the document). */
  complete: boolean;
}

function resolve(source: DocumentSource, node: unknown): Node | undefined {
  if (isAlias(node)) return resolve(source, node.resolve(source.doc));
  return isScalar(node) || isCollection(node) ? node : undefined;
}

function walk(source: DocumentSource, path: FieldPath): Located {
  let node = resolve(source, source.doc.contents);
  let key: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (pair === undefined) return { key, node, complete: false };
      key = isScalar(pair.key) ? pair.key : undefined;
      node = resolve(source, pair.value);
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = resolve(source, node.items[seg]);
      if (item === undefined) return { key, node, complete: false };
      key = undefined;
      node = item;
    } else {
      return { key, node, complete: false };
    }
  }
  return { key, node, complete: true };
}

function startOf(node: Node | undefined): number | undefined {
  return node?.range?.[0];
}

function locateInDocument(source: DocumentSource, path: FieldPath, target: 'key' | 'value'): SourcePosition {
  const { key, node, complete } = walk(source, path);
  let offset: number | undefined;
  if (complete && target === 'key') offset = startOf(key) ?? startOf(node);
  else if (complete && isScalar(node) && node.range != null && node.range[1] > node.range[0])
    offset = node.range[0];
  else offset = startOf(key) ?? startOf(node);
  return { file: source.file, ...source.position(offset ?? 0) };
}
