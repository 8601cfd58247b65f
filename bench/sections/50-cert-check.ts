// verify-cert's fleet check (bench/cert-check.ts): 500 local TLS endpoints with DNS and certificate
// status, checked with the action's concurrency next to a sequential check of the same endpoints in
// the same run, and 1,000 hubs; at 0 ms and at a simulated 20 ms network latency.
import { benchCertCheck } from '../cert-check.js';
import type { BenchSection, SectionResult } from '../section.js';

async function run(): Promise<SectionResult> {
  return { lines: await benchCertCheck(), verdicts: [] };
}

const section: BenchSection = { name: 'cert-check', run };
export default section;
