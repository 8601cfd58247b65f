// `hubfleet affected`: a cluster.yaml that switches gcp.createCluster from true to false is
// refused (src/plan/cluster-handover.ts). One line per cluster on stderr, an annotation per file
// inside GitHub Actions (on stdout, as `validate` prints them), and a closing count.
import jsYaml from 'js-yaml';
import { filesAtRef } from '../adapters/git.js';
import { isRecord } from '../config/field-path.js';
import type { Fleet } from '../config/model.js';
import { classifyPath, type ChangedFile } from '../plan/change-plan.js';
import { handoversFrom, type ClusterHandover } from '../plan/cluster-handover.js';
import { reportGate, type GateIo } from './gate-report.js';

/**
 * The handovers between `base` and the fleet at head. Only a changed cluster.yaml can switch
 * createCluster, so only those files are read at `base` (not the whole fleet again): a cluster whose
 * base file said `gcp.createCluster: true`. A base file that is missing or does not parse created
 * nothing hubfleet could have managed.
 */
export async function handoversSince(
  configDir: string,
  base: string,
  changes: readonly ChangedFile[],
  head: Fleet,
): Promise<ClusterHandover[]> {
  const changed = changes.flatMap((c) => {
    const kind = c.outsideConfig === true || c.status === 'deleted' ? undefined : classifyPath(c.path);
    return kind?.kind === 'cluster-file' ? [kind.cluster] : [];
  });
  if (changed.length === 0) return [];
  const createdAtBase = new Set<string>();
  for (const cluster of changed) {
    let files;
    try {
      files = await filesAtRef(configDir, base, `clusters/${cluster}/cluster.yaml`);
    } catch {
      continue;
    }
    for (const file of files) {
      if (file.symlink) continue;
      let data: unknown;
      try {
        data = jsYaml.load(file.text, { schema: jsYaml.JSON_SCHEMA });
      } catch {
        continue;
      }
      if (isRecord(data) && isRecord(data.gcp) && data.gcp.createCluster === true) createdAtBase.add(cluster);
    }
  }
  return handoversFrom(createdAtBase, head);
}

/** Prints the refused switches; the exit code: 1 when there is any, else 0. */
export function reportClusterHandovers(
  refused: readonly ClusterHandover[],
  repoPath: (configPath: string) => string,
  io: GateIo,
): number {
  return reportGate(
    refused,
    {
      title: 'createCluster switch refused',
      closing: (n) =>
        `${n} cluster${n === 1 ? '' : 's'} switched from createCluster: true to false: refused (the plan would destroy ${n === 1 ? 'it' : 'them'})`,
    },
    repoPath,
    io,
  );
}
