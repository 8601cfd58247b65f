// Running the hubfleet CLI from a test: in process (src/cli.ts under ts-jest), or as CI runs it,
// `node bin/hubfleet.js` (the bundles `npm ci` built), with only PATH and what the test gives.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli.js';

export interface CliRun {
  /** null when the process ended by a signal (runBin only). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** In process the exit code is always a number. */
export interface InProcessRun extends CliRun {
  code: number;
}

export const BIN = join(process.cwd(), 'bin', 'hubfleet.js');

export async function runInProcess(
  args: readonly string[],
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = {},
): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

export function runBin(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
