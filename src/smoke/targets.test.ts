import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { refusal } from '../../test/support/refusal.js';
import { selectTargets } from './targets.js';

const f = fleet(
  cluster('pangeo-gcp', 'gcp', [
    { name: 'ocean', stage: 'prod' },
    { name: 'ocean-staging', stage: 'staging' },
  ]),
  cluster('pangeo-aws', 'aws', [{ name: 'glacier', stage: 'prod' }]),
);

describe('selectTargets', () => {
  it('lists every hub of the cluster for all, with provider, domain and namespace', () => {
    expect(selectTargets(f, 'pangeo-gcp', 'all', 'config')).toEqual([
      {
        cluster: 'pangeo-gcp',
        hub: 'ocean',
        provider: 'gcp',
        domain: 'ocean.pangeo-gcp.example.org',
        namespace: 'ocean',
      },
      {
        cluster: 'pangeo-gcp',
        hub: 'ocean-staging',
        provider: 'gcp',
        domain: 'ocean-staging.pangeo-gcp.example.org',
        namespace: 'ocean-staging',
      },
    ]);
    expect(selectTargets(f, 'pangeo-aws', ['glacier'], 'config').map((t) => [t.hub, t.provider])).toEqual([
      ['glacier', 'aws'],
    ]);
  });

  it('names unknown clusters and hubs with a guess and the known ones', () => {
    expect(refusal(() => selectTargets(f, 'pangeo-gpc', 'all', 'config'))).toEqual({
      message: 'no cluster named pangeo-gpc in config (did you mean pangeo-gcp?)',
      hint: 'use one of: pangeo-aws, pangeo-gcp',
    });
    expect(refusal(() => selectTargets(f, 'pangeo-gcp', ['ocaen', 'nope'], 'config'))).toEqual({
      message: 'cluster pangeo-gcp has no hub named ocaen (did you mean ocean?), nope',
      hint: 'hubs of pangeo-gcp: ocean, ocean-staging; or use all',
    });
  });
});
