// Size and start-up of each committed action bundle (bench/bundles.ts), next to node -e ''.
import { benchBundles } from '../bundles.js';
import type { BenchContext, BenchSection, SectionResult } from '../section.js';

async function run(context: BenchContext): Promise<SectionResult> {
  const lines = await benchBundles({ root: context.root, runs: Math.max(7, context.runs) });
  // bundles.ts marks each goal ok/OVER in its lines; those goals are guides, not issue targets.
  return { lines, verdicts: [] };
}

const section: BenchSection = { name: 'bundles', run };
export default section;
