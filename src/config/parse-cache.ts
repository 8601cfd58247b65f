// A cache of fast-yaml readings on disk, keyed by the sha256 of each file's text, for the later
// commands of one CI job: `validate`, then `affected` and `diff` read the same ~1,000 files, and
// reading YAML is most of their time (JSON.parse of a cached reading is ~10x cheaper).
//
// Opt-in: only a directory named by the caller (HUBFLEET_CACHE_DIR; the workflows can point it at
// $RUNNER_TEMP) is used, so by default nothing is written anywhere. A cache directory that another
// user could write is ignored, since a planted reading would be trusted as the file's content. Only
// readings that survive a JSON round trip exactly are kept (no .inf/.nan/-0), and the cache is
// written only when the fleet loaded without errors, so a refused file (a secret literal, say)
// never lands in it. Entries are namespaced by the fast reader's own code (every module of it), so a
// changed reader never sees an old reading.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fastParse, FAST_YAML_MODULE } from './fast-yaml.js';
import { BLOCK_YAML_MODULE } from './block-yaml.js';
import { CORE_SCALARS_MODULE } from './core-scalars.js';
import { sha256Hex as sha256 } from '../digest.js';
import { bundledBuildId } from '../build-id.js';
import { exactJson, privateDirectory, writeCacheFile } from './cache-files.js';

export type FastReader = (text: string) => Record<string, unknown> | undefined;

export interface ParseCache {
  /** fastParse through the cache. */
  read: FastReader;
  /** Writes this run's readings (and only them) when anything was new. */
  save: () => void;
  /** Readings served from the cache in this run (for tests and the bench). */
  hits: () => number;
}

/**
 * The files whose code decides a fast reading: fast-yaml.ts and the readers it calls, where they run
 * from lib/src/ or src/ (ts-jest). The bundled CLI names its whole build instead (build-id.ts): a
 * new hubfleet build starts a new cache, which costs one slower command.
 */
const READER_MODULES = [FAST_YAML_MODULE, BLOCK_YAML_MODULE, CORE_SCALARS_MODULE];

/** The fast reader's code, every file of it, as a short hash; in the bundled CLI its build. */
function readerVersion(): string {
  const build = bundledBuildId();
  if (build !== undefined) return build.slice(0, 16);
  const sources = [...new Set(READER_MODULES)].map((url) => `${url}\0${moduleSource(url)}`);
  return sha256(sources.join('\0')).slice(0, 16);
}

function moduleSource(url: string): string {
  try {
    return readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return 'unknown';
  }
}

export function openParseCache(dir: string): ParseCache | undefined {
  const usable = privateDirectory(dir);
  if (usable === undefined) return undefined;
  const file = join(usable, `fast-yaml-${readerVersion()}.json`);
  let stored: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) stored = parsed as Record<string, string>;
  } catch {
    // no cache yet, or an unreadable one: start empty
  }
  const used = new Map<string, string>();
  let fresh = 0;
  let hits = 0;
  const read: FastReader = (text) => {
    const key = sha256(text);
    const cached = Object.hasOwn(stored, key) ? stored[key] : undefined;
    if (typeof cached === 'string') {
      used.set(key, cached);
      hits++;
      // A new object per read: two files with the same text never share one.
      return JSON.parse(cached) as Record<string, unknown>;
    }
    const data = fastParse(text);
    const json = data === undefined ? undefined : exactJson(data);
    if (json !== undefined) {
      used.set(key, json);
      fresh++;
    }
    return data;
  };
  const save = (): void => {
    if (fresh === 0) return;
    writeCacheFile(file, JSON.stringify(Object.fromEntries(used)));
  };
  return { read, save, hits: () => hits };
}
