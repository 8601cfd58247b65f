// The IAP audience a GKE hub pins (`/projects/<number>/global/backendServices/<id>`) is a property
// of the live load balancer, not of the config: ingress-gce garbage-collects backend services no
// Ingress references (kubernetes/ingress-gce pkg/backends/syncer.go `GC`), so an Ingress deleted
// and created again (recreate-cert) gets a backend service of the same name with a new numeric id,
// and `helm rollback` restores whatever audience the old revision pinned. Every path that changes
// the hub's values or its Ingress re-establishes it from here (decision 0023).
import type { ComputeClient } from '../adapters/gcp-compute.js';
import type { HelmClient } from '../adapters/helm.js';
import type { KubeClient } from '../adapters/kube.js';
import { chartSource } from '../config/charts.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { Z2JH_VALUES_ROOT } from '../config/owned-values.js';
import { HubfleetError } from '../errors.js';
import { getPath, isRecord } from '../render/deep-merge.js';
import {
  IAP_AUDIENCE_ANNOTATION,
  IAP_AUTHENTICATOR_CLASS,
  iapBackendAudience,
} from '../render/iap-authenticator.js';
import { toYamlDocument } from '../render/serialize.js';
import { helmReleaseName, ingressName, namespaceName, requireGcp } from '../render/names.js';
import { proxyBackendServiceName } from './audience.js';

export type LiveAudience =
  { state: 'found'; audience: string; backendService: string } | { state: 'unknown'; reason: string };

export interface AudienceDeps {
  kube: Pick<KubeClient, 'get'>;
  compute?: ComputeClient;
  log: (line: string) => void;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface AudiencePolling {
  /** How long to wait for ingress-gce's load-balancer sync; 0 reads once. */
  budgetMs: number;
  pollMs: number;
}

/**
 * The audience IAP signs for this hub right now. ingress-gce writes the Ingress's
 * `ingress.kubernetes.io/backends` annotation only after its load-balancer sync
 * (pkg/loadbalancers/l7.go `GetLBAnnotations`, called once `ensureIngress` has built the load
 * balancer), so it is polled until `budgetMs` is spent; then the backend service's numeric id comes
 * from the Compute API.
 */
export async function findLiveAudience(
  deps: AudienceDeps,
  cluster: LoadedCluster,
  hub: LoadedHub,
  polling: AudiencePolling,
): Promise<LiveAudience> {
  if (deps.compute === undefined) {
    return { state: 'unknown', reason: 'no gcp-access-token given for the Compute API lookup' };
  }
  const gcp = requireGcp(cluster);
  const ns = namespaceName(hub.config.name);
  const deadline = deps.now() + polling.budgetMs;
  let waited = false;
  for (;;) {
    const ingress = await deps.kube.get({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      name: ingressName(hub.config.name),
      namespace: ns,
    });
    const backend = proxyBackendServiceName(ingress, ns);
    const service =
      backend === undefined ? undefined : await deps.compute.getBackendService(gcp.project, backend);
    if (backend !== undefined && service !== undefined) {
      if (waited) deps.log(`${hub.config.name}: ingress-gce named the backend service ${backend}`);
      return {
        state: 'found',
        audience: iapBackendAudience(gcp.projectNumber, service.id),
        backendService: backend,
      };
    }
    // No Ingress: nothing will name a backend service, so waiting is pointless.
    if (ingress === undefined || deps.now() + polling.pollMs > deadline) {
      return {
        state: 'unknown',
        reason:
          ingress === undefined
            ? `the Ingress ${ns}/${ingressName(hub.config.name)} does not exist`
            : backend === undefined
              ? 'GKE has not created the backend service yet (no ingress.kubernetes.io/backends entry for proxy-public)'
              : `backend service ${backend} not found in project ${gcp.project} yet`,
      };
    }
    if (!waited) {
      deps.log(
        `${hub.config.name}: waiting for ingress-gce's load-balancer sync (the ingress.kubernetes.io/backends annotation)`,
      );
    }
    waited = true;
    await deps.sleep(polling.pollMs);
  }
}

/** Where a hub's values say which audience they pin, for the scheduled smoke check (hub pod annotation). */
export function audienceAnnotationPath(hub: LoadedHub): string[] {
  return [...Z2JH_VALUES_ROOT[hub.config.chart.name], 'hub', 'annotations', IAP_AUDIENCE_ANNOTATION];
}

/** Where a hub's values pin the audience (daskhub: under `jupyterhub`). */
export function audiencePath(hub: LoadedHub): string[] {
  return [...Z2JH_VALUES_ROOT[hub.config.chart.name], 'hub', 'config', IAP_AUTHENTICATOR_CLASS, 'audience'];
}

export type RepinOutcome =
  | { state: 'kept'; audience: string; backendService: string }
  | { state: 'repinned'; audience: string; backendService: string; was: string; revision: number | undefined }
  | { state: 'unknown'; reason: string };

export interface RepinDeps extends AudienceDeps {
  helm: Pick<HelmClient, 'getValues' | 'history' | 'upgradeInstall'>;
}

/**
 * After something outside deploy-hub's render changed the hub (helm rollback restoring an old
 * revision's values, or recreate-cert giving the Ingress a new backend service): reads the live
 * audience and the release's current values, and when they differ upgrades the release with the
 * same chart version and values, the audience replaced. The caller checks the rollout afterwards.
 */
export async function repinAudience(
  deps: RepinDeps,
  cluster: LoadedCluster,
  hub: LoadedHub,
  opts: AudiencePolling & { timeout: string },
): Promise<RepinOutcome> {
  const live = await findLiveAudience(deps, cluster, hub, opts);
  if (live.state === 'unknown') return live;
  const release = helmReleaseName(hub.config.name);
  const ns = namespaceName(hub.config.name);
  const values = await deps.helm.getValues(release, ns);
  if (values === undefined) {
    throw new HubfleetError(
      `release ${release} (namespace ${ns}) does not exist, so its IAP audience cannot be set`,
      {
        hint: 'deploy the hub (deploy-hub), which pins the audience of its backend service',
      },
    );
  }
  const path = audiencePath(hub);
  const pinned = getPath(values, path);
  if (pinned === live.audience) {
    return { state: 'kept', audience: live.audience, backendService: live.backendService };
  }
  const source = chartSource(hub.config.chart.name);
  const history = await deps.helm.history(release, ns);
  const current = history[history.length - 1];
  const prefix = `${source.chart}-`;
  if (current === undefined || !current.chart.startsWith(prefix)) {
    throw new HubfleetError(
      `release ${release} (namespace ${ns}) runs chart ${current?.chart ?? 'unknown'}, not ${source.chart}; its IAP audience was not changed`,
      { hint: 'deploy the hub (deploy-hub), which renders the chart and the audience from the config' },
    );
  }
  setPath(values, path, live.audience);
  // The annotation travels with the audience, so the scheduled smoke check reads what the hub pins.
  setPath(values, audienceAnnotationPath(hub), live.audience);
  deps.log(
    `${hub.config.name}: the hub pins ${typeof pinned === 'string' ? pinned : 'the project-wide audience'}, but IAP now signs ${live.audience} (backend service ${live.backendService}); upgrading the release with the live audience`,
  );
  const result = await deps.helm.upgradeInstall({
    release,
    namespace: ns,
    chart: source.chart,
    repo: source.repo,
    version: current.chart.slice(prefix.length),
    values: toYamlDocument(values),
    timeout: opts.timeout,
  });
  return {
    state: 'repinned',
    audience: live.audience,
    backendService: live.backendService,
    was: typeof pinned === 'string' ? pinned : 'project-wide',
    revision: result.revision,
  };
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (!isRecord(next)) {
      const created: Record<string, unknown> = {};
      Object.defineProperty(at, key, {
        value: created,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      at = created;
    } else at = next;
  }
  const last = path[path.length - 1] as string;
  Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
}
