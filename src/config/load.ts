// Loading the fleet config: `loadFleetFromSources` is the pure core (texts in, result out);
// `loadFleet` reads a config directory from disk and hands the files to it.
import type { LoadResult } from './model.js';
import { loadFleetFromSources } from './load-sources.js';
import { readConfigDir, withLayoutProblems, type LoadFleetOptions } from './read-config-dir.js';

export { loadFleetFromSources, type ConfigSource } from './load-sources.js';
export type { LoadFleetOptions } from './read-config-dir.js';

/**
 * Reads `<configDir>/clusters/<c>/cluster.yaml` and `<configDir>/clusters/<c>/hubs/*` and validates
 * them. Files in hubs/ that are not `.yaml` and cluster directories without cluster.yaml are problems.
 */
// Async for callers' sake: the signature stays stable if reads move off the main thread later.
// eslint-disable-next-line @typescript-eslint/require-await
export async function loadFleet(configDir: string, options: LoadFleetOptions = {}): Promise<LoadResult> {
  const { sources, layout } = readConfigDir(configDir, options);
  return withLayoutProblems(loadFleetFromSources(sources), layout);
}
