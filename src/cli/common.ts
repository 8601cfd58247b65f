// What every command shares: the process's streams as a value (tests pass their own), option
// values as parseArgs gives them, and how a loaded fleet's problems are printed.
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { ConfigProblem, LoadResult } from '../config/model.js';
import { annotation, formatProblem } from '../config/problems.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type OptionValue = string | boolean | Array<string | boolean> | undefined;

export interface Command {
  summary: string;
  usage: string;
  options: Options;
  /** How many positional arguments the command takes (none unless set); they reach `run` as `_`. */
  positionals?: number;
  run: (values: Record<string, OptionValue>, io: CliIo) => Promise<number>;
}

export const configOption = { config: { type: 'string', default: 'config' } } as const;

export function str(value: OptionValue): string {
  return typeof value === 'string' ? value : '';
}

export function list(value: OptionValue): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * HUBFLEET_CACHE_DIR: where the fast YAML readings are kept between the commands of one CI job
 * (src/config/parse-cache.ts). Unset: no cache, nothing written.
 */
export function cacheOptions(io: CliIo): { cacheDir?: string } {
  const dir = io.env.HUBFLEET_CACHE_DIR;
  return dir === undefined || dir === '' ? {} : { cacheDir: resolve(io.cwd, dir) };
}

export async function loadFromDir(config: string, io: CliIo): Promise<LoadResult> {
  const { loadFleetLazily } = await import('../config/load-lazy.js');
  return loadFleetLazily(resolve(io.cwd, config), { displayRoot: io.cwd, ...cacheOptions(io) });
}

/** Prints problems (and annotations inside GitHub Actions); true when the fleet loaded. */
export function report(result: LoadResult, io: CliIo): result is Extract<LoadResult, { ok: true }> {
  const problems: ConfigProblem[] = result.ok ? result.warnings : result.problems;
  const inActions = io.env.GITHUB_ACTIONS === 'true';
  for (const p of problems) {
    io.stderr(`${formatProblem(p)}\n`);
    if (inActions) io.stdout(`${annotation(p)}\n`);
  }
  if (!result.ok) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    io.stderr(`\n${errors} error${errors === 1 ? '' : 's'} in the fleet config; nothing was changed\n`);
  }
  return result.ok;
}
