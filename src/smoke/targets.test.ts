import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { parseHubList, selectTargets } from './targets.js';

const f = fleet(
  cluster('pangeo-gcp', 'gcp', [
    { name: 'ocean', stage: 'prod' },
    { name: 'ocean-staging', stage: 'staging' },
  ]),
  cluster('pangeo-aws', 'aws', [{ name: 'glacier', stage: 'prod' }]),
);

describe('parseHubList', () => {
  it('reads all, one hub, or a list separated by newlines, commas or spaces (deduplicated)', () => {
    expect(parseHubList('all')).toBe('all');
    expect(parseHubList(' ocean ')).toEqual(['ocean']);
    expect(parseHubList('ocean,\nocean-staging ocean')).toEqual(['ocean', 'ocean-staging']);
    expect(parseHubList(' ')).toEqual([]);
  });
});

describe('selectTargets', () => {
  it('lists every hub of the cluster for all, with provider, domain and namespace', () => {
    expect(selectTargets(f, 'pangeo-gcp', 'all')).toEqual([
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
    expect(selectTargets(f, 'pangeo-aws', ['glacier']).map((t) => [t.hub, t.provider])).toEqual([
      ['glacier', 'aws'],
    ]);
  });

  it('names unknown clusters and hubs with a guess and the known ones', () => {
    expect(() => selectTargets(f, 'pangeo-gpc', 'all')).toThrow(
      'cluster "pangeo-gpc" is not in the config (did you mean "pangeo-gcp"?)',
    );
    expect(() => selectTargets(f, 'pangeo-gcp', ['ocaen', 'nope'])).toThrow(
      'cluster pangeo-gcp has no hub "ocaen" (did you mean "ocean"?), "nope"',
    );
  });
});
