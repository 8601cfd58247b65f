// The identity of the running hubfleet build: lib/cli/build-id (and lib/cli/commands/build-id),
// written by scripts/build-lib.mjs as the sha256 of every file of the bundled CLI. What keeps work
// between commands (config/result-cache.ts, config/parse-cache.ts) keys it by this, so a result is
// only reused by the very code that produced it. hubfleet run from lib/src/ or under ts-jest has
// none.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The 64-hex-digit build-id beside the module at `from` (default: this one), or undefined. */
export function bundledBuildId(from: string = import.meta.url): string | undefined {
  try {
    const id = readFileSync(fileURLToPath(new URL('./build-id', from)), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
