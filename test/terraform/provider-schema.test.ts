// `terraform validate` needs the providers, which cannot be downloaded here. Instead every resource
// type, data source, argument and nested block the root modules use is checked against the
// providers' own schemas, extracted once by scripts/extract-provider-schema.mjs from the jsii
// assemblies of the prebuilt CDKTF provider packages.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHcl } from './hcl.js';
import {
  attributeProblems,
  loadModule,
  referenceProblems,
  schemaProblems,
  type ProviderSchemas,
} from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const SCHEMA_FILE = 'test/fixtures/terraform/provider-schema.json';
const schemas = JSON.parse(readFileSync(join(root, SCHEMA_FILE), 'utf8')) as ProviderSchemas;

const check = (src: string): string[] =>
  schemaProblems([{ file: 'bad.tf', body: parseHcl(src, 'bad.tf') }], schemas);

describe('the committed provider schema', () => {
  it('says where it comes from: google 6.x and aws 6.x from the CDKTF packages', () => {
    const source = (name: string): unknown => {
      const s = schemas.providers[name]?.source;
      return s && { ...s, extractedAt: /^\d{4}-\d{2}-\d{2}$/.test(s.extractedAt) };
    };
    expect(source('google')).toEqual({
      package: '@cdktf/provider-google',
      packageVersion: '16.12.1',
      provider: 'registry.terraform.io/hashicorp/google',
      providerVersion: '6.50.0',
      extractedAt: true,
      modules: ['terraform/gcp', 'terraform/bootstrap/gcp'],
    });
    expect(source('aws')).toEqual({
      package: '@cdktf/provider-aws',
      packageVersion: '21.22.1',
      provider: 'registry.terraform.io/hashicorp/aws',
      providerVersion: '6.25.0',
      extractedAt: true,
      modules: ['terraform/aws', 'terraform/bootstrap/aws'],
    });
  });

  it('stays small enough to commit', () => {
    expect(readFileSync(join(root, SCHEMA_FILE)).length).toBeLessThan(1024 * 1024);
  });

  it.each([
    ['google', 'terraform/gcp/versions.tf'],
    ['aws', 'terraform/aws/versions.tf'],
  ])(
    '%s: the module requires at least the release the schema was extracted from, same major',
    (name, file) => {
      const [major, minor] = (schemas.providers[name]?.source.providerVersion ?? '').split('.');
      expect(readFileSync(join(root, file), 'utf8')).toContain(`version = "~> ${major}.${minor}"`);
    },
  );
});

describe('root modules against the provider schemas', () => {
  it.each(['terraform/gcp', 'terraform/aws'])(
    '%s uses only types, arguments and blocks the provider has',
    (dir) => {
      expect(schemaProblems(loadModule(root, dir), schemas)).toEqual([]);
    },
  );
});

describe('references', () => {
  it.each(['terraform/gcp', 'terraform/aws'])('%s refers only to what it declares', (dir) => {
    expect(referenceProblems(loadModule(root, dir))).toEqual([]);
  });

  it('catches a misspelt variable, local, resource and data source, and ignores look-alikes in strings', () => {
    const src = [
      'variable "hubs" {}',
      'locals {',
      '  names = [for h in var.hub : h.name]',
      '}',
      'data "aws_partition" "current" {}',
      'resource "aws_iam_role" "irsa" {',
      '  name        = local.name',
      '  description = "roles/iam.workloadIdentityUser on hubfleet.dev/hub"',
      '  tags        = { p = data.aws_partition.curent.partition, q = aws_iam_role.irs.arn }',
      '  policy      = "${data.aws_partition.current.partition}-${aws_iam_role.irsa.arn}-${local.names[0]}"',
      '}',
    ].join('\n');
    expect(referenceProblems([{ file: 'bad.tf', body: parseHcl(src, 'bad.tf') }])).toEqual([
      'bad.tf:3: var.hub is not declared in this module',
      'bad.tf:7: local.name is not declared in this module',
      'bad.tf:9: data.aws_partition.curent is not declared in this module',
      'bad.tf:9: aws_iam_role.irs is not declared in this module',
    ]);
  });
});

describe('attribute reads', () => {
  it.each(['terraform/gcp', 'terraform/aws'])('%s reads only attributes the provider has', (dir) => {
    expect(attributeProblems(loadModule(root, dir), schemas)).toEqual([]);
  });

  it('catches misspelt attributes, nested attributes and reads into a plain value', () => {
    const src = [
      'data "aws_eks_cluster" "this" {',
      '  name = "c"',
      '  lifecycle {',
      '    postcondition {',
      '      condition     = self.identity[0].oidc[0].isuer != ""',
      '      error_message = "x"',
      '    }',
      '  }',
      '}',
      'resource "google_service_account" "hub" {',
      '  for_each   = {}',
      '  account_id = data.aws_eks_cluster.this.identty[0].oidc',
      '}',
      'resource "google_compute_global_address" "hub" {',
      '  for_each = {}',
      '  name     = "${google_service_account.hub["a"].emial}-${google_service_account.hub["a"].email.domain}"',
      '  labels   = { a = google_compute_global_address.hub[local.x[0]].labels.anything, b = data.aws_eks_cluster.this.identity[*].oidc[0].issuer }',
      '}',
    ].join('\n');
    expect(attributeProblems([{ file: 'bad.tf', body: parseHcl(src, 'bad.tf') }], schemas)).toEqual([
      'bad.tf:5: self.identity.oidc has no attribute "isuer"',
      'bad.tf:12: data.aws_eks_cluster.this has no attribute "identty"',
      'bad.tf:16: google_service_account.hub has no attribute "emial"',
      'bad.tf:16: google_service_account.hub.email is a value; it has no attribute "domain"',
    ]);
  });
});

describe('the schema check catches', () => {
  it.each([
    [
      'a misspelt argument',
      'resource "google_compute_global_address" "a" {\n  name = "x"\n  adress_type = "EXTERNAL"\n}\n',
      ['bad.tf:3: google_compute_global_address.a: unknown argument "adress_type"'],
    ],
    [
      'a misspelt nested block',
      'resource "google_storage_bucket" "b" {\n  name = "x"\n  location = "US"\n  lifecycle_rules {\n  }\n}\n',
      ['bad.tf:4: google_storage_bucket.b: unknown nested block "lifecycle_rules"'],
    ],
    [
      'a misspelt argument deep inside a nested block',
      [
        'resource "google_storage_bucket" "b" {',
        '  name     = "x"',
        '  location = "US"',
        '  lifecycle_rule {',
        '    condition {',
        '      agee = 3',
        '    }',
        '    action {',
        '      type = "Delete"',
        '    }',
        '  }',
        '}',
      ].join('\n'),
      ['bad.tf:6: google_storage_bucket.b.lifecycle_rule.condition: unknown argument "agee"'],
    ],
    [
      'a misspelt block name in a dynamic block and a misspelt argument in its content',
      [
        'resource "google_container_cluster" "c" {',
        '  name = "x"',
        '  master_authorized_networks_config {',
        '    dynamic "cidr_block" {',
        '      for_each = []',
        '      content {}',
        '    }',
        '    dynamic "cidr_blocks" {',
        '      for_each = []',
        '      content {',
        '        cidr_block  = "10.0.0.0/8"',
        '        displayname = "x"',
        '      }',
        '    }',
        '  }',
        '}',
      ].join('\n'),
      [
        'bad.tf:4: google_container_cluster.c.master_authorized_networks_config: dynamic "cidr_block": unknown nested block "cidr_block"',
        'bad.tf:12: google_container_cluster.c.master_authorized_networks_config.dynamic.cidr_blocks.content: unknown argument "displayname"',
      ],
    ],
    [
      'a missing required argument and a missing required nested block',
      'resource "google_storage_bucket" "b" {\n  name = "x"\n  lifecycle_rule {\n    action {\n      type = "Delete"\n    }\n  }\n}\n',
      [
        'bad.tf:3: google_storage_bucket.b.lifecycle_rule: required nested block "condition" is missing',
        'bad.tf:1: google_storage_bucket.b: required argument "location" is missing',
      ],
    ],
    [
      'a nested block written as an argument, and a single block repeated',
      [
        'resource "google_iap_web_iam_member" "i" {',
        '  role   = "roles/iap.httpsResourceAccessor"',
        '  member = "group:x@example.org"',
        '  condition = { title = "t", expression = "true" }',
        '}',
        'resource "google_container_cluster" "c" {',
        '  name = "x"',
        '  release_channel {',
        '    channel = "REGULAR"',
        '  }',
        '  release_channel {',
        '    channel = "STABLE"',
        '  }',
        '}',
      ].join('\n'),
      [
        'bad.tf:4: google_iap_web_iam_member.i: condition is a nested block; write condition { … }',
        'bad.tf:11: google_container_cluster.c: release_channel may appear only once',
      ],
    ],
    [
      'unknown, not yet extracted and misspelt types, in resources, data sources and check blocks',
      [
        'resource "google_iap_brand" "b" {}',
        'resource "google_compute_global_adress" "a" {}',
        'data "aws_eks_clusters" "all" {}',
        'check "c" {',
        '  data "aws_eks_cluster_auth" "x" {',
        '    name = "c"',
        '  }',
        '}',
        'resource "azurerm_resource_group" "r" {}',
      ].join('\n'),
      [
        'bad.tf:1: google_iap_brand.b: resource type google_iap_brand is not in the extracted schema; run node scripts/extract-provider-schema.mjs',
        'bad.tf:2: google_compute_global_adress.a: google 6.50.0 has no resource type google_compute_global_adress',
        'bad.tf:3: data.aws_eks_clusters.all: data source aws_eks_clusters is not in the extracted schema; run node scripts/extract-provider-schema.mjs',
        'bad.tf:5: data.aws_eks_cluster_auth.x: data source aws_eks_cluster_auth is not in the extracted schema; run node scripts/extract-provider-schema.mjs',
        'bad.tf:9: azurerm_resource_group.r: no schema for provider "azurerm"',
      ],
    ],
    [
      'misspelt meta-arguments, lifecycle settings and provider arguments',
      [
        'provider "aws" {',
        '  regoin = "us-west-2"',
        '}',
        'data "aws_eks_cluster" "p" {',
        '  for_eachh = {}',
        '  lifecycle {',
        '    prevent_destroy = true',
        '  }',
        '}',
        'resource "aws_iam_role" "r" {',
        '  assume_role_policy = "{}"',
        '  lifecycle {',
        '    ignore_change = []',
        '    precondition {',
        '      condition = true',
        '    }',
        '  }',
        '}',
      ].join('\n'),
      [
        'bad.tf:2: provider.aws: unknown argument "regoin"',
        'bad.tf:5: data.aws_eks_cluster.p: unknown argument "for_eachh"',
        'bad.tf:7: data.aws_eks_cluster.p.lifecycle: unknown argument "prevent_destroy"',
        'bad.tf:4: data.aws_eks_cluster.p: required argument "name" is missing',
        'bad.tf:13: aws_iam_role.r.lifecycle: unknown argument "ignore_change"',
        'bad.tf:14: aws_iam_role.r.lifecycle.precondition: required argument "error_message" is missing',
      ],
    ],
  ])('%s', (_name, src, problems) => {
    expect(check(src)).toEqual(problems);
  });
});

describe('IAP access', () => {
  const modules = ['terraform/gcp', 'terraform/aws'].flatMap((dir) => loadModule(root, dir));
  const resources = modules.flatMap(({ file, body }) =>
    body.blocks.filter((b) => b.type === 'resource').map((block) => ({ file, block })),
  );

  it('has no IAP brand or OAuth client resources (the IAP OAuth Admin API is shut down)', () => {
    expect(
      resources.map((r) => r.block.labels[0]).filter((t) => /^google_iap_(brand|client)$/.test(t ?? '')),
    ).toEqual([]);
  });

  it('is granted only per hub, with a condition on the hub domain, never unconditionally', () => {
    const grants = resources.filter(({ block }) =>
      block.body.attributes.some(
        (a) => a.name === 'role' && a.expr.includes('roles/iap.httpsResourceAccessor'),
      ),
    );
    expect(
      grants.map(({ block }) => ({
        type: block.labels[0],
        forEach: block.body.attributes.find((a) => a.name === 'for_each')?.expr,
        condition: block.body.blocks
          .filter((b) => b.type === 'condition')
          .map((b) => b.body.attributes.find((a) => a.name === 'expression')?.expr),
      })),
    ).toEqual([
      {
        type: 'google_iap_web_iam_member',
        forEach: 'local.iap_grants',
        condition: ['"request.host == \\"${each.value.domain}\\""'],
      },
    ]);
    // No other IAM resource may carry the IAP role through a variable or local either.
    const iamBindings = resources.filter(({ block }) =>
      /_iam_(member|binding|policy)$/.test(block.labels[0] ?? ''),
    );
    expect(
      iamBindings
        .filter(({ block }) => block.labels[0]?.startsWith('google_iap_'))
        .map(({ block }) => `${block.labels[0]}.${block.labels[1]}`),
    ).toEqual(['google_iap_web_iam_member.hub']);
  });
});
