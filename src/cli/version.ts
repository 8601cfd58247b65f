// `hubfleet --version`: the version in the package.json this module was installed with, found by
// walking up from the module (src/cli/ under ts-jest, lib/src/cli/ once compiled).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export async function packageVersion(
  from: string = dirname(fileURLToPath(import.meta.url)),
): Promise<string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const parsed = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (parsed.name === 'hubfleet' && typeof parsed.version === 'string') return parsed.version;
    }
    if (dirname(dir) === dir) throw new Error(`no hubfleet package.json above ${from}`);
  }
}
