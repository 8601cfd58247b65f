// Removes a hub whose file was deleted from the config (design §4, label hubfleet:remove-hub):
// `helm uninstall`, then the objects hubfleet itself applied to the hub's namespace (found by the
// managed-by and hub labels, never by name alone). The Ingress is deleted first and waited for:
// its controller's finalizer removes the load balancer, whose forwarding rule holds the hub's
// static IP, and Google refuses to release an address that is in use, so Terraform's removal of
// the address (apply-iam, which runs after this) only succeeds once the Ingress is really gone. The Namespace and the PersistentVolumeClaims in
// it are kept on purpose: deleting the namespace deletes the users' home directories, which no
// label or review can bring back (docs/decisions/0016-hub-removal-keeps-the-namespace.md). Every
// step is idempotent: a release or object already gone counts as removed, so a rerun after a
// cancel finishes the job.
import { HubfleetError, errorMessage } from '../errors.js';
import { DNS_LABEL_PATTERN } from '../config/patterns.js';
import type { Fleet, LoadedCluster, Provider } from '../config/model.js';
import type { HelmClient } from '../adapters/helm.js';
import type { KubeClient, KubeRef } from '../adapters/kube.js';
import { durationMs } from '../adapters/helm.js';
import { HUB_LABEL, MANAGED_BY_LABELS, helmReleaseName, namespaceName } from '../render/names.js';

export interface UninstallDeps {
  kube: KubeClient;
  helm: HelmClient;
  log: (line: string) => void;
  now: () => number;
}

export interface UninstallRequest {
  cluster: LoadedCluster;
  hub: string;
  /** helm duration (`10m`) for `helm uninstall --wait`; also bounds the wait for the Ingress to go. */
  timeout: string;
}

export interface OwnedKind {
  apiVersion: string;
  kind: string;
}

/** What was done to one object hubfleet applied. */
export interface RemovedObject {
  kind: string;
  name: string;
  outcome: 'deleted' | 'absent';
}

/** Something left in the namespace on purpose, and why. */
export interface KeptObject {
  kind: string;
  name: string;
  why: string;
}

export interface UninstallReport {
  cluster: string;
  hub: string;
  namespace: string;
  release: string;
  helm: 'uninstalled' | 'absent' | 'not run';
  removed: RemovedObject[];
  kept: KeptObject[];
  steps: { step: string; ms: number }[];
  error?: string;
  hint?: string;
}

/** Namespaces no hub may be uninstalled from, whatever the input says. */
const RESERVED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/**
 * The kinds deploy-hub applies into a hub namespace, in the order they are deleted: the Ingress
 * first (its load balancer goes away and stops referring to the certificate and configs), the
 * ServiceAccount last. The Namespace is not among them (see the header). GKE-only kinds are not
 * asked for on EKS, whose API server does not serve them.
 */
export function ownedKinds(provider: Provider): OwnedKind[] {
  return [
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
    ...(provider === 'gcp'
      ? [
          { apiVersion: 'networking.gke.io/v1', kind: 'ManagedCertificate' },
          { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig' },
          { apiVersion: 'networking.gke.io/v1beta1', kind: 'FrontendConfig' },
        ]
      : []),
    // The health token reader goes before the Secret it names (src/render/health-reader.ts).
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
    { apiVersion: 'v1', kind: 'Secret' },
    { apiVersion: 'v1', kind: 'ServiceAccount' },
  ];
}

/** `app.kubernetes.io/managed-by=hubfleet,hubfleet.dev/hub=<hub>`: objects hubfleet applied for this hub. */
export function ownedSelector(hub: string): string {
  return Object.entries({ ...MANAGED_BY_LABELS, [HUB_LABEL]: hub })
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Checks an uninstall request against the config before anything is touched, and returns the
 * cluster. Every problem is reported at once. A hub still in the config is refused: its file was
 * not deleted, so uninstalling it would be a mistake (a wrong name, or a stale matrix row).
 */
export function checkUninstall(fleet: Fleet, clusterName: string, hubs: readonly string[]): LoadedCluster {
  const problems: string[] = [];
  const dnsLabel = new RegExp(DNS_LABEL_PATTERN);
  for (const hub of hubs) {
    if (!dnsLabel.test(hub) || hub.length > 63) {
      problems.push(
        `hub ${JSON.stringify(hub)} is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)`,
      );
    } else if (RESERVED_NAMESPACES.has(hub) || hub.startsWith('kube-')) {
      problems.push(`hub ${JSON.stringify(hub)} names a system namespace; hubfleet never uninstalls there`);
    }
  }
  const cluster = fleet.clusters.find((c) => c.config.name === clusterName);
  if (cluster === undefined) {
    problems.push(
      `no cluster named ${clusterName} in the config (clusters: ${fleet.clusters.map((c) => c.config.name).join(', ') || 'none'})`,
    );
  } else {
    for (const hub of hubs) {
      const still = cluster.hubs.find((h) => h.config.name === hub);
      if (still !== undefined) {
        problems.push(
          `hub ${hub} is still in the config (${still.file}); only a hub whose file was deleted is uninstalled`,
        );
      }
    }
  }
  if (problems.length > 0 || cluster === undefined) {
    throw new HubfleetError(`uninstall refused for ${clusterName}: ${problems.join('; ')}`, {
      hint: 'uninstall takes the cluster and the names of hubs whose files were deleted (the planner’s remove matrix); nothing was changed',
    });
  }
  return cluster;
}

async function step<T>(
  report: UninstallReport,
  deps: UninstallDeps,
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  const started = deps.now();
  deps.log(`${report.hub}: ${name}`);
  try {
    return await fn();
  } finally {
    report.steps.push({ step: name, ms: deps.now() - started });
  }
}

export async function uninstallHub(req: UninstallRequest, deps: UninstallDeps): Promise<UninstallReport> {
  const ns = namespaceName(req.hub);
  const release = helmReleaseName(req.hub);
  const report: UninstallReport = {
    cluster: req.cluster.config.name,
    hub: req.hub,
    namespace: ns,
    release,
    helm: 'not run',
    removed: [],
    kept: [],
    steps: [],
  };
  try {
    await step(report, deps, 'preflight', () => deps.kube.preflight());
    report.helm = await step(report, deps, 'helm uninstall', () =>
      deps.helm.uninstall(release, ns, req.timeout),
    );
    if (report.helm === 'absent')
      deps.log(`${req.hub}: release ${release} was not installed (already removed)`);
    await step(report, deps, 'delete hubfleet objects', async () => {
      for (const { apiVersion, kind } of ownedKinds(req.cluster.config.provider)) {
        const objects = await deps.kube.list(apiVersion, kind, ns, ownedSelector(req.hub));
        for (const object of [...objects].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
          const ref: KubeRef = { apiVersion, kind, name: object.metadata.name, namespace: ns };
          const outcome = await deps.kube.delete(
            ref,
            kind === 'Ingress' ? { wait: true, timeoutMs: durationMs(req.timeout) } : {},
          );
          report.removed.push({ kind, name: object.metadata.name, outcome });
        }
      }
    });
    await step(report, deps, 'list what is kept', async () => {
      const namespace = await deps.kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
      if (namespace === undefined) return;
      report.kept.push({
        kind: 'Namespace',
        name: ns,
        why: 'deleting it deletes every object in it, the users’ home directories included',
      });
      const claims = await deps.kube.list('v1', 'PersistentVolumeClaim', ns);
      for (const claim of claims.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
        report.kept.push({
          kind: 'PersistentVolumeClaim',
          name: claim.metadata.name,
          why: 'user data (home directory or hub database)',
        });
      }
    });
    return report;
  } catch (error) {
    report.error = errorMessage(error);
    report.hint =
      error instanceof HubfleetError
        ? error.hint
        : 're-run the job: every step of uninstall is safe to repeat';
    return report;
  }
}

/** The commands that delete what uninstall keeps, for the summary: a person decides, by hand. */
export function manualDeletion(report: UninstallReport): string[] {
  if (report.kept.length === 0) return [];
  const claims = report.kept.filter((k) => k.kind === 'PersistentVolumeClaim');
  return [
    ...(claims.length === 0
      ? []
      : [
          `# first keep what users need: snapshot the disks behind the claims (kubectl -n ${report.namespace} get pvc -o wide shows their volumes)`,
        ]),
    `kubectl delete namespace ${report.namespace}`,
  ];
}
