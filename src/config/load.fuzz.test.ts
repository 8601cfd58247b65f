// Property test: whatever text arrives, the loader returns a LoadResult whose problems all point
// somewhere real; it never throws.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadFleetFromSources, type ConfigSource } from './load.js';
import type { LoadResult } from './model.js';
import { loadSourcesLazily } from './load-lazy.js';
import { checkCase, fuzzCases, fuzzCorpus } from '../../bench/config-fuzz.js';

const root = join(import.meta.dirname, '..', '..');
const examples: ConfigSource[] = [];
for (const cluster of readdirSync(join(root, 'config', 'clusters'))) {
  const dir = join('config', 'clusters', cluster);
  examples.push({ path: `${dir}/cluster.yaml`, text: readFileSync(join(root, dir, 'cluster.yaml'), 'utf8') });
  for (const hub of readdirSync(join(root, dir, 'hubs'))) {
    examples.push({ path: `${dir}/hubs/${hub}`, text: readFileSync(join(root, dir, 'hubs', hub), 'utf8') });
  }
}
const HUB_PATH = 'config/clusters/pangeo-gcp/hubs/ocean.yaml';
const CLUSTER_PATH = 'config/clusters/pangeo-gcp/cluster.yaml';
const RUNS = 100;

/** True when line:col (1-based) is a place in `text`: a character, or the end of a line. */
function insideText(text: string, line: number, col: number): boolean {
  const lines = text.split(/\r?\n|\r/);
  const content = lines[line - 1];
  return content !== undefined && col <= content.length + 1;
}

function expectWellFormed(result: LoadResult, sources: readonly ConfigSource[]): void {
  const problems = result.ok ? result.warnings : result.problems;
  if (!result.ok) expect(problems.some((p) => p.severity === 'error')).toBe(true);
  for (const p of problems) {
    expect(sources.map((s) => s.path)).toContain(p.file);
    expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
    expect(Number.isInteger(p.col) && p.col >= 1).toBe(true);
    // The position lies inside the document it names (one of them, when a path is given twice).
    const texts = sources.filter((s) => s.path === p.file).map((s) => s.text);
    expect({ problem: p, inside: texts.some((t) => insideText(t, p.line, p.col)) }).toEqual({
      problem: p,
      inside: true,
    });
    expect(typeof p.field).toBe('string');
    expect(typeof p.message === 'string' && p.message.length > 0).toBe(true);
    expect(['error', 'warning']).toContain(p.severity);
  }
}

/** The fleet with one file replaced by `text`. */
function withFile(path: string, text: string): ConfigSource[] {
  return examples.map((s) => (s.path === path ? { path, text } : s));
}

function check(sources: ConfigSource[]): void {
  expectWellFormed(loadFleetFromSources(sources), sources);
}

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = []): Path[] {
  const children: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => children.push(...allPaths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) children.push(...allPaths(v, [...prefix, k]));
  }
  return prefix.length === 0 ? children : [prefix, ...children];
}

/** Deletes (replacement undefined) or replaces the value at `path`, in place. */
function mutate(doc: unknown, path: Path, replacement: unknown): void {
  let node = doc;
  for (const seg of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[seg];
  const last = path[path.length - 1];
  if (last === undefined || typeof node !== 'object' || node === null) return;
  if (replacement !== undefined) (node as Record<string | number, unknown>)[last] = replacement;
  else if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete (node as Record<string | number, unknown>)[last];
}

const yamlish = fc.string({
  unit: fc.constantFrom(...': -[]{}#&*!|>\'"%@`\n\t ab1.,?~'.split('')),
  maxLength: 80,
});

describe('loadFleetFromSources on generated input', () => {
  it('handles random JSON-like values dumped to YAML, as a hub or as a cluster', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, asHub) => {
        check(withFile(asHub ? HUB_PATH : CLUSTER_PATH, stringify(value)));
      }),
      { numRuns: RUNS },
    );
  });

  it('handles random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), yamlish), fc.boolean(), (text, asHub) => {
        check(withFile(asHub ? HUB_PATH : CLUSTER_PATH, text));
      }),
      { numRuns: RUNS },
    );
  });

  it('handles example documents with keys deleted or values changed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.nat(),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (example, pick, replacement) => {
          const doc: unknown = parse(example.text);
          const paths = allPaths(doc);
          const path = paths[pick % paths.length];
          if (path !== undefined) mutate(doc, path, replacement);
          check(withFile(example.path, stringify(doc)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('handles example documents with garbage lines inserted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.nat(), yamlish, (example, at, garbage) => {
        const lines = example.text.split('\n');
        lines.splice(at % (lines.length + 1), 0, garbage);
        check(withFile(example.path, lines.join('\n')));
      }),
      { numRuns: RUNS },
    );
  });

  it('gives the same result through the CLI loader, which loads the full parser only when needed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...examples), fc.nat(), yamlish, async (example, at, garbage) => {
        const lines = example.text.split('\n');
        lines.splice(at % (lines.length + 1), 0, garbage);
        const sources = withFile(example.path, lines.join('\n'));
        expect(await loadSourcesLazily(sources)).toEqual(loadFleetFromSources(sources));
      }),
      { numRuns: RUNS },
    );
  });

  it('handles odd paths and duplicated files', () => {
    const path = fc.oneof(
      fc.constantFrom(
        HUB_PATH,
        CLUSTER_PATH,
        'config/clusters/x/hubs/.yaml',
        'clusters/a/hubs/b.yml',
        'hubs/x.yaml',
        '',
      ),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ path, text: fc.oneof(yamlish, fc.constantFrom(...examples.map((e) => e.text))) }),
          { maxLength: 4 },
        ),
        (extra) => {
          check([...examples, ...extra]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('the hub-file fuzzer (bench/config-fuzz.ts; 10,000 documents in npm run bench)', () => {
  const corpus = fuzzCorpus(join(root, 'config'), root);

  it('mutated hub files: no crash, every refusal at file:line, accepted ones render with owned values unchanged', () => {
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fuzzCases(corpus), (c) => {
        const verdict = checkCase(corpus, c);
        if (verdict.outcome === 'violation') throw new Error(`${verdict.why}\nmutation: ${c.mutation}`);
        seen[verdict.outcome] += 1;
      }),
      { numRuns: 300 },
    );
    // The mutations reach both sides: some survive validation (and are rendered), some do not.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
