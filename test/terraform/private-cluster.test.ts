// What terraform/gcp and terraform/aws promise beyond the provider schema, read from the HCL: the
// first apply in a fresh project, the private cluster the seeds describe, soft delete off on
// expiring buckets, the smoke identity's IAP grant, and the EKS certificates and checks.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { HclBlock } from './hcl.js';
import { loadModule } from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const gcp = loadModule(root, 'terraform/gcp').flatMap((f) => f.body.blocks);
const aws = loadModule(root, 'terraform/aws').flatMap((f) => f.body.blocks);

function find(blocks: HclBlock[], type: string, ...labels: string[]): HclBlock {
  const found = blocks.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
  if (found === undefined) throw new Error(`no ${type} ${labels.join('.')}`);
  return found;
}
const nested = (block: HclBlock, ...path: string[]): HclBlock =>
  path.reduce((b, type) => {
    const next = b.body.blocks.find((x) => x.type === type || (x.type === 'dynamic' && x.labels[0] === type));
    if (next === undefined) throw new Error(`no block ${type} in ${b.type}`);
    return next;
  }, block);
const attr = (block: HclBlock, name: string): string | undefined =>
  block.body.attributes.find((a) => a.name === name)?.expr;
const local = (blocks: HclBlock[], name: string): string | undefined =>
  blocks
    .filter((b) => b.type === 'locals')
    .flatMap((b) => b.body.attributes)
    .find((a) => a.name === name)?.expr;

describe('terraform/gcp', () => {
  it('binds Workload Identity only after a created cluster exists (its pool does not exist before)', () => {
    expect(
      attr(find(gcp, 'resource', 'google_service_account_iam_member', 'workload_identity'), 'depends_on'),
    ).toBe('[google_container_cluster.this]');
  });

  it('runs the nodes as their own service account with the node role and Artifact Registry read', () => {
    const pool = find(gcp, 'resource', 'google_container_node_pool', 'core');
    expect(attr(nested(pool, 'node_config'), 'service_account')).toBe(
      'google_service_account.nodes[0].email',
    );
    expect(attr(nested(pool, 'node_config', 'workload_metadata_config'), 'mode')).toBe('"GKE_METADATA"');
    expect(attr(pool, 'depends_on')).toBe('[google_project_iam_member.nodes]');
    expect(local(gcp, 'node_roles')).toBe(
      'var.create_cluster ? toset(["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"]) : toset([])',
    );
    expect(attr(find(gcp, 'resource', 'google_project_iam_member', 'nodes'), 'member')).toBe(
      '"serviceAccount:${google_service_account.nodes[0].email}"',
    );
  });

  it('makes the control plane private, globally reachable inside the VPC, for the runner networks and the listed ones', () => {
    const cluster = find(gcp, 'resource', 'google_container_cluster', 'this');
    const pcc = nested(cluster, 'private_cluster_config');
    expect(attr(pcc, 'enable_private_nodes')).toBe('true');
    expect(attr(nested(pcc, 'master_global_access_config'), 'enabled')).toBe('true');
    expect(attr(nested(cluster, 'master_authorized_networks_config', 'cidr_blocks'), 'for_each')).toBe(
      'local.master_authorized_networks',
    );
    expect(local(gcp, 'master_authorized_networks')).toBe(
      'concat(local.runner_networks, var.master_authorized_networks)',
    );
  });

  it('gives a created cluster Cloud NAT for its subnet only', () => {
    const nat = find(gcp, 'resource', 'google_compute_router_nat', 'nodes');
    expect(attr(nat, 'count')).toBe('var.create_cluster ? 1 : 0');
    expect(attr(nat, 'source_subnetwork_ip_ranges_to_nat')).toBe('"LIST_OF_SUBNETWORKS"');
    expect(attr(nested(nat, 'subnetwork'), 'name')).toBe('local.subnet.self_link');
    expect(attr(nested(nat, 'subnetwork'), 'source_ip_ranges_to_nat')).toBe('["ALL_IP_RANGES"]');
  });

  it('opens exactly tcp:8000 from the control plane to the nodes, for the rollout check through the service proxy', () => {
    const fw = find(gcp, 'resource', 'google_compute_firewall', 'control_plane_to_proxy');
    expect({
      direction: attr(fw, 'direction'),
      source: attr(fw, 'source_ranges'),
      target: attr(fw, 'target_tags'),
      allow: fw.body.blocks
        .filter((b) => b.type === 'allow')
        .map((b) => [attr(b, 'protocol'), attr(b, 'ports')]),
    }).toEqual({
      direction: '"INGRESS"',
      source: '[var.master_ipv4_cidr_block]',
      target: '[local.node_tag]',
      allow: [['"tcp"', '["8000"]']],
    });
    expect(
      attr(nested(find(gcp, 'resource', 'google_container_node_pool', 'core'), 'node_config'), 'tags'),
    ).toBe('[local.node_tag]');
  });

  it('checks the subnet for Private Google Access and an adopted cluster for GKE_METADATA on every node pool', () => {
    const subnet = find(gcp, 'data', 'google_compute_subnetwork', 'cluster');
    const conditions = (b: HclBlock): string[] =>
      nested(b, 'lifecycle').body.blocks.map((p) => attr(p, 'condition') ?? '');
    expect(conditions(subnet)[0]).toBe('self.private_ip_google_access');
    expect(conditions(find(gcp, 'data', 'google_container_cluster', 'adopted'))).toContain(
      'self.enable_autopilot == true || alltrue([for p in self.node_pool : try(p.node_config[0].workload_metadata_config[0].mode, "") == "GKE_METADATA"])',
    );
  });

  it('turns soft delete off on buckets whose objects expire', () => {
    const soft = nested(find(gcp, 'resource', 'google_storage_bucket', 'hub'), 'soft_delete_policy');
    expect(attr(soft, 'for_each')).toBe('each.value.delete_after_days == null ? [] : [0]');
    expect(attr(nested(soft, 'content'), 'retention_duration_seconds')).toBe('soft_delete_policy.value');
  });

  it('grants the smoke identity IAP access per hub, with the same host condition as the members', () => {
    expect(local(gcp, 'iap_grants')).toContain('distinct(concat(hub.iap_members, [var.smoke_identity]))');
  });
});

describe('terraform/aws', () => {
  it('requires Terraform 1.11, where S3 native state locking is GA', () => {
    expect(attr(find(aws, 'terraform'), 'required_version')).toBe('">= 1.11.0"');
  });

  it('issues one ACM certificate per hub, validated by DNS in the hubs zone', () => {
    const cert = find(aws, 'resource', 'aws_acm_certificate', 'hub');
    expect([attr(cert, 'for_each'), attr(cert, 'domain_name'), attr(cert, 'validation_method')]).toEqual([
      'var.hubs',
      'each.value.domain',
      '"DNS"',
    ]);
    const validation = find(aws, 'resource', 'aws_acm_certificate_validation', 'hub');
    expect(attr(validation, 'validation_record_fqdns')).toBe(
      '[aws_route53_record.certificate_validation[each.key].fqdn]',
    );
  });

  it('gives external-dns a role that may change records in the hubs zone only', () => {
    const policy = attr(find(aws, 'resource', 'aws_iam_role_policy', 'external_dns'), 'policy') ?? '';
    expect(policy).toContain('Resource = [data.aws_route53_zone.hubs.arn]');
    expect(local(aws, 'external_dns_subject')).toBe('"system:serviceaccount:external-dns:external-dns"');
  });

  it('checks the prerequisites: access-entry authentication, ELB subnets, the deployer access entry', () => {
    expect(find(aws, 'data', 'aws_subnets', 'public_elb')).toBeDefined();
    const check = find(aws, 'check', 'deployer_access_entry');
    expect(attr(find(check.body.blocks, 'data', 'aws_eks_access_entry', 'deployer'), 'principal_arn')).toBe(
      'var.deployer_role_arn',
    );
  });
});
