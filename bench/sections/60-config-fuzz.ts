// The hub-file fuzzer at scale: 10,000 mutated copies of the example fleet's hub files (a fixed
// seed, so every run checks the same documents), each loaded, and rendered when accepted
// (bench/config-fuzz.ts says what is checked). Prints documents per second of the check alone
// (generating the mutations is not timed) and the share of documents the loader accepted.
import fc from 'fast-check';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkCase, fuzzCases, fuzzCorpus } from '../config-fuzz.js';
import type { BenchContext, BenchSection, SectionResult } from '../section.js';

const DOCUMENTS = 10_000;
const SEED = 20_261_207;
/** Shown in full: a failing document's mutation, for the issue or the test. */
const SHOWN_VIOLATIONS = 3;

function run(context: BenchContext): Promise<SectionResult> {
  const corpus = fuzzCorpus(join(context.root, 'config'), context.root);
  context.progress(`config-fuzz: generating ${DOCUMENTS} mutated hub files`);
  const cases = fc.sample(fuzzCases(corpus), { numRuns: DOCUMENTS, seed: SEED });
  context.progress('config-fuzz: loading and rendering them');
  const counts = { accepted: 0, refused: 0 };
  const violations: string[] = [];
  const start = performance.now();
  for (const c of cases) {
    const verdict = checkCase(corpus, c);
    if (verdict.outcome === 'violation') violations.push(`${verdict.why}; mutation ${c.mutation}`);
    else counts[verdict.outcome] += 1;
  }
  const seconds = (performance.now() - start) / 1000;
  const rate = cases.length / seconds;
  return Promise.resolve({
    lines: [
      `hub-file fuzzer: ${cases.length} mutated documents (seed ${SEED}) in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} documents/s`,
      `  accepted and rendered ${counts.accepted}, refused with file:line ${counts.refused}, violations ${violations.length}`,
      ...violations.slice(0, SHOWN_VIOLATIONS).map((v) => `  violation: ${v}`),
    ],
    verdicts: [
      {
        subject: `${cases.length} mutated hub files`,
        target: 'no crash, every refusal at file:line, owned values render unchanged',
        measured: `${violations.length} violations`,
        met: violations.length === 0,
      },
    ],
  });
}

const section: BenchSection = { name: 'config-fuzz', run };
export default section;
