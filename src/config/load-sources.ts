// Loading the fleet from file texts, synchronously, with the full YAML parser at hand. Files are
// read fast first and parsed in full only where a problem needs a position (load-core.ts).
import type { LoadResult } from './model.js';
import { loadWith, type ConfigSource } from './load-core.js';
import { fullParser } from './yaml-source.js';

export type { ConfigSource } from './load-core.js';

export function loadFleetFromSources(sources: ReadonlyArray<ConfigSource>): LoadResult {
  return loadWith(sources, fullParser);
}
