import { describe, expect, it } from '@jest/globals';
import { criticalDestroys, criticalDestroysText } from './critical-destroys.js';
import type { PlanSummary, ResourceAction } from './plan-json.js';

const plan = (resources: [ResourceAction, string][]): PlanSummary => ({
  counts: { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 },
  resources: resources.map(([action, address]) => ({ action, address })),
  drift: [],
  outputChanges: [],
  terraformVersion: '1.11.4',
});

describe('criticalDestroys', () => {
  it('finds destroyed or replaced clusters, node pools, buckets and static IPs, in plan order', () => {
    expect(
      criticalDestroys(
        plan([
          ['destroy', 'google_container_cluster.this[0]'],
          ['replace', 'google_container_node_pool.core[0]'],
          ['destroy', 'google_storage_bucket.hub["ocean/scratch"]'],
          ['destroy', 'module.m.aws_s3_bucket.hub["climate/scratch"]'],
          ['destroy', 'google_compute_global_address.hub["ocean"]'],
          ['destroy', 'google_dns_record_set.hub["ocean"]'],
          ['destroy', 'google_storage_bucket_iam_member.hub["ocean/x/admin"]'],
          ['change', 'google_container_cluster.other'],
          ['add', 'google_storage_bucket.hub["new"]'],
        ]),
      ),
    ).toEqual([
      { what: 'cluster', address: 'google_container_cluster.this[0]' },
      { what: 'node pool', address: 'google_container_node_pool.core[0]' },
      { what: 'bucket', address: 'google_storage_bucket.hub["ocean/scratch"]' },
      { what: 'bucket', address: 'module.m.aws_s3_bucket.hub["climate/scratch"]' },
      { what: 'static IP', address: 'google_compute_global_address.hub["ocean"]' },
    ]);
  });

  it('says it in one line, grouped by kind, at most three addresses per kind', () => {
    expect(
      criticalDestroysText(
        plan([
          ['destroy', 'google_storage_bucket.hub["a/x"]'],
          ['destroy', 'google_compute_global_address.hub["a"]'],
          ['destroy', 'google_storage_bucket.hub["b/x"]'],
          ['destroy', 'google_storage_bucket.hub["c/x"]'],
          ['destroy', 'google_storage_bucket.hub["d/x"]'],
        ]),
      ),
    ).toBe(
      'DESTROYS 4 buckets (google_storage_bucket.hub["a/x"], google_storage_bucket.hub["b/x"], google_storage_bucket.hub["c/x"], and 1 more), 1 static IP (google_compute_global_address.hub["a"])',
    );
  });

  it('is silent when nothing critical is destroyed', () => {
    expect(criticalDestroysText(plan([['destroy', 'google_dns_record_set.hub["a"]']]))).toBeUndefined();
  });
});
