import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizePlan } from './plan-json.js';
import {
  driftFingerprint,
  driftIssueOutcome,
  driftIssueTitle,
  renderDriftIssue,
  renderPlanComment,
  resourcesMarkdown,
  resourceType,
} from './plan-report.js';
import { redactPlanJson } from './redact.js';

const raw = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../test/fixtures/tfplan/mixed-plan.json'), 'utf8'),
) as unknown;
const summary = summarizePlan(redactPlanJson(raw).plan);
const binding = { planSha256: 'f'.repeat(64), inputsDigest: `sha256:${'e'.repeat(64)}`, commit: 'c0ffee' };

describe('plan report', () => {
  it('tables resources destroys first, with a caution naming what is destroyed', () => {
    expect(resourcesMarkdown(summary)).toBe(
      [
        '> [!CAUTION]',
        '> 3 resources will be destroyed (1 of them replaced by a new one): `google_compute_global_address.a_first`, `google_dns_record_set.old`, `google_storage_hmac_key.key`',
        '',
        '| action | resource | why |',
        '| --- | --- | --- |',
        '| 🗑️ destroy | `google_compute_global_address.a_first` |  |',
        '| 🗑️ destroy | `google_dns_record_set.old` | delete because no resource config |',
        '| ♻️ replace | `google_storage_hmac_key.key` | replace because cannot update |',
        '| ✏️ change | `google_compute_global_address.ip` |  |',
        '| ➕ add | `google_storage_bucket.b["scratch"]` |  |',
        '| 📥 import | `google_service_account.adopted` |  |',
        '| 🔎 read | `data.google_project.this` |  |',
      ].join('\n'),
    );
  });

  it('warns that the apply stops on a deleted bucket that still holds objects', () => {
    const removal = {
      ...summary,
      counts: { add: 0, change: 0, destroy: 3, replace: 0, import: 0, forget: 0 },
      resources: [
        { address: 'google_storage_bucket.hub["ocean.scratch"]', action: 'destroy' as const },
        { address: 'google_storage_bucket_iam_member.hub["ocean/scratch"]', action: 'destroy' as const },
        { address: 'module.x.aws_s3_bucket.hub["glacier-scratch"]', action: 'destroy' as const },
      ],
    };
    expect(resourcesMarkdown(removal).split('\n\n').slice(0, 2)).toEqual([
      '> [!CAUTION]\n> 3 resources will be destroyed: `google_storage_bucket.hub["ocean.scratch"]`, `google_storage_bucket_iam_member.hub["ocean/scratch"]`, `module.x.aws_s3_bucket.hub["glacier-scratch"]`',
      '> [!WARNING]\n> The apply deletes 2 buckets: `google_storage_bucket.hub["ocean.scratch"]`, `module.x.aws_s3_bucket.hub["glacier-scratch"]`. hubfleet never deletes data (force_destroy is off), so the apply stops on a bucket that still holds objects. Before merging, copy what its users need and empty it.',
    ]);
  });

  it('reads the resource type of an address', () => {
    expect(resourceType('google_storage_bucket.hub["a.b"]')).toBe('google_storage_bucket');
    expect(resourceType('module.hubs["x"].module.y.aws_s3_bucket.this')).toBe('aws_s3_bucket');
    expect(resourceType('data.google_project.this')).toBe('data.google_project');
  });

  it('puts the verdict and the binding first and the plan text collapsed last', () => {
    const body = renderPlanComment({
      cluster: 'pangeo-gcp',
      summary,
      changes: true,
      planText: 'Plan: 1 to add\n',
      binding,
      runUrl: 'https://github.com/o/r/actions/runs/1',
    });
    const lines = body.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      // The fixture destroys a static IP: named in the first line, as a warning.
      '### ⚠️ Terraform plan for pangeo-gcp DESTROYS 1 static IP (google_compute_global_address.a_first): 1 to add, 1 to change, 2 to destroy, 1 to replace, 1 to import',
      '',
      '| reviewed plan |  |',
      '| --- | --- |',
      `| plan sha256 | \`${'f'.repeat(64)}\` |`,
      `| inputs digest | \`sha256:${'e'.repeat(64)}\` |`,
      '| commit | `c0ffee` |',
    ]);
    expect(body).toContain('**Changed outside Terraform**');
    expect(body).toContain(
      '<details><summary>Plan text (1 lines, Terraform 1.11.4)</summary>\n\n```text\nPlan: 1 to add\n```\n\n</details>',
    );
    expect(body.endsWith('<sub>[workflow run](https://github.com/o/r/actions/runs/1)</sub>\n')).toBe(true);
  });

  it('says no changes when there are none', () => {
    const empty = summarizePlan({ format_version: '1.2', terraform_version: '1.11.4' });
    const body = renderPlanComment({
      cluster: 'c',
      summary: empty,
      changes: false,
      planText: 'No changes.\n',
      binding,
    });
    expect(body.split('\n')[0]).toBe('### ✅ Terraform plan for c: no changes');
    expect(body).toContain('No resource changes.');
  });

  it('writes the drift issue with what to do, and fingerprints it by what drifted', () => {
    expect(driftIssueTitle('c', summary)).toBe(
      'Terraform drift in c (1 to add, 1 to change, 2 to destroy, 1 to replace, 1 to import)',
    );
    const body = renderDriftIssue({ cluster: 'c', summary, planText: 'x'.repeat(100_000), commit: 'abc' });
    expect(body.length).toBeLessThan(40_000);
    expect(body).toContain('**What to do:**');
    expect(driftFingerprint(summary)).toBe(
      [
        'destroy google_compute_global_address.a_first',
        'destroy google_dns_record_set.old',
        'replace google_storage_hmac_key.key',
        'change google_compute_global_address.ip',
        'add google_storage_bucket.b["scratch"]',
        'import google_service_account.adopted',
        'read data.google_project.this',
        'changed google_compute_global_address.ip',
        'deleted google_dns_record_set.gone',
      ].join('\n'),
    );
  });

  it('makes the drift issue outcome: failing with the fingerprint while the plan is not empty, passing when it is', () => {
    const failing = driftIssueOutcome({ cluster: 'c', summary, changes: true, planText: 'p\n', binding });
    expect(failing).toEqual({
      status: 'failing',
      title: driftIssueTitle('c', summary),
      body: renderDriftIssue({ cluster: 'c', summary, planText: 'p\n', commit: 'c0ffee' }),
      fingerprint: driftFingerprint(summary),
    });
    const empty = summarizePlan({ format_version: '1.2' });
    expect(
      driftIssueOutcome({ cluster: 'c', summary: empty, changes: false, planText: '', binding }),
    ).toEqual({
      status: 'passing',
      body: 'The scheduled Terraform plan of `c` at commit `c0ffee` is empty: no drift. Closing.',
    });
  });
});
