// The two GKE controllers hubfleet depends on, acting on the Kubernetes API double and the Compute
// double the way the upstream code does (read against the sources, cited per behaviour):
//
// gke-managed-certs (GoogleCloudPlatform/gke-managed-certs, pkg/controller/sync/sync.go):
// - A ManagedCertificate has no finalizer: DELETE removes it at once. The controller keeps its own
//   state keyed by namespace/name (`state.Interface`), each entry naming one SslCertificate
//   (`createStateEntry`: an existing entry is reused, a new one gets a random `mcrt-…` name).
// - `ManagedCertificate(id)` for an object that is gone calls `deleteSslCertificate` (marks the
//   entry soft-deleted, deletes the SslCertificate) and only then `state.Delete`; a failed delete
//   (Compute refuses while a target proxy uses the certificate) is retried on the next sync, and the
//   entry stays meanwhile.
// - `createSslCertificate`: when the entry's SslCertificate still exists with the same domains it
//   is restored (`SetSoftDeleted(false)`) and returned as it is, failed status included. So a
//   ManagedCertificate re-created under the same name before the old SslCertificate is gone brings
//   the old certificate back.
// - `certificates.CopyStatus` copies the SslCertificate's status into the object's status
//   (certificateName, certificateStatus, domainStatus).
//
// ingress-gce (kubernetes/ingress-gce):
// - The load balancer of an Ingress is built asynchronously; only after the sync does the
//   controller write `ingress.kubernetes.io/backends` (pkg/loadbalancers/l7.go `GetLBAnnotations`,
//   called from pkg/controller/controller.go after `ensureIngress`) and the status address.
// - Backend services no Ingress references are garbage-collected (pkg/backends/syncer.go `GC` /
//   `gc`): deleting the hub's Ingress deletes its backend service once the load balancer is torn
//   down; a new Ingress gets a backend service of the same name with a new numeric id, and IAP's
//   audience (`/projects/<n>/global/backendServices/<id>`) changes with it.
// - The target HTTPS proxy uses the SslCertificates named by the Ingress (through the
//   pre-shared-cert annotation gke-managed-certs maintains), until the load balancer is torn down.
//
// Google's CA is a function of the test: what status a new SslCertificate has as it ages.
import { createHash, randomBytes } from 'node:crypto';
import type { KubeRef } from '../../src/adapters/kube.js';
import type { KubeObject } from '../../src/render/manifests.js';
import type { ComputeDouble, ComputeSslCertificate } from './compute-double.js';
import type { KubeApiDouble } from './kube-api-double.js';

export const GKE_BACKENDS_ANNOTATION = 'ingress.kubernetes.io/backends';
const MANAGED_CERTIFICATES_ANNOTATION = 'networking.gke.io/managed-certificates';

/** Google's CA: the status of an SslCertificate `ageMs` after it was created. */
export type GoogleCa = (
  cert: ComputeSslCertificate,
  ageMs: number,
) => Pick<ComputeSslCertificate, 'status' | 'domainStatus'>;

/** Active after `afterMs`, Provisioning before. */
export const activeAfter =
  (afterMs: number): GoogleCa =>
  (cert, ageMs) => {
    const status = ageMs >= afterMs ? 'ACTIVE' : 'PROVISIONING';
    return { status, domainStatus: Object.fromEntries(cert.domains.map((d) => [d, status])) };
  };

export interface GkeControllersOptions {
  kube: KubeApiDouble;
  compute: ComputeDouble;
  project: string;
  /** The cluster uid part of NEG backend service names. */
  clusterUid?: string;
  ca?: GoogleCa;
  /** How long after an Ingress appears ingress-gce's load-balancer sync ends. */
  lbSyncMs?: number;
  /** How long after an Ingress is deleted its load balancer (target proxy) is gone. */
  lbTeardownMs?: number;
  /** The address each namespace's load balancer gets. */
  addresses?: Record<string, string>;
  tickMs?: number;
}

export interface GkeControllers {
  /** The SslCertificate name gke-managed-certs keeps for namespace/name (its state). */
  stateEntry(
    namespace: string,
    name: string,
  ): { sslCertificateName: string; softDeleted: boolean } | undefined;
  /** Every SslCertificate the controller ever created, oldest first. */
  created: string[];
  /** The backend service name ingress-gce gives a namespace's proxy-public port 80. */
  backendServiceName(namespace: string): string;
  close(): void;
}

const toMcrtStatus: Record<string, string> = {
  ACTIVE: 'Active',
  PROVISIONING: 'Provisioning',
  PROVISIONING_FAILED: 'ProvisioningFailed',
  PROVISIONING_FAILED_PERMANENTLY: 'ProvisioningFailedPermanently',
  RENEWAL_FAILED: 'RenewalFailed',
};
const toDomainStatus: Record<string, string> = {
  ACTIVE: 'Active',
  PROVISIONING: 'Provisioning',
  FAILED_NOT_VISIBLE: 'FailedNotVisible',
  FAILED_CAA_CHECKING: 'FailedCaaChecking',
  FAILED_CAA_FORBIDDEN: 'FailedCaaForbidden',
  FAILED_RATE_LIMITED: 'FailedRateLimited',
};

const ingressRef = (namespace: string, name: string): KubeRef => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  name,
  namespace,
});
const certRef = (namespace: string, name: string): KubeRef => ({
  apiVersion: 'networking.gke.io/v1',
  kind: 'ManagedCertificate',
  name,
  namespace,
});

function withoutManagedFields(o: KubeObject): KubeObject {
  const copy = structuredClone(o);
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  return copy;
}

export function startGkeControllers(opts: GkeControllersOptions): GkeControllers {
  const { kube, compute, project } = opts;
  const uid = opts.clusterUid ?? 'a1b2c3d4';
  const ca = opts.ca ?? activeAfter(300);
  const state = new Map<string, { sslCertificateName: string; softDeleted: boolean }>();
  const createdAt = new Map<string, number>();
  const created: string[] = [];
  /** ingress-gce's load balancers by namespace/name of their Ingress. */
  const lbs = new Map<
    string,
    { namespace: string; since: number; synced: boolean; goneSince?: number; certs: Set<string> }
  >();

  const backendServiceName = (ns: string): string =>
    `k8s1-${uid}-${ns}-proxy-public-80-${createHash('sha256').update(ns).digest('hex').slice(0, 8)}`;

  compute.inUse = (p, name) => p === project && [...lbs.values()].some((lb) => lb.certs.has(name));

  /** gke-managed-certs sync.go `ManagedCertificate(id)` for every id it knows of. */
  function syncManagedCertificates(now: number): void {
    const live = kube.listObjects('networking.gke.io/v1', 'ManagedCertificate');
    const liveKeys = new Set(live.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`));
    for (const mcrt of live) {
      const id = `${mcrt.metadata.namespace ?? ''}/${mcrt.metadata.name}`;
      // createStateEntry: reuse the entry of this namespace/name, else a random SslCertificate name.
      let entry = state.get(id);
      if (entry === undefined) {
        entry = {
          sslCertificateName: `mcrt-${randomBytes(16).toString('hex').slice(0, 32)}`,
          softDeleted: false,
        };
        state.set(id, entry);
      }
      const domains = ((mcrt['spec'] as { domains?: string[] } | undefined)?.domains ?? []).slice();
      // createSslCertificate: same name and domains → restore it as it is; else (re)create.
      let ssl = compute.sslCertificate(project, entry.sslCertificateName);
      if (
        ssl !== undefined &&
        JSON.stringify([...ssl.domains].sort()) !== JSON.stringify([...domains].sort())
      ) {
        entry.softDeleted = true;
        if (compute.deleteSslCertificate(project, ssl.name) === 'in-use') continue; // retried next sync
        ssl = undefined;
      }
      entry.softDeleted = false;
      if (ssl === undefined) {
        ssl = {
          id: compute.newId(),
          name: entry.sslCertificateName,
          domains,
          status: 'PROVISIONING',
          domainStatus: Object.fromEntries(domains.map((d) => [d, 'PROVISIONING'])),
        };
        compute.setSslCertificate(project, ssl);
        createdAt.set(ssl.name, now);
        created.push(ssl.name);
      }
      // Google's CA works on the certificate; CopyStatus then mirrors it into the object.
      const next = ca(ssl, now - (createdAt.get(ssl.name) ?? now));
      if (
        next.status !== ssl.status ||
        JSON.stringify(next.domainStatus) !== JSON.stringify(ssl.domainStatus)
      ) {
        ssl = { ...ssl, ...next };
        compute.setSslCertificate(project, ssl);
      }
      const status = {
        certificateName: ssl.name,
        certificateStatus: toMcrtStatus[ssl.status] ?? ssl.status,
        domainStatus: ssl.domains.map((d) => ({
          domain: d,
          status: toDomainStatus[ssl?.domainStatus[d] ?? ''] ?? ssl?.domainStatus[d] ?? '',
        })),
      };
      if (JSON.stringify(mcrt['status']) !== JSON.stringify(status)) {
        kube.setStatus(certRef(mcrt.metadata.namespace ?? '', mcrt.metadata.name), status);
      }
    }
    for (const [id, entry] of [...state]) {
      if (liveKeys.has(id)) continue;
      // deleteSslCertificate, then state.Delete; a refused delete keeps the entry for the next sync.
      entry.softDeleted = true;
      if (compute.deleteSslCertificate(project, entry.sslCertificateName) === 'in-use') continue;
      state.delete(id);
    }
  }

  /** ingress-gce: build load balancers, annotate after the sync, tear down and GC. */
  function syncIngresses(now: number): void {
    const live = kube
      .listObjects('networking.k8s.io/v1', 'Ingress')
      .filter((i) => i.metadata.annotations?.['kubernetes.io/ingress.class'] === 'gce');
    const liveKeys = new Set<string>();
    for (const ingress of live) {
      const ns = ingress.metadata.namespace ?? '';
      const key = `${ns}/${ingress.metadata.name}`;
      liveKeys.add(key);
      let lb = lbs.get(key);
      if (lb === undefined || lb.goneSince !== undefined) {
        lb = { namespace: ns, since: now, synced: false, certs: new Set() };
        lbs.set(key, lb);
      }
      // The target proxy serves the SslCertificates of the ManagedCertificates the Ingress names.
      const names = (ingress.metadata.annotations?.[MANAGED_CERTIFICATES_ANNOTATION] ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '');
      for (const n of names) {
        const entry = state.get(`${ns}/${n}`);
        if (entry !== undefined && !entry.softDeleted) lb.certs.add(entry.sslCertificateName);
      }
      if (lb.synced || now - lb.since < (opts.lbSyncMs ?? 200)) continue;
      // Backends.Sync: the backend service of proxy-public exists after the sync (new id if new).
      const name = backendServiceName(ns);
      if (compute.backendService(project, name) === undefined) {
        compute.setBackendService(project, name, compute.newId());
      }
      const annotations = {
        ...ingress.metadata.annotations,
        [GKE_BACKENDS_ANNOTATION]: JSON.stringify({
          [`k8s1-${uid}-kube-system-default-http-backend-80-11111111`]: 'HEALTHY',
          [name]: 'HEALTHY',
        }),
      };
      kube.put({
        ...withoutManagedFields(ingress),
        metadata: { ...withoutManagedFields(ingress).metadata, annotations },
        status: { loadBalancer: { ingress: [{ ip: opts.addresses?.[ns] ?? '203.0.113.1' }] } },
      });
      lb.synced = true;
    }
    for (const [key, lb] of [...lbs]) {
      if (liveKeys.has(key)) continue;
      lb.goneSince ??= now;
      if (now - lb.goneSince < (opts.lbTeardownMs ?? 300)) continue;
      lbs.delete(key);
      // syncer.go GC: backend services that no remaining load balancer uses are deleted.
      const name = backendServiceName(lb.namespace);
      const stillUsed = [...lbs.values()].some((other) => other.namespace === lb.namespace);
      if (!stillUsed) compute.deleteBackendService(project, name);
    }
  }

  const timer = setInterval(() => {
    const now = Date.now();
    syncIngresses(now);
    syncManagedCertificates(now);
  }, opts.tickMs ?? 50);

  return {
    stateEntry: (namespace, name) => {
      const e = state.get(`${namespace}/${name}`);
      return e === undefined ? undefined : { ...e };
    },
    created,
    backendServiceName,
    close: () => clearInterval(timer),
  };
}

export { ingressRef, certRef };
