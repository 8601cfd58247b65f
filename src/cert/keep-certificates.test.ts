import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import type { CertKubeRef } from './kube-port.js';
import { certificatesToKeep } from './keep-certificates.js';

const live: KubeObject[] = [
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'ocean',
      namespace: 'ocean',
      annotations: { 'networking.gke.io/managed-certificates': 'ocean-cert-new, ocean-cert, gone-cert' },
    },
  },
  {
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: { name: 'ocean-cert', namespace: 'ocean' },
  },
  {
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: { name: 'ocean-cert-new', namespace: 'ocean' },
  },
];
const kube = {
  get: (ref: CertKubeRef): Promise<KubeObject | undefined> =>
    Promise.resolve(
      live.find(
        (o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace,
      ),
    ),
};

describe('certificatesToKeep', () => {
  it('keeps the live Ingress’s other certificates that still exist', async () => {
    expect(await certificatesToKeep(kube, 'ocean', 'ocean', 'ocean-cert-new')).toEqual(['ocean-cert']);
  });
  it('keeps nothing for a new hub', async () => {
    expect(await certificatesToKeep(kube, 'land', 'land', 'land-cert-1')).toEqual([]);
  });
});
