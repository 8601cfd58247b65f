// `npm run bench [-- --runs N] [-- --only a,b]`: every section in bench/sections/, in file-name
// order, then the verdict of every target. Figures are medians next to a baseline measured in the
// same run, so they compare across machines.
//
// Adding a benchmark: write bench/sections/NN-name.ts whose default export is a BenchSection
// (bench/section.ts): `{ name, run(context) → { lines, verdicts } }`. NN orders the report. Use
// bench/timing.ts for whole processes (interleaved with node -e '') and context.scratch for files.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { verdictLine, type BenchSection, type Verdict } from './section.js';

const MIN_RUNS = 5;
const here = dirname(fileURLToPath(import.meta.url));

function isSection(value: unknown): value is BenchSection {
  if (typeof value !== 'object' || value === null) return false;
  const { name, run } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof run === 'function';
}

async function loadSections(): Promise<BenchSection[]> {
  const dir = join(here, 'sections');
  const files = readdirSync(dir)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort();
  const sections: BenchSection[] = [];
  for (const file of files) {
    const loaded = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isSection(loaded.default))
      throw new Error(`bench/sections/${file}: default export is not a BenchSection`);
    sections.push(loaded.default);
  }
  return sections;
}

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, only: { type: 'string', default: '' } },
});
const runs = Math.max(MIN_RUNS, Number.parseInt(values.runs, 10) || MIN_RUNS);
const only = values.only.split(',').filter((s) => s !== '');
const all = await loadSections();
const unknown = only.filter((n) => !all.some((s) => s.name === n));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown section ${unknown.join(', ')}; known: ${all.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}
const chosen = only.length === 0 ? all : all.filter((s) => only.includes(s.name));
// lib/bench/run.js → the project root is two levels up; bench/run.ts (ts-node style) one.
const root = resolve(here, here.includes(`${join('lib', 'bench')}`) ? '../..' : '..');
const verdicts: Verdict[] = [];
for (const section of chosen) {
  const scratch = mkdtempSync(join(tmpdir(), `hubfleet-bench-${section.name}-`));
  try {
    const result = await section.run({
      runs,
      root,
      scratch,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${result.lines.join('\n')}\n\n`);
    verdicts.push(...result.verdicts);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
if (verdicts.length > 0) {
  process.stdout.write(`targets:\n${verdicts.map((v) => `  ${verdictLine(v)}`).join('\n')}\n`);
}
