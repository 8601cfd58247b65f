// Buckets: open to the public (the Terraform modules' bucket settings), or scratch data kept
// forever (the rendered Terraform inputs).
import type { AuditRule, RuleFinding } from '../finding.js';
import type { TextFile } from '../context.js';
import type { BucketTfvars } from '../../render/tfvars.js';

/** The lines of `text` with their 1-based numbers. */
function numbered(text: string): { line: number; text: string }[] {
  return text.split('\n').map((t, i) => ({ line: i + 1, text: t }));
}

/** `resource "TYPE" "NAME" {` blocks, by brace depth from their opening line. */
function blocks(
  file: TextFile,
  type: string,
): { line: number; name: string; body: { line: number; text: string }[] }[] {
  const lines = numbered(file.text);
  const out: { line: number; name: string; body: { line: number; text: string }[] }[] = [];
  const opening = new RegExp(`^resource\\s+"${type}"\\s+"([^"]+)"\\s*\\{`);
  for (let i = 0; i < lines.length; i++) {
    const match = opening.exec(lines[i]?.text ?? '');
    if (match === null) continue;
    let depth = 0;
    const body: { line: number; text: string }[] = [];
    for (let j = i; j < lines.length; j++) {
      const l = lines[j];
      if (l === undefined) break;
      body.push(l);
      const code = l.text.replace(/#.*$/, '');
      depth += (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
      if (depth <= 0) break;
    }
    out.push({ line: lines[i]?.line ?? i + 1, name: match[1] ?? '', body });
  }
  return out;
}

const PUBLIC_MEMBER = /"(allUsers|allAuthenticatedUsers)"/;
const AWS_BLOCKS = [
  'block_public_acls',
  'block_public_policy',
  'ignore_public_acls',
  'restrict_public_buckets',
];

export const publicBucket: AuditRule = {
  id: 'HF011',
  name: 'public-bucket',
  severity: 'error',
  securitySeverity: 7.5,
  summary:
    'A hub bucket can be made public: the module does not enforce public access prevention, or grants allUsers.',
  description:
    "Hub buckets hold users' data; a bucket readable by allUsers or allAuthenticatedUsers, or an S3 bucket without all four public access blocks, publishes it to anyone who guesses its name.",
  fix: 'Keep public_access_prevention = "enforced" on google_storage_bucket, all four aws_s3_bucket_public_access_block settings true, and no allUsers or allAuthenticatedUsers member.',
  check: (ctx) =>
    ctx.terraform.flatMap((file): RuleFinding[] => {
      const out: RuleFinding[] = [];
      const at = (line: number, field: string, message: string): void => {
        out.push({ file: file.file, line, col: 1, field, message });
      };
      for (const l of numbered(file.text)) {
        if (PUBLIC_MEMBER.test(l.text.replace(/#.*$/, '')))
          at(l.line, '', `grants ${PUBLIC_MEMBER.exec(l.text)?.[1] ?? 'the public'} access`);
      }
      for (const b of blocks(file, 'google_storage_bucket')) {
        const setting = b.body.find((l) => /^\s*public_access_prevention\s*=/.test(l.text));
        if (setting === undefined)
          at(b.line, `google_storage_bucket.${b.name}`, 'has no public_access_prevention = "enforced"');
        else if (!/=\s*"enforced"/.test(setting.text))
          at(setting.line, `google_storage_bucket.${b.name}.public_access_prevention`, 'is not "enforced"');
      }
      const s3 = blocks(file, 'aws_s3_bucket');
      const access = blocks(file, 'aws_s3_bucket_public_access_block');
      if (
        s3.length > 0 &&
        access.length === 0 &&
        !/aws_s3_bucket_public_access_block/.test(ctx.terraform.map((f) => f.text).join('\n'))
      )
        for (const b of s3) at(b.line, `aws_s3_bucket.${b.name}`, 'has no aws_s3_bucket_public_access_block');
      for (const b of access) {
        for (const key of AWS_BLOCKS) {
          const setting = b.body.find((l) => new RegExp(`^\\s*${key}\\s*=`).test(l.text));
          if (setting === undefined)
            at(b.line, `aws_s3_bucket_public_access_block.${b.name}.${key}`, `does not set ${key} = true`);
          else if (!/=\s*true\b/.test(setting.text))
            at(setting.line, `aws_s3_bucket_public_access_block.${b.name}.${key}`, 'is not true');
        }
      }
      return out;
    }),
};

/** A bucket key that names scratch space (`scratch`, `team-scratch`, …). */
const SCRATCH = /scratch/;

export const scratchWithoutExpiry: AuditRule = {
  id: 'HF012',
  name: 'scratch-bucket-without-expiry',
  severity: 'warning',
  securitySeverity: 3.1,
  summary: 'A scratch bucket keeps its objects forever.',
  description:
    'Scratch data nobody deletes grows without bound, keeps whatever a user once wrote (datasets, credentials pasted in a notebook) long after it was needed, and pays for both; hubfleet renders a lifecycle rule only when deleteAfterDays is set.',
  fix: 'Set buckets.<scratch>.deleteAfterDays in the hub file (e.g. 7).',
  check: (ctx) =>
    ctx.clusters.flatMap(({ cluster, tfvars }) =>
      Object.entries(tfvars.hubs as Record<string, { buckets: Record<string, BucketTfvars> }>).flatMap(
        ([name, hub]) => {
          const loaded = ctx.hubs.find((h) => h.cluster === cluster && h.hub.config.name === name);
          if (loaded === undefined) return [];
          return Object.entries(hub.buckets)
            .filter(([key, bucket]) => SCRATCH.test(key) && bucket.delete_after_days === null)
            .map(([key, bucket]): RuleFinding => ({
              ...loaded.source.locate(['buckets', key], 'key'),
              field: `buckets.${key}`,
              message: `scratch bucket ${bucket.bucket_name} has no deleteAfterDays: its objects are never deleted`,
            }));
        },
      ),
    ),
};
