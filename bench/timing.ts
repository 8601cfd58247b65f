// Timing whole processes: a command's wall time from spawn to exit, as a CI step pays it. Each
// measurement is interleaved with the others and with a bare `node -e ''`, so a machine that
// slows down mid-run slows the baseline alike, and figures are read as ratios to it.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { cleanEnv } from './clean-env.js';

export interface Command {
  /** Label in the report. */
  label: string;
  /** Program and arguments; `process.execPath` for node. */
  argv: readonly [string, ...string[]];
  cwd: string;
  /** The child's environment (default: this process's); NODE_* variables are always removed... */
  env?: NodeJS.ProcessEnv;
  /** ...except for the note on the machine's own environment (cli-cold), which keeps them. */
  machineEnvironment?: boolean;
}

export interface Timed {
  label: string;
  times: number[];
  median: number;
}

/** Runs `command` once and resolves with its wall time; rejects when it exits non-zero. */
export function timeOnce(command: Command): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const [program, ...args] = command.argv;
    const start = performance.now();
    const child = spawn(program, args, {
      cwd: command.cwd,
      env: command.machineEnvironment === true ? (command.env ?? process.env) : cleanEnv({}, command.env),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - start;
      if (code === 0) resolvePromise(elapsed);
      else reject(new Error(`${command.label}: exit ${String(code)}\n${stderr}`));
    });
  });
}

/**
 * `runs` rounds; each round runs every command once, in order. One untimed round first (disk
 * cache, the node binary). Medians per command, in the order given.
 */
export async function interleaved(commands: readonly Command[], runs: number): Promise<Timed[]> {
  for (const c of commands) await timeOnce(c);
  const times = commands.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (const [i, c] of commands.entries()) times[i]?.push(await timeOnce(c));
  }
  return commands.map((c, i) => ({ label: c.label, times: times[i] ?? [], median: median(times[i] ?? []) }));
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The bare node start every figure is compared with. */
export function nodeBaseline(cwd: string): Command {
  return { label: "node -e ''", argv: [process.execPath, '-e', ''], cwd };
}

export const ms = (n: number): string => `${n.toFixed(0)} ms`;
