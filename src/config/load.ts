// Loading the fleet config: `loadFleetFromSources` is the pure core (texts in, result out);
// `loadFleet` reads a config directory from disk and hands the files to it.
// Synchronous reads on purpose: a fleet is ~1,000 small files, which readFileSync reads in ~10 ms;
// the promise API spends ~40x that in thread-pool round trips (measured by npm run bench).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ConfigProblem, LoadResult } from './model.js';
import { loadFleetFromSources, type ConfigSource } from './load-sources.js';
import { compareProblems } from './problems.js';

export { loadFleetFromSources, type ConfigSource } from './load-sources.js';

export interface LoadFleetOptions {
  /**
   * Reported paths are relative to this directory when the config lies under it (default: the
   * process cwd, which is the repository root in CI, so annotations land on the right files);
   * otherwise they are the paths as read.
   */
  displayRoot?: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function entries(dir: string): { name: string; dir: boolean }[] {
  try {
    const list = readdirSync(dir, { withFileTypes: true });
    return list
      .map((e) => ({ name: e.name, dir: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

/**
 * Reads `<configDir>/clusters/<c>/cluster.yaml` and `<configDir>/clusters/<c>/hubs/*` and validates
 * them. Files in hubs/ that are not `.yaml` and cluster directories without cluster.yaml are problems.
 */
// Async for callers' sake: the signature stays stable if reads move off the main thread later.
// eslint-disable-next-line @typescript-eslint/require-await
export async function loadFleet(configDir: string, options: LoadFleetOptions = {}): Promise<LoadResult> {
  const root = resolve(options.displayRoot ?? process.cwd());
  const display = (path: string): string => {
    const rel = relative(root, resolve(path));
    const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
    return shown.split(sep).join('/');
  };
  const clustersDir = join(configDir, 'clusters');
  const sources: ConfigSource[] = [];
  const extra: ConfigProblem[] = [];
  const problemAtFile = (path: string, message: string): ConfigProblem => ({
    file: display(path),
    line: 1,
    col: 1,
    severity: 'error',
    field: '',
    message,
  });

  if (!isDirectory(clustersDir)) {
    return {
      ok: false,
      problems: [
        problemAtFile(
          clustersDir,
          'no clusters directory: expected <config>/clusters/<cluster>/cluster.yaml',
        ),
      ],
    };
  }
  for (const cluster of entries(clustersDir)) {
    if (!cluster.dir) continue;
    const clusterDir = join(clustersDir, cluster.name);
    const clusterFile = join(clusterDir, 'cluster.yaml');
    const files = entries(clusterDir);
    const hubsDir = join(clusterDir, 'hubs');
    const hubFiles = entries(hubsDir);
    if (files.some((f) => f.name === 'cluster.yaml' && !f.dir)) {
      sources.push({ path: display(clusterFile), text: readFileSync(clusterFile, 'utf8') });
    } else if (hubFiles.length === 0) {
      // With hub files present, the core reports the missing cluster.yaml on each of them.
      extra.push(problemAtFile(clusterDir, `cluster directory ${cluster.name} has no cluster.yaml`));
    }
    for (const hub of hubFiles) {
      const path = join(hubsDir, hub.name);
      if (hub.dir)
        extra.push(problemAtFile(path, 'unexpected directory in hubs/: hubs are files named <hub>.yaml'));
      // Non-.yaml files are passed with no text; the core reports their extension.
      else
        sources.push({
          path: display(path),
          text: hub.name.endsWith('.yaml') ? readFileSync(path, 'utf8') : '',
        });
    }
  }
  const result = loadFleetFromSources(sources);
  if (extra.length === 0) return result;
  const problems = [...(result.ok ? result.warnings : result.problems), ...extra].sort(compareProblems);
  return { ok: false, problems };
}
