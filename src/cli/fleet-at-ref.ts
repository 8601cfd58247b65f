// The fleet as it is at a commit, read from git (not the work tree), so `affected` and `diff`
// compare exactly the two commits a pull request compares.
import { isAbsolute, relative, sep } from 'node:path';
import { filesAtRef, repositoryRoot } from '../adapters/git.js';
import { loadSourcesLazily, type LazyLoadOptions } from '../config/load-lazy.js';
import { configSource } from '../config/config-bytes.js';
import { toConfigPath } from '../plan/config-scope.js';
import type { LoadResult } from '../config/model.js';
import { UsageError } from './usage-error.js';

export interface ConfigLocation {
  repoRoot: string;
  /** The config directory relative to the repository root, `/`-separated (usually `config`). */
  prefix: string;
}

export async function locateConfig(configDir: string): Promise<ConfigLocation> {
  const repoRoot = await repositoryRoot(configDir);
  if (repoRoot === undefined) {
    throw new UsageError(`${configDir} is not inside a git repository (this command reads git history)`);
  }
  const rel = relative(repoRoot, configDir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`--config must be a directory inside the repository ${repoRoot}`);
  }
  return { repoRoot, prefix: rel.split(sep).join('/') };
}

export { toConfigPath } from '../plan/config-scope.js';

export async function loadFleetAtRef(
  location: ConfigLocation,
  ref: string,
  options: LazyLoadOptions = {},
): Promise<LoadResult> {
  const files = await filesAtRef(location.repoRoot, ref, `${location.prefix}/clusters`);
  // Loader and planner speak in `config/...` paths whatever the directory is called.
  // The lazy loader: the full YAML parser only for files that need it (load-lazy.ts).
  return loadSourcesLazily(
    files.map((f) => configSource(toConfigPath(f.path, location.prefix), f.bytes, f.symlink)),
    options,
  );
}

/**
 * Only the given clusters as they are at `ref` (each cluster.yaml with all its hub files): what
 * `diff` needs of the base when a change touches a few clusters. The clusters' own rules are
 * checked; fleet-wide ones only among them (the base passed them all when it was merged).
 */
export async function loadClustersAtRef(
  location: ConfigLocation,
  ref: string,
  clusters: readonly string[],
  options: LazyLoadOptions = {},
): Promise<LoadResult> {
  const listed = await Promise.all(
    clusters.map((c) => filesAtRef(location.repoRoot, ref, `${location.prefix}/clusters/${c}`)),
  );
  return loadSourcesLazily(
    listed.flat().map((f) => configSource(toConfigPath(f.path, location.prefix), f.bytes, f.symlink)),
    options,
  );
}
