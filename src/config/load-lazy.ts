// The loader for the CLI, where start-up is paid on every CI step: the same results as load.ts,
// but the `yaml` package (the full parser, ~100 ms to load cold) is imported only when a file
// needs it: one that fast-yaml.ts leaves to it, or one with a problem to point at.
import type { LoadResult } from './model.js';
import { NeedsFullParser } from './config-source.js';
import { loadWith, type ConfigSource } from './load-core.js';
import { readConfigDir, withLayoutProblems, type LoadFleetOptions } from './read-config-dir.js';

export async function loadSourcesLazily(sources: ReadonlyArray<ConfigSource>): Promise<LoadResult> {
  try {
    return loadWith(sources, undefined);
  } catch (err: unknown) {
    if (!(err instanceof NeedsFullParser)) throw err;
    const { fullParser } = await import('./yaml-source.js');
    return loadWith(sources, fullParser);
  }
}

/** loadFleet (load.ts), loading the full YAML parser only when needed. */
export async function loadFleetLazily(
  configDir: string,
  options: LoadFleetOptions = {},
): Promise<LoadResult> {
  const { sources, layout } = readConfigDir(configDir, options);
  return withLayoutProblems(await loadSourcesLazily(sources), layout);
}
