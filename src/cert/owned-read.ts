// Reads that keep metadata.managedFields. `kubectl get -o json` leaves them out (unless
// --show-managed-fields), but deciding what hubfleet owns needs its field manager, so these read
// the API's own JSON through `kubectl get --raw`.
import { collectionPath } from '../adapters/kube.js';
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { describeRef, type CertKube, type CertKubeRef } from './kube-port.js';

type RawReader = Pick<CertKube, 'getRaw'>;

export async function getWithOwners(kube: RawReader, ref: CertKubeRef): Promise<KubeObject | undefined> {
  const path = `${collectionPath(ref.apiVersion, ref.kind, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  const result = await kube.getRaw(path);
  if (!result.ok) {
    if (result.kind === 'not-found') return undefined;
    throw new HubfleetError(`reading ${describeRef(ref)} failed: ${result.message}`, {
      hint: "check the runner's access to the cluster (RBAC get on the object), then re-run",
    });
  }
  const object = JSON.parse(result.body) as KubeObject;
  return { ...object, apiVersion: ref.apiVersion, kind: ref.kind };
}

export async function listWithOwners(
  kube: RawReader,
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  labelSelector: string,
): Promise<KubeObject[]> {
  const path = `${collectionPath(apiVersion, kind, namespace)}?${new URLSearchParams({ labelSelector }).toString()}`;
  const result = await kube.getRaw(path);
  if (!result.ok) {
    if (result.kind === 'not-found') return [];
    throw new HubfleetError(
      `listing ${kind} objects${namespace === undefined ? '' : ` in ${namespace}`} failed: ${result.message}`,
      {
        hint: "check the runner's access to the cluster (RBAC list), then re-run",
      },
    );
  }
  const items =
    (JSON.parse(result.body) as { items?: Omit<KubeObject, 'apiVersion' | 'kind'>[] }).items ?? [];
  // List items come without apiVersion and kind.
  return items.map((item) => ({ apiVersion, kind, ...item }) as KubeObject);
}
