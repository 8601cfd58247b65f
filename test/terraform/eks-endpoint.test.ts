// terraform/aws adopts the EKS cluster; what it checks of the control plane's endpoint (the AWS side
// of cluster.yaml's GKE privateEndpoint / masterAuthorizedNetworks, docs/decisions/0055): warnings
// in a check block, so a plan never fails on a cluster hubfleet does not own. The real terraform
// evaluates the two conditions, copied out of the HCL, on endpoint settings as EKS reports them
// (the data source aws_eks_cluster's vpc_config).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { terraformAvailable, terraformIn } from '../support/terraform-binary.js';
import { loadModule } from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const aws = loadModule(root, 'terraform/aws').flatMap((f) => f.body.blocks);
const check = aws.find((b) => b.type === 'check' && b.labels[0] === 'control_plane_endpoint');
const conditions = (check?.body.blocks ?? []).map(
  (b) => b.body.attributes.find((a) => a.name === 'condition')?.expr ?? '',
);

const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;
let dir: string;
let counter = 0;
const tf = (args: string[]): { status: number; output: string } => terraformIn(dir, args);

beforeAll(() => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'hubfleet-tf-eks-endpoint-'));
  const body = conditions
    .map(
      (c, i) =>
        `output "assert_${i}" {\n  value = ${c.replace(/data\.aws_eks_cluster\.this\./g, 'var.eks.')}\n}`,
    )
    .join('\n');
  writeFileSync(
    join(dir, 'main.tf'),
    `variable "eks" {\n  type = object({ vpc_config = list(object({ endpoint_private_access = bool, endpoint_public_access = bool, public_access_cidrs = list(string) })) })\n}\n${body}\n`,
  );
  const init = tf(['init', '-input=false', '-no-color', '-backend=false']);
  if (init.status !== 0) throw new Error(init.output);
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function holds(privateAccess: boolean, publicAccess: boolean, cidrs: string[] | null): boolean[] {
  const vars = join(dir, `vars-${++counter}.json`);
  const state = join(dir, `state-${counter}.tfstate`);
  const vpc = {
    endpoint_private_access: privateAccess,
    endpoint_public_access: publicAccess,
    public_access_cidrs: cidrs,
  };
  writeFileSync(vars, JSON.stringify({ eks: { vpc_config: [vpc] } }));
  const apply = tf([
    'apply',
    '-auto-approve',
    '-input=false',
    '-no-color',
    `-state=${state}`,
    `-var-file=${vars}`,
  ]);
  if (apply.status !== 0) throw new Error(apply.output);
  const out = JSON.parse(tf(['output', '-json', `-state=${state}`]).output) as Record<
    string,
    { value: boolean }
  >;
  return conditions.map((_, i) => out[`assert_${i}`]?.value ?? false);
}

describe('terraform/aws control-plane endpoint checks', () => {
  it('are two warnings: private endpoint access, and no public endpoint open to every address', () => {
    expect(check?.body.blocks.map((b) => b.type)).toEqual(['assert', 'assert']);
  });

  describeTf('evaluated by the real terraform', () => {
    it.each<[string, boolean, boolean, string[] | null, boolean[]]>([
      ['private only', true, false, null, [true, true]],
      ['private, and public for one office', true, true, ['203.0.113.0/24'], [true, true]],
      ['private, and public to everyone (the EKS default CIDR)', true, true, ['0.0.0.0/0'], [true, false]],
      ['public only, to everyone', false, true, ['0.0.0.0/0'], [false, false]],
      ['public only, for one office', false, true, ['203.0.113.0/24'], [false, true]],
    ])('%s', (_name, privateAccess, publicAccess, cidrs, expected) => {
      expect(holds(privateAccess, publicAccess, cidrs)).toEqual(expected);
    });
  });
});
