// A fleet-wide deploy (bench/fleet-deploy.ts): the planner's matrices for 100 clusters × 10 hubs
// against GitHub's 256-job limit, the wall-clock time the concurrency settings give, and one
// cluster deployed with real fake-helm processes next to the start-up baseline.
import { benchFleetDeploy } from '../fleet-deploy.js';
import type { BenchSection, SectionResult } from '../section.js';

async function run(): Promise<SectionResult> {
  return { lines: await benchFleetDeploy(), verdicts: [] };
}

const section: BenchSection = { name: 'fleet-deploy', run };
export default section;
