import * as core from '@actions/core';
import { maskSecret } from '../../src/action/inputs.js';
import { setOutputs } from '../../src/action/outputs.js';
import { writeSummary } from '../../src/action/summary.js';
import { resolveConnectTo } from '../../src/adapters/connect-to.js';
import { createGitHubClient } from '../../src/adapters/github.js';
import { createComputeClient } from '../../src/adapters/gcp-compute.js';
import { createKubeClient, type KubeClient } from '../../src/adapters/kube.js';
import { findLiveAudience } from '../../src/deploy/iap-audience.js';
import type { Fleet } from '../../src/config/model.js';
import type { KubeObject } from '../../src/render/manifests.js';
import { loadFleetForAction } from '../../src/action/cluster-config.js';
import { errorMessage, HubfleetError } from '../../src/errors.js';
import { httpSender } from '../../src/smoke/http-sender.js';
import { probesFor } from '../../src/smoke/probes.js';
import { failureText, fleetOutputs, headline, summaryParts } from '../../src/smoke/report.js';
import { reportHubIssues, type IssueRow } from '../../src/smoke/report-issues.js';
import {
  audienceIssuePlans,
  audienceWarnings,
  readAudiences,
  type HubAudience,
  type LiveLookup,
} from '../../src/smoke/audience-check.js';
import { smokeHubs, type SmokeEffects } from '../../src/smoke/run-smoke.js';
import { selectTargets } from '../../src/smoke/targets.js';
import { checkTokens, tokensForRun } from '../../src/smoke/tokens.js';
import { readSmokeInputs, type SmokeOutputs, type SmokeRequest } from './inputs.js';

export async function main(): Promise<SmokeOutputs> {
  const request = readSmokeInputs();
  const fleet = await loadFleetForAction(request.configDir);
  const targets = selectTargets(fleet, request.cluster, request.hubs, request.configDir);
  const nowSeconds = Math.floor(Date.now() / 1000);
  const tokenCheck = checkTokens(request, targets, nowSeconds);
  for (const warning of tokenCheck.warnings) core.warning(warning);
  if (tokenCheck.problems.length > 0) {
    throw new HubfleetError(`smoke-iap cannot start: ${tokenCheck.problems.join('; ')}`, {
      hint: 'fix the step inputs; nothing was sent to any hub',
    });
  }
  const tokens = tokensForRun(request, nowSeconds);
  // Made up on the spot and never printed; masked in case anything ever echoes a header.
  for (const forged of [tokens.forged, tokens['forged-other-audience']]) {
    if (forged !== undefined) maskSecret(forged);
  }

  const kube = kubeReader(request);
  const effects: SmokeEffects = {
    send: httpSender({ connectTo: (host, port) => resolveConnectTo(request.connectTo, host, port) }),
    ...(kube.kind === 'ready'
      ? { readService: (namespace, name) => kube.get('v1', 'Service', namespace, name) }
      : { serviceSkipReason: kube.reason }),
    tokens,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: (line) => core.info(line),
  };
  const hubs = targets.map((target) => ({
    target,
    probes: probesFor(target, {
      path: request.path,
      hasUnauthorizedToken: request.unauthorizedIdToken !== undefined,
      hasWrongAudienceToken: request.wrongAudienceIdToken !== undefined,
    }),
  }));
  const policy = {
    attempts: request.attempts,
    attemptTimeoutMs: request.attemptTimeoutMs,
    budgetMs: request.retryBudgetMs,
    baseDelayMs: Math.min(1000, request.attemptTimeoutMs),
    maxDelayMs: 15_000,
  };
  const results = await core.group(`Probe ${targets.length} hub(s) of ${request.cluster}`, () =>
    smokeHubs(hubs, effects, policy, request.concurrency),
  );

  // Which audience each GKE hub pins: never silent about a hub left project-wide (decision 0023).
  const audiences: HubAudience[] = await readAudiences(
    targets,
    kube.kind === 'ready'
      ? (namespace, name) => kube.get('apps/v1', 'Deployment', namespace, name)
      : undefined,
    kube.kind === 'ready' ? '' : kube.reason,
    liveLookup(request, fleet, kube),
  );
  for (const warning of audienceWarnings(audiences)) core.warning(warning);

  const notChecked = results.flatMap((r) =>
    r.probes
      .filter((p) => p.verdict === 'skipped')
      .map((p) => `${r.target.hub} ${p.probe.id}: ${p.reason ?? ''}`),
  );
  if (notChecked.length > 0) {
    const more = notChecked.length > 3 ? ` (and ${notChecked.length - 3} more)` : '';
    core.warning(`not checked, so not passed: ${notChecked.slice(0, 3).join('; ')}${more}`);
  }

  let issues: IssueRow[] = [];
  let issueError: unknown;
  if (request.reportIssues) {
    const gh = createGitHubClient({
      token: request.githubToken,
      repository: process.env['GITHUB_REPOSITORY'] ?? '',
      log: (message) => core.info(message),
    });
    // A GitHub outage must not hide the verdict: the summary and outputs are written first.
    try {
      const cluster = fleet.clusters.find((c) => c.config.name === request.cluster);
      const inConfig =
        cluster === undefined
          ? undefined
          : { cluster: request.cluster, hubs: cluster.hubs.map((h) => h.config.name) };
      const url = runUrl();
      issues = await core.group('Issues', () =>
        reportHubIssues(gh, results, url, inConfig, audienceIssuePlans(audiences, url)),
      );
    } catch (error: unknown) {
      issueError = error;
    }
  }

  const out = fleetOutputs(results);
  const outputs: SmokeOutputs = {
    'exposed-hubs': out.exposedHubs,
    'down-hubs': out.downHubs,
    'misbehaving-hubs': out.misbehavingHubs,
    verdict: out.verdict,
  };
  const parts = summaryParts(results, request.cluster, {
    issues,
    ...(issueError === undefined ? {} : { issueError: errorMessage(issueError) }),
    connectTo: request.connectTo.map(describeRule),
    audiences,
  });
  await writeSummary(parts);
  core.info(headline(results));
  if (out.verdict === 'pass' && issueError === undefined) return outputs;

  // The workflow reads the lists even when the step fails (e.g. to page someone).
  setOutputs(outputs);
  if (out.verdict === 'pass') {
    throw new HubfleetError(
      `smoke-iap ${request.cluster}: every hub passed, but the issues could not be updated`,
      {
        hint: 'check the github-token permissions (issues: write) and re-run; the checks themselves passed',
        cause: issueError,
      },
    );
  }
  const hint =
    out.verdict === 'exposed'
      ? 'treat it as a security incident: see the job summary for which check let what through, fix the IAP/Service setup and re-run'
      : 'see the job summary for each check; a hub still starting may need more attempts or a longer retry-budget';
  const issueNote =
    issueError === undefined ? '' : ` (and the issues could not be updated: ${errorMessage(issueError)})`;
  throw new HubfleetError(`${failureText(results, request.cluster)}${issueNote}`, { hint });
}

/**
 * How a pinned audience is compared with the live backend service (decision 0081): the Ingress's
 * backend service name through the kubeconfig, its numeric id through the Compute API.
 */
function liveLookup(request: SmokeRequest, fleet: Fleet, kube: KubeReader): LiveLookup {
  if (request.gcpAccessToken === undefined) {
    return { skipReason: 'no gcp-access-token given for the Compute API' };
  }
  if (kube.kind !== 'ready') return { skipReason: kube.reason };
  const compute = createComputeClient({
    baseUrl: request.computeApiUrl,
    token: request.gcpAccessToken,
    log: (line) => core.info(line),
  });
  const deps = {
    kube: kube.client,
    compute,
    log: (line: string) => core.info(line),
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
  const cluster = fleet.clusters.find((c) => c.config.name === request.cluster);
  return {
    lookup: async (target) => {
      const hub = cluster?.hubs.find((h) => h.config.name === target.hub);
      if (cluster === undefined || hub === undefined) {
        return { state: 'unknown', reason: `${target.cluster}/${target.hub} is not in the config` };
      }
      // One read, no waiting: the check reports the load balancer as it is, it does not wait for one.
      return findLiveAudience(deps, cluster, hub, { budgetMs: 0, pollMs: 0 });
    },
  };
}

type KubeReader =
  | {
      kind: 'ready';
      client: Pick<KubeClient, 'get'>;
      get: (
        apiVersion: string,
        kind: string,
        namespace: string,
        name: string,
      ) => Promise<KubeObject | undefined>;
    }
  | { kind: 'none'; reason: string };

/** The Service and audience checks need a kubeconfig; without one they are skipped (and said so), not passed. */
function kubeReader(request: SmokeRequest): KubeReader {
  const kubeconfig = request.kubeconfig ?? process.env['KUBECONFIG'];
  if (kubeconfig === undefined || kubeconfig === '') {
    return {
      kind: 'none',
      reason:
        'no kubeconfig (set KUBECONFIG or the kubeconfig input to check proxy-public and the IAP audience)',
    };
  }
  const kube = createKubeClient({ kubeconfig, log: (line) => core.info(line) });
  return {
    kind: 'ready',
    client: kube,
    get: (apiVersion, kind, namespace, name) => kube.get({ apiVersion, kind, name, namespace }),
  };
}

function describeRule(rule: SmokeRequest['connectTo'][number]): string {
  const side = (host: string | undefined, port: number | undefined): string =>
    `${host ?? ''}:${port === undefined ? '' : String(port)}`;
  return `${side(rule.fromHost, rule.fromPort)}:${side(rule.toHost, rule.toPort)}`;
}

function runUrl(): string | undefined {
  const server = process.env['GITHUB_SERVER_URL'];
  const repo = process.env['GITHUB_REPOSITORY'];
  const id = process.env['GITHUB_RUN_ID'];
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}
