// The files of the job caches under HUBFLEET_CACHE_DIR (parse-cache.ts, result-cache.ts): where
// they may live, what may go in them, and how they are written.
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';

/** JSON that parses back to exactly `data`, or undefined (non-finite numbers, -0). */
export function exactJson(data: unknown): string | undefined {
  let exact = true;
  const text = JSON.stringify(data, (_key, value: unknown) => {
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) exact = false;
    return value;
  });
  return exact ? text : undefined;
}

/** A directory only this user can write, created if missing; undefined when it is not one. */
export function privateDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = statSync(dir);
    const uid = process.getuid?.();
    if (!s.isDirectory() || (s.mode & 0o022) !== 0 || (uid !== undefined && s.uid !== uid)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Writes `text` to `file` (this user only) through a temporary file and a rename, so a reader never
 * sees half of it; false when it could not, which costs the next command its speed, nothing else.
 */
export function writeCacheFile(file: string, text: string): boolean {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    return false;
  }
}
