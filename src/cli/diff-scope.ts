// What `hubfleet diff` renders: only what the change can alter. A hub's values and manifests are
// made from its own file and its cluster's file alone (src/render/values.ts, manifests.ts), and a
// cluster's tfvars from its cluster file and its hub files (src/render/tfvars.ts), so a changed hub
// file needs its hub and its cluster's tfvars rendered, a changed cluster file the whole cluster,
// and anything else under --config (schemas, chart tables) the whole fleet. Paths outside --config
// change nothing rendered. Both sides are rendered with the same scope.
import type { Fleet } from '../config/model.js';
import type { ChangedFile } from '../plan/change-plan.js';
import { HubfleetError } from '../errors.js';
import {
  manifestsPath,
  platformValueFiles,
  renderHubFiles,
  tfvarsPath,
  valuesPath,
  type RenderedFile,
} from '../render/files.js';
import { findNameCollisions } from '../render/names.js';
import { compareKeys, toStableJson } from '../render/serialize.js';
import { renderTfvars } from '../render/tfvars.js';

/** `everything`, or per cluster: `cluster` (tfvars and every hub) or the set of hubs (plus tfvars). */
export type DiffScope =
  { everything: true } | { everything: false; clusters: Map<string, 'cluster' | Set<string>> };

/** The scope of `changes`, repository paths, for a config directory at `prefix` in the repository. */
export function diffScope(changes: readonly ChangedFile[], prefix: string): DiffScope {
  const clusters = new Map<string, 'cluster' | Set<string>>();
  const inside = `${prefix}/`;
  for (const { path } of changes) {
    if (!path.startsWith(inside)) continue;
    const rest = path.slice(inside.length);
    const clusterFile = /^clusters\/([^/]+)\/cluster\.yaml$/.exec(rest);
    // A platform file (decision 0018) changes only its own hub's render.
    const hubFile = /^clusters\/([^/]+)\/(?:hubs|platform)\/([^/]+)\.yaml$/.exec(rest);
    if (clusterFile?.[1] !== undefined) {
      clusters.set(clusterFile[1], 'cluster');
    } else if (hubFile?.[1] !== undefined && hubFile[2] !== undefined) {
      const now = clusters.get(hubFile[1]) ?? new Set<string>();
      if (now !== 'cluster') now.add(hubFile[2]);
      clusters.set(hubFile[1], now);
    } else {
      return { everything: true };
    }
  }
  return { everything: false, clusters };
}

export interface ScopedRender {
  files: RenderedFile[];
  /** What was rendered: `<cluster>` for a cluster's tfvars, `<cluster>/<hub>` for a hub. */
  rendered: string[];
}

/** The platform files (decision 0018) of `fleet` inside `scope`, for their own heading in the diff. */
export function scopedPlatformFiles(fleet: Fleet, scope: DiffScope): RenderedFile[] {
  const files = platformValueFiles(fleet);
  if (scope.everything) return files;
  return files.filter((f) => {
    const wanted = scope.clusters.get(f.cluster);
    if (wanted === undefined) return false;
    return wanted === 'cluster' || f.hub === undefined || wanted.has(f.hub);
  });
}

/** The files of `fleet` inside `scope`, exactly as renderFleetFiles writes them. */
export function renderScoped(fleet: Fleet, scope: DiffScope): ScopedRender {
  // As renderFleetFiles: collisions are checked over the whole fleet, rendered or not.
  const collisions = findNameCollisions(fleet.clusters);
  if (collisions.length > 0) {
    throw new HubfleetError(`derived cloud resource names collide: ${collisions.join('; ')}`, {
      hint: 'rename one of the hubs (or clusters) so the names hubfleet derives differ',
    });
  }
  const files: RenderedFile[] = [];
  const rendered: string[] = [];
  const clusters = [...fleet.clusters].sort((a, b) => compareKeys(a.config.name, b.config.name));
  for (const cluster of clusters) {
    const name = cluster.config.name;
    const wanted = scope.everything ? 'cluster' : scope.clusters.get(name);
    if (wanted === undefined) continue;
    files.push({ path: tfvarsPath(name), content: toStableJson(renderTfvars(cluster)), cluster: name });
    rendered.push(name);
    const hubs = [...cluster.hubs].sort((a, b) => compareKeys(a.config.name, b.config.name));
    for (const hub of hubs) {
      const hubName = hub.config.name;
      if (wanted !== 'cluster' && !wanted.has(hubName)) continue;
      const out = renderHubFiles(cluster, hub);
      files.push({ path: valuesPath(name, hubName), content: out.values, cluster: name, hub: hubName });
      files.push({ path: manifestsPath(name, hubName), content: out.manifests, cluster: name, hub: hubName });
      rendered.push(`${name}/${hubName}`);
    }
  }
  return { files, rendered };
}
