// terraform/bootstrap/{gcp,aws} without providers: every resource, argument and nested block
// against the committed provider schemas (as the root modules), the security-relevant settings
// pinned exactly, every output described, named after the cluster.yaml field it fills and listed
// in the guide, and the guide's manual-step count held to the README.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterSchema } from '../../src/config/model.js';
import { classifyPath } from '../../src/plan/change-plan.js';
import type { HclBlock } from './hcl.js';
import {
  attributeProblems,
  loadModule,
  referenceProblems,
  schemaProblems,
  type ModuleFile,
  type ProviderSchemas,
} from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const schemas = JSON.parse(
  readFileSync(join(root, 'test/fixtures/terraform/provider-schema.json'), 'utf8'),
) as ProviderSchemas;
const DIRS = ['terraform/bootstrap/gcp', 'terraform/bootstrap/aws'] as const;
const modules: Record<'gcp' | 'aws', ModuleFile[]> = {
  gcp: loadModule(root, 'terraform/bootstrap/gcp'),
  aws: loadModule(root, 'terraform/bootstrap/aws'),
};
const blocks = (provider: 'gcp' | 'aws'): HclBlock[] => modules[provider].flatMap((f) => f.body.blocks);
const find = (provider: 'gcp' | 'aws', type: string, ...labels: string[]): HclBlock => {
  const block = blocks(provider).find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
  if (block === undefined) throw new Error(`no ${type} ${labels.join('.')}`);
  return block;
};
const attrs = (block: HclBlock): Record<string, string> =>
  Object.fromEntries(block.body.attributes.map((a) => [a.name, a.expr]));
const nested = (block: HclBlock, type: string): HclBlock => {
  const inner = block.body.blocks.find((b) => b.type === type);
  if (inner === undefined) throw new Error(`no ${type} in ${block.labels.join('.')}`);
  return inner;
};
const local = (provider: 'gcp' | 'aws', name: string): string => {
  for (const b of blocks(provider).filter((x) => x.type === 'locals')) {
    const a = b.body.attributes.find((x) => x.name === name);
    if (a !== undefined) return a.expr;
  }
  throw new Error(`no local.${name}`);
};
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

describe('terraform/bootstrap against the provider schemas', () => {
  it.each(DIRS)('%s uses only types, arguments and blocks the provider has', (dir) => {
    expect(schemaProblems(loadModule(root, dir), schemas)).toEqual([]);
  });

  it.each(DIRS)('%s refers only to what it declares', (dir) => {
    expect(referenceProblems(loadModule(root, dir))).toEqual([]);
  });

  it.each(DIRS)('%s reads only attributes the provider has', (dir) => {
    expect(attributeProblems(loadModule(root, dir), schemas)).toEqual([]);
  });

  it.each([
    ['google', 'terraform/bootstrap/gcp/versions.tf'],
    ['aws', 'terraform/bootstrap/aws/versions.tf'],
  ])('%s: requires the provider release the schema was extracted from, same major', (name, file) => {
    const [major, minor] = (schemas.providers[name]?.source.providerVersion ?? '').split('.');
    expect(read(file)).toContain(`version = "~> ${major}.${minor}"`);
  });

  it('the schema extraction covers the bootstrap modules', () => {
    const modulesOf = (name: string): unknown =>
      (schemas.providers[name]?.source as { modules?: unknown } | undefined)?.modules;
    expect(modulesOf('google')).toEqual(['terraform/gcp', 'terraform/bootstrap/gcp']);
    expect(modulesOf('aws')).toEqual(['terraform/aws', 'terraform/bootstrap/aws']);
  });
});

describe('the chain', () => {
  it('never plans or applies the bootstrap: its files are not a provider module for change planning', () => {
    expect(
      ['terraform/bootstrap/gcp/apis.tf', 'terraform/bootstrap/aws/state.tf', 'terraform/gcp/hubs.tf'].map(
        classifyPath,
      ),
    ).toEqual([{ kind: 'other' }, { kind: 'other' }, { kind: 'terraform', provider: 'gcp' }]);
  });
});

describe('state', () => {
  it('the first apply keeps its state locally; backend.tf.example moves it into the bucket', () => {
    for (const provider of ['gcp', 'aws'] as const) {
      const terraformBlock = find(provider, 'terraform');
      expect(terraformBlock.body.blocks.map((b) => b.type)).toEqual(['required_providers']);
    }
    expect(read('terraform/bootstrap/gcp/backend.tf.example')).toContain('  backend "gcs" {}\n');
    expect(read('terraform/bootstrap/aws/backend.tf.example')).toContain(
      '  backend "s3" {\n    encrypt      = true\n    use_lockfile = true\n  }\n',
    );
  });

  it('gcp: versioned, uniform access, public access prevention enforced, never destroyed', () => {
    const bucket = find('gcp', 'resource', 'google_storage_bucket', 'state');
    const a = attrs(bucket);
    expect([a.force_destroy, a.uniform_bucket_level_access, a.public_access_prevention]).toEqual([
      'false',
      'true',
      '"enforced"',
    ]);
    expect(attrs(nested(bucket, 'versioning')).enabled).toBe('true');
    expect(attrs(nested(bucket, 'lifecycle')).prevent_destroy).toBe('true');
  });

  it('aws: versioned, public access blocked, encrypted, owner-enforced, TLS only, no DynamoDB table', () => {
    expect(
      attrs(nested(find('aws', 'resource', 'aws_s3_bucket_versioning', 'state'), 'versioning_configuration'))
        .status,
    ).toBe('"Enabled"');
    const block = attrs(find('aws', 'resource', 'aws_s3_bucket_public_access_block', 'state'));
    expect([
      block.block_public_acls,
      block.block_public_policy,
      block.ignore_public_acls,
      block.restrict_public_buckets,
    ]).toEqual(['true', 'true', 'true', 'true']);
    const sse = nested(
      nested(find('aws', 'resource', 'aws_s3_bucket_server_side_encryption_configuration', 'state'), 'rule'),
      'apply_server_side_encryption_by_default',
    );
    expect(attrs(sse).sse_algorithm).toBe('"AES256"');
    expect(
      attrs(nested(find('aws', 'resource', 'aws_s3_bucket_ownership_controls', 'state'), 'rule'))
        .object_ownership,
    ).toBe('"BucketOwnerEnforced"');
    expect(attrs(find('aws', 'resource', 'aws_s3_bucket_policy', 'state')).policy).toContain(
      '"aws:SecureTransport" = "false"',
    );
    expect(
      blocks('aws').filter((b) => b.type === 'resource' && b.labels[0] === 'aws_dynamodb_table'),
    ).toEqual([]);
    // terraform/aws locks with S3's own lock file, which is why no table is needed.
    expect(read('terraform/aws/versions.tf')).toContain('use_lockfile = true');
  });
});

describe('gcp: APIs', () => {
  it('enables exactly the APIs the chain calls, and never disables them on destroy', () => {
    const apis = [...local('gcp', 'apis').matchAll(/^\s*"([a-z]+\.googleapis\.com)"\s*=/gm)].map((m) => m[1]);
    expect(apis).toEqual([
      'container.googleapis.com',
      'compute.googleapis.com',
      'dns.googleapis.com',
      'iap.googleapis.com',
      'iam.googleapis.com',
      'iamcredentials.googleapis.com',
      'sts.googleapis.com',
      'cloudresourcemanager.googleapis.com',
      'storage.googleapis.com',
      'serviceusage.googleapis.com',
    ]);
    const service = attrs(find('gcp', 'resource', 'google_project_service', 'api'));
    expect([service.for_each, service.disable_on_destroy]).toEqual(['local.apis', 'false']);
  });
});

describe('GitHub OIDC trust', () => {
  const APPLIER_SUBJECTS =
    'flatten([\n    for c in var.clusters : [\n      for stage in ["apply", "staging", "prod"] :\n      "repo:${var.github_repository}:environment:${c}-${stage}:ref:refs/heads/main"\n    ]\n  ])';

  it('gcp: the provider admits only the fleet repository, by name and ID', () => {
    const provider = find('gcp', 'resource', 'google_iam_workload_identity_pool_provider', 'github');
    expect(attrs(provider).attribute_condition).toBe(
      '"assertion.repository == \\"${var.github_repository}\\" && assertion.repository_id == \\"${var.github_repository_id}\\""',
    );
    expect(attrs(nested(provider, 'oidc')).issuer_uri).toBe('"https://token.actions.githubusercontent.com"');
    expect(attrs(provider).attribute_mapping).toContain('"google.subject"          = "assertion.sub"');
    expect(attrs(provider).attribute_mapping).toContain(
      '"attribute.repository_id" = "assertion.repository_id"',
    );
  });

  it('gcp: the applier and the probers trust exact subjects; only the read-only planner the whole repository', () => {
    expect(local('gcp', 'applier_subjects')).toBe(APPLIER_SUBJECTS);
    const bindings = blocks('gcp').filter(
      (b) => b.type === 'resource' && b.labels[0] === 'google_service_account_iam_member',
    );
    expect(bindings.map((b) => [b.labels[1], attrs(b).for_each, attrs(b).role, attrs(b).member])).toEqual([
      [
        'deployer_wif',
        'toset(local.applier_subjects)',
        '"roles/iam.workloadIdentityUser"',
        '"principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"',
      ],
      [
        'iap_prober_wif',
        'toset(concat(local.applier_subjects, [local.schedule_subject]))',
        '"roles/iam.workloadIdentityUser"',
        '"principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"',
      ],
      [
        'iap_unauthorized_wif',
        'toset(concat(local.applier_subjects, [local.schedule_subject]))',
        '"roles/iam.workloadIdentityUser"',
        '"principal://iam.googleapis.com/${local.pool_name}/subject/${each.value}"',
      ],
    ]);
    expect(local('gcp', 'planner_member')).toBe(
      '"principalSet://iam.googleapis.com/${local.pool_name}/attribute.repository_id/${var.github_repository_id}"',
    );
    const planner = blocks('gcp').filter(
      (b) => b.type === 'resource' && attrs(b).member === 'local.planner_member',
    );
    expect(planner.map((b) => [b.labels.join('.'), attrs(b).role ?? attrs(b).for_each])).toEqual([
      ['google_project_iam_member.planner', 'each.value'],
      ['google_storage_bucket_iam_member.planner_state_read', '"roles/storage.objectViewer"'],
      ['google_storage_bucket_iam_member.planner_state_bucket_read', '"roles/storage.legacyBucketReader"'],
      ['google_storage_bucket_iam_member.planner_state_lock', '"roles/storage.objectUser"'],
      ['google_storage_bucket_iam_member.planner_state_create', '"roles/storage.objectCreator"'],
    ]);
    expect(attrs(find('gcp', 'resource', 'google_project_iam_member', 'planner')).for_each).toBe(
      'toset(["roles/viewer", "roles/iam.securityReviewer"])',
    );
    expect(
      attrs(
        nested(
          find('gcp', 'resource', 'google_storage_bucket_iam_member', 'planner_state_lock'),
          'condition',
        ),
      ).expression,
    ).toBe(
      '"resource.name.startsWith(\\"projects/_/buckets/${var.state_bucket}/objects/\\") && resource.name.endsWith(\\".tflock\\")"',
    );
    expect(
      attrs(
        nested(
          find('gcp', 'resource', 'google_storage_bucket_iam_member', 'planner_state_create'),
          'condition',
        ),
      ).expression,
    ).toBe(
      '"resource.name.startsWith(\\"projects/_/buckets/${var.state_bucket}/objects/\\") && resource.name.endsWith(\\".tfstate\\")"',
    );
  });

  it('gcp: the applier may grant only the project roles terraform/gcp grants', () => {
    const grants = find('gcp', 'resource', 'google_project_iam_member', 'deployer_grants');
    expect(attrs(grants).role).toBe('"roles/resourcemanager.projectIamAdmin"');
    expect(attrs(nested(grants, 'condition')).expression).toBe(
      '"api.getAttribute(\'iam.googleapis.com/modifiedGrantsByRole\', []).hasOnly(${jsonencode(local.grantable_roles)})"',
    );
    // The requester-pays role ID is computed as terraform/gcp computes it.
    expect(read('terraform/gcp/hubs.tf')).toContain(
      '? "hubfleet_${replace(var.hubfleet_cluster, "-", "_")}_requester_pays"\n    : "hubfleet_${substr(sha256(var.hubfleet_cluster), 0, 16)}_requester_pays"',
    );
    expect(local('gcp', 'grantable_roles')).toContain(
      '"projects/${var.project}/roles/${length(c) <= 40 ? "hubfleet_${replace(c, "-", "_")}_requester_pays" : "hubfleet_${substr(sha256(c), 0, 16)}_requester_pays"}"',
    );
    expect(read('terraform/gcp/nodes.tf')).toContain(
      'toset(["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"])',
    );
    expect(local('gcp', 'grantable_roles')).toContain(
      '["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"]',
    );
  });

  it('aws: the applier trusts exact subjects and the audience; the planner any run of the repository', () => {
    expect(local('aws', 'applier_subjects')).toBe(APPLIER_SUBJECTS);
    const applier = attrs(find('aws', 'resource', 'aws_iam_role', 'applier'));
    expect(applier.name).toBe('var.role_name');
    expect(applier.assume_role_policy).toContain(
      'StringEquals = {\n          "${local.github_url}:aud" = "sts.amazonaws.com"\n          "${local.github_url}:sub" = local.applier_subjects\n        }',
    );
    expect(applier.assume_role_policy).not.toContain('StringLike');
    const planner = attrs(find('aws', 'resource', 'aws_iam_role', 'planner'));
    expect(planner.name).toBe('"${var.role_name}-planner"');
    expect(planner.assume_role_policy).toContain(
      'StringEquals = { "${local.github_url}:aud" = "sts.amazonaws.com" }\n        StringLike   = { "${local.github_url}:sub" = "repo:${var.github_repository}:*" }',
    );
    // The applier may not rewrite its own or the planner's role.
    expect(attrs(find('aws', 'resource', 'aws_iam_role_policy', 'applier')).policy).toContain(
      'Sid      = "NotTheFleetRoles"\n        Effect   = "Deny"\n        Action   = ["iam:*"]\n        Resource = [local.applier_arn, local.planner_arn]',
    );
  });
});

describe("gcp: the runners' place", () => {
  it('is a private Autopilot cluster whose DNS endpoint is the day-zero door', () => {
    const cluster = find('gcp', 'resource', 'google_container_cluster', 'runners');
    expect(attrs(cluster).enable_autopilot).toBe('true');
    expect(attrs(nested(cluster, 'private_cluster_config'))).toEqual({
      enable_private_nodes: 'true',
      enable_private_endpoint: 'true',
    });
    expect(
      attrs(nested(nested(cluster, 'control_plane_endpoints_config'), 'dns_endpoint_config'))
        .allow_external_traffic,
    ).toBe('var.runner_cluster.allow_external_traffic');
    // Runner pods carry no cloud identity (decision 0029): no Workload Identity grant names a KSA.
    const members = blocks('gcp').flatMap((b) => (b.type === 'resource' ? [attrs(b).member ?? ''] : []));
    expect(members.filter((m) => m.includes('svc.id.goog'))).toEqual([]);
  });

  it('the hub subnet has no NAT of its own (terraform/gcp adds one for a created cluster)', () => {
    const nat = find('gcp', 'resource', 'google_compute_router_nat', 'runners');
    expect(attrs(nat).source_subnetwork_ip_ranges_to_nat).toBe('"LIST_OF_SUBNETWORKS"');
    expect(attrs(nested(nat, 'subnetwork')).name).toBe('google_compute_subnetwork.runners[0].self_link');
    expect(
      blocks('gcp').filter((b) => b.type === 'resource' && b.labels[0] === 'google_compute_router_nat')
        .length,
    ).toBe(1);
  });
});

// ---- outputs ----

const outputs = (provider: 'gcp' | 'aws'): HclBlock[] => blocks(provider).filter((b) => b.type === 'output');
const snake = (path: string): string =>
  path
    .replace(/^(gcp|aws)\./, '')
    .replace(/\./g, '_')
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface JsonSchemaNode {
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
}
function fieldExists(path: string): boolean {
  let node: JsonSchemaNode | undefined = ClusterSchema as unknown as JsonSchemaNode;
  for (const part of path.split('.')) node = node?.properties?.[part];
  return node !== undefined;
}

/** The guide's Outputs table: [module, output, fills]. */
function guideOutputs(): string[][] {
  const guide = read('docs/zero-to-a-first-hub.md');
  const table = guide.slice(guide.indexOf('\n## Outputs\n'));
  return [...table.matchAll(/^\| (gcp|aws) \| `([a-z0-9_]+)` \| (.+) \|$/gm)].map((m) => [
    m[1] as string,
    m[2] as string,
    m[3] as string,
  ]);
}

describe('outputs', () => {
  it('are exactly what cluster.yaml and the fleet settings need', () => {
    expect(outputs('gcp').map((b) => b.labels[0])).toEqual([
      'project',
      'project_number',
      'region',
      'network',
      'subnetwork',
      'pods_range_name',
      'services_range_name',
      'master_ipv4_cidr_block',
      'master_authorized_networks',
      'dns_zone',
      'dns_domain',
      'dns_name_servers',
      'workload_identity_provider',
      'deployer_service_account',
      'iap_prober_service_account',
      'iap_unauthorized_service_account',
      'terraform_backend_bucket',
      'runner_cluster',
      'github_repository',
      'github_environments',
      'github_oidc_subject_claim_keys',
    ]);
    expect(outputs('aws').map((b) => b.labels[0])).toEqual([
      'account',
      'region',
      'role_arn',
      'planner_role_arn',
      'hosted_zone_id',
      'dns_domain',
      'dns_name_servers',
      'terraform_backend_bucket',
      'oidc_provider_arn',
      'vpc_id',
      'public_subnet_ids',
      'private_subnet_ids',
      'github_repository',
      'github_environments',
      'github_oidc_subject_claim_keys',
    ]);
  });

  it.each(['gcp', 'aws'] as const)('%s: every output has a description', (provider) => {
    expect(
      outputs(provider)
        .filter((b) => !/^"[^"]{20,}"$/.test(attrs(b).description ?? ''))
        .map((b) => b.labels[0]),
    ).toEqual([]);
  });

  it.each(['gcp', 'aws'] as const)(
    '%s: an output that fills a cluster.yaml field names one that exists and is named after it',
    (provider) => {
      const filled = outputs(provider).flatMap((b) => {
        const m = /^"cluster\.yaml ([A-Za-z0-9.]+)/.exec(attrs(b).description ?? '');
        return m === null ? [] : [[b.labels[0], m[1]]];
      });
      expect(filled.filter(([, field]) => !fieldExists(field as string))).toEqual([]);
      expect(filled.filter(([name, field]) => snake(field as string) !== name)).toEqual([]);
      expect(filled.map(([, field]) => field)).toEqual(
        provider === 'gcp'
          ? [
              'gcp.project',
              'gcp.projectNumber',
              'gcp.region',
              'gcp.network',
              'gcp.subnetwork',
              'gcp.podsRangeName',
              'gcp.servicesRangeName',
              'gcp.masterIpv4CidrBlock',
              'gcp.masterAuthorizedNetworks',
              'gcp.dnsZone',
              'dnsDomain',
              'gcp.workloadIdentityProvider',
              'gcp.deployerServiceAccount',
              'gcp.iapProberServiceAccount',
              'terraform.backend.bucket',
            ]
          : [
              'aws.account',
              'aws.region',
              'aws.roleArn',
              'aws.hostedZoneId',
              'dnsDomain',
              'terraform.backend.bucket',
            ],
      );
    },
  );

  it('the guide lists every output of both modules, and the field each fills as its description says', () => {
    const listed = guideOutputs();
    expect(listed.map(([module, name]) => `${module}.${name}`)).toEqual([
      ...outputs('gcp').map((b) => `gcp.${b.labels[0]}`),
      ...outputs('aws').map((b) => `aws.${b.labels[0]}`),
    ]);
    for (const [module, name, fills] of listed) {
      const description = attrs(find(module as 'gcp' | 'aws', 'output', name as string)).description ?? '';
      const field = /^"cluster\.yaml ([A-Za-z0-9.]+)/.exec(description)?.[1];
      expect({ name, fills: fills?.startsWith('`') ? fills.split('`')[1] : undefined }).toEqual({
        name,
        fills: field,
      });
    }
  });
});

// ---- the guide ----

const DOCTOR_CHECKS = [
  'apis',
  'state-bucket',
  'wif-provider',
  'dns-delegation',
  'hub-dns',
  'smoke-identity',
  'github-labels',
  'github-environments',
  'github-secrets',
  'runners',
];

function section(guide: string, heading: string): string {
  const start = guide.indexOf(`\n## ${heading}\n`);
  const end = guide.indexOf('\n## ', start + 1);
  return guide.slice(start, end === -1 ? undefined : end);
}

describe('the guide "Zero to a first hub"', () => {
  const guide = read('docs/zero-to-a-first-hub.md');
  const readme = read('README.md');

  it.each([
    ['GCP', 'G'],
    ['AWS', 'A'],
  ])('%s: the steps are numbered in order', (heading, letter) => {
    const numbers = [...section(guide, heading).matchAll(/^### ([GA])(\d+)\. /gm)].map(
      (m) => `${m[1]}${m[2]}`,
    );
    expect(numbers).toEqual(numbers.map((_n, i) => `${letter}${i + 1}`));
    expect(numbers.length).toBeGreaterThan(10);
  });

  it.each([
    ['GCP', 5],
    ['AWS', 4],
  ])('%s: the README states the number of steps marked manual in the guide', (heading, count) => {
    const marked = [...section(guide, heading).matchAll(/^### [GA]\d+\. .+ \(manual\)$/gm)].length;
    const stated = new RegExp(`${heading}: (\\d+) manual\\s+steps`).exec(readme)?.[1];
    expect({ marked, stated: Number(stated) }).toEqual({ marked: count, stated: count });
  });

  it('names only the checks hubfleet doctor has, and every one of them', () => {
    // Each sentence that starts at `doctor` names checks in backticks.
    const text = guide.replace(/\s+/g, ' ');
    const named = new Set(
      [...text.matchAll(/`doctor`[^.]*\./g)].flatMap((m) =>
        [...m[0].matchAll(/`([a-z-]+)`/g)].map((x) => x[1] as string).filter((c) => c !== 'doctor'),
      ),
    );
    expect([...named].filter((c) => !DOCTOR_CHECKS.includes(c))).toEqual([]);
    expect(DOCTOR_CHECKS.filter((c) => !guide.includes(`\`${c}\``))).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('[docs/zero-to-a-first-hub.md](docs/zero-to-a-first-hub.md)');
  });
});
