import { describe, expect, it } from '@jest/globals';
import type { Fleet, LoadedCluster } from '../config/model.js';
import { cluster as syntheticCluster } from '../../test/support/fleet.js';
import { createClusterHandovers, handoverMessage } from './cluster-handover.js';

const gke = (name: string, createCluster: boolean | undefined): LoadedCluster => {
  const c = syntheticCluster(name, 'gcp', []);
  const gcp = { ...(c.config.gcp as NonNullable<LoadedCluster['config']['gcp']>) };
  if (createCluster === undefined) delete gcp.createCluster;
  else gcp.createCluster = createCluster;
  return { ...c, config: { ...c.config, gcp } };
};
const fleet = (...clusters: LoadedCluster[]): Fleet => ({ clusters });

describe('createClusterHandovers', () => {
  it.each<[string, boolean | undefined, boolean | undefined, boolean]>([
    ['true → false', true, false, true],
    ['true → unset (adopting is the default)', true, undefined, true],
    ['true → true', true, true, false],
    ['false → true (starts creating)', false, true, false],
    ['unset → unset', undefined, undefined, false],
  ])('%s', (_name, before, after, refused) => {
    const handovers = createClusterHandovers(fleet(gke('a', before)), fleet(gke('a', after)));
    expect(handovers).toEqual(
      refused
        ? [
            {
              cluster: 'a',
              path: 'config/clusters/a/cluster.yaml',
              message: handoverMessage(gke('a', after).config.gcp?.clusterName ?? ''),
            },
          ]
        : [],
    );
  });

  it('ignores a new cluster, a removed one and EKS clusters', () => {
    const eks = syntheticCluster('e', 'aws', []);
    expect(createClusterHandovers(fleet(gke('gone', true), eks), fleet(gke('new', false), eks))).toEqual([]);
  });
});
