import { describe, expect, it } from '@jest/globals';
import type { Issue } from '../adapters/github.js';
import { removedHubIssueKeys } from './hub-issues.js';

const issue = (number: number, key: string, state: 'open' | 'closed' = 'open'): Issue => ({
  number,
  title: key,
  body: `<!-- hubfleet:issue:${key} -->\nbroken`,
  state,
  labels: ['hubfleet'],
  createdAt: '',
  htmlUrl: '',
});

describe('removedHubIssueKeys', () => {
  it('names the open issues of the given kinds for hubs of the cluster that the config no longer has', () => {
    const listed = [
      issue(1, 'cert:gke/ocean'), // still in the config
      issue(2, 'cert:gke/retired'),
      issue(3, 'cert:gke/retired'), // a duplicate names the key once
      issue(4, 'down:gke/retired'), // another check's kind
      issue(5, 'cert:other/retired'), // another cluster
      issue(6, 'cert:gke/old', 'closed'), // already closed
      issue(7, 'drift:gke'), // not a hub issue
      { ...issue(8, 'x'), body: 'no marker' },
    ];
    expect(removedHubIssueKeys(listed, { kinds: ['cert'], cluster: 'gke', hubs: ['ocean'] })).toEqual([
      'cert:gke/retired',
    ]);
    expect(
      removedHubIssueKeys(listed, {
        kinds: ['exposure', 'down', 'misbehaving'],
        cluster: 'gke',
        hubs: ['ocean'],
      }),
    ).toEqual(['down:gke/retired']);
  });
});
