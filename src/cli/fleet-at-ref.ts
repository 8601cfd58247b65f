// The fleet as it is at a commit, read from git (not the work tree), so `affected` and `diff`
// compare exactly the two commits a pull request compares.
import { isAbsolute, relative, sep } from 'node:path';
import { filesAtRef, repositoryRoot } from '../adapters/git.js';
import { loadFleetFromSources } from '../config/load.js';
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

export async function loadFleetAtRef(location: ConfigLocation, ref: string): Promise<LoadResult> {
  const files = await filesAtRef(location.repoRoot, ref, `${location.prefix}/clusters`);
  // Loader and planner speak in `config/...` paths whatever the directory is called.
  return loadFleetFromSources(
    files.map((f) => configSource(toConfigPath(f.path, location.prefix), f.bytes, f.symlink)),
  );
}
