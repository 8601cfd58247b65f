import { defineInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';

export const planClusterInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  'config-dir': { kind: 'string', default: 'config' },
  'terraform-dir': { kind: 'string', default: 'terraform' },
  mode: { kind: 'enum', values: ['plan', 'drift'], default: 'plan' },
  'github-token': { kind: 'string', secret: true, default: '${{ github.token }}' },
  'pr-number': { kind: 'integer', min: 1 },
  'out-dir': { kind: 'string' },
  'issue-label': { kind: 'string', default: 'hubfleet' },
  'terraform-binary': { kind: 'string', default: 'terraform' },
});

export const planClusterOutputs = defineOutputs([
  'has-changes',
  'plan-path',
  'plan-json-path',
  'plan-sha256',
  'inputs-digest',
  'commit',
  'comment-ids',
  'issue-number',
]);
export type PlanClusterOutputs = OutputsOf<typeof planClusterOutputs>;

export interface PlanClusterRequest {
  cluster: string;
  configDir: string;
  terraformDir: string;
  mode: 'plan' | 'drift';
  token: string;
  /** The PR to comment on in plan mode; undefined when the run has none (then no comment). */
  prNumber: number | undefined;
  outDir: string | undefined;
  issueLabel: string;
  terraformBinary: string;
}

interface EventNumbers {
  pull_request?: { number?: unknown };
}

/** The typed request; `event` is the webhook payload (a pull_request event names the PR). */
export function readPlanClusterInputs(event: unknown): PlanClusterRequest {
  const inputs = readInputs(planClusterInputs);
  return {
    cluster: inputs.cluster,
    configDir: inputs.configDir,
    terraformDir: inputs.terraformDir,
    mode: inputs.mode === 'drift' ? 'drift' : 'plan',
    token: inputs.githubToken,
    prNumber: inputs.prNumber ?? eventPullRequest(event),
    outDir: inputs.outDir === '' ? undefined : inputs.outDir,
    issueLabel: inputs.issueLabel,
    terraformBinary: inputs.terraformBinary,
  };
}

function eventPullRequest(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const number = (event as EventNumbers).pull_request?.number;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
