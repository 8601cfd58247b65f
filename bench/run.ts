// `npm run bench`: speed of the fleet tooling and of the action bundles, each next to a baseline
// measured in the same process, so the figures compare across machines.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { loadFleet } from '../src/config/load.js';
import { planChanges } from '../src/plan/change-plan.js';
import { renderFleetFiles } from '../src/render/files.js';
import { benchBundles } from './bundles.js';
import { benchFleetDeploy } from './fleet-deploy.js';
import { writeSyntheticFleet } from './synthetic-fleet.js';

const RUNS = 9;
const CLUSTERS = 100;
const HUBS_PER_CLUSTER = 10;

async function median(fn: () => unknown): Promise<number> {
  await fn(); // warm-up: JIT, schema compilation, file cache
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(2).padStart(8)} ms`;

async function benchFleet(): Promise<string[]> {
  const root = await mkdtemp(join(tmpdir(), 'hubfleet-bench-'));
  try {
    const synthetic = await writeSyntheticFleet(root, CLUSTERS, HUBS_PER_CLUSTER);
    const result = await loadFleet(synthetic.configDir, { displayRoot: root });
    if (!result.ok)
      throw new Error(`synthetic fleet does not validate: ${JSON.stringify(result.problems[0])}`);
    const fleet = result.fleet;
    const hubs = fleet.clusters.reduce((n, c) => n + c.hubs.length, 0);

    // Baseline: only reading and parsing the same files, no validation.
    const paths = [
      ...fleet.clusters.map((c) => c.file),
      ...fleet.clusters.flatMap((c) => c.hubs.map((h) => h.file)),
    ].map((p) => join(root, p));
    const parseOnly = await median(() => {
      for (const p of paths) parseDocument(readFileSync(p, 'utf8'));
    });
    const validate = await median(() => loadFleet(synthetic.configDir, { displayRoot: root }));
    const changes = synthetic.hubFiles
      .filter((_, i) => i % 97 === 0)
      .slice(0, 10)
      .map((path) => ({ path, status: 'modified' as const }));
    const affected = await median(() => planChanges(changes, [], fleet));
    const render = await median(() => renderFleetFiles(fleet));

    return [
      `synthetic fleet: ${fleet.clusters.length} clusters, ${hubs} hubs (median of ${RUNS} runs)`,
      `  read+parse only (baseline) ${ms(parseOnly)}`,
      `  validate                   ${ms(validate)}   ${(validate / parseOnly).toFixed(2)}x baseline`,
      `  affected (${changes.length} changed files)${ms(affected)}`,
      `  render all hubs            ${ms(render)}`,
      `  validate + affected        ${ms(validate + affected)}   target < 300 ms: ${validate + affected < 300 ? 'met' : 'MISSED'}`,
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const lines = [...(await benchFleet()), '', ...(await benchFleetDeploy()), '', ...(await benchBundles())];
process.stdout.write(`${lines.join('\n')}\n`);
