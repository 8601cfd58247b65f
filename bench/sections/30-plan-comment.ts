// A 1 MB Terraform plan posted as the sticky PR comment (bench/plan-comment.ts): API calls and time
// through the real GitHub adapter against the GitHub double. Its goal line is printed with it.
import { benchPlanComment } from '../plan-comment.js';
import type { BenchSection, SectionResult } from '../section.js';

async function run(): Promise<SectionResult> {
  return { lines: await benchPlanComment(), verdicts: [] };
}

const section: BenchSection = { name: 'plan-comment', run };
export default section;
