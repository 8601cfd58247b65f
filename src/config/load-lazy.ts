// The loader for the CLI, where start-up is paid on every CI step: the same results as load.ts,
// but the `yaml` package (the full parser, ~100 ms to load cold) is imported only when a file
// needs it: one that fast-yaml.ts leaves to it, or one with a problem to point at. With a cache
// directory, fast readings are kept between the commands of one job (parse-cache.ts), and whole
// results of the same files with them (result-cache.ts).
import type { LoadResult } from './model.js';
import { NeedsFullParser } from './config-source.js';
import { loadWith, type ConfigSource } from './load-core.js';
import { openParseCache } from './parse-cache.js';
import { openResultCache } from './result-cache.js';
import { readConfigDir, withLayoutProblems, type LoadFleetOptions } from './read-config-dir.js';

export interface LazyLoadOptions {
  /** A directory for parse-cache.ts and result-cache.ts (HUBFLEET_CACHE_DIR); none: no cache, nothing written. */
  cacheDir?: string;
}

export async function loadSourcesLazily(
  sources: ReadonlyArray<ConfigSource>,
  options: LazyLoadOptions = {},
): Promise<LoadResult> {
  const results = options.cacheDir === undefined ? undefined : openResultCache(options.cacheDir);
  const known = results?.get(sources);
  if (known !== undefined) return known;
  const cache = options.cacheDir === undefined ? undefined : openParseCache(options.cacheDir);
  let result: LoadResult;
  try {
    result = loadWith(sources, undefined, cache?.read);
  } catch (err: unknown) {
    if (!(err instanceof NeedsFullParser)) throw err;
    const { fullParser } = await import('./yaml-source.js');
    result = loadWith(sources, fullParser, cache?.read);
  }
  if (result.ok) {
    cache?.save();
    results?.put(sources, result);
  }
  return result;
}

/** loadFleet (load.ts), loading the full YAML parser only when needed. */
export async function loadFleetLazily(
  configDir: string,
  options: LoadFleetOptions & LazyLoadOptions = {},
): Promise<LoadResult> {
  const { sources, layout } = readConfigDir(configDir, options);
  return withLayoutProblems(await loadSourcesLazily(sources, options), layout);
}
