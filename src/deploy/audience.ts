// Which GCP backend service GKE made for a hub's proxy-public Service, read from the Ingress.
// ingress-gce writes `ingress.kubernetes.io/backends` as JSON {"<backend service name>": "<health>"}
// once the load balancer exists; NEG backends are named
// `k8s1-<cluster uid>-<namespace>-<service>-<port>-<hash>` (parts shortened to fit 63 characters),
// and the default backend `…-kube-system-default-http-backend-…` is always listed too.
import type { KubeObject } from '../render/manifests.js';
import { PROXY_SERVICE_NAME } from '../render/names.js';

export const GKE_BACKENDS_ANNOTATION = 'ingress.kubernetes.io/backends';

export function proxyBackendServiceName(
  ingress: KubeObject | undefined,
  namespace: string,
): string | undefined {
  const text = ingress?.metadata.annotations?.[GKE_BACKENDS_ANNOTATION];
  if (text === undefined) return undefined;
  let names: string[];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    names = Object.keys(parsed);
  } catch {
    return undefined;
  }
  const candidates = names.filter((n) => !n.includes('default-http-backend'));
  const exact = candidates.filter((n) => n.includes(`-${namespace}-${PROXY_SERVICE_NAME}-`));
  if (exact.length === 1) return exact[0];
  // Long namespaces are shortened in the name; the Ingress has one backend (proxy-public) anyway.
  return candidates.length === 1 ? candidates[0] : undefined;
}
