import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { loadClusterConfig } from '../../src/action/cluster-config.js';
import { writeSummary } from '../../src/action/summary.js';
import { createGitHubClient, type GitHubClient } from '../../src/adapters/github.js';
import { createTerraform, fileSha256 } from '../../src/adapters/terraform.js';
import { upsertIssue } from '../../src/report/issue-upsert.js';
import { upsertStickyComment } from '../../src/report/sticky-comment.js';
import {
  currentInputsDigest,
  describeBackend,
  prepareClusterModule,
} from '../../src/tfplan/cluster-module.js';
import { LOCK_FILE, carryLockFile, moduleHasLockFile } from '../../src/tfplan/lock-file.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { failureLine } from '../../src/action/run.js';
import { errorMessage } from '../../src/errors.js';
import { summarizePlan, type PlanSummary } from '../../src/tfplan/plan-json.js';
import {
  driftIssueOutcome,
  renderPlanComment,
  renderPlanFailure,
  renderPlanSummary,
  type PlanBinding,
} from '../../src/tfplan/plan-report.js';
import { MIN_SCRUBBED_LENGTH, redactPlanJson, scrubText } from '../../src/tfplan/redact.js';
import { readPlanClusterInputs, type PlanClusterOutputs, type PlanClusterRequest } from './inputs.js';

export async function main(): Promise<PlanClusterOutputs> {
  const request = readPlanClusterInputs(context.payload);
  const workspace = process.env['GITHUB_WORKSPACE'] ?? process.cwd();
  const runnerTemp = process.env['RUNNER_TEMP'] ?? workspace;
  const cluster = await loadClusterConfig(request.configDir, request.cluster);
  const outDir = resolve(workspace, request.outDir ?? join(runnerTemp, 'hubfleet-plan', request.cluster));
  await mkdir(outDir, { recursive: true });
  const runUrl = workflowRunUrl();

  let planned: Planned;
  try {
    planned = await planCluster(request, cluster, { workspace, runnerTemp, outDir });
  } catch (error: unknown) {
    await reportFailure(request, error, runUrl);
    throw error;
  }
  const { summary, changes, planText, binding } = planned;
  const reported = await report(request, { summary, changes, planText, binding, runUrl });

  await writeSummary(
    renderPlanSummary({
      cluster: request.cluster,
      mode: request.mode,
      summary,
      changes,
      planText,
      binding,
      planPath: planned.planPath,
      reported: reported.line,
    }),
  );
  core.info(reported.line);
  return {
    'has-changes': changes ? 'true' : 'false',
    'plan-path': planned.planPath,
    'plan-json-path': planned.planJsonPath,
    'plan-sha256': binding.planSha256,
    'inputs-digest': binding.inputsDigest,
    commit: binding.commit,
    'comment-ids': reported.commentIds,
    'issue-number': reported.issueNumber,
  };
}

interface Planned {
  summary: PlanSummary;
  changes: boolean;
  planText: string;
  binding: PlanBinding;
  planPath: string;
  planJsonPath: string;
}

/** Render, init, plan, read the plan: everything that runs Terraform. */
async function planCluster(
  request: PlanClusterRequest,
  cluster: LoadedCluster,
  dirs: { workspace: string; runnerTemp: string; outDir: string },
): Promise<Planned> {
  const module = await prepareClusterModule({
    cluster,
    terraformDir: request.terraformDir,
    workspace: dirs.workspace,
    workDir: dirs.outDir,
  });
  core.info(describeBackend(module));
  const terraform = createTerraform({
    moduleDir: module.moduleDir,
    dataDir: join(dirs.runnerTemp, 'hubfleet-terraform', request.cluster),
    binary: request.terraformBinary,
    log: (line) => core.info(line),
  });

  const planPath = join(dirs.outDir, 'tfplan');
  // A lock file in the module is used as it is; without one, init writes it and the plan carries it.
  const lockCommitted = moduleHasLockFile(module.moduleDir);
  await core.group('terraform init', () =>
    terraform.init(module.backendConfig, lockCommitted ? { lockfile: 'readonly' } : {}),
  );
  const inputsDigest = currentInputsDigest(module);
  core.info(
    `inputs digest ${inputsDigest} (rendered variables + ${module.moduleDir}, ${LOCK_FILE} included)`,
  );
  const { changes } = await core.group('terraform plan', () =>
    terraform.plan({ varFile: module.tfvarsPath, out: planPath }),
  );

  // Sensitive values are masked in the log and removed from everything that leaves the runner.
  const { plan: redacted, secrets } = redactPlanJson(await terraform.showJson(planPath));
  for (const secret of secrets) if (secret.length >= MIN_SCRUBBED_LENGTH) core.setSecret(secret);
  const planJsonPath = join(dirs.outDir, 'plan.json');
  await writeFile(planJsonPath, scrubText(JSON.stringify(redacted), secrets));
  const planText = scrubText(await terraform.showText(planPath), secrets);
  await writeFile(join(dirs.outDir, 'plan.txt'), planText);

  const lockSha256 = await carryLockFile(module.moduleDir, dirs.outDir);
  core.info(
    lockSha256 === undefined
      ? `no ${LOCK_FILE}: the module uses no provider outside Terraform's builtins`
      : `${LOCK_FILE} (${lockCommitted ? 'committed, read-only' : 'written by init'}, sha256 ${lockSha256}) carried beside the plan file`,
  );
  const binding: PlanBinding = {
    planSha256: await fileSha256(planPath),
    inputsDigest,
    commit: process.env['GITHUB_SHA'] ?? 'unknown',
  };
  // Travels with the plan artifact, so the apply job can pass the reviewed values on.
  await writeFile(
    join(dirs.outDir, 'binding.json'),
    `${JSON.stringify({ cluster: request.cluster, ...binding, lockFileSha256: lockSha256 ?? null, hasChanges: changes }, null, 2)}\n`,
  );
  return { summary: summarizePlan(redacted), changes, planText, binding, planPath, planJsonPath };
}

/**
 * A failed plan says so in the job summary and, on a PR, replaces the plan comment: a reviewer must
 * not keep reading an older plan as if it were current.
 */
async function reportFailure(
  request: PlanClusterRequest,
  error: unknown,
  runUrl: string | undefined,
): Promise<void> {
  const body = renderPlanFailure(request.cluster, failureLine(error), runUrl);
  await writeSummary([body]);
  if (request.mode !== 'plan' || request.prNumber === undefined) return;
  const prNumber = request.prNumber;
  try {
    await upsertStickyComment(github(request), {
      issueNumber: prNumber,
      key: `plan:${request.cluster}`,
      body,
    });
  } catch (commentError: unknown) {
    core.warning(`could not mark the plan comment on #${prNumber} as failed: ${errorMessage(commentError)}`);
  }
}

function github(request: PlanClusterRequest): GitHubClient {
  return createGitHubClient({
    token: request.token,
    repository: process.env['GITHUB_REPOSITORY'] ?? '',
    log: (message) => core.info(message),
  });
}

interface Findings {
  summary: PlanSummary;
  changes: boolean;
  planText: string;
  binding: PlanBinding;
  runUrl: string | undefined;
}

interface Reported {
  line: string;
  commentIds?: number[];
  issueNumber?: number;
}

/** plan mode: the sticky comment on the PR; drift mode: the drift issue. */
async function report(request: PlanClusterRequest, f: Findings): Promise<Reported> {
  const gh = (): GitHubClient => github(request);
  if (request.mode === 'plan') {
    if (request.prNumber === undefined) {
      return {
        line: 'No pull request for this run: the plan was not commented (pass pr-number to comment).',
      };
    }
    const key = `plan:${request.cluster}`;
    const prNumber = request.prNumber;
    const body = renderPlanComment({ cluster: request.cluster, ...f });
    const result = await core.group(`Sticky comment ${key} on #${prNumber}`, () =>
      upsertStickyComment(gh(), { issueNumber: prNumber, key, body }),
    );
    const parts = result.commentIds.length;
    return {
      line: `Plan comment ${key} on #${prNumber}: ${parts} part${parts === 1 ? '' : 's'} (${result.created} created, ${result.updated} updated, ${result.deleted} deleted).`,
      commentIds: result.commentIds,
    };
  }

  const key = `drift:${request.cluster}`;
  const drifted = f.changes;
  const outcome = driftIssueOutcome({ cluster: request.cluster, ...f });
  const result = await core.group(`Issue ${key} (${drifted ? 'drift' : 'no drift'})`, () =>
    upsertIssue(gh(), {
      key,
      label: request.issueLabel,
      outcome,
      fullTextNote: 'the full plan is in the run’s job summary and plan artifact',
    }),
  );
  const issue = result.issueNumber === undefined ? 'no issue' : `issue #${result.issueNumber}`;
  const reported: Reported = {
    line: `Drift ${drifted ? 'found' : 'not found'} in ${request.cluster}: ${issue} ${result.action === 'none' ? 'left as it was' : result.action}.`,
  };
  if (result.issueNumber !== undefined) reported.issueNumber = result.issueNumber;
  return reported;
}

function workflowRunUrl(): string | undefined {
  const server = process.env['GITHUB_SERVER_URL'];
  const repository = process.env['GITHUB_REPOSITORY'];
  const runId = process.env['GITHUB_RUN_ID'];
  if (server === undefined || repository === undefined || runId === undefined) return undefined;
  return `${server}/${repository}/actions/runs/${runId}`;
}
