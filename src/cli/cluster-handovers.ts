// `hubfleet affected`: a cluster.yaml that switches gcp.createCluster from true to false is
// refused (src/plan/cluster-handover.ts). One line per cluster on stderr, an annotation per file
// inside GitHub Actions (on stdout, as `validate` prints them), and a closing count.
import { filesAtRef } from '../adapters/git.js';
import { loadSourcesLazily } from '../config/load-lazy.js';
import type { Fleet } from '../config/model.js';
import { createClusterHandovers, type ClusterHandover } from '../plan/cluster-handover.js';
import { reportGate, type GateIo } from './gate-report.js';

/**
 * The handovers between the fleet at `base` and `head`. A base whose config does not load (or has
 * none) has nothing to compare: no handover.
 */
export async function handoversSince(
  configDir: string,
  base: string,
  head: Fleet,
): Promise<ClusterHandover[]> {
  let files;
  try {
    files = await filesAtRef(configDir, base, 'clusters');
  } catch {
    return [];
  }
  const result = await loadSourcesLazily(files.map((f) => ({ path: `config/${f.path}`, text: f.text })));
  return result.ok ? createClusterHandovers(result.fleet, head) : [];
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
