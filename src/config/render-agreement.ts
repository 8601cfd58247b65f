// What `render` refuses, refused first by `validate` with file:line: the checks below run the
// renderer's own functions (src/render) on a fleet that passed every other rule, so the two cannot
// drift apart. A fleet that validates renders; the fuzz test (load.fuzz.test.ts) holds them to it.
// Render's refusal of literal secrets needs no check here: secret-rules.ts runs the same detector
// (findSecrets, src/config/secret-values.ts) over every hub and platform file's values first.
import type { ConfigProblem, Fleet, LoadedCluster, LoadedHub } from './model.js';
import { locate, problemAt, type YamlSource } from './config-source.js';
import { HubfleetError } from '../errors.js';
import { bucketName, cloudScope, scopedNames, type ScopedName } from '../render/names.js';
import { domainOutsideZone } from './dns-zone.js';
import { restrictedEgressRules } from './network-rules.js';
import { mirrorImageProblems } from './image-rules.js';

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
      const outside = domainOutsideZone(cluster.config, hub.config.domain);
      if (outside !== undefined) problems.push(problemAt(source, ['domain'], 'value', outside));
      problems.push(...mirrorImageProblems(cluster, hub.config.values, source));
      const platformSource = hub.platform === undefined ? undefined : sources.get(hub.platform.file);
      if (platformSource !== undefined) {
        problems.push(...mirrorImageProblems(cluster, hub.platform?.values, platformSource));
      }
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
  problems.push(...restrictedEgressRules(fleet, sources));
  return problems;
}

function where(source: YamlSource): string {
  const { file, line } = locate(source, ['name'], 'value');
  return `${file}:${line}`;
}
