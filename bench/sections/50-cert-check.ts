// verify-cert's fleet check (bench/cert-check.ts): 500 local TLS endpoints with DNS and certificate
// status, checked with the action's concurrency next to a sequential check of the same endpoints in
// the same run, and 1,000 hubs; at 0, 5 and 20 ms of simulated network latency, with the CPU time
// of both sides so that a CPU-bound result shows as such.
import { benchCertCheck } from '../cert-check.js';
import type { BenchContext, BenchSection, SectionResult } from '../section.js';

function run(context: BenchContext): Promise<SectionResult> {
  return benchCertCheck(context.runs);
}

const section: BenchSection = { name: 'cert-check', run };
export default section;
