// verify-cert's fleet check (bench/cert-check.ts): the bundle, cold, on 500 local TLS endpoints
// with DNS and certificate status, with the action's concurrency next to a sequential check of the
// same endpoints in the same run, and on 1,000 hubs; at 0, 5 and 20 ms of simulated latency, with
// the CPU time of every side so that a CPU-bound result shows as such.
import { benchCertCheck } from '../cert-check.js';
import type { BenchSection } from '../section.js';

const section: BenchSection = { name: 'cert-check', run: benchCertCheck };
export default section;
