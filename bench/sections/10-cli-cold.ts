// The headline: whole, cold `hubfleet` processes as a CI step runs them. A new process per run for
// `validate --config DIR` and for `affected --base REF --config DIR` in a real git repository with
// 10 changed files, on the example fleet and on a synthetic 100-cluster, 1,000-hub fleet with
// realistic chart values (~2 KB per hub file), interleaved with `node -e ''` in the same run.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchSection, SectionResult, Verdict } from '../section.js';
import { commitWithChanges, copyConfig, filesUnder, type GitFleet } from '../git-fleet.js';
import { interleaved, ms, nodeBaseline, timeOnce, type Command } from '../timing.js';
import { writeSyntheticFleet } from '../synthetic-fleet.js';

const CHANGED_FILES = 10;

interface Target {
  subject: string;
  label: string;
  maxRatio: number;
}

// Issue 7: ratios to `node -e ''` measured in the same run.
const TARGETS: readonly Target[] = [
  { subject: 'example fleet: validate', label: 'example validate', maxRatio: 3 },
  { subject: '1,000-hub fleet: validate', label: '1,000-hub validate', maxRatio: 8 },
  { subject: '1,000-hub fleet: affected', label: '1,000-hub affected', maxRatio: 8 },
];

function fleetSize(repo: string): string {
  const files = filesUnder(repo, 'config').filter((p) => p.endsWith('.yaml'));
  const bytes = files.reduce((n, p) => n + statSync(join(repo, p)).size, 0);
  const hubs = files.filter((p) => p.includes('/hubs/')).length;
  const clusters = readdirSync(join(repo, 'config', 'clusters')).length;
  return `${clusters} clusters, ${hubs} hubs, ${(bytes / 1024).toFixed(0)} KB of YAML`;
}

function commands(context: BenchContext, name: string, fleet: GitFleet): Command[] {
  const cli = join(context.root, 'bin', 'hubfleet.js');
  const node = process.execPath;
  return [
    { label: `${name} validate`, argv: [node, cli, 'validate', '--config', 'config'], cwd: fleet.repo },
    {
      label: `${name} affected`,
      argv: [node, cli, 'affected', '--base', fleet.base, '--config', 'config'],
      cwd: fleet.repo,
    },
  ];
}

async function run(context: BenchContext): Promise<SectionResult> {
  context.progress('cli-cold: writing the fleets into git repositories');
  const exampleRepo = join(context.scratch, 'example-fleet');
  copyConfig(join(context.root, 'config'), exampleRepo);
  const example = commitWithChanges(exampleRepo, CHANGED_FILES);
  const syntheticRepo = join(context.scratch, 'synthetic-fleet');
  await writeSyntheticFleet(syntheticRepo, 100, 10);
  const synthetic = commitWithChanges(syntheticRepo, CHANGED_FILES);

  const all = [
    nodeBaseline(context.scratch),
    ...commands(context, 'example', example),
    ...commands(context, '1,000-hub', synthetic),
  ];
  // Each command must succeed before it is timed: a bench of a failing run measures nothing.
  for (const c of all) await timeOnce(c);
  context.progress(`cli-cold: ${context.runs} interleaved rounds of ${all.length} processes`);
  const timed = await interleaved(all, context.runs);
  const baseline = timed[0]?.median ?? Number.NaN;

  const lines = [
    `hubfleet CLI, cold whole processes (median of ${context.runs} interleaved runs; ratio to node -e '' in the same run)`,
    `  example fleet:   ${fleetSize(example.repo)}`,
    `  1,000-hub fleet: ${fleetSize(synthetic.repo)}`,
    `  affected: git diff of ${CHANGED_FILES} changed files (base → HEAD), objects packed as in a clone`,
    '',
  ];
  const width = Math.max(...timed.map((t) => t.label.length));
  for (const t of timed) {
    const ratio = t.median / baseline;
    lines.push(`  ${t.label.padEnd(width)}  ${ms(t.median).padStart(8)}  ${ratio.toFixed(2).padStart(6)}x`);
  }
  const verdicts: Verdict[] = TARGETS.map((target) => {
    const t = timed.find((x) => x.label === target.label);
    const ratio = (t?.median ?? Number.NaN) / baseline;
    return {
      subject: target.subject,
      target: `≤ ${target.maxRatio}x node -e ''`,
      measured: `${ratio.toFixed(2)}x (${ms(t?.median ?? Number.NaN)} vs ${ms(baseline)})`,
      met: ratio <= target.maxRatio,
    };
  });
  return { lines, verdicts };
}

const section: BenchSection = { name: 'cli-cold', run };
export default section;
