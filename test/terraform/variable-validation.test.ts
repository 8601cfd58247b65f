// The validation blocks of the root modules' variables, evaluated by the real terraform: each
// module's variables.tf alone is a module without providers, so `terraform plan` runs offline and
// checks the rendered variables exactly as the runner's plan would, before any provider call.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedCluster } from '../../src/config/model.js';
import { renderTfvars } from '../../src/render/tfvars.js';
import { awsCluster, gcpCluster } from '../fixtures/render/fleet.js';
import { terraformAvailable, terraformIn, validationMessages } from '../support/terraform-binary.js';

const root = join(import.meta.dirname, '..', '..');
const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;

let work: string;
const dirs: Record<'gcp' | 'aws', string> = { gcp: '', aws: '' };
let counter = 0;

const tf = terraformIn;

beforeAll(() => {
  if (!available) return;
  work = mkdtempSync(join(tmpdir(), 'hubfleet-tf-validation-'));
  for (const provider of ['gcp', 'aws'] as const) {
    const dir = join(work, provider);
    dirs[provider] = dir;
    spawnSync('mkdir', ['-p', dir]);
    copyFileSync(join(root, 'terraform', provider, 'variables.tf'), join(dir, 'variables.tf'));
    const init = tf(dir, ['init', '-input=false', '-no-color', '-backend=false']);
    if (init.status !== 0) throw new Error(init.output);
  }
});
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** `terraform plan` of the variables alone; the validation errors, one line each, or [] when valid. */
function validate(provider: 'gcp' | 'aws', vars: Record<string, unknown>): string[] {
  const file = join(work, `vars-${++counter}.json`);
  writeFileSync(file, JSON.stringify(vars));
  const r = tf(dirs[provider], ['plan', '-input=false', '-no-color', '-lock=false', `-var-file=${file}`]);
  return r.status === 0 ? [] : validationMessages(r.output);
}

const created = (cluster: LoadedCluster, gcp: Record<string, unknown>): Record<string, unknown> => ({
  ...(renderTfvars({
    ...cluster,
    config: {
      ...cluster.config,
      gcp: { ...(cluster.config.gcp as NonNullable<LoadedCluster['config']['gcp']>), ...gcp },
    },
  }) as unknown as Record<string, unknown>),
});

describeTf('terraform/gcp variable validations (real terraform)', () => {
  const adopted = (): Record<string, unknown> => renderTfvars(gcpCluster);
  const creating = (): Record<string, unknown> =>
    created(gcpCluster, {
      createCluster: true,
      masterIpv4CidrBlock: '172.16.0.16/28',
      subnetwork: 'pangeo-nodes',
      podsRangeName: 'pods',
      servicesRangeName: 'services',
    });

  it('accepts what the renderer writes for an adopted and a created cluster', () => {
    expect(validate('gcp', adopted())).toEqual([]);
    expect(validate('gcp', creating())).toEqual([]);
  });

  it.each<[string, (v: Record<string, unknown>) => void, string]>([
    [
      'a created cluster without a master CIDR',
      (v) => (v.master_ipv4_cidr_block = null),
      'A created cluster (create_cluster = true) needs master_ipv4_cidr_block: set gcp.masterIpv4CidrBlock, a /28 no other cluster in the VPC uses.',
    ],
    [
      'a master CIDR that is not a /28',
      (v) => (v.master_ipv4_cidr_block = '172.16.0.0/24'),
      'master_ipv4_cidr_block must be an IPv4 /28 block.',
    ],
    [
      'a created cluster without a subnetwork',
      (v) => (v.subnetwork = null),
      'A created cluster (create_cluster = true) needs subnetwork: set gcp.subnetwork.',
    ],
    [
      'one secondary range without the other',
      (v) => (v.services_secondary_range_name = null),
      'Name both secondary ranges (pods and services) or neither.',
    ],
    [
      'an unknown release channel',
      (v) => (v.release_channel = 'stable'),
      'release_channel must be RAPID, REGULAR, STABLE or EXTENDED.',
    ],
    [
      'a node pool whose minimum exceeds its maximum',
      (v) =>
        (v.node_pool = {
          machine_type: 'n2-standard-4',
          min_node_count: 4,
          max_node_count: 2,
          disk_size_gb: 100,
        }),
      'node_pool needs 0 <= min_node_count <= max_node_count and max_node_count >= 1.',
    ],
    [
      'a node pool boot disk under 10 GB',
      (v) =>
        (v.node_pool = {
          machine_type: 'n2-standard-4',
          min_node_count: 1,
          max_node_count: 2,
          disk_size_gb: 5,
        }),
      "node_pool.disk_size_gb must be at least 10 (GKE's minimum boot disk).",
    ],
    [
      'a smoke identity that is not a service account',
      (v) => (v.smoke_identity = 'user:someone@example.org'),
      'smoke_identity must be serviceAccount:<email>.',
    ],
  ])('refuses %s, with its message', (_name, edit, message) => {
    const vars = creating();
    edit(vars);
    expect(validate('gcp', vars)).toEqual([message]);
  });
});

describeTf('terraform/aws variable validations (real terraform)', () => {
  it('accepts what the renderer writes', () => {
    expect(validate('aws', renderTfvars(awsCluster) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('refuses a deployer that is not an IAM role ARN', () => {
    const vars = {
      ...(renderTfvars(awsCluster) as unknown as Record<string, unknown>),
      deployer_role_arn: 'hubfleet-deployer',
    };
    expect(validate('aws', vars)).toEqual(['deployer_role_arn must be an IAM role ARN.']);
  });
});
