// Make before break, first half (deploy-hub): the certificates the live Ingress serves that are
// not the one about to be rendered, and still exist. Rendering keeps them on the Ingress beside
// the new certificate until verify-cert's `wait` sees the new one Active and drops them.
import type { KubeObject } from '../render/manifests.js';
import { ingressState } from './certificate-status.js';
import type { CertKube } from './kube-port.js';

export async function certificatesToKeep(
  kube: Pick<CertKube, 'get'>,
  namespace: string,
  ingressName: string,
  renderedCertificate: string,
): Promise<string[]> {
  const live: KubeObject | undefined = await kube.get({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    name: ingressName,
    namespace,
  });
  if (live === undefined) return [];
  const keep: string[] = [];
  for (const name of ingressState(live).certificates) {
    if (name === renderedCertificate || keep.includes(name)) continue;
    // A name whose certificate is gone would make the load balancer reject the whole list.
    const exists = await kube.get({
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      name,
      namespace,
    });
    if (exists !== undefined) keep.push(name);
  }
  return keep;
}
