// What `render` refuses, refused first by `validate` with file:line: the checks below run the
// renderer's own functions (src/render) on a fleet that passed every other rule, so the two cannot
// drift apart. A fleet that validates renders; the fuzz test (load.fuzz.test.ts) holds them to it.
import type { ConfigProblem, Fleet, LoadedCluster, LoadedHub } from './model.js';
import { isRecord, type PathSegment } from './field-path.js';
import { locate, problemAt, type YamlSource } from './config-source.js';
import { HubfleetError } from '../errors.js';
import { bucketName, cloudScope, scopedNames, type ScopedName } from '../render/names.js';
import { findSecretValues } from '../render/secret-scan.js';
import { domainOutsideZone } from './dns-zone.js';

/** The field path behind one of findSecretValues' dotted paths (keys may hold dots themselves). */
export function dottedToPath(data: unknown, dotted: string): PathSegment[] | undefined {
  if (dotted === '') return [];
  if (Array.isArray(data)) {
    const [head, ...rest] = dotted.split('.');
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0 || index >= data.length) return undefined;
    const inner = dottedToPath(data[index], rest.join('.'));
    return inner === undefined ? undefined : [index, ...inner];
  }
  if (!isRecord(data)) return undefined;
  // Longest key first: `a.b` as one key wins over `a` then `b`.
  const keys = Object.keys(data)
    .filter((k) => dotted === k || dotted.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length);
  for (const key of keys) {
    const inner = dottedToPath(data[key], dotted.slice(key.length + 1));
    if (inner !== undefined) return [key, ...inner];
  }
  return undefined;
}

function secretProblems(hub: LoadedHub, source: YamlSource): ConfigProblem[] {
  const values = hub.config.values;
  if (values === undefined || !mayHoldSecretKeys(values)) return [];
  return findSecretValues(values).map((dotted) =>
    problemAt(
      source,
      ['values', ...(dottedToPath(values, dotted) ?? [])],
      'value',
      'is a literal secret, which render refuses: rendered values are committed and logged; put it in a GitHub secret and reference it through a Kubernetes Secret (valueFrom.secretKeyRef)',
    ),
  );
}

function bucketProblems(cluster: LoadedCluster, hub: LoadedHub, source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const scope = cloudScope(cluster);
  for (const key of Object.keys(hub.config.buckets ?? {})) {
    try {
      bucketName(scope, cluster.config.name, hub.config.name, key);
    } catch (err: unknown) {
      if (!(err instanceof HubfleetError)) throw err;
      problems.push(problemAt(source, ['buckets', key], 'key', `${err.message}: ${err.hint ?? ''}`));
    }
  }
  return problems;
}

function describeName(n: ScopedName): string {
  return `${n.kind} name ${n.name}`;
}

/**
 * False only when no key of `values` can be one the secret scan flags: it lowercases a key, strips
 * `-` and `_` and looks for these endings (src/render/secret-scan.ts). Tested on the values as JSON
 * (native, so much cheaper than the scan's own walk); JSON keeps every key's characters but `"`,
 * `\\` and controls, none of which is in these words.
 */
const SECRET_WORDS = /token|secret|passw|apikey|privatekey|cryptkey/;
function mayHoldSecretKeys(values: Record<string, unknown>): boolean {
  return SECRET_WORDS.test(JSON.stringify(values).toLowerCase().replace(/[-_]/g, ''));
}

/** Problems render would throw for, at the file and line that cause them. */
export function renderAgreementRules(
  fleet: Fleet,
  sources: ReadonlyMap<string, YamlSource>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Map<string, { hub: LoadedHub; name: ScopedName }>();
  for (const cluster of fleet.clusters) {
    for (const hub of cluster.hubs) {
      const source = sources.get(hub.file);
      if (source === undefined) continue;
      problems.push(...secretProblems(hub, source));
      const outside = domainOutsideZone(cluster.config, hub.config.domain);
      if (outside !== undefined) problems.push(problemAt(source, ['domain'], 'value', outside));
      let names: ScopedName[];
      try {
        names = scopedNames(cluster, hub);
      } catch (err: unknown) {
        // scopedNames refuses a bucket name Cloud Storage would refuse; say which bucket.
        if (!(err instanceof HubfleetError)) throw err;
        problems.push(...bucketProblems(cluster, hub, source));
        continue;
      }
      for (const name of names) {
        const key = `${name.kind}\0${name.scope}\0${name.name}`;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, { hub, name });
          continue;
        }
        const firstSource = sources.get(first.hub.file);
        const at = firstSource === undefined ? first.hub.file : where(firstSource);
        problems.push(
          problemAt(
            source,
            ['name'],
            'value',
            `the ${describeName(name)} hubfleet derives for ${cluster.config.name}/${hub.config.name} is also derived for ${first.name.cluster}/${first.name.hub} (${at}); Terraform would manage one resource for both: rename one of the hubs or clusters`,
          ),
        );
      }
    }
  }
  return problems;
}

function where(source: YamlSource): string {
  const { file, line } = locate(source, ['name'], 'value');
  return `${file}:${line}`;
}
