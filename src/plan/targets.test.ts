import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { HubfleetError } from '../errors.js';
import { clusterTarget } from './change-plan.js';
import { selectTargets } from './targets.js';

const gcp = cluster('pangeo-gcp', 'gcp', [
  { name: 'ocean', stage: 'prod' },
  { name: 'ocean-staging', stage: 'staging' },
]);
const aws = cluster('pangeo-aws', 'aws', [{ name: 'ice', stage: 'prod' }]);
const theFleet = fleet(gcp, aws);

describe('selectTargets', () => {
  it('gives every cluster with its hubs when nothing is selected', () => {
    expect(selectTargets(theFleet, {})).toEqual({
      clusters: {
        include: [
          { ...clusterTarget(aws.config), hubs: 'ice', hubCount: 1 },
          { ...clusterTarget(gcp.config), hubs: 'ocean,ocean-staging', hubCount: 2 },
        ],
      },
    });
  });

  it('gives one hub row with its stage and environment', () => {
    expect(selectTargets(theFleet, { cluster: 'pangeo-gcp', hub: 'ocean' })).toEqual({
      clusters: { include: [{ ...clusterTarget(gcp.config), hubs: 'ocean', hubCount: 1 }] },
      hub: {
        include: [
          {
            ...clusterTarget(gcp.config),
            hub: 'ocean',
            stage: 'prod',
            domain: 'ocean.pangeo-gcp.example.org',
            environment: 'pangeo-gcp-prod',
          },
        ],
      },
    });
  });

  it('gives a GKE hub row as before when only GKE clusters are accepted', () => {
    expect(selectTargets(theFleet, { cluster: 'pangeo-gcp', hub: 'ocean', gkeOnly: true })).toEqual(
      selectTargets(theFleet, { cluster: 'pangeo-gcp', hub: 'ocean' }),
    );
  });

  it.each([
    [
      { cluster: 'pangeo' },
      'no cluster named "pangeo" (did you mean pangeo-aws?)',
      'use one of: pangeo-aws, pangeo-gcp',
    ],
    [
      { cluster: 'pangeo-aws', hub: 'ocean' },
      'no hub named "ocean" on cluster pangeo-aws',
      'use one of: ice',
    ],
    [{ hub: 'ocean' }, 'a hub was given without its cluster', 'give the cluster too'],
    [{ cluster: '$(id)' }, 'no cluster named "$(id)"', 'use one of: pangeo-aws, pangeo-gcp'],
    [
      { cluster: 'pangeo-aws', hub: 'ice', gkeOnly: true },
      'cluster pangeo-aws is on aws: only GKE clusters have ManagedCertificates',
      "an EKS hub's load balancer serves an ACM certificate, which AWS issues and renews: there is nothing to recreate; pick a hub on a GKE cluster (pangeo-gcp)",
    ],
    [{ gkeOnly: true }, 'only GKE clusters were asked for, but no cluster was given', 'give the cluster too'],
    [
      { cluster: 'pangeo-aws', gkeOnly: true },
      'cluster pangeo-aws is on aws: only GKE clusters have ManagedCertificates',
      "an EKS hub's load balancer serves an ACM certificate, which AWS issues and renews: there is nothing to recreate; pick a hub on a GKE cluster (pangeo-gcp)",
    ],
  ])('refuses %j', (selection, message, hint) => {
    let thrown: unknown;
    try {
      selectTargets(theFleet, selection);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HubfleetError);
    expect({ message: (thrown as HubfleetError).message, hint: (thrown as HubfleetError).hint }).toEqual({
      message,
      hint,
    });
  });
});
