// The parts of the rules that read text: action references, CPU quantities, Terraform bucket settings.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { AuditContext } from '../../src/audit/context.js';
import { publicBucket } from '../../src/audit/rules/buckets.js';
import { cpuCores } from '../../src/audit/rules/user-pods.js';
import { unpinnedReason } from '../../src/audit/rules/workflows.js';

describe('unpinnedReason', () => {
  it.each([
    ['./actions/deploy-hub', undefined],
    ['actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', undefined],
    ['org/repo/.github/workflows/x.yml@3d3c42e5aac5ba805825da76410c181273ba90b1', undefined],
    [`docker://alpine@sha256:${'a'.repeat(64)}`, undefined],
    [
      'actions/checkout@v4',
      'actions/checkout@v4 is pinned to "v4", which can be moved; pin the full commit SHA',
    ],
    [
      'actions/checkout@3d3c42e',
      'actions/checkout@3d3c42e is pinned to "3d3c42e", which can be moved; pin the full commit SHA',
    ],
    [
      'org/repo/.github/workflows/x.yml@main',
      'org/repo/.github/workflows/x.yml@main is pinned to "main", which can be moved; pin the full commit SHA',
    ],
    ['docker://alpine:3.20', 'docker://alpine:3.20 is not pinned to an image digest'],
    ['actions/checkout', 'actions/checkout names no version'],
  ])('%s', (uses, reason) => {
    expect(unpinnedReason(uses)).toBe(reason);
  });
});

describe('cpuCores', () => {
  it.each([
    [2, 2],
    ['500m', 0.5],
    ['16', 16],
    ['2.5', 2.5],
    ['lots', undefined],
    [null, undefined],
  ])('%j is %j cores', (value, cores) => {
    expect(cpuCores(value)).toBe(cores);
  });
});

describe('HF011 public-bucket over Terraform text', () => {
  it('reports the public member, the weak prevention and the missing and false S3 blocks, each on its line', () => {
    const file = 'terraform/gcp/open-buckets.tf';
    const text = readFileSync('test/fixtures/audit/terraform/open-buckets.tf', 'utf8');
    const ctx = { terraform: [{ file, text }] } as unknown as AuditContext;
    expect(publicBucket.check(ctx)).toEqual([
      { file, line: 9, col: 1, field: '', message: 'grants allUsers access' },
      {
        file,
        line: 3,
        col: 1,
        field: 'google_storage_bucket.hub.public_access_prevention',
        message: 'is not "enforced"',
      },
      {
        file,
        line: 19,
        col: 1,
        field: 'aws_s3_bucket_public_access_block.hub.block_public_policy',
        message: 'is not true',
      },
      {
        file,
        line: 16,
        col: 1,
        field: 'aws_s3_bucket_public_access_block.hub.restrict_public_buckets',
        message: 'does not set restrict_public_buckets = true',
      },
    ]);
  });

  it("passes the tool's own modules", () => {
    const files = ['terraform/gcp/buckets.tf', 'terraform/aws/buckets.tf'].map((file) => ({
      file,
      text: readFileSync(file, 'utf8'),
    }));
    expect(publicBucket.check({ terraform: files } as unknown as AuditContext)).toEqual([]);
  });
});
