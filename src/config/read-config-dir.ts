// Reading a config directory from disk into file texts, and the problems of its layout.
// Synchronous reads on purpose: a fleet is ~1,000 small files, which readFileSync reads in ~10 ms;
// the promise API spends ~40x that in thread-pool round trips (measured by npm run bench).
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ConfigProblem, LoadResult } from './model.js';
import type { ConfigSource } from './load-core.js';
import { compareProblems } from './problems.js';
import { configSource, SYMLINK_MESSAGE } from './config-bytes.js';
import { FLEET_SETTINGS_FILE } from './fleet-settings-rules.js';

export interface LoadFleetOptions {
  /**
   * Reported paths are relative to this directory when the config lies under it (default: the
   * process cwd, which is the repository root in CI, so annotations land on the right files);
   * otherwise they are the paths as read.
   */
  displayRoot?: string;
}

export interface ConfigDir {
  sources: ConfigSource[];
  /** Layout problems: other files or directories in hubs/, cluster directories without cluster.yaml. */
  layout: ConfigProblem[];
}

/** lstat: a link is reported as a link, never followed. */
function kindOf(path: string): 'dir' | 'link' | 'other' | 'missing' {
  try {
    const stat = lstatSync(path);
    return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/** Directory entries as readdir's file types give them (no entry is followed if it is a link). */
function entries(dir: string): { name: string; dir: boolean; link: boolean }[] {
  try {
    const list = readdirSync(dir, { withFileTypes: true });
    return list
      .map((e) => ({ name: e.name, dir: e.isDirectory(), link: e.isSymbolicLink() }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

/**
 * Reads `<configDir>/clusters/<c>/cluster.yaml`, `<configDir>/clusters/<c>/hubs/*` and
 * `<configDir>/clusters/<c>/platform/*`. Files in hubs/ or platform/ that are not `.yaml` are
 * passed with no text (the loader reports their extension).
 */
export function readConfigDir(configDir: string, options: LoadFleetOptions = {}): ConfigDir {
  const root = resolve(options.displayRoot ?? process.cwd());
  const display = (path: string): string => {
    const rel = relative(root, resolve(path));
    const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
    return shown.split(sep).join('/');
  };
  const clustersDir = join(configDir, 'clusters');
  // Every path below is clusters/…: work out its display form once, not per file (path.relative
  // for 1,000 files showed up in the profile).
  const shownClusters = resolve(clustersDir) === root ? '' : display(clustersDir);
  const shown = (...parts: string[]): string =>
    shownClusters === '' ? parts.join('/') : [shownClusters, ...parts].join('/');
  const sources: ConfigSource[] = [];
  const layout: ConfigProblem[] = [];
  const problemAtFile = (file: string, message: string): ConfigProblem => ({
    file,
    line: 1,
    col: 1,
    severity: 'error',
    field: '',
    message,
  });

  // The fleet's own settings (fleet-settings.ts), checked with the rest; a link is refused, never
  // followed, like every file under config/.
  const settingsFile = join(configDir, FLEET_SETTINGS_FILE);
  const settingsKind = kindOf(settingsFile);
  if (settingsKind === 'link') sources.push(configSource(display(settingsFile), new Uint8Array(0), true));
  else if (settingsKind === 'other')
    sources.push(configSource(display(settingsFile), readFileSync(settingsFile), false));
  else if (settingsKind === 'dir')
    layout.push(
      problemAtFile(display(settingsFile), `${FLEET_SETTINGS_FILE} must be a file, not a directory`),
    );

  const clustersKind = kindOf(clustersDir);
  if (clustersKind === 'link') {
    layout.push(problemAtFile(display(clustersDir), SYMLINK_MESSAGE));
    return { sources, layout };
  }
  if (clustersKind !== 'dir') {
    layout.push(
      problemAtFile(
        display(clustersDir),
        'no clusters directory: expected <config>/clusters/<cluster>/cluster.yaml',
      ),
    );
    return { sources, layout };
  }
  const read = (path: string, file: string): ConfigSource => configSource(path, readFileSync(file), false);
  const link = (path: string): ConfigSource => configSource(path, new Uint8Array(0), true);
  for (const cluster of entries(clustersDir)) {
    if (cluster.link) {
      layout.push(problemAtFile(shown(cluster.name), SYMLINK_MESSAGE));
      continue;
    }
    if (!cluster.dir) continue;
    const clusterDir = join(clustersDir, cluster.name);
    const files = entries(clusterDir);
    const hubsDir = join(clusterDir, 'hubs');
    const hubsLink = files.some((f) => f.name === 'hubs' && f.link);
    if (hubsLink) layout.push(problemAtFile(shown(cluster.name, 'hubs'), SYMLINK_MESSAGE));
    const hubFiles = hubsLink ? [] : entries(hubsDir);
    const clusterFile = files.find((f) => f.name === 'cluster.yaml' && !f.dir);
    if (clusterFile?.link === true) sources.push(link(shown(cluster.name, 'cluster.yaml')));
    else if (clusterFile !== undefined) {
      sources.push(read(shown(cluster.name, 'cluster.yaml'), join(clusterDir, 'cluster.yaml')));
    } else if (hubFiles.length === 0 && !hubsLink) {
      // With hub files present, the core reports the missing cluster.yaml on each of them.
      layout.push(
        problemAtFile(shown(cluster.name), `cluster directory ${cluster.name} has no cluster.yaml`),
      );
    }
    // The platform team's values per hub (decision 0018); the loader checks their names. Links are
    // refused like everywhere else under config/, never followed.
    const platformDir = join(clusterDir, 'platform');
    const platformLink = files.some((f) => f.name === 'platform' && f.link);
    if (platformLink) layout.push(problemAtFile(shown(cluster.name, 'platform'), SYMLINK_MESSAGE));
    for (const file of platformLink ? [] : entries(platformDir)) {
      const path = shown(cluster.name, 'platform', file.name);
      if (file.dir)
        layout.push(
          problemAtFile(path, 'unexpected directory in platform/: platform files are named <hub>.yaml'),
        );
      else if (file.link) sources.push(link(path));
      else
        sources.push(
          file.name.endsWith('.yaml') ? read(path, join(platformDir, file.name)) : { path, text: '' },
        );
    }
    for (const hub of hubFiles) {
      const file = shown(cluster.name, 'hubs', hub.name);
      if (hub.dir)
        layout.push(problemAtFile(file, 'unexpected directory in hubs/: hubs are files named <hub>.yaml'));
      else if (hub.link) sources.push(link(file));
      else
        sources.push(
          hub.name.endsWith('.yaml') ? read(file, join(hubsDir, hub.name)) : { path: file, text: '' },
        );
    }
  }
  return { sources, layout };
}

/** The loader's result with the directory's layout problems added. */
export function withLayoutProblems(result: LoadResult, layout: readonly ConfigProblem[]): LoadResult {
  if (layout.length === 0) return result;
  const problems = [...(result.ok ? result.warnings : result.problems), ...layout].sort(compareProblems);
  return { ok: false, problems };
}
