import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { LABEL_REMOVE_HUB, planChanges, type ChangedFile } from './change-plan.js';
import { unlabelledRemovals } from './removal-gate.js';

const gcp = cluster('pangeo-gcp', 'gcp', [
  { name: 'ocean', stage: 'prod' },
  { name: 'ocean-staging', stage: 'staging' },
]);
const aws = cluster('pangeo-aws', 'aws', [{ name: 'ice-staging', stage: 'staging' }]);
const theFleet = fleet(gcp, aws);

const deleted = (path: string): ChangedFile => ({ path, status: 'deleted' });
const added = (path: string): ChangedFile => ({ path, status: 'added' });
const modified = (path: string): ChangedFile => ({ path, status: 'modified' });

const WHAT_TO_DO =
  'To remove the hub, add the label hubfleet:remove-hub to the pull request: the hub is then ' +
  "uninstalled first, and its namespace and users' home directories are kept. To keep the hub, " +
  'restore the file. After a merge, every deploy stops here until a pull request that restores ' +
  "the file is merged (a later pull request's label covers only the files it deletes itself: to " +
  'remove the hub then, restore the file and delete it again with the label).';
const GCP_MESSAGE =
  "deleted without the label hubfleet:remove-hub, so the hub stays installed while the cluster's " +
  'Terraform plan destroys its static IP, DNS record, IAP access, service account and buckets: the ' +
  'hub would go offline, and the apply would stop on the static IP its load balancer still uses. ' +
  WHAT_TO_DO;
const AWS_MESSAGE =
  "deleted without the label hubfleet:remove-hub, so the hub stays installed while the cluster's " +
  "Terraform plan destroys its IRSA role and buckets: its users' pods would lose their cloud " +
  'identity. ' +
  WHAT_TO_DO;

describe('unlabelledRemovals', () => {
  it('refuses every hub file deleted without the label, one problem each, with what to do', () => {
    const plan = planChanges(
      [
        deleted('config/clusters/pangeo-gcp/hubs/gone.yaml'),
        modified('config/clusters/pangeo-gcp/hubs/ocean.yaml'),
        deleted('config/clusters/pangeo-aws/hubs/ice.yaml'),
        deleted('config/clusters/pangeo-gcp/hubs/also-gone.yaml'),
      ],
      [],
      theFleet,
    );
    // The planner still describes the change (the `keep` rows); the gate refuses it.
    expect(plan.removals.map((r) => `${r.cluster}/${r.hub}:${r.action}`)).toEqual([
      'pangeo-aws/ice:keep',
      'pangeo-gcp/also-gone:keep',
      'pangeo-gcp/gone:keep',
    ]);
    expect(unlabelledRemovals(plan, theFleet)).toEqual([
      {
        cluster: 'pangeo-aws',
        hub: 'ice',
        path: 'config/clusters/pangeo-aws/hubs/ice.yaml',
        message: AWS_MESSAGE,
      },
      {
        cluster: 'pangeo-gcp',
        hub: 'also-gone',
        path: 'config/clusters/pangeo-gcp/hubs/also-gone.yaml',
        message: GCP_MESSAGE,
      },
      {
        cluster: 'pangeo-gcp',
        hub: 'gone',
        path: 'config/clusters/pangeo-gcp/hubs/gone.yaml',
        message: GCP_MESSAGE,
      },
    ]);
  });

  it(`passes a deletion labelled ${LABEL_REMOVE_HUB}`, () => {
    const plan = planChanges(
      [deleted('config/clusters/pangeo-gcp/hubs/gone.yaml')],
      [LABEL_REMOVE_HUB],
      theFleet,
    );
    expect(plan.removals.map((r) => r.action)).toEqual(['uninstall']);
    expect(unlabelledRemovals(plan, theFleet)).toEqual([]);
  });

  it('refuses the old name of a renamed hub file: the old hub would be left without its resources', () => {
    const plan = planChanges(
      [
        deleted('config/clusters/pangeo-gcp/hubs/old-name.yaml'),
        added('config/clusters/pangeo-gcp/hubs/ocean.yaml'),
      ],
      [],
      theFleet,
    );
    expect(unlabelledRemovals(plan, theFleet)).toEqual([
      {
        cluster: 'pangeo-gcp',
        hub: 'old-name',
        path: 'config/clusters/pangeo-gcp/hubs/old-name.yaml',
        message: GCP_MESSAGE,
      },
    ]);
  });

  it('has nothing to refuse when no hub is removed, or when the file is deleted but the hub is still configured', () => {
    for (const changes of [
      [modified('config/clusters/pangeo-gcp/hubs/ocean.yaml')],
      // The hub is still in the fleet at the head (a file that moved back): nothing is removed.
      [deleted('config/clusters/pangeo-gcp/hubs/ocean.yaml')],
      // A whole cluster removed is not a hub removal: its infrastructure is left to a person.
      [deleted('config/clusters/gone/cluster.yaml'), deleted('config/clusters/gone/hubs/lab.yaml')],
      [],
    ]) {
      expect(unlabelledRemovals(planChanges(changes, [], theFleet), theFleet)).toEqual([]);
    }
  });

  it('refuses a plan made from another fleet', () => {
    const plan = planChanges([deleted('config/clusters/pangeo-gcp/hubs/gone.yaml')], [], theFleet);
    expect(() => unlabelledRemovals(plan, fleet(aws))).toThrow('cluster pangeo-gcp is not in the fleet');
  });
});
