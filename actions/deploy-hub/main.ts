import * as core from '@actions/core';
import { writeSummary } from '../../src/action/summary.js';
import { loadFleetForAction } from '../../src/action/cluster-config.js';
import { selectClusterHubs } from '../../src/action/hub-selection.js';
import { maskSecret } from '../../src/action/inputs.js';
import { createComputeClient } from '../../src/adapters/gcp-compute.js';
import { createHelmClient } from '../../src/adapters/helm.js';
import { createKubeClient } from '../../src/adapters/kube.js';
import {
  deployHub,
  rollbackHub,
  type DeployDeps,
  type HubReport,
  type OAuthClientCredentials,
} from '../../src/deploy/deploy-hub.js';
import { oauthCredentialsByHub } from '../../src/deploy/oauth-credentials.js';
import { mapWithConcurrency } from '../../src/deploy/pool.js';
import { deploySummary } from '../../src/deploy/summary.js';
import { checkUninstall, uninstallHub, type UninstallReport } from '../../src/deploy/uninstall-hub.js';
import { uninstallSummary } from '../../src/deploy/uninstall-summary.js';
import { HubfleetError } from '../../src/errors.js';
import { readDeployHubInputs, type DeployHubInputs, type DeployHubOutputs } from './inputs.js';

export async function main(): Promise<DeployHubOutputs> {
  const inputs = readDeployHubInputs();
  if (inputs.mode === 'uninstall') return uninstall(inputs);
  const { cluster, hubs } = selectClusterHubs(
    await loadFleetForAction(inputs.configDir),
    inputs.cluster,
    inputs.hubs,
    inputs.configDir,
  );
  // Every hub's credentials are found (or all problems reported) before anything is applied.
  const credentials =
    inputs.mode === 'rollback'
      ? new Map<string, OAuthClientCredentials>()
      : oauthCredentialsByHub(cluster, hubs, {
          ...(inputs.oauthClient === undefined ? {} : { direct: inputs.oauthClient }),
          ...(inputs.oauthClientSecrets === undefined ? {} : { byName: inputs.oauthClientSecrets }),
        });
  for (const { clientId, clientSecret } of credentials.values()) {
    // The secret's JSON was masked whole; its fields, and the base64 form kubectl receives, too.
    for (const value of [clientId, clientSecret]) {
      maskSecret(value);
      maskSecret(Buffer.from(value).toString('base64'));
    }
  }
  const log = (line: string): void => core.info(line);
  const deps: DeployDeps = {
    kube: createKubeClient({ log }),
    helm: createHelmClient({ log, ...(process.env.RUNNER_TEMP ? { tempDir: process.env.RUNNER_TEMP } : {}) }),
    ...(inputs.gcpAccessToken === undefined
      ? {}
      : {
          compute: createComputeClient({ baseUrl: inputs.computeApiUrl, token: inputs.gcpAccessToken, log }),
        }),
    log,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    // Groups cannot interleave: fold each step only when hubs go one at a time.
    ...(hubs.length === 1 || inputs.concurrency === 1
      ? { group: <T>(name: string, fn: () => Promise<T>): Promise<T> => core.group(name, fn) }
      : {}),
  };
  const reports = await mapWithConcurrency(hubs, inputs.concurrency, (hub) =>
    inputs.mode === 'rollback'
      ? rollbackHub({ cluster, hub, timeout: inputs.timeout }, deps)
      : deployHub(
          {
            cluster,
            hub,
            saAnnotations: inputs.saAnnotations ?? {},
            ...(credentials.has(hub.config.name)
              ? { oauthClient: credentials.get(hub.config.name) as OAuthClientCredentials }
              : {}),
            timeout: inputs.timeout,
          },
          deps,
        ),
  );
  await writeSummary(deploySummary(reports));
  // A hub left on the project-wide audience accepts IAP assertions minted for any backend service
  // of the project: never silent (decision 0023).
  for (const r of reports) {
    if (r.error === undefined && r.audience.state === 'project-wide') {
      core.warning(
        `${r.hub}: the hub accepts the project-wide IAP audience (${r.audience.reason}); re-run deploy-hub with gcp-access-token once the load balancer exists to pin its own backend service`,
      );
    }
  }
  const failed = reports.filter((r) => r.error !== undefined);
  if (failed.length > 1) for (const r of failed) core.error(`${r.hub}: ${r.error ?? ''}`);
  if (failed.length > 0) {
    const [only] = failed;
    throw new HubfleetError(
      failed.length === 1 && only !== undefined
        ? `${only.hub}: ${only.error ?? ''}`
        : `deploy-hub ${inputs.mode} failed for ${failed.length} hubs: ${failed.map((r) => `${r.hub} (${r.error ?? ''})`).join('; ')}`,
      { hint: failed[0]?.hint ?? 're-run the job once the cause is fixed' },
    );
  }
  return outputs(reports, inputs.single);
}

function outputs(reports: HubReport[], single: boolean): DeployHubOutputs {
  const pick = (f: (r: HubReport) => string | undefined): string | Record<string, string> =>
    single ? (f(reports[0] as HubReport) ?? '') : Object.fromEntries(reports.map((r) => [r.hub, f(r) ?? '']));
  return {
    url: pick((r) => r.url),
    certificate: pick((r) => r.certificate),
    ingress: pick((r) => r.ingress),
    namespace: pick((r) => r.namespace),
    revision: pick((r) => (r.revision === undefined ? undefined : String(r.revision))),
    'iap-audience': pick((r) =>
      r.audience.state === 'pinned'
        ? r.audience.audience
        : r.audience.state === 'project-wide'
          ? 'project-wide'
          : 'n/a',
    ),
  };
}

/**
 * Hubs whose files were deleted: they are not in the config, so the request is checked against it
 * (cluster there, hubs not) before anything is touched; then one hub at a time.
 */
async function uninstall(inputs: DeployHubInputs): Promise<DeployHubOutputs> {
  const cluster = checkUninstall(await loadFleetForAction(inputs.configDir), inputs.cluster, inputs.hubs);
  const log = (line: string): void => core.info(line);
  const deps = {
    kube: createKubeClient({ log }),
    helm: createHelmClient({ log }),
    log,
    now: () => Date.now(),
  };
  const reports: UninstallReport[] = [];
  for (const hub of inputs.hubs) {
    reports.push(
      await core.group(`${hub}: uninstall`, () =>
        uninstallHub({ cluster, hub, timeout: inputs.timeout }, deps),
      ),
    );
  }
  await writeSummary(uninstallSummary(reports));
  const failed = reports.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    throw new HubfleetError(
      `uninstall failed for ${failed.map((r) => `${r.hub} (${r.error ?? ''})`).join('; ')}`,
      { hint: failed[0]?.hint ?? 're-run the job: uninstall is safe to repeat' },
    );
  }
  const pick = (f: (r: UninstallReport) => string): string | Record<string, string> =>
    inputs.single ? f(reports[0] as UninstallReport) : Object.fromEntries(reports.map((r) => [r.hub, f(r)]));
  return {
    url: pick(() => ''),
    certificate: pick(() => ''),
    ingress: pick(() => ''),
    namespace: pick((r) => (r.kept.some((k) => k.kind === 'Namespace') ? r.namespace : '')),
    revision: pick(() => ''),
    'iap-audience': pick(() => ''),
  };
}
