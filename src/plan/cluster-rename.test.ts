import { describe, expect, it } from '@jest/globals';
import type { ClusterConfig, Fleet } from '../config/model.js';
import { clusterRenames, renameMessage } from './cluster-rename.js';

const gke = (name: string, clusterName: string, prefix: string): ClusterConfig => ({
  name,
  provider: 'gcp',
  gcp: {
    project: 'demo-project',
    projectNumber: '123456789012',
    region: 'us-central1',
    clusterName,
    network: 'vpc',
    privateEndpoint: true,
    dnsZone: 'zone',
    workloadIdentityProvider: 'projects/1/locations/global/workloadIdentityPools/p/providers/g',
    deployerServiceAccount: 'deployer@demo-project.iam.gserviceaccount.com',
  },
  runner: { labels: ['self-hosted'] },
  terraform: { backend: { bucket: 'state', prefix } },
});

const fleet = (...configs: ClusterConfig[]): Fleet => ({
  clusters: configs.map((config) => ({
    file: `config/clusters/${config.name}/cluster.yaml`,
    config,
    hubs: [],
  })),
});
const former = (config: ClusterConfig): { dir: string; data: Record<string, unknown> } => ({
  dir: config.name,
  data: config,
});

describe('clusterRenames', () => {
  it.each([
    ['the same cloud cluster under a new name', gke('b', 'pangeo', 'clusters/b')],
    [
      'the same Terraform state (spelled with a trailing slash) under a new name',
      gke('b', 'other', 'clusters/a/'),
    ],
  ])('refuses %s', (_name, renamed) => {
    expect(clusterRenames([former(gke('a', 'pangeo', 'clusters/a'))], fleet(renamed))).toEqual([
      { from: 'a', to: 'b', path: 'config/clusters/b/cluster.yaml', message: renameMessage('a', 'b') },
    ]);
  });

  it('lets a deleted cluster go when no new one shares its cluster or state, or when it is still there', () => {
    expect(
      clusterRenames([former(gke('a', 'pangeo', 'clusters/a'))], fleet(gke('b', 'other', 'clusters/b'))),
    ).toEqual([]);
    expect(
      clusterRenames([former(gke('a', 'pangeo', 'clusters/a'))], fleet(gke('a', 'pangeo', 'clusters/a'))),
    ).toEqual([]);
  });
});
