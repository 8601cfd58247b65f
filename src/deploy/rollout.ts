// Whether a hub is really running, checked by hubfleet rather than trusted from helm's exit code
// (helm has reported success with no hub pod). Pure: objects in, problems out.
import type { KubeObject } from '../render/manifests.js';

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
}

/** Why the Deployment is not rolled out (kubectl rollout status's rules), or undefined when it is. */
export function deploymentProblem(name: string, dep: KubeObject | undefined): string | undefined {
  if (dep === undefined) return `Deployment ${name} does not exist`;
  const generation = (dep.metadata as { generation?: number }).generation ?? 0;
  const wanted = (dep.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const s = (dep.status ?? {}) as DeploymentStatus;
  if ((s.observedGeneration ?? 0) < generation) return `Deployment ${name}: the new spec is not observed yet`;
  if ((s.updatedReplicas ?? 0) < wanted)
    return `Deployment ${name}: ${s.updatedReplicas ?? 0} of ${wanted} replicas updated`;
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return `Deployment ${name}: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`;
  if ((s.availableReplicas ?? 0) < wanted)
    return `Deployment ${name}: ${s.availableReplicas ?? 0} of ${wanted} replicas available`;
  return undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  if ((pod.metadata as { deletionTimestamp?: string }).deletionTimestamp !== undefined) return false;
  const conditions =
    (pod.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function hubPodProblem(pods: KubeObject[]): string | undefined {
  if (pods.length === 0) return 'no hub pod exists';
  return pods.some(isPodReady)
    ? undefined
    : `no hub pod is Ready (${pods.map((p) => p.metadata.name).join(', ')})`;
}
