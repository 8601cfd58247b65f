// Size and start-up time of each committed action bundle. Start-up is measured next to a bare
// `node -e ''` in the same run, so the ratio compares across machines; a job pays this on every
// step, and a bundle that grows past a few MB or doubles node's start is worth a look.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './timing.js';

const GOAL_MB = 1.5;
const GOAL_RATIO = 2;
const DEFAULT_RUNS = 9;

export interface BenchBundlesOptions {
  /** Runs per measurement, at least 7 (the median of fewer is too noisy). */
  runs?: number;
  /** The project root; found from this file when omitted (works from bench/ and lib/bench/). */
  root?: string;
}

export async function benchBundles(options: BenchBundlesOptions = {}): Promise<string[]> {
  const runs = Math.max(7, options.runs ?? DEFAULT_RUNS);
  const root = options.root ?? findRoot(dirname(fileURLToPath(import.meta.url)));
  const bundles = await findBundles(root);
  if (bundles.length === 0) return ['action bundles: none built (run `npm run build`)'];

  const cwd = await mkdtemp(join(tmpdir(), 'hubfleet-bench-'));
  try {
    // A bare environment: no INPUT_* or GITHUB_*, so each bundle loads, finds no inputs and exits.
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: cwd };
    const time = (args: string[]): Promise<number> => timeNode(args, cwd, env);
    await time(['-e', '']); // warm-up: the node binary and its libraries into the page cache
    const baselineTimes: number[] = [];
    const bundleTimes = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
    // Interleaved, so a machine slowing down mid-run affects baseline and bundles alike.
    for (let i = 0; i < runs; i++) {
      baselineTimes.push(await time(['-e', '']));
      for (const b of bundles) bundleTimes.get(b.name)?.push(await time([b.path]));
    }
    const baseline = median(baselineTimes);
    const width = Math.max(...bundles.map((b) => b.name.length));
    const lines = [
      `action bundles: size, and start-up (median of ${runs} runs of \`node <bundle>\` with no inputs, until exit)`,
      `  baseline \`node -e ''\`: ${baseline.toFixed(1)} ms`,
    ];
    for (const b of bundles) {
      const startup = median(bundleTimes.get(b.name) ?? []);
      const mb = b.bytes / 1024 / 1024;
      const ratio = startup / baseline;
      lines.push(
        `  ${b.name.padEnd(width)}  ${b.bytes.toLocaleString('en-US').padStart(11)} B  ${mb.toFixed(2)} MB ` +
          `(goal ≤ ${GOAL_MB} MB: ${mb <= GOAL_MB ? 'ok' : 'OVER'})  ` +
          `start ${startup.toFixed(1)} ms = ${ratio.toFixed(2)}x baseline (goal ≤ ${GOAL_RATIO}x: ${ratio <= GOAL_RATIO ? 'ok' : 'OVER'})`,
      );
    }
    return lines;
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'actions'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no project root (package.json beside actions/) above ${from}`);
  }
}

async function findBundles(root: string): Promise<{ name: string; path: string; bytes: number }[]> {
  const actionsDir = resolve(root, 'actions');
  const names = (await readdir(actionsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const found: { name: string; path: string; bytes: number }[] = [];
  for (const name of names) {
    const path = join(actionsDir, name, 'dist', 'index.js');
    if (existsSync(path)) found.push({ name, path, bytes: (await stat(path)).size });
  }
  return found;
}

/** Milliseconds from spawning `node args` to its exit (whatever its exit code). */
function timeNode(args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolvePromise(performance.now() - start));
  });
}
