// Which hubfleet a fleet repository's workflows are pinned to, from the flags init and upgrade share:
// --tool-ref OWNER/REPO@SHA#VERSION (a release by hand), --local-tool PATH (a hubfleet checkout, for
// tests and tool development), else the running package's own release (release.json).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FleetTool } from '../fleet-repo/fleet-files.js';
import { parseToolRef, runningRelease } from '../fleet-repo/release.js';
import { type CliIo, type OptionValue, str } from './common.js';
import { UsageError } from './usage-error.js';

export const toolOptions = {
  'tool-ref': { type: 'string' },
  'local-tool': { type: 'string' },
} as const;

export async function chosenTool(
  v: Record<string, OptionValue>,
  io: CliIo,
  flag = 'tool-ref',
): Promise<FleetTool> {
  const ref = str(v[flag]);
  const local = str(v['local-tool']);
  if (ref !== '' && local !== '') throw new UsageError(`--${flag} and --local-tool exclude each other`);
  if (ref !== '') {
    try {
      return parseToolRef(ref);
    } catch (err) {
      throw new UsageError((err as Error).message, { hint: (err as { hint?: string }).hint ?? '' });
    }
  }
  if (local !== '') {
    const path = resolve(io.cwd, local);
    const pkg = await readFile(join(path, 'package.json'), 'utf8').catch(() => undefined);
    const name = pkg === undefined ? undefined : (JSON.parse(pkg) as { name?: unknown }).name;
    if (name !== 'hubfleet' || !existsSync(join(path, 'actions'))) {
      throw new UsageError(
        `--local-tool ${local} is not a hubfleet checkout (no package.json named hubfleet with actions/ beside it)`,
      );
    }
    return { kind: 'local', path };
  }
  const release = await runningRelease();
  if (release !== undefined) return release;
  throw new UsageError('this hubfleet is a checkout, not a release, so it cannot pin workflows to itself', {
    hint: `name the release with --${flag} OWNER/REPO@SHA#VERSION, run a released hubfleet (npx hubfleet@X.Y.Z), or use --local-tool PATH for a fleet that uses this checkout`,
  });
}
