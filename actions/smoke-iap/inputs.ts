import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';
import { nonBlank, readHubTargets } from '../../src/action/hub-targets.js';
import type { ConnectTo } from '../../src/adapters/connect-to.js';

export const smokeInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  hubs: { kind: 'string', default: 'all' },
  'config-dir': { kind: 'string', default: 'config' },
  path: { kind: 'string', default: '/hub/health' },
  'github-token': { kind: 'string', secret: true, default: '${{ github.token }}' },
  'id-token': { kind: 'string', secret: true },
  'unauthorized-id-token': { kind: 'string', secret: true },
  'wrong-audience-id-token': { kind: 'string', secret: true },
  attempts: { kind: 'integer', min: 1, max: 50, default: '5' },
  'attempt-timeout': { kind: 'duration', min: 100, max: 300_000, default: '10s' },
  'retry-budget': { kind: 'duration', min: 1000, max: 3_600_000, default: '5m' },
  concurrency: { kind: 'integer', min: 1, max: 64, default: '8' },
  'connect-to': { kind: 'string' },
  kubeconfig: { kind: 'string' },
  'report-issues': { kind: 'boolean', default: 'false' },
  'compute-api-url': { kind: 'string', default: 'https://compute.googleapis.com' },
  'gcp-access-token': { kind: 'string', secret: true },
});

export const smokeOutputs = defineOutputs(['exposed-hubs', 'down-hubs', 'misbehaving-hubs', 'verdict']);
export type SmokeOutputs = OutputsOf<typeof smokeOutputs>;

export interface SmokeRequest {
  cluster: string;
  hubs: 'all' | string[];
  configDir: string;
  path: string;
  githubToken: string;
  idToken: string | undefined;
  unauthorizedIdToken: string | undefined;
  wrongAudienceIdToken: string | undefined;
  attempts: number;
  attemptTimeoutMs: number;
  retryBudgetMs: number;
  concurrency: number;
  connectTo: ConnectTo[];
  kubeconfig: string | undefined;
  reportIssues: boolean;
  computeApiUrl: string;
  /** For the Compute API read of each GKE hub's live backend service id (stale-pin check). */
  gcpAccessToken: string | undefined;
}

/** Reads the inputs (secrets masked first) and checks how they combine; every problem at once. */
export function readSmokeInputs(): SmokeRequest {
  const inputs = readInputs(smokeInputs);
  const problems: string[] = [];
  if (!inputs.path.startsWith('/') || /\s/.test(inputs.path)) {
    problems.push(
      `input "path": expected an absolute URL path like /hub/health, got ${JSON.stringify(inputs.path)}`,
    );
  }
  const { hubs, connectTo } = readHubTargets(inputs, problems);
  if (inputs.retryBudget < inputs.attemptTimeout) {
    problems.push('input "retry-budget": must be at least one attempt-timeout');
  }
  if (problems.length > 0) throw invalidInputs(problems);
  return {
    cluster: inputs.cluster,
    hubs,
    configDir: inputs.configDir,
    path: inputs.path,
    githubToken: inputs.githubToken,
    idToken: nonBlank(inputs.idToken),
    unauthorizedIdToken: nonBlank(inputs.unauthorizedIdToken),
    wrongAudienceIdToken: nonBlank(inputs.wrongAudienceIdToken),
    attempts: inputs.attempts,
    attemptTimeoutMs: inputs.attemptTimeout,
    retryBudgetMs: inputs.retryBudget,
    concurrency: inputs.concurrency,
    connectTo,
    kubeconfig: nonBlank(inputs.kubeconfig),
    reportIssues: inputs.reportIssues,
    computeApiUrl: inputs.computeApiUrl,
    gcpAccessToken: nonBlank(inputs.gcpAccessToken),
  };
}
