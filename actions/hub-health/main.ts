import * as core from '@actions/core';
import { loadFleetForAction } from '../../src/action/cluster-config.js';
import { setOutputs } from '../../src/action/outputs.js';
import { writeSummary } from '../../src/action/summary.js';
import { resolveConnectTo } from '../../src/adapters/connect-to.js';
import { createGitHubClient } from '../../src/adapters/github.js';
import { createKubeClient } from '../../src/adapters/kube.js';
import { errorMessage, HubfleetError } from '../../src/errors.js';
import { runHealthChecks } from '../../src/health/run-health.js';
import { healthSummary, reportHealthIssues } from '../../src/health/report.js';
import type { HubIssueRow } from '../../src/report/hub-issues.js';
import { readHealthInputs, type HealthOutputs } from './inputs.js';

export async function main(): Promise<HealthOutputs> {
  const request = readHealthInputs();
  const fleet = await loadFleetForAction(request.configDir);
  const kubeconfig = request.kubeconfig ?? process.env['KUBECONFIG'];
  const kube = createKubeClient({
    ...(kubeconfig === undefined || kubeconfig === '' ? {} : { kubeconfig }),
    log: (line) => core.info(line),
  });
  const results = await core.group(`Health check of ${request.cluster}`, () =>
    runHealthChecks(fleet, request, {
      readSecret: (namespace, name) => kube.get({ apiVersion: 'v1', kind: 'Secret', name, namespace }),
      connectTo: (host, port) => resolveConnectTo(request.connectTo, host, port),
      log: (line) => core.info(line),
    }),
  );

  let issues: HubIssueRow[] = [];
  let issueError: unknown;
  if (request.reportIssues) {
    const gh = createGitHubClient({
      token: request.githubToken,
      repository: process.env['GITHUB_REPOSITORY'] ?? '',
      log: (message) => core.info(message),
    });
    const cluster = fleet.clusters.find((c) => c.config.name === request.cluster);
    try {
      issues = await core.group('Issues', () =>
        reportHealthIssues(
          gh,
          results,
          runUrl(),
          cluster === undefined
            ? undefined
            : { cluster: request.cluster, hubs: cluster.hubs.map((h) => h.config.name) },
          (line) => core.info(line),
        ),
      );
    } catch (error: unknown) {
      issueError = error;
    }
  }

  const unhealthy = results.filter((r) => r.verdict === 'unhealthy').map((r) => r.target.hub);
  const outputs: HealthOutputs = {
    'unhealthy-hubs': JSON.stringify(unhealthy),
    verdict: unhealthy.length === 0 ? 'healthy' : 'unhealthy',
  };
  await writeSummary([
    ...healthSummary(request.cluster, results, issues),
    ...(issueError === undefined ? [] : [`**Issues could not be updated:** ${errorMessage(issueError)}`]),
  ]);
  if (unhealthy.length === 0 && issueError === undefined) return outputs;
  setOutputs(outputs);
  if (unhealthy.length === 0) {
    throw new HubfleetError(
      `hub-health ${request.cluster}: every hub is healthy, but the issues could not be updated`,
      {
        hint: 'check the github-token permissions (issues: write) and re-run',
        cause: issueError,
      },
    );
  }
  const reasons = results
    .filter((r) => r.verdict === 'unhealthy')
    .map((r) => `${r.target.hub} at ${r.failed?.step ?? '?'}: ${r.failed?.reason ?? ''}`);
  throw new HubfleetError(
    `hub-health ${request.cluster}: ${unhealthy.length} hub(s) unhealthy: ${reasons.join('; ')}`,
    {
      hint: 'see the job summary for each step; a hub right after a deploy may need a longer spawn-timeout or retry-budget',
    },
  );
}

function runUrl(): string | undefined {
  const server = process.env['GITHUB_SERVER_URL'];
  const repo = process.env['GITHUB_REPOSITORY'];
  const id = process.env['GITHUB_RUN_ID'];
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}
