// Which changed paths belong to the fleet. The planner speaks in `config/...` paths whatever the
// config directory is called (`--config examples/fleet/config`), so a path under the directory is
// renamed to `config/...` and every other path keeps its repository path. A repository path that
// merely starts with `config/` but lies outside `--config` (a second fleet, a fixture, a copy) must
// not be read as a cluster or hub file: it is marked, and the planner gives it no effect.
import type { ChangedFile } from './change-plan.js';

/** `examples/config/clusters/a/cluster.yaml` with prefix `examples/config` → `config/clusters/a/cluster.yaml`. */
export function toConfigPath(path: string, prefix: string): string {
  return path.startsWith(`${prefix}/`) ? `config/${path.slice(prefix.length + 1)}` : path;
}

/** The changes as the planner takes them: paths under `prefix` as `config/...`, others marked outside. */
export function scopeToConfig(changes: readonly ChangedFile[], prefix: string): ChangedFile[] {
  return changes.map((change) => {
    if (change.path.startsWith(`${prefix}/`)) return { ...change, path: toConfigPath(change.path, prefix) };
    return change.path.startsWith('config/') || change.path === 'config'
      ? { ...change, outsideConfig: true }
      : change;
  });
}
