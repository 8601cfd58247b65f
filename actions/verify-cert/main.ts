import * as core from '@actions/core';
import { setOutputs } from '../../src/action/outputs.js';
import { writeSummary } from '../../src/action/summary.js';
import { createDnsAdapter } from '../../src/adapters/dns.js';
import { createGitHubClient } from '../../src/adapters/github.js';
import { createComputeClient } from '../../src/adapters/gcp-compute.js';
import { createHelmClient } from '../../src/adapters/helm.js';
import { createKubeClient } from '../../src/adapters/kube.js';
import { probeTls } from '../../src/adapters/tls.js';
import { selectHubs } from '../../src/cert/select-hubs.js';
import { hubObjects, runCheck, runRecreate, runWait, type VerifyReport } from '../../src/cert/verify.js';
import { loadFleetForAction } from '../../src/action/cluster-config.js';
import { HubfleetError } from '../../src/errors.js';
import { readVerifyCertInputs, type VerifyCertOutputs, type VerifyCertRequest } from './inputs.js';

const TLS_TIMEOUT_MS = 10_000;

export async function main(): Promise<VerifyCertOutputs> {
  const request = readVerifyCertInputs();
  const fleet = await loadFleetForAction(request.configDir);
  const { cluster, hubs } = selectHubs(fleet, request.cluster, request.hubs, request.configDir);
  const objects = hubObjects(cluster, hubs);
  const log = (line: string): void => core.info(line);
  const kube = createKubeClient({ log });
  await core.group('Cluster access', () => kube.preflight());

  const report = await core.group(
    `${request.mode} ${hubs.length} hub${hubs.length === 1 ? '' : 's'} of ${cluster.config.name}`,
    () => runMode(request, kube, cluster, objects, log),
  );
  await writeSummary(report.summary);
  const outputs: VerifyCertOutputs = { 'failing-hubs': report.failingHubs, verdict: report.verdict };
  if (report.verdict === 'fail') {
    // The outputs matter most when the step fails (the workflow reports the failing hubs).
    setOutputs(outputs);
    throw new HubfleetError(report.headline, {
      hint: 'the job summary lists each failing hub with what to do',
    });
  }
  core.info(report.headline);
  return outputs;
}

function runMode(
  request: VerifyCertRequest,
  kube: ReturnType<typeof createKubeClient>,
  cluster: Parameters<typeof runCheck>[1],
  objects: ReturnType<typeof hubObjects>,
  log: (line: string) => void,
): Promise<VerifyReport> {
  const name = cluster.config.name;
  if (request.mode === 'check') {
    const repository = process.env['GITHUB_REPOSITORY'] ?? '';
    const runId = process.env['GITHUB_RUN_ID'];
    const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
    const github = request.reportIssues
      ? createGitHubClient({ token: request.githubToken, repository, log })
      : undefined;
    return runCheck(
      {
        kube,
        dns: createDnsAdapter({ servers: request.dnsServers }),
        probeTls,
        now: () => new Date(),
        ...(github === undefined ? {} : { github }),
        ...(runId === undefined ? {} : { runUrl: `${server}/${repository}/actions/runs/${runId}` }),
      },
      cluster,
      objects,
      {
        concurrency: request.concurrency,
        minDaysValid: request.minDaysValid,
        connectTo: request.connectTo,
        tlsTimeoutMs: TLS_TIMEOUT_MS,
        log,
        reportIssues: request.reportIssues,
      },
    );
  }
  if (request.mode === 'wait') {
    return runWait({ kube, log }, name, objects, {
      timeoutMs: request.waitTimeoutMs,
      concurrency: request.concurrency,
    });
  }
  const [only] = objects;
  if (only === undefined || request.gcpAccessToken === undefined)
    throw new Error('recreate without a hub or token');
  return runRecreate(
    {
      kube,
      log,
      compute: createComputeClient({ baseUrl: request.computeApiUrl, token: request.gcpAccessToken, log }),
      helm: createHelmClient({
        log,
        ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}),
      }),
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    cluster,
    only,
    { timeoutMs: request.waitTimeoutMs, helmTimeout: request.helmTimeout },
  );
}
