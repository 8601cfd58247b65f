// The part of the Kubernetes adapter (src/adapters/kube.ts, CONTRACTS §1) verify-cert uses. The
// real client satisfies it structurally; tests of the orchestration may use an in-memory one.
import type { KubeObject } from '../render/manifests.js';

export interface CertKubeRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface CertWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

export interface CertKube {
  apply(object: KubeObject): Promise<{ outcome: 'created' | 'configured' | 'unchanged' }>;
  get(ref: CertKubeRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  delete(ref: CertKubeRef, opts?: { wait?: boolean; timeoutMs?: number }): Promise<'deleted' | 'absent'>;
  watch(
    ref: CertKubeRef,
    opts?: { signal?: AbortSignal; resourceVersion?: string },
  ): AsyncIterable<CertWatchEvent>;
}

export const refOf = (object: KubeObject): CertKubeRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  name: object.metadata.name,
  ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
});

export const describeRef = (ref: CertKubeRef): string =>
  `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
