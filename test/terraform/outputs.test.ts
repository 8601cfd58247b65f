// The outputs apply-iam reads (CONTRACTS §4) and what deploy-hub checks them against
// (expectedServiceAccountAnnotations). Terraform cannot evaluate the modules here, so the test pins
// the two links that make them equal: the module names each identity from the rendered variables
// exactly, and those variables give the names hubfleet expects.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { LoadedCluster } from '../../src/config/model.js';
import {
  GKE_SA_ANNOTATION,
  IRSA_ANNOTATION,
  expectedServiceAccountAnnotations,
} from '../../src/render/manifests.js';
import { awsPartition, requireAws } from '../../src/render/names.js';
import { renderTfvars, type AwsTfvars, type GcpTfvars } from '../../src/render/tfvars.js';
import { cluster } from '../support/fleet.js';
import { awsCluster, gcpCluster } from '../fixtures/render/fleet.js';
import type { HclBlock } from './hcl.js';
import { loadModule } from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const blocks = (dir: string): HclBlock[] => loadModule(root, dir).flatMap((f) => f.body.blocks);
const gcp = blocks('terraform/gcp');
const aws = blocks('terraform/aws');

const find = (all: HclBlock[], type: string, ...labels: string[]): HclBlock => {
  const block = all.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
  if (block === undefined) throw new Error(`no ${type} ${labels.join('.')}`);
  return block;
};
const attrs = (block: HclBlock): Record<string, string> =>
  Object.fromEntries(block.body.attributes.map((a) => [a.name, a.expr]));
/** The attribute names of the innermost object of a `{ for … => { a = …, b = … } }` expression. */
const innerKeys = (expr: string): string[] =>
  [...expr.matchAll(/^\s*("[^"]+"|[a-z_]+)\s*=/gm)].map((m) => (m[1] as string).replace(/"/g, ''));

const manyHubs = (provider: 'gcp' | 'aws'): LoadedCluster =>
  cluster(`contract-${provider}`, provider, [
    { name: 'alpha', stage: 'staging' },
    { name: 'a-hub-with-a-name-long-enough-to-be-shortened', stage: 'prod' },
  ]);

describe('root module outputs', () => {
  it.each([
    ['terraform/gcp', gcp],
    ['terraform/aws', aws],
  ])('%s outputs exactly kubernetes_sa_annotations and hubs', (_dir, all) => {
    expect(all.filter((b) => b.type === 'output').map((b) => b.labels[0])).toEqual([
      'kubernetes_sa_annotations',
      'hubs',
    ]);
  });

  it('gcp: annotations keyed by namespace carry the service account named from the rendered variables', () => {
    expect(attrs(find(gcp, 'output', 'kubernetes_sa_annotations')).value).toBe(
      `{\n    for name, hub in var.hubs : hub.namespace => {\n      "${GKE_SA_ANNOTATION}" = google_service_account.hub[name].email\n    }\n  }`,
    );
    const sa = attrs(find(gcp, 'resource', 'google_service_account', 'hub'));
    expect([sa.for_each, sa.project, sa.account_id]).toEqual([
      'var.hubs',
      'var.project',
      'each.value.gcp_service_account_id',
    ]);
    expect(innerKeys(attrs(find(gcp, 'output', 'hubs')).value ?? '')).toEqual([
      'static_ip_name',
      'static_ip_address',
      'buckets',
      'service_account_email',
    ]);
  });

  it('aws: annotations keyed by namespace carry the IRSA role named from the rendered variables', () => {
    expect(attrs(find(aws, 'output', 'kubernetes_sa_annotations')).value).toBe(
      `{\n    for name, hub in var.hubs : hub.namespace => {\n      "${IRSA_ANNOTATION}" = aws_iam_role.irsa[name].arn\n    }\n  }`,
    );
    const role = attrs(find(aws, 'resource', 'aws_iam_role', 'irsa'));
    // No `path`: a path would sit between role/ and the name in the ARN.
    expect([role.for_each, role.name, role.path]).toEqual([
      'var.hubs',
      'each.value.irsa_role_name',
      undefined,
    ]);
    expect(innerKeys(attrs(find(aws, 'output', 'hubs')).value ?? '')).toEqual(['irsa_role_arn', 'buckets']);
  });

  it.each([
    ['render fixture', gcpCluster],
    ['synthetic', manyHubs('gcp')],
  ])(
    'gcp (%s): <gcp_service_account_id>@<project>.iam.gserviceaccount.com is what deploy-hub expects',
    (_n, c) => {
      const tfvars = renderTfvars(c) as GcpTfvars;
      for (const hub of c.hubs) {
        const v = tfvars.hubs[hub.config.name];
        expect(
          v && { [v.namespace]: `${v.gcp_service_account_id}@${tfvars.project}.iam.gserviceaccount.com` },
        ).toEqual({
          [hub.config.name]: expectedServiceAccountAnnotations(c, hub)[GKE_SA_ANNOTATION],
        });
      }
    },
  );

  it.each([
    ['render fixture', awsCluster],
    ['synthetic', manyHubs('aws')],
  ])('aws (%s): arn:<partition>:iam::<account>:role/<irsa_role_name> is what deploy-hub expects', (_n, c) => {
    const tfvars = renderTfvars(c) as AwsTfvars;
    const partition = awsPartition(requireAws(c).region);
    for (const hub of c.hubs) {
      const v = tfvars.hubs[hub.config.name];
      expect(
        v && { [v.namespace]: `arn:${partition}:iam::${tfvars.account}:role/${v.irsa_role_name}` },
      ).toEqual({
        [hub.config.name]: expectedServiceAccountAnnotations(c, hub)[IRSA_ANNOTATION],
      });
    }
  });
});
