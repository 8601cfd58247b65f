// The hub-file fuzzer, shared by the test (src/config/load.fuzz.test.ts, a few hundred documents)
// and the bench (bench/sections/60-config-fuzz.ts, 10,000 documents and their rate). It mutates
// the example fleet's valid hub files the way a careless or hostile requester would (fields
// deleted or replaced, keys added anywhere, hubfleet's owned values set, text garbled, awkward
// scalars: .inf, integers past 2^53, lone surrogates, control characters) and checks each result:
//   - the loader never throws, and a refused file's every problem names a file and a line:column
//     inside that file;
//   - an accepted file renders, and every value hubfleet owns (src/config/owned-values.ts, which
//     includes the authenticator class) is byte-identical to the unmutated file's render. As the
//     owned set grows (the trust model), the property grows with it.
// Bounded: every document is the example plus at most a few hundred characters, and the loader's
// alias limit bounds expansion; a hang shows as the test's timeout.
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { loadFleetFromSources, type ConfigSource } from '../src/config/load.js';
import type { LoadedCluster, LoadedHub, Provider } from '../src/config/model.js';
import { ownedValues, Z2JH_VALUES_ROOT } from '../src/config/owned-values.js';
import { readConfigDir } from '../src/config/read-config-dir.js';
import { getPath } from '../src/render/deep-merge.js';
import { renderHelmValues } from '../src/render/values.js';
import { renderHubFiles } from '../src/render/files.js';
import { errorMessage } from '../src/errors.js';

export interface FuzzCase {
  /** The fleet with one hub file replaced. */
  sources: ConfigSource[];
  /** The path of the mutated hub file. */
  target: string;
  /** What was done, for a failure report. */
  mutation: string;
}

export interface FuzzCorpus {
  sources: ConfigSource[];
  hubPaths: string[];
  /** Per hub file: owned path (without the chart root) → JSON of the unmutated render there. */
  owned: Map<string, Map<string, string>>;
}

type Path = (string | number)[];

/** The example fleet under `configDir`, and what its unmutated hubs render at every owned path. */
export function fuzzCorpus(configDir: string, displayRoot: string): FuzzCorpus {
  const { sources } = readConfigDir(configDir, { displayRoot });
  const result = loadFleetFromSources(sources);
  if (!result.ok) throw new Error(`the fleet to fuzz must validate: ${JSON.stringify(result.problems[0])}`);
  const owned = new Map<string, Map<string, string>>();
  for (const cluster of result.fleet.clusters) {
    for (const hub of cluster.hubs) owned.set(hub.file, ownedRender(cluster, hub));
  }
  return { sources, hubPaths: [...owned.keys()].sort(), owned };
}

function ownedPaths(provider: Provider, hub: string): string[][] {
  return ownedValues(provider, hub).map((o) => [...o.path]);
}

function ownedRender(cluster: LoadedCluster, hub: LoadedHub): Map<string, string> {
  const values = renderHelmValues(cluster, hub);
  const root = Z2JH_VALUES_ROOT[hub.config.chart.name];
  const out = new Map<string, string>();
  for (const path of ownedPaths(cluster.config.provider, hub.config.name)) {
    out.set(JSON.stringify(path), JSON.stringify(getPath(values, [...root, ...path])) ?? 'undefined');
  }
  return out;
}

function allPaths(value: unknown, prefix: Path = []): Path[] {
  const children: Path[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => children.push(...allPaths(v, [...prefix, i])));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) children.push(...allPaths(v, [...prefix, k]));
  }
  return [prefix, ...children];
}

type Node = Record<string | number, unknown>;

function setAt(doc: unknown, path: Path, value: unknown): void {
  let node = doc as Node;
  for (const seg of path.slice(0, -1)) {
    const next = node[seg];
    if (typeof next !== 'object' || next === null) node[seg] = {};
    node = node[seg] as Node;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

function deleteAt(doc: unknown, path: Path): void {
  let node = doc as Node;
  for (const seg of path.slice(0, -1)) node = node[seg] as Node;
  const last = path[path.length - 1];
  if (last === undefined || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else delete node[last];
}

/** Scalars that a reader may change or refuse; written into the text as they stand. */
const AWKWARD_SCALARS = [
  '.inf',
  '-.Inf',
  '.nan',
  '9007199254740993',
  '123456789012345678901234567890',
  '0x20000000000001',
  '"\\ud800"',
  '"a\\u0085b"',
  '"\\u2028"',
  '"\\ufeff"',
  '"\\x7f"',
  '\'{ "default": "x-iap" }\'',
  '~',
  'null',
  '[]',
  '{}',
  "''",
];

const key = fc.oneof(
  fc.constantFrom(
    'hub',
    'proxy',
    'singleuser',
    'jupyterhub',
    'config',
    'extraConfig',
    'service',
    'type',
    'annotations',
    'cloud.google.com/backend-config',
    'serviceAccountName',
    'JupyterHub',
    'authenticator_class',
    'https',
    'enabled',
    'cloudMetadata',
    'blockWithIptables',
    'custom',
    '__proto__',
  ),
  fc.string({ maxLength: 12 }),
);

const garbage = fc.string({
  unit: fc.constantFrom(...': -[]{}#&*!|>\'"%@`\n\t ab1.,?~\\'.split('')),
  maxLength: 60,
});

const operation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({
    op: fc.constant('add' as const),
    pick: fc.nat(),
    key,
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('NodePort', 'ClusterIP', true, false)),
  }),
  fc.record({
    op: fc.constant('owned' as const),
    pick: fc.nat(),
    depth: fc.nat(),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom('NodePort', 'ClusterIP', 'dummy', 'user-sa'),
    ),
  }),
  fc.record({ op: fc.constant('line' as const), pick: fc.nat(), text: garbage }),
  fc.record({
    op: fc.constant('scalar' as const),
    pick: fc.nat(),
    scalar: fc.constantFrom(...AWKWARD_SCALARS),
  }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, op: Operation, provider: Provider, hubName: string): string {
  if (op.op === 'line') {
    const lines = text.split('\n');
    lines.splice(op.pick % (lines.length + 1), 0, op.text);
    return lines.join('\n');
  }
  if (op.op === 'scalar') {
    // Replace the value of one `key: value` line, keeping the key and indentation.
    const lines = text.split('\n');
    const candidates = lines.flatMap((l, i) => (/^\s*[\w.-]+: \S/.test(l) ? [i] : []));
    const at = candidates[op.pick % Math.max(candidates.length, 1)];
    if (at === undefined) return text;
    lines[at] = (lines[at] ?? '').replace(/: .*$/, `: ${op.scalar}`);
    return lines.join('\n');
  }
  // js-yaml reads and writes the documents: the generator is not what is measured, and it is
  // ~10x faster than the `yaml` package here.
  let doc: unknown;
  try {
    doc = jsYaml.load(text);
  } catch {
    return text; // an earlier operation left no YAML to edit structurally
  }
  if (typeof doc !== 'object' || doc === null) return text;
  const paths = allPaths(doc);
  const path = paths[op.pick % paths.length] ?? [];
  if (op.op === 'delete') deleteAt(doc, path);
  else if (op.op === 'replace') {
    if (path.length === 0) return write(op.value);
    setAt(doc, path, op.value);
  } else if (op.op === 'add') {
    const mappings = paths.filter((p) => {
      const node = p.reduce<unknown>((n, s) => (n as Node)[s], doc);
      return typeof node === 'object' && node !== null && !Array.isArray(node);
    });
    setAt(doc, [...(mappings[op.pick % mappings.length] ?? []), op.key], op.value);
  } else {
    const chart = (doc as { chart?: { name?: unknown } }).chart?.name === 'daskhub' ? 'daskhub' : 'basehub';
    const owned = ownedPaths(provider, hubName);
    const target = owned[op.pick % owned.length] ?? [];
    const prefix = target.slice(0, 1 + (op.depth % target.length));
    setAt(doc, ['values', ...Z2JH_VALUES_ROOT[chart], ...prefix], op.value);
  }
  return write(doc);
}

function write(value: unknown): string {
  return jsYaml.dump(value, { lineWidth: -1 });
}

/** Mutated fleets: one hub file of the corpus changed by one or two operations. */
export function fuzzCases(corpus: FuzzCorpus): fc.Arbitrary<FuzzCase> {
  const providers = new Map<string, Provider>();
  for (const s of corpus.sources) {
    const m = /clusters\/([^/]+)\/cluster\.yaml$/.exec(s.path);
    if (m?.[1] !== undefined) providers.set(m[1], /provider: aws/.test(s.text) ? 'aws' : 'gcp');
  }
  return fc
    .record({
      target: fc.constantFrom(...corpus.hubPaths),
      ops: fc.array(operation, { minLength: 1, maxLength: 2 }),
    })
    .map(({ target, ops }) => {
      const m = /clusters\/([^/]+)\/hubs\/([^/]+)\.yaml$/.exec(target);
      const provider = providers.get(m?.[1] ?? '') ?? 'gcp';
      const original = corpus.sources.find((s) => s.path === target)?.text ?? '';
      const text = ops.reduce((t, op) => apply(t, op, provider, m?.[2] ?? ''), original);
      return {
        target,
        mutation: JSON.stringify(ops),
        sources: corpus.sources.map((s) => (s.path === target ? { path: target, text } : s)),
      };
    });
}

/** True when line:col (1-based) is a place in `text`: a character, or the end of a line. */
function insideText(text: string, line: number, col: number): boolean {
  const content = text.split(/\r?\n|\r/)[line - 1];
  return content !== undefined && col <= content.length + 1;
}

export type FuzzVerdict = { outcome: 'accepted' | 'refused' } | { outcome: 'violation'; why: string };

/** Loads, and renders what is accepted; says whether the properties above hold for one case. */
export function checkCase(corpus: FuzzCorpus, c: FuzzCase): FuzzVerdict {
  const violation = (why: string): FuzzVerdict => ({ outcome: 'violation', why });
  let result;
  try {
    result = loadFleetFromSources(c.sources);
  } catch (err: unknown) {
    return violation(`the loader threw: ${errorMessage(err)}`);
  }
  if (!result.ok) {
    if (!result.problems.some((p) => p.severity === 'error')) return violation('refused without an error');
    for (const p of result.problems) {
      const texts = c.sources.filter((s) => s.path === p.file).map((s) => s.text);
      if (!texts.some((t) => insideText(t, p.line, p.col)))
        return violation(`problem not at a line of its file: ${JSON.stringify(p)}`);
    }
    return { outcome: 'refused' };
  }
  for (const cluster of result.fleet.clusters) {
    for (const hub of cluster.hubs) {
      if (hub.file !== c.target) continue;
      try {
        renderHubFiles(cluster, hub);
      } catch (err: unknown) {
        return violation(`validate accepted what render refuses: ${errorMessage(err)}`);
      }
      const before = corpus.owned.get(hub.file);
      const after = ownedRender(cluster, hub);
      for (const [path, json] of after) {
        if (before?.get(path) !== json)
          return violation(`owned value ${path} renders as ${json}, unmutated ${before?.get(path) ?? '?'}`);
      }
    }
  }
  return { outcome: 'accepted' };
}
