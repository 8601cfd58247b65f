import { describe, expect, it } from '@jest/globals';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import type { KubeObject } from '../render/manifests.js';
import { findLiveAudience } from './iap-audience.js';

const cluster = {
  config: {
    name: 'pangeo-gcp',
    provider: 'gcp',
    gcp: { project: 'pangeo-prod', projectNumber: '123456789012' },
  },
} as unknown as LoadedCluster;
const hub = {
  file: 'ocean.yaml',
  config: { name: 'ocean', chart: { name: 'daskhub' } },
} as unknown as LoadedHub;
const BACKEND = 'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8';
const ingress = (annotated: boolean): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'ocean',
    namespace: 'ocean',
    ...(annotated
      ? { annotations: { 'ingress.kubernetes.io/backends': JSON.stringify({ [BACKEND]: 'HEALTHY' }) } }
      : {}),
  },
});

function deps(ingresses: (KubeObject | undefined)[]) {
  let t = 0;
  const reads: string[] = [];
  return {
    reads,
    kube: {
      get: () => {
        reads.push(`get ${t}`);
        return Promise.resolve(ingresses.length > 1 ? ingresses.shift() : ingresses[0]);
      },
    },
    compute: {
      getBackendService: (_p: string, name: string) => Promise.resolve({ id: '42', name }),
      getSslCertificate: () => Promise.resolve(undefined),
    },
    log: () => undefined,
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
  };
}

describe('findLiveAudience', () => {
  it('polls until ingress-gce writes the backends annotation (l7.go, after the LB sync)', async () => {
    const d = deps([ingress(false), ingress(false), ingress(true)]);
    expect(await findLiveAudience(d, cluster, hub, { budgetMs: 60_000, pollMs: 5000 })).toEqual({
      state: 'found',
      audience: '/projects/123456789012/global/backendServices/42',
      backendService: BACKEND,
    });
    expect(d.reads).toEqual(['get 0', 'get 5000', 'get 10000']);
  });

  it('gives up at the bound, saying why', async () => {
    const d = deps([ingress(false)]);
    expect(await findLiveAudience(d, cluster, hub, { budgetMs: 12_000, pollMs: 5000 })).toEqual({
      state: 'unknown',
      reason:
        'GKE has not created the backend service yet (no ingress.kubernetes.io/backends entry for proxy-public)',
    });
    expect(d.reads).toEqual(['get 0', 'get 5000', 'get 10000']);
  });

  it('does not wait for an Ingress that does not exist', async () => {
    const d = deps([undefined]);
    expect(await findLiveAudience(d, cluster, hub, { budgetMs: 60_000, pollMs: 5000 })).toEqual({
      state: 'unknown',
      reason: 'the Ingress ocean/ocean does not exist',
    });
    expect(d.reads).toEqual(['get 0']);
  });
});
