// Which hubfleet a fleet repository's workflows are pinned to, from the flags init and upgrade share:
// --tool-ref OWNER/REPO@SHA#VERSION (a release by hand), --local-tool PATH (a hubfleet checkout, for
// tests and tool development), else the running package's own release (release.json).
import { resolve } from 'node:path';
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
  if (local !== '') return { kind: 'local', path: resolve(io.cwd, local) };
  const release = await runningRelease();
  if (release !== undefined) return release;
  throw new UsageError('this hubfleet is a checkout, not a release, so it cannot pin workflows to itself', {
    hint: `name the release with --${flag} OWNER/REPO@SHA#VERSION, run a released hubfleet (npx hubfleet@X.Y.Z), or use --local-tool PATH for a fleet that uses this checkout`,
  });
}
