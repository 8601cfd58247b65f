// Deploys one hub (design §6, issue 9): the order of the steps is the point. The service-account
// annotation is checked against Terraform before anything is applied; BackendConfig and
// FrontendConfig go on before the Ingress (a BackendConfig added later is ignored); the
// ManagedCertificate and Ingress go on before helm's long wait so certificate provisioning overlaps
// it; then helm; then hubfleet's own rollout check. Every step is idempotent, so a rerun after a
// failure or a cancel converges, and applying twice changes nothing.
import { HubfleetError, errorMessage } from '../errors.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { chartSource } from '../config/charts.js';
import { ComputeTokenRejected, type ComputeClient } from '../adapters/gcp-compute.js';
import type { HelmClient } from '../adapters/helm.js';
import { durationMs, previousSuccessfulRevision } from '../adapters/helm.js';
import { type ApplyOutcome, type KubeClient, type KubeRef } from '../adapters/kube.js';
import { renderHubFiles, type RenderedHub } from '../render/files.js';
import type { KubeObject } from '../render/manifests.js';
import {
  HUB_LABEL,
  MANAGED_BY_LABELS,
  PROXY_SERVICE_NAME,
  PROXY_HTTP_PORT_NAME,
  expectedSecrets,
  gcpStaticIpName,
  helmReleaseName,
  ingressName,
  managedCertificateName,
  namespaceName,
} from '../render/names.js';
import { certificatesToKeep } from '../cert/keep-certificates.js';
import { findLiveAudience, repinAudience } from './iap-audience.js';
import { ingressSyncErrors } from './ingress-sync.js';
import { refuseSwitchToDefaultOAuth } from './oauth-switch.js';
import { deploymentProblem, hubPodProblem } from './rollout.js';
import { healthTokenSecret, planHealthToken, type HealthTokenPlan } from './health-token.js';
import { HEALTH_TOKEN_SECRET } from '../render/health-service.js';

export interface DeployDeps {
  kube: KubeClient;
  helm: HelmClient;
  /** GKE audience discovery; without it the hub keeps the project-wide audience. */
  compute?: ComputeClient;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Between rollout polls. */
  pollMs?: number;
  /** Folds a step's log lines (core.group when hubs are deployed one at a time). */
  group?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface DeployHubRequest {
  cluster: LoadedCluster;
  hub: LoadedHub;
  /** apply-iam's `sa-annotations`: `{<namespace>: {<annotation>: <value>}}`. */
  saAnnotations: Record<string, Record<string, string>>;
  oauthClient?: OAuthClientCredentials;
  /** helm duration (`10m`); also bounds the rollout check. */
  timeout: string;
}

export type AudienceState =
  | { state: 'pinned'; audience: string; backendService: string }
  | { state: 'project-wide'; reason: string }
  | { state: 'not-applicable' };

export interface HubReport {
  cluster: string;
  hub: string;
  namespace: string;
  domain: string;
  url: string;
  chart: string;
  version: string;
  mode: 'deploy' | 'rollback';
  objects: { kind: string; name: string; outcome: ApplyOutcome | 'kept' }[];
  staticIp: string;
  ingress: string;
  certificate: string;
  revision?: number | undefined;
  /** Rollback: the revision left and the one restored. */
  rolledBack?: { from: number; to: number; recordedAs?: number | undefined };
  audience: AudienceState;
  /** The hub was upgraded a second time because the audience became known. */
  rolledForAudience: boolean;
  steps: { step: string; ms: number }[];
  /** Set when the hub failed; the step that failed is the last in `steps`. */
  error?: string;
  hint?: string;
}

export const HUB_DEPLOYMENT = 'hub';
export const PROXY_DEPLOYMENT = 'proxy';
const DEFAULT_POLL_MS = 3000;

export function hubHealthPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/services/${PROXY_SERVICE_NAME}:${PROXY_HTTP_PORT_NAME}/proxy/hub/health`;
}

function baseReport(cluster: LoadedCluster, hub: LoadedHub, mode: HubReport['mode']): HubReport {
  const h = hub.config;
  const gcp = cluster.config.provider === 'gcp';
  return {
    cluster: cluster.config.name,
    hub: h.name,
    namespace: namespaceName(h.name),
    domain: h.domain,
    url: `https://${h.domain}/`,
    chart: `${h.chart.name} (${chartSource(h.chart.name).chart} from ${chartSource(h.chart.name).repo})`,
    version: h.chart.version,
    mode,
    objects: [],
    staticIp: gcp ? gcpStaticIpName(cluster.config.name, h.name) : 'n/a (ALB)',
    ingress: `${namespaceName(h.name)}/${ingressName(h.name)}`,
    certificate: 'unknown',
    audience: gcp ? { state: 'project-wide', reason: 'not looked up' } : { state: 'not-applicable' },
    rolledForAudience: false,
    steps: [],
  };
}

/** Runs one step, timing it; a failure is recorded in the report and rethrown. */
async function step<T>(report: HubReport, deps: DeployDeps, name: string, fn: () => Promise<T>): Promise<T> {
  const started = deps.now();
  try {
    if (deps.group !== undefined) return await deps.group(`${report.hub}: ${name}`, fn);
    deps.log(`${report.hub}: ${name}`);
    return await fn();
  } finally {
    report.steps.push({ step: name, ms: deps.now() - started });
  }
}

function fail(report: HubReport, error: unknown): HubReport {
  report.error = errorMessage(error);
  if (error instanceof HubfleetError) report.hint = error.hint;
  return report;
}

export async function deployHub(req: DeployHubRequest, deps: DeployDeps): Promise<HubReport> {
  const { cluster, hub } = req;
  const report = baseReport(cluster, hub, 'deploy');
  const ns = report.namespace;
  const release = helmReleaseName(hub.config.name);
  try {
    // 1. Render and check, before anything is applied: a mismatch with Terraform's annotation
    //    throws here, as does a missing OAuth client.
    const checked = await step(report, deps, 'render and check', () =>
      Promise.resolve({ rendered: render(req, undefined), secret: oauthSecret(req) }),
    );
    await step(report, deps, 'preflight', () => deps.kube.preflight());

    // 2. An audience already known from an earlier run goes into the first helm run: no second roll.
    let audience = await step(report, deps, 'read IAP audience', () => discoverAudience(req, deps, report));
    // A domain change renders a new certificate name: keep the live one(s) on the Ingress until
    // verify-cert's wait sees the new one Active (make before break, decision 0013).
    const keep =
      cluster.config.provider === 'gcp'
        ? await step(report, deps, 'read live certificates', () =>
            certificatesToKeep(
              deps.kube,
              ns,
              ingressName(hub.config.name),
              managedCertificateName(hub.config.name, [hub.config.domain]),
            ),
          )
        : [];
    const token = await step(report, deps, 'health service token', () =>
      healthTokenStep(deps, hub.config.name, ns),
    );
    let rendered = render(req, audience, keep, token.plan.rotatedAt);

    // ingress-gce cannot move a backend service from a custom OAuth client back to Google's: refuse
    // before anything is applied (src/deploy/oauth-switch.ts).
    const backendConfig = rendered.objects.find((o) => o.kind === 'BackendConfig');
    if (backendConfig !== undefined) {
      const live = await deps.kube.get({
        apiVersion: backendConfig.apiVersion,
        kind: backendConfig.kind,
        name: backendConfig.metadata.name,
        namespace: ns,
      });
      refuseSwitchToDefaultOAuth(hub.file, live, backendConfig, {
        namespace: ns,
        name: ingressName(hub.config.name),
      });
    }

    // 3. Namespace, ServiceAccount, Secret, BackendConfig, FrontendConfig, ManagedCertificate, Ingress.
    const appliedAt = deps.now();
    await step(report, deps, 'apply objects', async () => {
      for (const object of withSecret(withSecret(rendered.objects, token.secret), checked.secret)) {
        const result =
          object.kind === 'Secret' ? await deps.kube.applySecret(object) : await deps.kube.apply(object);
        report.objects.push({
          kind: object.kind,
          name:
            result.ref.namespace === undefined
              ? result.ref.name
              : `${result.ref.namespace}/${result.ref.name}`,
          outcome: result.outcome,
        });
      }
    });

    // 4. helm, then 5. the rollout check. A release left pending by a cancelled run is rolled back
    //    first: helm refuses every other operation on it.
    await step(report, deps, 'helm release state', () =>
      recoverPendingRelease(deps, release, ns, req.timeout),
    );
    await step(report, deps, 'helm upgrade --install', async () => {
      report.revision = (await deps.helm.upgradeInstall(helmRequest(req, rendered))).revision;
    });
    await step(report, deps, 'rollout check', () =>
      verifyRollout(deps, ns, release, durationMs(req.timeout)),
    );

    // 6. GKE: the backend service exists once the load balancer does; pin the audience and roll the
    //    hub only when it changed.
    if (cluster.config.provider === 'gcp' && audience === undefined) {
      audience = await step(report, deps, 'discover IAP audience', () =>
        discoverAudience(req, deps, report, { afterDeploy: true }),
      );
      if (audience !== undefined) {
        rendered = render(req, audience, keep, token.plan.rotatedAt);
        report.rolledForAudience = true;
        await step(report, deps, 'helm upgrade (IAP audience)', async () => {
          report.revision = (await deps.helm.upgradeInstall(helmRequest(req, rendered))).revision;
        });
        await step(report, deps, 'rollout check (IAP audience)', () =>
          verifyRollout(deps, ns, release, durationMs(req.timeout)),
        );
      }
    }
    // 7. GKE: ingress-gce reports a failed load-balancer sync only as an event on the Ingress.
    if (cluster.config.provider === 'gcp') {
      await step(report, deps, 'ingress-gce sync', () =>
        checkIngressSync(deps, ns, hub.config.name, appliedAt),
      );
    }
    await step(report, deps, 'certificate status', () => readCertificate(req, deps, report));
    return report;
  } catch (error) {
    return fail(report, error);
  }
}

async function checkIngressSync(deps: DeployDeps, ns: string, hub: string, sinceMs: number): Promise<void> {
  const name = ingressName(hub);
  const errors = ingressSyncErrors(await deps.kube.list('v1', 'Event', ns), name, sinceMs);
  if (errors.length > 0) {
    throw new HubfleetError(`ingress-gce could not sync Ingress ${ns}/${name}: ${errors.join('; ')}`, {
      hint: `the load balancer was not updated; look at kubectl -n ${ns} describe ingress ${name}, fix the cause (BackendConfig, OAuth client Secret, static IP), then re-run deploy-hub`,
    });
  }
}

export async function rollbackHub(
  req: Omit<DeployHubRequest, 'saAnnotations' | 'oauthClient'>,
  deps: DeployDeps,
): Promise<HubReport> {
  const report = baseReport(req.cluster, req.hub, 'rollback');
  const ns = report.namespace;
  const release = helmReleaseName(req.hub.config.name);
  try {
    await step(report, deps, 'preflight', () => deps.kube.preflight());
    const history = await step(report, deps, 'helm history', () => deps.helm.history(release, ns));
    const choice = previousSuccessfulRevision(history);
    if (choice === undefined) {
      throw new HubfleetError(
        history.length === 0
          ? `release ${release} (namespace ${ns}) does not exist: nothing to roll back`
          : `release ${release} (namespace ${ns}) has no earlier successful revision (history: ${history.map((r) => `${r.revision} ${r.status}`).join(', ')})`,
        { hint: 'deploy the hub (mode deploy) with a fixed config instead' },
      );
    }
    report.rolledBack = { from: choice.current.revision, to: choice.target.revision };
    report.version = `${choice.target.chart} (was ${choice.current.chart})`;
    await step(report, deps, `helm rollback to revision ${choice.target.revision}`, () =>
      deps.helm.rollback(release, ns, choice.target.revision, req.timeout),
    );
    const after = await deps.helm.history(release, ns);
    report.revision = after[after.length - 1]?.revision;
    report.rolledBack.recordedAs = report.revision;
    await step(report, deps, 'rollout check', () =>
      verifyRollout(deps, ns, release, durationMs(req.timeout)),
    );
    // The restored revision pins whatever audience it was deployed with (an old backend service's,
    // or none); IAP signs for the live backend service, so that one goes back in (decision 0023).
    if (req.cluster.config.provider === 'gcp') {
      const outcome = await step(report, deps, 're-establish IAP audience', () =>
        repinAudience(deps, req.cluster, req.hub, {
          budgetMs: durationMs(req.timeout),
          pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
          timeout: req.timeout,
        }),
      );
      if (outcome.state === 'unknown') {
        report.audience = {
          state: 'project-wide',
          reason: `the live audience could not be read after the rollback (${outcome.reason}); the restored revision's audience stays`,
        };
      } else {
        report.audience = {
          state: 'pinned',
          audience: outcome.audience,
          backendService: outcome.backendService,
        };
        if (outcome.state === 'repinned') {
          report.rolledForAudience = true;
          report.revision = outcome.revision;
          await step(report, deps, 'rollout check (IAP audience)', () =>
            verifyRollout(deps, ns, release, durationMs(req.timeout)),
          );
        }
      }
    }
    await step(report, deps, 'certificate status', () => readCertificate(req, deps, report));
    return report;
  } catch (error) {
    return fail(report, error);
  }
}

/**
 * A run cancelled during helm leaves the release `pending-install`, `pending-upgrade` or
 * `pending-rollback`, and helm then refuses to upgrade it. Rolling back to the last good revision
 * is helm's own remedy. A first install that never finished has no good revision to go back to;
 * since it never served anyone, its release is uninstalled (the namespace and everything hubfleet
 * applied stay) and the install starts again.
 */
async function recoverPendingRelease(
  deps: DeployDeps,
  release: string,
  ns: string,
  timeout: string,
): Promise<void> {
  const history = await deps.helm.history(release, ns);
  const last = history[history.length - 1];
  if (last === undefined || !last.status.startsWith('pending-')) return;
  const good = [...history]
    .reverse()
    .find((r) => r.revision < last.revision && (r.status === 'deployed' || r.status === 'superseded'));
  if (good === undefined) {
    const everDeployed = history.some((r) => r.status === 'deployed' || r.status === 'superseded');
    if (last.status !== 'pending-install' || everDeployed) {
      throw new HubfleetError(
        `release ${release} (namespace ${ns}) is stuck in ${last.status} and has no earlier successful revision`,
        {
          hint: `look at helm history ${release} --namespace ${ns}; remove the unfinished release (helm uninstall; the namespace and its data stay), then re-run deploy-hub`,
        },
      );
    }
    deps.log(
      `${ns}: release ${release} revision ${last.revision} is pending-install (a first install that was interrupted and never served); uninstalling it before installing again`,
    );
    await deps.helm.uninstall(release, ns, timeout);
    return;
  }
  deps.log(
    `${ns}: release ${release} revision ${last.revision} is ${last.status} (an interrupted run); rolling back to revision ${good.revision} first`,
  );
  await deps.helm.rollback(release, ns, good.revision, timeout);
}

function render(
  req: DeployHubRequest,
  iapAudience: string | undefined,
  keepCertificates: string[] = [],
  healthTokenRotatedAt?: string,
): RenderedHub {
  const ns = namespaceName(req.hub.config.name);
  return renderHubFiles(req.cluster, req.hub, {
    ...(keepCertificates.length === 0 ? {} : { keepCertificates }),
    // A namespace missing from the Terraform output is a mismatch too ("(nothing)" ≠ expected).
    serviceAccountAnnotations: req.saAnnotations[ns] ?? {},
    ...(iapAudience === undefined ? {} : { iapAudience }),
    ...(healthTokenRotatedAt === undefined ? {} : { healthTokenRotatedAt }),
  });
}

/** Reads the health token's Secret and makes a new one when it is missing or old (health-token.ts). */
async function healthTokenStep(
  deps: DeployDeps,
  hub: string,
  ns: string,
): Promise<{ plan: HealthTokenPlan; secret: KubeObject | undefined }> {
  const existing = await deps.kube.get({
    apiVersion: 'v1',
    kind: 'Secret',
    name: HEALTH_TOKEN_SECRET,
    namespace: ns,
  });
  const plan = planHealthToken(existing, new Date(deps.now()));
  if (plan.action === 'keep') return { plan, secret: undefined };
  deps.log(
    `${ns}: ${plan.action === 'create' ? 'creating' : 'rotating'} the health service token (${plan.why})`,
  );
  return { plan, secret: healthTokenSecret(hub, ns, plan.rotatedAt) };
}

function helmRequest(req: DeployHubRequest, rendered: RenderedHub) {
  const h = req.hub.config;
  const source = chartSource(h.chart.name);
  return {
    release: helmReleaseName(h.name),
    namespace: namespaceName(h.name),
    chart: source.chart,
    repo: source.repo,
    version: h.chart.version,
    values: rendered.values,
    timeout: req.timeout,
  };
}

/** The OAuth client Secret the hub needs, built from the (masked) inputs; undefined when none. */
function oauthSecret(req: DeployHubRequest): KubeObject | undefined {
  const [expected] = expectedSecrets(req.cluster, req.hub);
  if (expected === undefined) return undefined;
  if (req.oauthClient === undefined) {
    throw new HubfleetError(
      `${req.hub.file}: the hub uses a custom OAuth client (Secret ${expected.namespace}/${expected.name}), but oauth-client-id and oauth-client-secret were not given`,
      {
        hint: `pass them from the GitHub secret ${expected.fromGithubSecret} (fromJSON(secrets.${expected.fromGithubSecret}).client_id / .client_secret)`,
      },
    );
  }
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: expected.name,
      namespace: expected.namespace,
      labels: { ...MANAGED_BY_LABELS, [HUB_LABEL]: req.hub.config.name },
    },
    type: 'Opaque',
    data: { client_id: b64(req.oauthClient.clientId), client_secret: b64(req.oauthClient.clientSecret) },
  };
}

/** The Secret goes right after the ServiceAccount: before the BackendConfig that names it. */
function withSecret(objects: KubeObject[], secret: KubeObject | undefined): KubeObject[] {
  if (secret === undefined) return objects;
  const at = objects.findIndex((o) => o.kind === 'ServiceAccount');
  return [...objects.slice(0, at + 1), secret, ...objects.slice(at + 1)];
}

async function discoverAudience(
  req: DeployHubRequest,
  deps: DeployDeps,
  report: HubReport,
  opts: { afterDeploy?: boolean } = {},
): Promise<string | undefined> {
  if (req.cluster.config.provider !== 'gcp') return undefined;
  let live: Awaited<ReturnType<typeof findLiveAudience>>;
  try {
    // Before the deploy one read (an earlier run's load balancer); after it, ingress-gce's sync is
    // waited for, bounded by the deploy timeout: the annotation appears only after it.
    live = await findLiveAudience(deps, req.cluster, req.hub, {
      budgetMs: opts.afterDeploy === true ? durationMs(req.timeout) : 0,
      pollMs: deps.pollMs ?? DEFAULT_POLL_MS,
    });
  } catch (error) {
    // After the hub is deployed and rolled out, an expired token (a job of many hubs outlives the
    // hour an access token lasts) must not fail a working hub: it keeps the project-wide audience,
    // which is reported. Before anything is applied, the same error stops the hub.
    if (!(opts.afterDeploy === true && error instanceof ComputeTokenRejected)) throw error;
    report.audience = {
      state: 'project-wide',
      reason: `the Compute API rejected the access token (expired or invalid), so the audience was not looked up; the next deploy pins it`,
    };
    deps.log(`${req.hub.config.name}: ${error.message}; the hub keeps the project-wide IAP audience`);
    return undefined;
  }
  if (live.state === 'unknown') {
    report.audience = {
      state: 'project-wide',
      reason:
        live.reason === 'no gcp-access-token given for the Compute API lookup' || opts.afterDeploy !== true
          ? live.reason
          : `${live.reason} within the deploy timeout; the next deploy pins it`,
    };
    return undefined;
  }
  report.audience = { state: 'pinned', audience: live.audience, backendService: live.backendService };
  deps.log(`${req.hub.config.name}: IAP audience ${live.audience} (backend service ${live.backendService})`);
  return live.audience;
}

async function readCertificate(
  req: Pick<DeployHubRequest, 'cluster' | 'hub'>,
  deps: DeployDeps,
  report: HubReport,
): Promise<void> {
  const h = req.hub.config;
  const ns = namespaceName(h.name);
  const ingress = await deps.kube.get({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    name: ingressName(h.name),
    namespace: ns,
  });
  const lb = (
    ingress?.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined
  )?.loadBalancer?.ingress?.[0];
  if (req.cluster.config.provider !== 'gcp') {
    report.certificate = 'ACM (ALB)';
    if (lb?.hostname !== undefined) report.staticIp = lb.hostname;
    return;
  }
  if (lb?.ip !== undefined)
    report.staticIp = `${gcpStaticIpName(req.cluster.config.name, h.name)} (${lb.ip})`;
  const cert = await deps.kube.get({
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    name: managedCertificateName(h.name, [h.domain]),
    namespace: ns,
  });
  const status = (cert?.status as { certificateStatus?: string } | undefined)?.certificateStatus;
  report.certificate = cert === undefined ? 'missing' : (status ?? 'Provisioning (no status yet)');
}

/**
 * Polls until the hub and proxy Deployments are rolled out, a hub pod is Ready and /hub/health
 * answers through proxy-public (via the API server's Service proxy, which works from inside the VPC
 * before DNS and the certificate exist), or the time is up.
 */
export async function verifyRollout(
  deps: DeployDeps,
  ns: string,
  release: string,
  budgetMs: number,
): Promise<void> {
  const deadline = deps.now() + budgetMs;
  const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
  for (;;) {
    const problems = await rolloutProblems(deps.kube, ns, release);
    if (problems.length === 0) {
      deps.log(
        `${ns}: hub and proxy rolled out, hub pod Ready, /hub/health answers through ${PROXY_SERVICE_NAME}`,
      );
      return;
    }
    if (deps.now() + pollMs > deadline) {
      throw new HubfleetError(
        `rollout check of hub ${ns} failed (helm reported success): ${problems.join('; ')}`,
        {
          hint: `look at the hub: kubectl -n ${ns} get deploy,pods and kubectl -n ${ns} get events; fix and re-run deploy-hub, or roll back (mode rollback)`,
        },
      );
    }
    deps.log(`${ns}: waiting for the rollout: ${problems.join('; ')}`);
    await deps.sleep(pollMs);
  }
}

async function rolloutProblems(kube: KubeClient, ns: string, release: string): Promise<string[]> {
  const dep = (name: string): KubeRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns });
  const problems: string[] = [];
  for (const name of [HUB_DEPLOYMENT, PROXY_DEPLOYMENT]) {
    const problem = deploymentProblem(`${ns}/${name}`, await kube.get(dep(name)));
    if (problem !== undefined) problems.push(problem);
  }
  const pods = await kube.list('v1', 'Pod', ns, `component=hub,release=${release}`);
  const podProblem = hubPodProblem(pods);
  if (podProblem !== undefined) problems.push(podProblem);
  const health = await kube.getRaw(hubHealthPath(ns));
  if (!health.ok) problems.push(`/hub/health through ${PROXY_SERVICE_NAME} failed: ${health.message}`);
  return problems;
}
