import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';
import { reviewedPlanProblems, type ReviewedPlan } from '../../src/tfplan/binding.js';

export const applyIamInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  'config-dir': { kind: 'string', default: 'config' },
  'terraform-dir': { kind: 'string', default: 'terraform' },
  'plan-path': { kind: 'string', required: true },
  'expected-plan-sha256': { kind: 'string', required: true },
  'expected-inputs-digest': { kind: 'string', required: true },
  'gcp-project': { kind: 'string' },
  'gcp-service-account': { kind: 'string' },
  'terraform-binary': { kind: 'string', default: 'terraform' },
});

export const applyIamOutputs = defineOutputs(['sa-annotations', 'hub-outputs', 'plan-sha256', 'identity']);
export type ApplyIamOutputs = OutputsOf<typeof applyIamOutputs>;

export interface ApplyIamRequest {
  cluster: string;
  configDir: string;
  terraformDir: string;
  planPath: string;
  reviewed: ReviewedPlan;
  gcpProject: string | undefined;
  gcpServiceAccount: string | undefined;
  terraformBinary: string;
}

export function readApplyIamInputs(): ApplyIamRequest {
  const inputs = readInputs(applyIamInputs);
  const reviewed: ReviewedPlan = {
    planSha256: inputs.expectedPlanSha256.trim(),
    inputsDigest: inputs.expectedInputsDigest.trim(),
  };
  const problems = reviewedPlanProblems(reviewed);
  if (problems.length > 0) throw invalidInputs(problems);
  const blankToUndefined = (v: string | undefined): string | undefined =>
    v === undefined || v.trim() === '' ? undefined : v.trim();
  return {
    cluster: inputs.cluster,
    configDir: inputs.configDir,
    terraformDir: inputs.terraformDir,
    planPath: inputs.planPath,
    reviewed,
    gcpProject: blankToUndefined(inputs.gcpProject),
    gcpServiceAccount: blankToUndefined(inputs.gcpServiceAccount),
    terraformBinary: inputs.terraformBinary,
  };
}
