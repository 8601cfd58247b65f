// One YAML file parsed with node ranges kept, so every problem can point at file:line:col.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import type { ConfigProblem, SourcePosition } from './model.js';
import { formatPath, type FieldPath } from './field-path.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data; a mapping (anything else is reported and not returned). */
  data: Record<string, unknown>;
}

export type ParseOutcome =
  { ok: true; source: YamlSource; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

// Billion-laughs guard: the yaml default, stated so a reader sees the bound.
const MAX_ALIAS_COUNT = 100;

export function parseYaml(file: string, text: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => ({ file, ...lineCounter.linePos(offset) });
  const problems: ConfigProblem[] = doc.errors.map((e) => ({
    ...at(e.pos[0]),
    severity: 'error',
    field: '',
    message: yamlMessage(e.code, e.message),
  }));
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
  return { ok: true, source: { file, doc, lineCounter, data: data as Record<string, unknown> }, warnings };
}

function yamlMessage(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') return 'duplicate key: this key is already set earlier in the same mapping';
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

function resolve(source: YamlSource, node: unknown): Node | undefined {
  if (isAlias(node)) return resolve(source, node.resolve(source.doc));
  return isScalar(node) || isCollection(node) ? node : undefined;
}

function walk(source: YamlSource, path: FieldPath): Located {
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

/**
 * Where to point for `path`:
 * - 'key': the key itself (unknown fields, fields that must be removed);
 * - 'value': a scalar value when it is written out, else its key (block mappings start on the next line,
 *   and an empty value has no text of its own);
 * - when the path is missing, the deepest existing ancestor (so a problem always has a position).
 */
export function locate(source: YamlSource, path: FieldPath, target: 'key' | 'value'): SourcePosition {
  const { key, node, complete } = walk(source, path);
  let offset: number | undefined;
  if (complete && target === 'key') offset = startOf(key) ?? startOf(node);
  else if (complete && isScalar(node) && node.range != null && node.range[1] > node.range[0])
    offset = node.range[0];
  else offset = startOf(key) ?? startOf(node);
  return { file: source.file, ...source.lineCounter.linePos(offset ?? 0) };
}

/** A problem at `path`, with the field written as a dotted path. */
export function problemAt(
  source: YamlSource,
  path: FieldPath,
  target: 'key' | 'value',
  message: string,
  severity: ConfigProblem['severity'] = 'error',
): ConfigProblem {
  return { ...locate(source, path, target), severity, field: formatPath(path), message };
}
