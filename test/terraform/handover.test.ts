// The hand-over steps the createCluster gate prints (src/plan/cluster-handover.ts) name every
// resource terraform/gcp creates only for a created cluster: a `terraform state rm` that missed one
// would leave the next plan destroying it.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { CREATED_CLUSTER_ADDRESSES } from '../../src/plan/cluster-handover.js';
import { loadModule } from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const files = loadModule(root, 'terraform/gcp');
const blocks = files.flatMap((f) => f.body.blocks);
const attr = (block: (typeof blocks)[number], name: string): string | undefined =>
  block.body.attributes.find((a) => a.name === name)?.expr;

describe('created-cluster resources of terraform/gcp', () => {
  it('are exactly the addresses the hand-over message names', () => {
    const counted = blocks
      .filter((b) => b.type === 'resource' && attr(b, 'count') === 'var.create_cluster ? 1 : 0')
      .map((b) => `${b.labels[0]}.${b.labels[1]}[0]`);
    // for_each over local.node_roles, which is empty unless the cluster is created.
    const locals = blocks.filter((b) => b.type === 'locals').flatMap((b) => b.body.attributes);
    const nodeRoles = locals.find((a) => a.name === 'node_roles')?.expr ?? '';
    expect(nodeRoles).toMatch(/^var\.create_cluster \? toset\(\[.*\]\) : toset\(\[\]\)$/);
    const roles = [...nodeRoles.matchAll(/"(roles\/[^"]+)"/g)].map((m) => m[1]);
    const perRole = blocks
      .filter((b) => b.type === 'resource' && attr(b, 'for_each') === 'local.node_roles')
      .flatMap((b) => roles.map((role) => `${b.labels[0]}.${b.labels[1]}["${role}"]`));
    expect([...counted, ...perRole].sort()).toEqual([...CREATED_CLUSTER_ADDRESSES].sort());
  });
});
