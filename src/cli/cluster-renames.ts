// `hubfleet affected`: a change that renames a cluster directory is refused before anything is
// planned (src/plan/cluster-rename.ts says why). The cluster.yaml files the change deleted are
// read as they were at the base commit; one line per rename on stderr, an annotation on the new
// cluster.yaml inside GitHub Actions.
import jsYaml from 'js-yaml';
import { filesAtRef } from '../adapters/git.js';
import { isRecord } from '../config/field-path.js';
import type { Fleet } from '../config/model.js';
import { classifyPath, type ChangedFile } from '../plan/change-plan.js';
import { clusterRenames, type FormerCluster } from '../plan/cluster-rename.js';
import { reportGate, type GateIo } from './gate-report.js';

export type RenameIo = GateIo;

/** Exit code: 1 when the change renames a cluster directory, else 0. */
export async function refuseClusterRenames(
  configDir: string,
  base: string,
  changes: readonly ChangedFile[],
  fleet: Fleet,
  repoPath: (configPath: string) => string,
  io: RenameIo,
): Promise<number> {
  const deleted = new Set(
    changes.flatMap((c) => {
      const kind = c.outsideConfig === true ? undefined : classifyPath(c.path);
      return c.status === 'deleted' && kind?.kind === 'cluster-file' ? [kind.cluster] : [];
    }),
  );
  if (deleted.size === 0) return 0;
  const former: FormerCluster[] = [];
  for (const file of await filesAtRef(configDir, base, 'clusters')) {
    const dir = /^clusters\/([^/]+)\/cluster\.yaml$/.exec(file.path)?.[1];
    if (dir === undefined || !deleted.has(dir) || file.symlink) continue;
    let data: unknown;
    try {
      data = jsYaml.load(file.text, { schema: jsYaml.JSON_SCHEMA });
    } catch {
      continue; // a base that did not parse named no cloud cluster hubfleet could have managed
    }
    if (isRecord(data)) former.push({ dir, data });
  }
  return reportGate(clusterRenames(former, fleet), { title: 'cluster rename refused' }, repoPath, io);
}
