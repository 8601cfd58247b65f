// A config file as the rules see it: its data, and a way to point at a field. Free of the `yaml`
// package, so a run whose files all read cleanly through fast-yaml.ts never loads it: positions
// (and so the full parser, yaml-source.ts) are needed only for reported problems.
import { isDeepStrictEqual } from 'node:util';
import type { ConfigProblem, SourcePosition } from './model.js';
import { formatPath, type FieldPath } from './field-path.js';

export interface YamlSource {
  file: string;
  /** The document as plain data; a mapping (anything else is reported and not returned). */
  data: Record<string, unknown>;
  /**
   * Where to point for `path`:
   * - 'key': the key itself (unknown fields, fields that must be removed);
   * - 'value': a scalar value when it is written out, else its key;
   * - when the path is missing, the deepest existing ancestor (so a problem always has a position).
   */
  locate: (path: FieldPath, target: 'key' | 'value') => SourcePosition;
}

export type ParseOutcome =
  { ok: true; source: YamlSource; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };

/** The full parser (yaml-source.ts), passed in by whoever has loaded it. */
export interface FullParser {
  parseYaml: (file: string, text: string) => ParseOutcome;
}

/** Thrown when a file needs the full parser and none was given; the caller loads it and retries. */
export class NeedsFullParser extends Error {
  constructor(readonly file: string) {
    super(`${file}: needs the full YAML parser`);
  }
}

/**
 * Thrown when a file read by fastParse needs positions and the full parser reads it differently
 * (a YAML problem, or other data). The loader then reads that file with the full parser only.
 */
export class FastReadingDisagrees extends Error {
  constructor(readonly file: string) {
    super(`${file}: the fast YAML reading differs from the full parser's`);
  }
}

/**
 * A source whose data came from fastParse. Rules read `data` as usual; the first problem that needs
 * a position parses the text with the full parser and checks that it reads the same data.
 */
export function fastSource(
  file: string,
  text: string,
  data: Record<string, unknown>,
  full: FullParser | undefined,
): YamlSource {
  let parsed: YamlSource | undefined;
  return {
    file,
    data,
    locate(path, target) {
      if (parsed === undefined) {
        if (full === undefined) throw new NeedsFullParser(file);
        const outcome = full.parseYaml(file, text);
        if (!outcome.ok || outcome.warnings.length > 0 || !isDeepStrictEqual(outcome.source.data, data))
          throw new FastReadingDisagrees(file);
        parsed = outcome.source;
      }
      return parsed.locate(path, target);
    },
  };
}

export function locate(source: YamlSource, path: FieldPath, target: 'key' | 'value'): SourcePosition {
  return source.locate(path, target);
}

/** A problem at `path`, with the field written as a dotted path. */
export function problemAt(
  source: YamlSource,
  path: FieldPath,
  target: 'key' | 'value',
  message: string,
  severity: ConfigProblem['severity'] = 'error',
): ConfigProblem {
  return { ...source.locate(path, target), severity, field: formatPath(path), message };
}
