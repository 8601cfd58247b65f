// The headline: whole, cold `hubfleet` processes as a CI step runs them. A new process per run for
// `validate --config DIR`, `affected --base REF --head REF --config DIR` in a real git repository
// with 10 changed files, `render --out DIR` and `diff` of one changed hub, on the example fleet and
// on a synthetic 100-cluster, 1,000-hub fleet with realistic chart values (~2 KB per hub file),
// interleaved with `node -e ''` in the same run. Every child runs without NODE_* variables
// (bench/clean-env.ts); the same node start with the machine's own environment is a note. The
// untimed first run of each command leaves V8's compiled code beside its bundle, as any earlier
// command of a job does (bin/hubfleet.js, decision 0082).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchSection, SectionResult, Verdict } from '../section.js';
import { nodeVariables } from '../clean-env.js';
import {
  commitOneHubChange,
  commitWithChanges,
  copyConfig,
  filesUnder,
  type GitFleet,
} from '../git-fleet.js';
import { interleaved, ms, nodeBaseline, timeOnce, type Command } from '../timing.js';
import { writeSyntheticFleet } from '../synthetic-fleet.js';

const CHANGED_FILES = 10;

interface Target {
  subject: string;
  label: string;
  maxRatio: number;
}

// Issue 22: ratios to `node -e ''` measured in the same run, both without NODE_* variables.
const TARGETS: readonly Target[] = [
  { subject: 'example fleet: validate', label: 'example validate', maxRatio: 3 },
  { subject: '1,000-hub fleet: validate', label: '1,000-hub validate', maxRatio: 6 },
  { subject: '1,000-hub fleet: affected', label: '1,000-hub affected', maxRatio: 6 },
  { subject: '1,000-hub fleet: render', label: '1,000-hub render', maxRatio: 25 },
  { subject: '1,000-hub fleet: diff of one changed hub', label: '1,000-hub diff (1 hub)', maxRatio: 10 },
];

function fleetSize(repo: string): string {
  const files = filesUnder(repo, 'config').filter((p) => p.endsWith('.yaml'));
  const bytes = files.reduce((n, p) => n + statSync(join(repo, p)).size, 0);
  const hubs = files.filter((p) => p.includes('/hubs/')).length;
  const clusters = readdirSync(join(repo, 'config', 'clusters')).length;
  return `${clusters} clusters, ${hubs} hubs, ${(bytes / 1024).toFixed(0)} KB of YAML`;
}

interface Fleets {
  fleet: GitFleet;
  /** The commit with CHANGED_FILES changes (affected's head). */
  tenChanges: string;
  /** diff --base: HEAD is one changed hub after it. */
  oneHubBase: string;
}

function prepare(repo: string): Fleets {
  const fleet = commitWithChanges(repo, CHANGED_FILES);
  const { base } = commitOneHubChange(repo);
  return { fleet, tenChanges: base, oneHubBase: base };
}

function commands(context: BenchContext, name: string, f: Fleets, withRenders: boolean): Command[] {
  const cli = join(context.root, 'bin', 'hubfleet.js');
  const node = process.execPath;
  const cwd = f.fleet.repo;
  const list: Command[] = [
    { label: `${name} validate`, argv: [node, cli, 'validate', '--config', 'config'], cwd },
    {
      label: `${name} affected`,
      argv: [node, cli, 'affected', '--base', f.fleet.base, '--head', f.tenChanges, '--config', 'config'],
      cwd,
    },
  ];
  if (withRenders) {
    list.push(
      {
        label: `${name} render`,
        argv: [node, cli, 'render', '--out', join(context.scratch, `${name}-out`), '--config', 'config'],
        cwd,
      },
      {
        label: `${name} diff (1 hub)`,
        argv: [node, cli, 'diff', '--base', f.oneHubBase, '--config', 'config'],
        cwd,
      },
    );
  }
  return list;
}

async function run(context: BenchContext): Promise<SectionResult> {
  context.progress('cli-cold: writing the fleets into git repositories');
  const exampleRepo = join(context.scratch, 'example-fleet');
  copyConfig(join(context.root, 'config'), exampleRepo);
  const example = prepare(exampleRepo);
  const syntheticRepo = join(context.scratch, 'synthetic-fleet');
  await writeSyntheticFleet(syntheticRepo, 100, 10);
  const synthetic = prepare(syntheticRepo);

  const baselineCommand = nodeBaseline(context.scratch);
  const clean = [
    baselineCommand,
    ...commands(context, 'example', example, false),
    ...commands(context, '1,000-hub', synthetic, true),
  ];
  const validate = clean.find((c) => c.label === '1,000-hub validate');
  if (validate === undefined) throw new Error('cli-cold: no 1,000-hub validate command');
  // The later commands of a job with HUBFLEET_CACHE_DIR set (src/config/parse-cache.ts): the
  // untimed first round fills the cache, as the job's validate step would.
  const cacheEnv = { ...process.env, HUBFLEET_CACHE_DIR: join(context.scratch, 'parse-cache') };
  const cached: Command[] = clean
    .filter((c) => c.label.startsWith('1,000-hub') && !c.label.endsWith('render'))
    .map((c) => ({ ...c, label: `${c.label}, cache`, env: cacheEnv }));
  clean.push(...cached);
  // The machine's own environment, for the note: the bare start and the 1,000-hub validate.
  const machine: Command[] = [
    { ...baselineCommand, label: "node -e '' (machine env)", machineEnvironment: true },
    { ...validate, label: '1,000-hub validate (machine env)', machineEnvironment: true },
  ];
  const all = [...clean, ...machine];
  // Each command must succeed before it is timed: a bench of a failing run measures nothing.
  for (const c of all) await timeOnce(c);
  context.progress(`cli-cold: ${context.runs} interleaved rounds of ${all.length} processes`);
  const timed = await interleaved(all, context.runs);
  const baseline = timed[0]?.median ?? Number.NaN;

  const lines = [
    `hubfleet CLI, cold whole processes (median of ${context.runs} interleaved runs; ratio to node -e '' in the same run;`,
    '  every child without NODE_* variables, as on GitHub-hosted runners)',
    `  example fleet:   ${fleetSize(example.fleet.repo)}`,
    `  1,000-hub fleet: ${fleetSize(synthetic.fleet.repo)}`,
    `  affected: git diff of ${CHANGED_FILES} changed files (base → head), objects packed as in a clone`,
    '  render: the whole fleet into the same --out each run (files already holding their content are left',
    "    as they are); diff: HEAD changes one hub's image tag",
    "  each command's compiled code is kept beside its bundle by the untimed first run (bin/hubfleet.js)",
    '  ", cache": HUBFLEET_CACHE_DIR filled by an earlier command, as for the later steps of a job',
    '',
  ];
  const shown = timed.slice(0, clean.length);
  const width = Math.max(...shown.map((t) => t.label.length));
  for (const t of shown) {
    const ratio = t.median / baseline;
    lines.push(`  ${t.label.padEnd(width)}  ${ms(t.median).padStart(8)}  ${ratio.toFixed(2).padStart(6)}x`);
  }
  const [machineNode, machineValidate] = timed.slice(clean.length);
  const variables = nodeVariables();
  lines.push(
    '',
    `  note, this machine's own environment (${variables.length === 0 ? 'no NODE_* variables set' : variables.join(', ')}):`,
    `    node -e '' ${ms(machineNode?.median ?? Number.NaN)} (${signed((machineNode?.median ?? Number.NaN) - baseline)} vs without),` +
      ` 1,000-hub validate ${ms(machineValidate?.median ?? Number.NaN)} (${((machineValidate?.median ?? Number.NaN) / (machineNode?.median ?? Number.NaN)).toFixed(2)}x its node -e '')`,
  );
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

const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${ms(Math.abs(n))}`;

const section: BenchSection = { name: 'cli-cold', run };
export default section;
