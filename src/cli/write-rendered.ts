// Writes what the renderers produce. Files are written to a temporary name and renamed, so an
// interrupted run never leaves a half-written values file that a later deploy could pick up.
// Writes run concurrently (a bounded number at once): awaiting each file in turn left render idle
// about half the time. Every directory render writes holds a marker file; a later render removes
// the marked directories of hubs and clusters that left the fleet, and only what it wrote there.
import { mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Fleet } from '../config/model.js';
import { renderFleetFiles, type RenderedFile } from '../render/files.js';

export interface RenderedRow {
  cluster: string;
  hub: string;
  stage: string;
  domain: string;
  files: string[];
}

/** The marker of a directory `hubfleet render` owns. */
export const RENDER_MARKER = '.hubfleet-rendered';
const MARKER_TEXT =
  'Written by `hubfleet render`: this directory is removed by the next render once its hub or cluster has left the fleet.\n';
/** The files render writes in a cluster's and a hub's directory: the only ones it ever removes. */
const CLUSTER_FILES = ['terraform.tfvars.json', RENDER_MARKER];
const HUB_FILES = ['values.yaml', 'manifests.yaml', RENDER_MARKER];
/** Open files at once: well under any descriptor limit, enough to keep the disk busy. */
const WRITE_CONCURRENCY = 32;

export interface WriteResult {
  rows: RenderedRow[];
  /** Directories (relative to --out, `/`-separated) removed because their hub or cluster is gone. */
  removed: string[];
}

async function writeAtomically(target: string, content: string): Promise<void> {
  const temporary = `${target}.tmp-${process.pid}`;
  await writeFile(temporary, content);
  await rename(temporary, target);
}

async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function writeRenderedFleet(
  fleet: Fleet,
  outDir: string,
  filter: { cluster?: string; hub?: string },
): Promise<WriteResult> {
  const files = renderFleetFiles(fleet, filter);
  const rows = new Map<string, RenderedRow>();
  for (const cluster of fleet.clusters) {
    const key = `${cluster.config.name}/`;
    rows.set(key, { cluster: cluster.config.name, hub: '-', stage: '-', domain: '-', files: [] });
    for (const hub of cluster.hubs) {
      rows.set(`${key}${hub.config.name}`, {
        cluster: cluster.config.name,
        hub: hub.config.name,
        stage: hub.config.stage,
        domain: hub.config.domain,
        files: [],
      });
    }
  }
  const directories = [...new Set(files.map((f) => dirname(join(outDir, f.path))))];
  await eachLimited(directories, WRITE_CONCURRENCY, async (dir) => {
    // `wx`: one failing open when the marker is there already (every render after the first), and
    // the directory is made only when the open finds it missing.
    const marker = join(dir, RENDER_MARKER);
    const writeMarker = (): Promise<void> => writeFile(marker, MARKER_TEXT, { flag: 'wx' });
    try {
      await writeMarker();
      return;
    } catch (err: unknown) {
      const code = (err as { code?: unknown }).code;
      if (code === 'EEXIST') return;
      if (code !== 'ENOENT') throw err;
    }
    await mkdir(dir, { recursive: true });
    await writeMarker();
  });
  await eachLimited(files, WRITE_CONCURRENCY, (file: RenderedFile) =>
    writeAtomically(join(outDir, file.path), file.content),
  );
  // Rows in the renderers' order, whatever order the writes finished in.
  for (const file of files) {
    rows.get(`${file.cluster}/${file.hub ?? ''}`)?.files.push(file.path.split('/').pop() ?? file.path);
  }
  const removed = filter.hub === undefined ? await removeStale(fleet, outDir, filter.cluster) : [];
  return { rows: [...rows.values()].filter((r) => r.files.length > 0), removed };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function hasMarker(dir: string): Promise<boolean> {
  return stat(join(dir, RENDER_MARKER)).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function subdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Removes render's own files from `dir`, then `dir` itself if nothing else is left in it. */
async function removeOwned(dir: string, names: readonly string[]): Promise<void> {
  // The marker last: a run interrupted half-way still knows the directory is render's.
  for (const name of [...names.filter((n) => n !== RENDER_MARKER), RENDER_MARKER]) {
    await rm(join(dir, name), { force: true });
  }
  await rmdir(dir).catch(() => undefined);
}

/**
 * Directories of hubs and clusters under `outDir` that render marked earlier and that the fleet no
 * longer holds (on cluster `only` when given). Unmarked directories are never touched.
 */
async function removeStale(fleet: Fleet, outDir: string, only: string | undefined): Promise<string[]> {
  const removed: string[] = [];
  const clusters = new Map(fleet.clusters.map((c) => [c.config.name, c]));
  const names = only === undefined ? await subdirectories(outDir) : [only];
  for (const name of names) {
    const clusterDir = join(outDir, name);
    if (!(await isDirectory(clusterDir))) continue;
    const cluster = clusters.get(name);
    const hubNames = new Set(cluster?.hubs.map((h) => h.config.name) ?? []);
    const hubsDir = join(clusterDir, 'hubs');
    for (const hub of await subdirectories(hubsDir)) {
      const hubDir = join(hubsDir, hub);
      if (hubNames.has(hub) || !(await hasMarker(hubDir))) continue;
      await removeOwned(hubDir, HUB_FILES);
      removed.push(`${name}/hubs/${hub}`);
    }
    if (cluster === undefined && (await hasMarker(clusterDir))) {
      await rmdir(hubsDir).catch(() => undefined);
      await removeOwned(clusterDir, CLUSTER_FILES);
      removed.push(name);
    }
  }
  return removed;
}
