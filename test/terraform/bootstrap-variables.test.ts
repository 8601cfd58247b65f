// The validation rules of terraform/bootstrap/{gcp,aws}, evaluated by the real terraform: each
// module's variables.tf beside a provider-free fixture (terraform_data, local backend,
// test/fixtures/terraform/bootstrap/main.tf), planned offline with a variables file per case.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  work = mkdtempSync(join(tmpdir(), 'hubfleet-bootstrap-vars-'));
  for (const provider of ['gcp', 'aws'] as const) {
    const dir = join(work, provider);
    dirs[provider] = dir;
    mkdirSync(dir);
    copyFileSync(join(root, 'terraform/bootstrap', provider, 'variables.tf'), join(dir, 'variables.tf'));
    copyFileSync(join(root, 'test/fixtures/terraform/bootstrap/main.tf'), join(dir, 'main.tf'));
    const init = tf(dir, ['init', '-input=false', '-no-color']);
    if (init.status !== 0) throw new Error(init.output);
  }
});
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** The validation messages of one plan, one line each, or [] when every rule holds. */
function validate(provider: 'gcp' | 'aws', vars: Record<string, unknown>): string[] {
  const file = join(work, `vars-${++counter}.json`);
  writeFileSync(file, JSON.stringify(vars));
  const r = tf(dirs[provider], ['plan', '-input=false', '-no-color', '-lock=false', `-var-file=${file}`]);
  return r.status === 0 ? [] : validationMessages(r.output);
}

const GCP = {
  project: 'pangeo-prod',
  region: 'us-central1',
  github_repository: 'example-org/fleet',
  github_repository_id: '123456789',
  clusters: ['pangeo-gcp'],
  state_bucket: 'pangeo-tfstate',
};

const AWS = {
  account: '111122223333',
  region: 'us-west-2',
  github_repository: 'example-org/fleet',
  clusters: ['pangeo-aws'],
  state_bucket: 'pangeo-aws-tfstate',
};

describeTf('terraform/bootstrap/gcp variable rules (real terraform)', () => {
  it('accepts the minimal inputs, and a zone with its domain', () => {
    expect(validate('gcp', GCP)).toEqual([]);
    expect(validate('gcp', { ...GCP, dns_zone: 'hubs-example-org', dns_domain: 'hubs.example.org' })).toEqual(
      [],
    );
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a project ID with capitals',
      { project: 'Pangeo-Prod' },
      [
        'project must be a GCP project ID: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter.',
      ],
    ],
    [
      'a zone for a region',
      { region: 'us-central1-b' },
      ['region must be a GCP region such as us-central1.'],
    ],
    [
      'a repository without its owner',
      { github_repository: 'fleet' },
      ['github_repository must be "<owner>/<repo>", e.g. example-org/fleet.'],
    ],
    [
      'the repository name given as its ID',
      { github_repository_id: 'example-org/fleet' },
      [
        "github_repository_id must be the repository's numeric ID (gh api repos/<owner>/<repo> --jq .id), not its name.",
      ],
    ],
    [
      'no cluster',
      { clusters: [] },
      [
        'clusters must list at least one cluster name, each a DNS label (lowercase letters, digits, hyphens; at most 63 characters).',
      ],
    ],
    ['a repeated cluster', { clusters: ['a', 'a'] }, ['clusters must not repeat a name.']],
    [
      'a subject longer than google.subject allows',
      { clusters: ['c'.repeat(63)], github_repository: `example-org/${'f'.repeat(30)}` },
      [
        'a subject repo:<owner>/<repo>:environment:<cluster>-staging:ref:refs/heads/main is longer than the 127 bytes Workload Identity Federation allows for google.subject; use a shorter cluster name.',
      ],
    ],
    [
      'a state bucket named like Google',
      { state_bucket: 'my-google-state' },
      [
        'state_bucket must be 3–63 lowercase letters, digits, hyphens or underscores, start and end with a letter or digit, and not start with "goog" or contain "google".',
      ],
    ],
    [
      'a pool ID with the reserved prefix',
      { workload_identity_pool_id: 'gcp-github' },
      [
        'workload_identity_pool_id must be 4–32 lowercase letters, digits and hyphens, and must not start with "gcp-".',
      ],
    ],
    [
      'a zone without its domain',
      { dns_zone: 'hubs-example-org' },
      ['dns_zone and dns_domain go together: set both to create the zone, or neither.'],
    ],
    [
      'a domain with a trailing dot',
      { dns_zone: 'hubs', dns_domain: 'hubs.example.org.' },
      ['dns_domain must be a lowercase DNS name without a trailing dot, e.g. hubs.example.org.'],
    ],
    [
      'a control-plane range that is not a /28, and a range not at its network address',
      {
        ip_ranges: {
          hubs_nodes: '10.10.0.1/20',
          hubs_pods: '10.64.0.0/14',
          hubs_services: '10.10.16.0/20',
          hubs_master: '172.16.0.0/24',
          runners_nodes: '10.20.0.0/22',
          runners_pods: '10.68.0.0/17',
          runners_services: '10.20.4.0/22',
        },
      },
      [
        'every ip_ranges value must be an IPv4 CIDR block that starts at its network address, e.g. 10.10.0.0/20.',
        "ip_ranges.hubs_master must be a /28 (GKE's control plane range).",
      ],
    ],
    [
      'a runner cluster without the network it lives in',
      { create_network: false },
      [
        'runner_cluster needs create_network = true (it lives in the runner subnet this module makes); set runner_cluster = null to place the runners yourself.',
      ],
    ],
    [
      'a runner cluster name too long for GKE',
      { runner_cluster: { name: `r${'x'.repeat(40)}`, allow_external_traffic: false } },
      [
        'runner_cluster.name must be a GKE cluster name: lowercase letters, digits and hyphens, starting with a letter, at most 40 characters.',
      ],
    ],
  ])('refuses %s', (_name, change, messages) => {
    expect(validate('gcp', { ...GCP, ...change })).toEqual(messages);
  });

  it('accepts no network when the runners are placed elsewhere', () => {
    expect(validate('gcp', { ...GCP, create_network: false, runner_cluster: null })).toEqual([]);
  });
});

describeTf('terraform/bootstrap/aws variable rules (real terraform)', () => {
  it('accepts the minimal inputs, a zone to create, an existing zone and a cluster', () => {
    expect(validate('aws', AWS)).toEqual([]);
    expect(validate('aws', { ...AWS, hosted_zone_domain: 'aws.hubs.example.org' })).toEqual([]);
    expect(
      validate('aws', { ...AWS, hosted_zone_id: 'Z0123456789ABCDEFGHIJ', eks_cluster_name: 'pangeo' }),
    ).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an unquoted short account',
      { account: '1111' },
      ['account must be the 12-digit AWS account ID, quoted.'],
    ],
    ['a GCP region', { region: 'us-central1' }, ['region must be an AWS region such as us-west-2.']],
    [
      'a role name with no room for -planner',
      { role_name: 'r'.repeat(57) },
      [
        'role_name must be at most 56 characters of letters, digits and +=,.@_- (the planner role appends "-planner" within IAM\'s 64).',
      ],
    ],
    [
      'a zone ID together with a zone to create',
      { hosted_zone_id: 'Z0123456789ABCDEFGHIJ', hosted_zone_domain: 'aws.hubs.example.org' },
      [
        'hosted_zone_id must be a Route 53 zone ID (Z…), and is given only when hosted_zone_domain is not (that one creates the zone).',
      ],
    ],
    [
      'a state bucket with two dots in a row',
      { state_bucket: 'pangeo..state' },
      [
        'state_bucket must be an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
      ],
    ],
    [
      'a VPC too small for four /20 subnets',
      { vpc_cidr: '10.30.0.0/20' },
      [
        'vpc_cidr must be an IPv4 CIDR block from /16 to /18 (AWS allows /16 at most; four /20 subnets need at least a /18).',
      ],
    ],
    [
      'an EKS cluster name with a dot',
      { eks_cluster_name: 'pangeo.prod' },
      [
        'eks_cluster_name must be an EKS cluster name: letters, digits, hyphens and underscores, starting with a letter or digit, at most 100 characters.',
      ],
    ],
    ['a repeated cluster', { clusters: ['a', 'a'] }, ['clusters must not repeat a name.']],
  ])('refuses %s', (_name, change, messages) => {
    expect(validate('aws', { ...AWS, ...change })).toEqual(messages);
  });
});
