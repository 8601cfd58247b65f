import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { refusal } from '../../test/support/refusal.js';
import {
  findCluster,
  parseHubList,
  selectClusterHubs,
  selectHubsOf,
  splitHubNames,
} from './hub-selection.js';

const gcp = cluster('pangeo-gcp', 'gcp', [
  { name: 'ocean', stage: 'prod' },
  { name: 'ocean-staging', stage: 'staging' },
  { name: 'climate', stage: 'prod' },
]);
const aws = cluster('pangeo-aws', 'aws', [{ name: 'glacier', stage: 'prod' }]);
const empty = cluster('empty', 'gcp', []);
const f = fleet(gcp, aws, empty);

const names = (hubs: readonly { config: { name: string } }[]): string[] => hubs.map((h) => h.config.name);

describe('splitHubNames and parseHubList', () => {
  it('split on newlines, commas and spaces, drop duplicates and keep the order given', () => {
    expect(splitHubNames(' ocean ')).toEqual(['ocean']);
    expect(splitHubNames('ocean,\nocean-staging ocean\t climate,,')).toEqual([
      'ocean',
      'ocean-staging',
      'climate',
    ]);
    expect(splitHubNames(' , \n')).toEqual([]);
  });

  it('read all as all only when it stands alone', () => {
    expect(parseHubList('all')).toBe('all');
    expect(parseHubList(' all\n')).toBe('all');
    expect(parseHubList('all, all')).toBe('all');
    expect(parseHubList('all, ocean')).toEqual(['all', 'ocean']);
    expect(parseHubList('ocean,\nocean-staging ocean')).toEqual(['ocean', 'ocean-staging']);
    expect(parseHubList(' ')).toEqual([]);
  });
});

describe('findCluster', () => {
  it('finds a cluster by its name', () => {
    expect(findCluster(f, 'pangeo-aws', 'config')).toBe(aws);
  });

  it('refuses an unknown cluster with a guess (when one is close) and the names there are', () => {
    expect(refusal(() => findCluster(f, 'pangeo-gpc', 'config'))).toEqual({
      message: 'no cluster named pangeo-gpc in config (did you mean pangeo-gcp?)',
      hint: 'use one of: empty, pangeo-aws, pangeo-gcp',
    });
    expect(refusal(() => findCluster(f, 'no-such-cluster', 'fleet/config'))).toEqual({
      message: 'no cluster named no-such-cluster in fleet/config',
      hint: 'use one of: empty, pangeo-aws, pangeo-gcp',
    });
    expect(refusal(() => findCluster(fleet(), 'x', 'config'))).toEqual({
      message: 'no cluster named x in config',
      hint: 'use one of: (none)',
    });
  });
});

describe('selectHubsOf', () => {
  it('takes every hub, in config order, for all', () => {
    // The loaded fleet keeps clusters and hubs sorted by name.
    expect(names(selectHubsOf(gcp, 'all'))).toEqual(['climate', 'ocean', 'ocean-staging']);
    expect(selectHubsOf(empty, 'all')).toEqual([]);
  });

  it('takes the named hubs in the order given', () => {
    expect(names(selectHubsOf(gcp, ['climate', 'ocean']))).toEqual(['climate', 'ocean']);
    expect(selectHubsOf(gcp, ['ocean-staging', 'climate'])).toEqual([gcp.hubs[2], gcp.hubs[0]]);
  });

  it('names every unknown hub at once, each with its guess, and lists the hubs there are', () => {
    expect(refusal(() => selectHubsOf(gcp, ['ocaen', 'ocean', 'nope', 'climat']))).toEqual({
      message:
        'cluster pangeo-gcp has no hub named ocaen (did you mean ocean?), nope, climat (did you mean climate?)',
      hint: 'hubs of pangeo-gcp: climate, ocean, ocean-staging',
    });
    expect(refusal(() => selectHubsOf(empty, ['ocean'], { acceptsAll: true }))).toEqual({
      message: 'cluster empty has no hub named ocean',
      hint: 'hubs of empty: (none); or use all',
    });
  });

  it('lists the first 20 hubs of a big cluster and counts the rest', () => {
    const big = cluster(
      'big',
      'gcp',
      Array.from({ length: 1000 }, (_, i) => ({
        name: `h${String(i).padStart(3, '0')}`,
        stage: 'prod' as const,
      })),
    );
    const first20 = Array.from({ length: 20 }, (_, i) => `h${String(i).padStart(3, '0')}`).join(', ');
    expect(refusal(() => selectHubsOf(big, ['ocean']))).toEqual({
      message: 'cluster big has no hub named ocean',
      hint: `hubs of big: ${first20} and 980 more`,
    });
  });

  it('refuses an empty list, offering all only where the action takes it', () => {
    expect(refusal(() => selectHubsOf(gcp, []))).toEqual({
      message: 'input "hubs" names no hub',
      hint: 'give one hub or a list',
    });
    expect(refusal(() => selectHubsOf(gcp, [], { acceptsAll: true }))).toEqual({
      message: 'input "hubs" names no hub',
      hint: 'give one hub, a list, or all',
    });
  });
});

describe('selectClusterHubs', () => {
  it('returns the cluster and its named hubs', () => {
    const selected = selectClusterHubs(f, 'pangeo-aws', ['glacier'], 'config');
    expect(selected.cluster).toBe(aws);
    expect(names(selected.hubs)).toEqual(['glacier']);
  });

  it('refuses an unknown cluster before looking at the hub names', () => {
    expect(refusal(() => selectClusterHubs(f, 'pangeo-gpc', ['nope'], 'config'))).toEqual({
      message: 'no cluster named pangeo-gpc in config (did you mean pangeo-gcp?)',
      hint: 'use one of: empty, pangeo-aws, pangeo-gcp',
    });
    expect(
      refusal(() => selectClusterHubs(f, 'pangeo-aws', ['ocean'], 'config', { acceptsAll: true })),
    ).toEqual({
      message: 'cluster pangeo-aws has no hub named ocean',
      hint: 'hubs of pangeo-aws: glacier; or use all',
    });
  });
});
