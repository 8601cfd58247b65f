import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { actionOf, changesResources, countsLine, summarizePlan } from './plan-json.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../test/fixtures/tfplan', name), 'utf8'));

describe('summarizePlan', () => {
  it('counts add/change/destroy/replace/import and lists resources destroys first, then by address', () => {
    const summary = summarizePlan(fixture('mixed-plan.json'));
    expect(summary.counts).toEqual({ add: 1, change: 1, destroy: 2, replace: 1, import: 1, forget: 0 });
    expect(summary.resources).toEqual([
      { address: 'google_compute_global_address.a_first', action: 'destroy' },
      {
        address: 'google_dns_record_set.old',
        action: 'destroy',
        reason: 'delete_because_no_resource_config',
      },
      { address: 'google_storage_hmac_key.key', action: 'replace', reason: 'replace_because_cannot_update' },
      { address: 'google_compute_global_address.ip', action: 'change' },
      { address: 'google_storage_bucket.b["scratch"]', action: 'add' },
      { address: 'google_service_account.adopted', action: 'import' },
      { address: 'data.google_project.this', action: 'read' },
    ]);
    expect(summary.drift).toEqual([
      { address: 'google_compute_global_address.ip', change: 'changed' },
      { address: 'google_dns_record_set.gone', change: 'deleted' },
    ]);
    expect(summary.outputChanges).toEqual(['hmac_secret']);
    expect(summary.terraformVersion).toBe('1.11.4');
    expect(changesResources(summary)).toBe(true);
  });

  it('reads an empty plan as no changes', () => {
    const summary = summarizePlan({
      format_version: '1.2',
      terraform_version: '1.11.4',
      resource_changes: [],
    });
    expect(summary).toEqual({
      counts: { add: 0, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 },
      resources: [],
      drift: [],
      outputChanges: [],
      terraformVersion: '1.11.4',
    });
    expect(changesResources(summary)).toBe(false);
  });

  it.each([
    [null, 'terraform show -json returned a document hubfleet cannot read: not a JSON object'],
    [
      { format_version: '0.2' },
      'terraform show -json returned a document hubfleet cannot read: format_version "0.2", expected 1.x',
    ],
    [
      { format_version: '1.0', resource_changes: {} },
      'terraform show -json returned a document hubfleet cannot read: resource_changes is not a list',
    ],
    [
      { format_version: '1.0', resource_changes: [{ address: 'x.y', change: { actions: ['explode'] } }] },
      'terraform show -json returned a document hubfleet cannot read: unknown resource actions [explode]',
    ],
  ])('refuses a document it cannot read: %j', (doc, message) => {
    expect(() => summarizePlan(doc)).toThrow(message);
  });
});

describe('actionOf', () => {
  it.each([
    [['create'], false, 'add'],
    [['update'], false, 'change'],
    [['delete'], false, 'destroy'],
    [['delete', 'create'], false, 'replace'],
    [['create', 'delete'], false, 'replace'],
    [['forget'], false, 'forget'],
    [['read'], false, 'read'],
    [['no-op'], true, 'import'],
    [['no-op'], false, undefined],
  ] as const)('%j (importing %s) → %s', (actions, importing, expected) => {
    expect(actionOf(actions, importing)).toBe(expected);
  });
});

describe('countsLine', () => {
  it('always names the four main counts and adds import/forget only when present', () => {
    expect(countsLine({ add: 1, change: 0, destroy: 2, replace: 0, import: 0, forget: 0 })).toBe(
      '1 to add, 0 to change, 2 to destroy, 0 to replace',
    );
    expect(countsLine({ add: 0, change: 0, destroy: 0, replace: 1, import: 3, forget: 1 })).toBe(
      '0 to add, 0 to change, 0 to destroy, 1 to replace, 3 to import, 1 to forget',
    );
  });
});
