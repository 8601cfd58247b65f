// The breakdown under the headline: where the time of a warm, in-process run goes on the 1,000-hub
// fleet (JIT warmed, schemas compiled, files in the page cache). Useful to see which stage grew; not
// a verdict, since CI pays the cold process measured by cli-cold.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { fastParse } from '../../src/config/fast-yaml.js';
import { loadFleet } from '../../src/config/load.js';
import { planChanges } from '../../src/plan/change-plan.js';
import { renderFleetFiles } from '../../src/render/files.js';
import type { BenchContext, BenchSection, SectionResult } from '../section.js';
import { writeSyntheticFleet } from '../synthetic-fleet.js';
import { median } from '../timing.js';

async function warmMedian(runs: number, fn: () => unknown): Promise<number> {
  await fn(); // warm-up: JIT, schema compilation, file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const ms = (n: number): string => `${n.toFixed(1).padStart(8)} ms`;

async function run(context: BenchContext): Promise<SectionResult> {
  const root = join(context.scratch, 'warm-fleet');
  const synthetic = await writeSyntheticFleet(root, 100, 10);
  const result = await loadFleet(synthetic.configDir, { displayRoot: root });
  if (!result.ok) throw new Error(`synthetic fleet does not validate: ${JSON.stringify(result.problems[0])}`);
  const fleet = result.fleet;
  const hubs = fleet.clusters.reduce((n, c) => n + c.hubs.length, 0);
  const paths = [
    ...fleet.clusters.map((c) => c.file),
    ...fleet.clusters.flatMap((c) => c.hubs.map((h) => h.file)),
  ].map((p) => join(root, p));
  const runs = context.runs;
  context.progress('fleet-warm: in-process medians');
  const readOnly = await warmMedian(runs, () => {
    for (const p of paths) readFileSync(p, 'utf8');
  });
  const fastReading = await warmMedian(runs, () => {
    for (const p of paths) fastParse(readFileSync(p, 'utf8'));
  });
  const fullParse = await warmMedian(runs, () => {
    for (const p of paths) parseDocument(readFileSync(p, 'utf8'));
  });
  const validate = await warmMedian(runs, () => loadFleet(synthetic.configDir, { displayRoot: root }));
  const changes = synthetic.hubFiles
    .filter((_, i) => i % 97 === 0)
    .slice(0, 10)
    .map((path) => ({ path, status: 'modified' as const }));
  const affected = await warmMedian(runs, () => planChanges(changes, [], fleet));
  const render = await warmMedian(runs, () => renderFleetFiles(fleet));
  return {
    lines: [
      `breakdown: warm, in-process (median of ${runs}; ${fleet.clusters.length} clusters, ${hubs} hubs)`,
      `  read the files                         ${ms(readOnly)}`,
      `  read + fast reading (js-yaml)          ${ms(fastReading)}`,
      `  read + yaml parseDocument (positions)  ${ms(fullParse)}   (only for problems)`,
      `  loadFleet (read, parse, validate)      ${ms(validate)}`,
      `  planChanges (${changes.length} changed files)          ${ms(affected)}`,
      `  render all hubs                        ${ms(render)}`,
    ],
    verdicts: [],
  };
}

const section: BenchSection = { name: 'fleet-warm', run };
export default section;
