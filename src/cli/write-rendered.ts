// Writes what the renderers produce. Files are written to a temporary name and renamed, so an
// interrupted run never leaves a half-written values file that a later deploy could pick up.
// Writes are synchronous: render has nothing else to do meanwhile, and for ~3,000 small files
// the promise API (a FileHandle, a thread-pool round trip and a settled promise per call) cost 4x
// the time of the same system calls made in turn: awaiting each file in turn had left render
// idle half the time, 32 writes in flight still spent most of it in that machinery (decision
// 0082). Every directory render writes holds a marker file; a later render removes the marked
// directories of hubs and clusters that left the fleet, and only what it wrote there.
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Fleet } from '../config/model.js';
import { renderFleetFiles } from '../render/files.js';

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

export interface WriteResult {
  rows: RenderedRow[];
  /** Directories (relative to --out, `/`-separated) removed because their hub or cluster is gone. */
  removed: string[];
}

/** One buffer for reading existing files back (rendered files are a few KB). */
let readBack = Buffer.allocUnsafe(64 * 1024);

/**
 * True when `path` is a file holding exactly `content`: its bytes are read into one reused buffer
 * and compared, with no string made of them (a quarter cheaper than readFileSync over ~2,000 files).
 */
function holdsExactly(path: string, content: string): boolean {
  const wanted = Buffer.from(content, 'utf8');
  if (readBack.length <= wanted.length) readBack = Buffer.allocUnsafe(wanted.length * 2);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    // One byte more than wanted: a longer file is not the same file.
    let read = 0;
    for (;;) {
      const n = readSync(fd, readBack, read, wanted.length + 1 - read, read);
      if (n === 0) break;
      read += n;
      if (read > wanted.length) return false;
    }
    return read === wanted.length && readBack.compare(wanted, 0, read, 0, read) === 0;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `content` to `target` through a temporary file and a rename, unless `target` holds exactly
 * it already (a render into the --out of an earlier one): on ext4 a rename over an existing file
 * also starts writing the new file to disk (the auto_da_alloc heuristic), ~0.2 ms each, most of a
 * re-render; an untouched file also keeps its mtime for tools that look at it.
 */
function writeAtomically(target: string, content: string): void {
  if (holdsExactly(target, content)) return;
  const temporary = `${target}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, target);
}

/** The directory exists and holds render's marker (made, or found from an earlier render). */
function markDirectory(dir: string): void {
  const marker = join(dir, RENDER_MARKER);
  // Looked for first (every render after the first finds it): a failed open costs an exception.
  if (statSync(marker, { throwIfNoEntry: false }) !== undefined) return;
  // Then `wx`, which fails if another render made it meanwhile; the directory is made only when
  // the open finds it missing.
  try {
    writeFileSync(marker, MARKER_TEXT, { flag: 'wx' });
    return;
  } catch (err: unknown) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(marker, MARKER_TEXT, { flag: 'wx' });
}

export function writeRenderedFleet(
  fleet: Fleet,
  outDir: string,
  filter: { cluster?: string; hub?: string },
): WriteResult {
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
  for (const dir of new Set(files.map((f) => dirname(join(outDir, f.path))))) markDirectory(dir);
  for (const file of files) writeAtomically(join(outDir, file.path), file.content);
  for (const file of files) {
    rows.get(`${file.cluster}/${file.hub ?? ''}`)?.files.push(file.path.split('/').pop() ?? file.path);
  }
  const removed = filter.hub === undefined ? removeStale(fleet, outDir, filter.cluster) : [];
  return { rows: [...rows.values()].filter((r) => r.files.length > 0), removed };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function hasMarker(dir: string): boolean {
  return statSync(join(dir, RENDER_MARKER), { throwIfNoEntry: false })?.isFile() ?? false;
}

function subdirectories(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** rmdir that leaves a directory still holding something else (or already gone) alone. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (someone else's files), or gone
  }
}

/** Removes render's own files from `dir`, then `dir` itself if nothing else is left in it. */
function removeOwned(dir: string, names: readonly string[]): void {
  // The marker last: a run interrupted half-way still knows the directory is render's.
  for (const name of [...names.filter((n) => n !== RENDER_MARKER), RENDER_MARKER]) {
    rmSync(join(dir, name), { force: true });
  }
  removeIfEmpty(dir);
}

/**
 * Directories of hubs and clusters under `outDir` that render marked earlier and that the fleet no
 * longer holds (on cluster `only` when given). Unmarked directories are never touched.
 */
function removeStale(fleet: Fleet, outDir: string, only: string | undefined): string[] {
  const removed: string[] = [];
  const clusters = new Map(fleet.clusters.map((c) => [c.config.name, c]));
  const names = only === undefined ? subdirectories(outDir) : [only];
  for (const name of names) {
    const clusterDir = join(outDir, name);
    if (!isDirectory(clusterDir)) continue;
    const cluster = clusters.get(name);
    const hubNames = new Set(cluster?.hubs.map((h) => h.config.name) ?? []);
    const hubsDir = join(clusterDir, 'hubs');
    for (const hub of subdirectories(hubsDir)) {
      const hubDir = join(hubsDir, hub);
      if (hubNames.has(hub) || !hasMarker(hubDir)) continue;
      removeOwned(hubDir, HUB_FILES);
      removed.push(`${name}/hubs/${hub}`);
    }
    if (cluster === undefined && hasMarker(clusterDir)) {
      removeIfEmpty(hubsDir);
      removeOwned(clusterDir, CLUSTER_FILES);
      removed.push(name);
    }
  }
  return removed;
}
