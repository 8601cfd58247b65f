import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';
import { nonBlank, readHubTargets } from '../../src/action/hub-targets.js';
import type { ConnectTo } from '../../src/adapters/connect-to.js';

export const healthInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  hubs: { kind: 'string', default: 'all' },
  'config-dir': { kind: 'string', default: 'config' },
  'github-token': { kind: 'string', secret: true, default: '${{ github.token }}' },
  'id-token': { kind: 'string', secret: true },
  kubeconfig: { kind: 'string' },
  'connect-to': { kind: 'string' },
  scratch: { kind: 'boolean', default: 'true' },
  dask: { kind: 'boolean', default: 'true' },
  attempts: { kind: 'integer', min: 1, max: 10, default: '3' },
  'retry-budget': { kind: 'duration', min: 60_000, max: 7_200_000, default: '30m' },
  'spawn-timeout': { kind: 'duration', min: 10_000, max: 3_600_000, default: '10m' },
  'cell-timeout': { kind: 'duration', min: 5000, max: 1_800_000, default: '5m' },
  concurrency: { kind: 'integer', min: 1, max: 32, default: '4' },
  'report-issues': { kind: 'boolean', default: 'false' },
});

export const healthOutputs = defineOutputs(['unhealthy-hubs', 'verdict']);
export type HealthOutputs = OutputsOf<typeof healthOutputs>;

export interface HealthRequest {
  cluster: string;
  hubs: 'all' | string[];
  configDir: string;
  githubToken: string;
  idToken: string | undefined;
  kubeconfig: string | undefined;
  connectTo: ConnectTo[];
  scratch: boolean;
  dask: boolean;
  attempts: number;
  retryBudgetMs: number;
  spawnTimeoutMs: number;
  cellTimeoutMs: number;
  concurrency: number;
  reportIssues: boolean;
}

/** Reads the inputs (secrets masked first) and checks how they combine; every problem at once. */
export function readHealthInputs(): HealthRequest {
  const inputs = readInputs(healthInputs);
  const problems: string[] = [];
  const { hubs, connectTo } = readHubTargets(inputs, problems);
  if (inputs.retryBudget < inputs.spawnTimeout) {
    problems.push('input "retry-budget": must be at least one spawn-timeout');
  }
  if (problems.length > 0) throw invalidInputs(problems);
  return {
    cluster: inputs.cluster,
    hubs,
    configDir: inputs.configDir,
    githubToken: inputs.githubToken,
    idToken: nonBlank(inputs.idToken),
    kubeconfig: nonBlank(inputs.kubeconfig),
    connectTo,
    scratch: inputs.scratch,
    dask: inputs.dask,
    attempts: inputs.attempts,
    retryBudgetMs: inputs.retryBudget,
    spawnTimeoutMs: inputs.spawnTimeout,
    cellTimeoutMs: inputs.cellTimeout,
    concurrency: inputs.concurrency,
    reportIssues: inputs.reportIssues,
  };
}
