// Recreates a hub's Ingress and ManagedCertificate (the documented fix for a certificate stuck in
// a failed state). It waits until the old certificate is really gone before creating it again
// under the same name: one recreated at once sticks soft-deleted (gke-managed-certs#45). Every
// step is idempotent, so a rerun after a cancel at any point ends with one Ingress and one
// certificate. See docs/decisions/0013-certificate-recreation.md.
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { ownership } from './certificate-status.js';
import { describeRef, refOf, type CertKube } from './kube-port.js';
import { hubSelector } from './wait.js';

export interface RecreateStep {
  step: 'delete' | 'apply';
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

export async function recreate(
  kube: CertKube,
  hub: string,
  rendered: { certificate: KubeObject; ingress: KubeObject },
  opts: { deletionTimeoutMs: number; log: (line: string) => void },
): Promise<RecreateStep[]> {
  const steps: RecreateStep[] = [];
  for (const object of await planRecreate(kube, hub, rendered)) {
    const ref = refOf(object);
    // wait: true returns once the finalizer is gone, i.e. the Google certificate is deleted too.
    const outcome = await kube.delete(ref, { wait: true, timeoutMs: opts.deletionTimeoutMs });
    if ((await kube.get(ref)) !== undefined) {
      throw new HubfleetError(`${describeRef(ref)} is still being deleted`, {
        hint: 'its finalizer has not finished; run recreate-cert again in a few minutes (it resumes where it stopped)',
      });
    }
    opts.log(`${describeRef(ref)}: ${outcome === 'deleted' ? 'deleted' : 'already gone'}`);
    steps.push({ step: 'delete', object: describeRef(ref), outcome });
  }
  // Certificate before Ingress: the Ingress annotation must name an existing certificate.
  for (const object of [rendered.certificate, rendered.ingress]) {
    const result = await kube.apply(object);
    opts.log(`${describeRef(refOf(object))}: ${result.outcome}`);
    steps.push({ step: 'apply', object: describeRef(refOf(object)), outcome: result.outcome });
  }
  return steps;
}
