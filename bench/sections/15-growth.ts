// Growth: the cost per hub of cold `validate`, `affected` and `render` processes on synthetic
// fleets of 100, 1,000 and 10,000 hubs (10 hubs per cluster), each figure the median minus the
// bare `node -e ''` of the same run, divided by the hubs. Start-up weighs on the small fleet; from
// 1,000 to 10,000 hubs the cost per hub should stay flat if the work grows linearly.
import { join } from 'node:path';
import type { BenchContext, BenchSection, SectionResult, Verdict } from '../section.js';
import { commitWithChanges } from '../git-fleet.js';
import { interleaved, ms, nodeBaseline, timeOnce, type Command } from '../timing.js';
import { writeSyntheticFleet } from '../synthetic-fleet.js';

const SIZES = [
  { clusters: 10, label: '100' },
  { clusters: 100, label: '1,000' },
  { clusters: 1000, label: '10,000' },
] as const;
const HUBS_PER_CLUSTER = 10;
const KINDS = ['validate', 'affected', 'render'] as const;
/** Per-hub cost at 10,000 hubs may be at most this multiple of the cost at 1,000. */
const MAX_GROWTH = 1.5;
/** The 10,000-hub renders write 30,000 files a run: five rounds are the fewest medians allow. */
const ROUNDS = 5;

const us = (n: number): string => `${(n * 1000).toFixed(0)} µs`;

async function run(context: BenchContext): Promise<SectionResult> {
  const cli = join(context.root, 'bin', 'hubfleet.js');
  const node = process.execPath;
  const commands: Command[] = [nodeBaseline(context.scratch)];
  for (const size of SIZES) {
    context.progress(`growth: writing the ${size.label}-hub fleet`);
    const repo = join(context.scratch, `fleet-${size.clusters}`);
    await writeSyntheticFleet(repo, size.clusters, HUBS_PER_CLUSTER);
    const fleet = commitWithChanges(repo, 10);
    const out = join(context.scratch, `out-${size.clusters}`);
    commands.push(
      { label: `${size.label} validate`, argv: [node, cli, 'validate', '--config', 'config'], cwd: repo },
      {
        label: `${size.label} affected`,
        argv: [node, cli, 'affected', '--base', fleet.base, '--config', 'config'],
        cwd: repo,
      },
      {
        label: `${size.label} render`,
        argv: [node, cli, 'render', '--out', out, '--config', 'config'],
        cwd: repo,
      },
    );
  }
  for (const c of commands) await timeOnce(c);
  const rounds = ROUNDS;
  context.progress(`growth: ${rounds} interleaved rounds of ${commands.length} processes`);
  const timed = await interleaved(commands, rounds);
  const baseline = timed[0]?.median ?? Number.NaN;
  const perHub = (kind: string, size: (typeof SIZES)[number]): number => {
    const t = timed.find((x) => x.label === `${size.label} ${kind}`);
    return ((t?.median ?? Number.NaN) - baseline) / (size.clusters * HUBS_PER_CLUSTER);
  };
  const lines = [
    `growth: cost per hub of a cold process, (median − node -e '') / hubs (median of ${rounds} interleaved runs; node -e '' ${ms(baseline)})`,
    `  ${'hubs'.padEnd(8)}${KINDS.map((k) => k.padStart(12)).join('')}`,
  ];
  for (const size of SIZES) {
    lines.push(`  ${size.label.padEnd(8)}${KINDS.map((k) => us(perHub(k, size)).padStart(12)).join('')}`);
  }
  lines.push(
    '  (whole-process medians:',
    ...SIZES.map(
      (size) =>
        `   ${size.label.padEnd(7)} ${KINDS.map((k) => `${k} ${ms(timed.find((x) => x.label === `${size.label} ${k}`)?.median ?? Number.NaN)}`).join(', ')}`,
    ),
    '  )',
  );
  const [, thousand, tenThousand] = SIZES;
  const verdicts: Verdict[] = KINDS.map((kind) => {
    const at1k = perHub(kind, thousand);
    const at10k = perHub(kind, tenThousand);
    return {
      subject: `growth of ${kind}: cost per hub at 10,000 hubs against 1,000`,
      target: `≤ ${MAX_GROWTH}x`,
      measured: `${(at10k / at1k).toFixed(2)}x (${us(at10k)} vs ${us(at1k)} per hub)`,
      met: at10k / at1k <= MAX_GROWTH,
    };
  });
  return { lines, verdicts };
}

const section: BenchSection = { name: 'growth', run };
export default section;
