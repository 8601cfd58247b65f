import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { loadClusterConfig } from '../../src/action/cluster-config.js';
import { maskSecret } from '../../src/action/inputs.js';
import { table, verdictLine, writeSummary } from '../../src/action/summary.js';
import { getCallerIdentity } from '../../src/adapters/aws.js';
import { readGcpAuthContext } from '../../src/adapters/gcp.js';
import { bindPlanFile, createTerraform, type OutputValues } from '../../src/adapters/terraform.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { HubfleetError, errorMessage } from '../../src/errors.js';
import { requireAws, requireGcp } from '../../src/render/names.js';
import { bindingMismatches, refuseApply } from '../../src/tfplan/binding.js';
import { describeBackend, prepareClusterModule } from '../../src/tfplan/cluster-module.js';
import { lockFileNote, placeReviewedLockFile } from '../../src/tfplan/lock-file.js';
import {
  IDENTITY_HINT,
  checkAwsIdentity,
  checkGcpIdentity,
  gcpIdentityText,
} from '../../src/tfplan/identity.js';
import { countsLine, summarizePlan } from '../../src/tfplan/plan-json.js';
import { bindingTable, resourcesMarkdown } from '../../src/tfplan/plan-report.js';
import { redactPlanJson } from '../../src/tfplan/redact.js';
import { readApplyIamInputs, type ApplyIamOutputs, type ApplyIamRequest } from './inputs.js';

export async function main(): Promise<ApplyIamOutputs> {
  const request = readApplyIamInputs();
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const runnerTemp = process.env['RUNNER_TEMP'] ?? workspace;
  const cluster = await loadClusterConfig(request.configDir, request.cluster);

  // Who is applying comes first: nothing is read from the plan or run before it is right.
  let identity: string;
  try {
    identity = await core.group('Cloud identity', () => checkIdentity(cluster, request));
  } catch (error: unknown) {
    await writeSummary([verdictLine('fail', `apply refused for ${request.cluster}: ${errorMessage(error)}`)]);
    throw error;
  }

  // The plan's provider lock file goes into the module first, so the inputs digest covers it.
  const planPath = resolve(workspace, request.planPath);
  const lock = await placeReviewedLockFile({
    cluster: request.cluster,
    moduleDir: join(resolve(workspace, request.terraformDir), cluster.config.provider),
    planPath,
    moduleLabel: `${request.terraformDir}/${cluster.config.provider}`,
  });
  const module = await prepareClusterModule({
    cluster,
    terraformDir: request.terraformDir,
    workspace,
    workDir: join(runnerTemp, 'hubfleet-apply', request.cluster),
  });
  core.info(describeBackend(module));
  const bound = await bindPlanFile(planPath, request.reviewed.planSha256, runnerTemp);
  const mismatches = bindingMismatches(request.reviewed, {
    planSha256: bound.sha256,
    inputsDigest: module.inputsDigest,
  });
  const note = lockFileNote(lock);
  if (note !== undefined && module.inputsDigest !== request.reviewed.inputsDigest) mismatches.push(note);
  if (mismatches.length > 0 || bound.plan === undefined) {
    await writeSummary([
      verdictLine('fail', `apply refused for ${request.cluster}: the plan is not the reviewed one`),
      ...mismatches.map((m) => `- ${m}`),
    ]);
    throw refuseApply(request.cluster, mismatches);
  }
  const plan = bound.plan;
  core.info(`plan ${plan.sha256} and inputs digest ${module.inputsDigest} match the reviewed plan`);

  const terraform = createTerraform({
    moduleDir: module.moduleDir,
    dataDir: join(runnerTemp, 'hubfleet-terraform', request.cluster),
    binary: request.terraformBinary,
    log: (line) => core.info(line),
  });
  // Exactly the provider builds the plan was made with: init may not change the lock file.
  await core.group('terraform init', () => terraform.init(module.backendConfig, { lockfile: 'readonly' }));
  const { plan: redacted, secrets } = redactPlanJson(await terraform.showJson(plan.path));
  for (const secret of secrets) maskSecret(secret);
  const summary = summarizePlan(redacted);
  await core.group(`terraform apply (${countsLine(summary.counts)})`, () => terraform.apply(plan));
  const outputs = await terraform.outputJson();
  maskSensitiveOutputs(outputs);
  const annotations = requiredOutput(outputs, 'kubernetes_sa_annotations', module.moduleDir);
  const hubs = requiredOutput(outputs, 'hubs', module.moduleDir);

  await writeSummary([
    verdictLine('pass', `applied the reviewed plan for ${request.cluster}: ${countsLine(summary.counts)}`),
    table(
      ['check', 'result'],
      [
        ['identity', identity],
        ['plan sha256', `\`${plan.sha256}\` = reviewed`],
        ['inputs digest', `\`${module.inputsDigest}\` = reviewed`],
      ],
    ),
    resourcesMarkdown(summary),
    bindingTable({
      planSha256: plan.sha256,
      inputsDigest: module.inputsDigest,
      commit: process.env['GITHUB_SHA'] ?? 'unknown',
    }),
  ]);
  return { 'sa-annotations': annotations, 'hub-outputs': hubs, 'plan-sha256': plan.sha256, identity };
}

/** Refuses unless the job is authenticated as the deployer cluster.yaml names; returns who it is. */
async function checkIdentity(cluster: LoadedCluster, request: ApplyIamRequest): Promise<string> {
  let check;
  let who: string;
  if (cluster.config.provider === 'aws') {
    const aws = requireAws(cluster);
    const caller = await getCallerIdentity({ region: aws.region });
    core.info(`AWS caller: ${caller.arn} (account ${caller.account})`);
    check = checkAwsIdentity({ account: aws.account, roleArn: aws.roleArn }, caller);
    who = caller.arn;
  } else {
    const gcp = requireGcp(cluster);
    const found = await readGcpAuthContext({
      project: request.gcpProject,
      serviceAccount: request.gcpServiceAccount,
    });
    who = gcpIdentityText(found);
    core.info(`GCP identity: ${who}`);
    check = checkGcpIdentity({ project: gcp.project, serviceAccount: gcp.deployerServiceAccount }, found);
  }
  for (const warning of check.warnings) core.warning(warning);
  if (check.problems.length > 0) {
    throw new HubfleetError(`apply refused for ${cluster.config.name}: ${check.problems.join('; ')}`, {
      hint: IDENTITY_HINT,
    });
  }
  return who;
}

function maskSensitiveOutputs(outputs: OutputValues): void {
  for (const output of Object.values(outputs)) {
    if (output.sensitive) maskSecret(JSON.stringify(output.value));
  }
}

function requiredOutput(
  outputs: OutputValues,
  name: string,
  moduleDir: string,
): { readonly [key: string]: unknown } {
  const output = outputs[name];
  const value = output?.value;
  if (output === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HubfleetError(`the Terraform module ${moduleDir} has no map output "${name}" after the apply`, {
      hint: 'the apply itself succeeded; add the output the contract names (kubernetes_sa_annotations, hubs) to the module and apply again',
    });
  }
  if (output.sensitive) {
    throw new HubfleetError(
      `the Terraform output "${name}" is marked sensitive, so it cannot become a step output`,
      {
        hint: 'the apply itself succeeded; drop `sensitive = true` from that output (it holds names and addresses, not secrets)',
      },
    );
  }
  return value as { readonly [key: string]: unknown };
}
