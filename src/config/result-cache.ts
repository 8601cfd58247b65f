// Whole load results kept between the commands of one CI job (HUBFLEET_CACHE_DIR), keyed by the
// content of every config file and by the build of hubfleet that checked them. A PR job validates
// the fleet, then `affected` and `diff` load the same files again: loading is a pure function of
// the files (their paths, texts and what refused them) and of hubfleet's code, so the second
// command can take the first one's result instead of reading and checking ~1,000 files again.
// This is the "cache keyed by content hash for the second command of a PR run" of issue 22
// (decision 0082).
//
// Opt-in and guarded as parse-cache.ts is: only a directory this user alone can write, and only
// results of fleets without errors that survive a JSON round trip exactly. The build is the
// identity of the bundled CLI (lib/cli/build-id, written by scripts/build-lib.mjs over every chunk):
// without one (hubfleet run from lib/src or under ts-jest) no result is kept, since a changed rule
// would otherwise meet results of the old one.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './model.js';
import type { ConfigSource } from './load-core.js';
import { sha256Hex } from '../digest.js';
import { bundledBuildId } from '../build-id.js';
import { exactJson, privateDirectory, writeCacheFile } from './cache-files.js';

/** Results kept at once: a job loads its head, and diff a base or two besides. */
const KEEP = 8;
const PREFIX = 'load-';

export interface ResultCache {
  /** The result stored for exactly these sources, or undefined. */
  get(sources: ReadonlyArray<ConfigSource>): LoadResult | undefined;
  /** Stores a result without errors for these sources (the oldest results beyond KEEP go). */
  put(sources: ReadonlyArray<ConfigSource>, result: LoadResult): void;
}

function sourcesKey(build: string, sources: ReadonlyArray<ConfigSource>): string {
  const parts = [build];
  const ordered = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const s of ordered) {
    parts.push(s.path, s.text, s.refused === undefined ? '' : JSON.stringify(s.refused));
  }
  // The separator cannot occur in a path, and every part is counted: no two lists share a key.
  return sha256Hex(`${parts.length}\0${parts.join('\0')}`);
}

export function openResultCache(
  dir: string,
  build: string | undefined = bundledBuildId(),
): ResultCache | undefined {
  if (build === undefined) return undefined;
  const usable = privateDirectory(dir);
  if (usable === undefined) return undefined;
  const fileFor = (sources: ReadonlyArray<ConfigSource>): string =>
    join(usable, `${PREFIX}${sourcesKey(build, sources)}.json`);
  return {
    get(sources) {
      try {
        const parsed = JSON.parse(readFileSync(fileFor(sources), 'utf8')) as LoadResult;
        return parsed.ok === true ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    put(sources, result) {
      if (!result.ok) return;
      const json = exactJson(result);
      if (json === undefined) return;
      if (writeCacheFile(fileFor(sources), json)) prune(usable);
    },
  };
}

/** Keeps the KEEP newest results (best effort: another command may be pruning too). */
function prune(dir: string): void {
  try {
    const results = readdirSync(dir)
      .filter((name) => name.startsWith(PREFIX) && name.endsWith('.json'))
      .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
    for (const { name } of results.slice(KEEP)) rmSync(join(dir, name), { force: true });
  } catch {
    // kept results beyond KEEP cost only disk space until the next prune
  }
}
