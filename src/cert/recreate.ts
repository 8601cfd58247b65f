// Recreates a hub's Ingress and ManagedCertificate (the documented fix for a certificate stuck in
// a failed state). gke-managed-certs puts no finalizer on a ManagedCertificate: DELETE returns at
// once, and the controller deletes the Google SslCertificate afterwards (once no target proxy uses
// it), keeping its state keyed by namespace/name until then. A certificate re-applied under the same
// name before that brings the old, failed SslCertificate back (gke-managed-certs
// pkg/controller/sync/sync.go: createStateEntry reuses the entry, createSslCertificate restores an
// existing certificate of the same name and domains). So recreate waits until Compute answers 404
// for the old `status.certificateName` before it applies the certificate again. The names it waits
// for are written to a ConfigMap first, so a rerun after a cancel still waits for them. See
// docs/decisions/0013-certificate-recreation.md.
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { HUB_LABEL, MANAGED_BY_LABELS } from '../render/names.js';
import { ownership } from './certificate-status.js';
import { describeRef, refOf, type CertKube } from './kube-port.js';
import { hubSelector } from './wait.js';

/** The part of the Compute adapter recreate needs: does Google still have this SslCertificate? */
export interface SslCertificateLookup {
  getSslCertificate(project: string, name: string): Promise<{ name: string } | undefined>;
}

/** Holds the SslCertificate names a recreate waits for, so a rerun after a cancel waits for them too. */
export const RECREATE_PENDING_CONFIGMAP = 'hubfleet-recreate-cert';
const PENDING_KEY = 'sslCertificates';

export interface RecreateStep {
  step: 'delete' | 'wait' | 'apply';
  object: string;
  outcome: string;
}

/** What recreate will delete, or why it refuses; reads only. */
export async function planRecreate(
  kube: CertKube,
  hub: string,
  rendered: { certificate: KubeObject; ingress: KubeObject },
): Promise<KubeObject[]> {
  const namespace = rendered.certificate.metadata.namespace;
  const refusals: string[] = [];
  const toDelete: KubeObject[] = [];
  const consider = (object: KubeObject | undefined): void => {
    if (
      object === undefined ||
      toDelete.some((o) => o.kind === object.kind && o.metadata.name === object.metadata.name)
    )
      return;
    const owned = ownership(object, hub);
    if (owned.owned) toDelete.push(object);
    else refusals.push(`${describeRef(refOf(object))} is not hubfleet's (${owned.why})`);
  };
  consider(await kube.get(refOf(rendered.ingress)));
  consider(await kube.get(refOf(rendered.certificate)));
  // Certificates of earlier domains (make before break) go too: afterwards there is exactly one.
  for (const cert of await kube.list(
    'networking.gke.io/v1',
    'ManagedCertificate',
    namespace,
    hubSelector(hub),
  )) {
    if (ownership(cert, hub).owned) consider(cert);
  }
  if (refusals.length > 0) {
    throw new HubfleetError(`recreate refused for hub ${hub}, nothing was changed: ${refusals.join('; ')}`, {
      hint: 'hubfleet deletes only what it applied; delete or adopt those objects by hand (e.g. re-deploy with deploy-hub), then run recreate-cert again',
    });
  }
  // The Ingress first, so the load balancer stops referring to the certificate being deleted.
  return toDelete.sort((a, b) => (a.kind === 'Ingress' ? -1 : b.kind === 'Ingress' ? 1 : 0));
}

export interface RecreateOptions {
  /** Bounds the wait for Google to delete the old SslCertificates. */
  deletionTimeoutMs: number;
  log: (line: string) => void;
  /** The hub's GCP project, where the SslCertificates live. */
  project: string;
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

function pendingConfigMap(namespace: string, hub: string, names: readonly string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: RECREATE_PENDING_CONFIGMAP,
      namespace,
      labels: { ...MANAGED_BY_LABELS, [HUB_LABEL]: hub },
    },
    data: { [PENDING_KEY]: [...names].sort().join(',') },
  };
}

const certificateNameOf = (object: KubeObject): string | undefined => {
  const status = object['status'];
  const name =
    typeof status === 'object' && status !== null
      ? (status as { certificateName?: unknown }).certificateName
      : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
};

export async function recreate(
  kube: CertKube,
  compute: SslCertificateLookup,
  hub: string,
  rendered: { certificate: KubeObject; ingress: KubeObject },
  opts: RecreateOptions,
): Promise<RecreateStep[]> {
  const namespace = rendered.certificate.metadata.namespace ?? hub;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const steps: RecreateStep[] = [];
  const toDelete = await planRecreate(kube, hub, rendered);

  // 1. Remember every SslCertificate Google must delete before the name may be used again: those
  //    of an earlier, interrupted run and those of the certificates about to be deleted.
  const pendingRef = { apiVersion: 'v1', kind: 'ConfigMap', name: RECREATE_PENDING_CONFIGMAP, namespace };
  const earlier = await kube.get(pendingRef);
  const remembered = (earlier?.['data'] as Record<string, unknown> | undefined)?.[PENDING_KEY];
  const earlierNames = (typeof remembered === 'string' ? remembered : '').split(',').filter((n) => n !== '');
  const pending = [
    ...new Set([
      ...earlierNames,
      ...toDelete.flatMap((o) =>
        o.kind === 'ManagedCertificate' ? [certificateNameOf(o) ?? []].flat() : [],
      ),
    ]),
  ].sort();
  if (pending.length > 0 && pending.join(',') !== [...earlierNames].sort().join(',')) {
    await kube.apply(pendingConfigMap(namespace, hub, pending));
  }

  // 2. The Ingress first, so the load balancer stops using the certificate being deleted.
  for (const object of toDelete) {
    const ref = refOf(object);
    const outcome = await kube.delete(ref, { wait: true, timeoutMs: opts.deletionTimeoutMs });
    opts.log(`${describeRef(ref)}: ${outcome === 'deleted' ? 'deleted' : 'already gone'}`);
    steps.push({ step: 'delete', object: describeRef(ref), outcome });
  }

  // 3. Wait until Compute has no SslCertificate of those names (gke-managed-certs deletes it after
  //    the object, once ingress-gce has taken the old load balancer's target proxy down).
  const deadline = now() + opts.deletionTimeoutMs;
  for (const name of pending) {
    let announced = false;
    while ((await compute.getSslCertificate(opts.project, name)) !== undefined) {
      if (now() >= deadline) {
        throw new HubfleetError(
          `the previous certificate's SslCertificate ${name} still exists in project ${opts.project}: gke-managed-certs deletes it only after the load balancer stops using it, and a certificate applied before that would bring the failed one back`,
          {
            hint: 'run recreate-cert again in a few minutes: it resumes, waiting for the same SslCertificate (nothing is served meanwhile)',
          },
        );
      }
      if (!announced) {
        opts.log(`waiting for Google to delete SslCertificate ${name} (the deleted certificate's)`);
        announced = true;
      }
      await sleep(opts.pollMs ?? 5000);
    }
    opts.log(`SslCertificate ${name} is gone`);
    steps.push({ step: 'wait', object: `SslCertificate ${name}`, outcome: 'gone' });
  }

  // 4. Certificate before Ingress: the Ingress annotation must name an existing certificate.
  for (const object of [rendered.certificate, rendered.ingress]) {
    const result = await kube.apply(object);
    opts.log(`${describeRef(refOf(object))}: ${result.outcome}`);
    steps.push({ step: 'apply', object: describeRef(refOf(object)), outcome: result.outcome });
  }
  if (earlier !== undefined || pending.length > 0) await kube.delete(pendingRef);
  return steps;
}
