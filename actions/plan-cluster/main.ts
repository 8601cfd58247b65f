import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { context } from '@actions/github';
import { loadClusterConfig } from '../../src/action/cluster-config.js';
import { writeSummary } from '../../src/action/summary.js';
import { createGitHubClient } from '../../src/adapters/github.js';
import { createTerraform, fileSha256 } from '../../src/adapters/terraform.js';
import { upsertIssue } from '../../src/report/issue-upsert.js';
import { upsertStickyComment } from '../../src/report/sticky-comment.js';
import { prepareClusterModule } from '../../src/tfplan/cluster-module.js';
import { summarizePlan } from '../../src/tfplan/plan-json.js';
import {
  driftFingerprint,
  driftIssueTitle,
  renderDriftIssue,
  renderNoDrift,
  renderPlanComment,
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

  const module = await prepareClusterModule({
    cluster,
    terraformDir: request.terraformDir,
    workspace,
    workDir: outDir,
  });
  core.info(`inputs digest ${module.inputsDigest} (rendered variables + ${module.moduleDir})`);
  const terraform = createTerraform({
    moduleDir: module.moduleDir,
    dataDir: join(runnerTemp, 'hubfleet-terraform', request.cluster),
    binary: request.terraformBinary,
    log: (line) => core.info(line),
  });

  const planPath = join(outDir, 'tfplan');
  await core.group('terraform init', () => terraform.init(module.backendConfig));
  const { changes } = await core.group('terraform plan', () =>
    terraform.plan({ varFile: module.tfvarsPath, out: planPath }),
  );

  // Sensitive values are masked in the log and removed from everything that leaves the runner.
  const { plan: redacted, secrets } = redactPlanJson(await terraform.showJson(planPath));
  for (const secret of secrets) if (secret.length >= MIN_SCRUBBED_LENGTH) core.setSecret(secret);
  const planJsonPath = join(outDir, 'plan.json');
  await writeFile(planJsonPath, scrubText(JSON.stringify(redacted), secrets));
  const planText = scrubText(await terraform.showText(planPath), secrets);
  await writeFile(join(outDir, 'plan.txt'), planText);

  const summary = summarizePlan(redacted);
  const binding: PlanBinding = {
    planSha256: await fileSha256(planPath),
    inputsDigest: module.inputsDigest,
    commit: process.env['GITHUB_SHA'] ?? 'unknown',
  };
  const runUrl = workflowRunUrl();
  const reported = await report(request, { summary, changes, planText, binding, runUrl });

  await writeSummary(
    renderPlanSummary({
      cluster: request.cluster,
      mode: request.mode,
      summary,
      changes,
      planText,
      binding,
      planPath,
      reported: reported.line,
    }),
  );
  core.info(reported.line);
  return {
    'has-changes': changes ? 'true' : 'false',
    'plan-path': planPath,
    'plan-json-path': planJsonPath,
    'plan-sha256': binding.planSha256,
    'inputs-digest': binding.inputsDigest,
    commit: binding.commit,
    'comment-ids': reported.commentIds,
    'issue-number': reported.issueNumber,
  };
}

interface Findings {
  summary: ReturnType<typeof summarizePlan>;
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
  const repository = process.env['GITHUB_REPOSITORY'] ?? '';
  const gh = (): ReturnType<typeof createGitHubClient> =>
    createGitHubClient({ token: request.token, repository, log: (message) => core.info(message) });
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
  const outcome = drifted
    ? {
        status: 'failing' as const,
        title: driftIssueTitle(request.cluster, f.summary),
        body: renderDriftIssue({
          cluster: request.cluster,
          summary: f.summary,
          planText: f.planText,
          commit: f.binding.commit,
          runUrl: f.runUrl,
        }),
        fingerprint: driftFingerprint(f.summary),
      }
    : { status: 'passing' as const, body: renderNoDrift(request.cluster, f.binding.commit) };
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
