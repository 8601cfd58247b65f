import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AUDIT_RULES } from './rules.js';
import { auditRuleTable, withRuleTable } from './rule-table.js';

describe('audit rule table', () => {
  it('README.md carries the table generated from the rules (run npm run docs)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withRuleTable(readme)).toBe(readme);
  });

  it('has one row per rule, in id order, with its severity and fix', () => {
    const rows = auditRuleTable().split('\n').slice(2, -1);
    expect(rows.map((r) => /<\/a>(HF[0-9]{3}) /.exec(r)?.[1])).toEqual(AUDIT_RULES.map((r) => r.id));
    expect(rows[4]).toBe(
      '| <a id="hf005"></a>HF005 | `public-control-plane` | error (8.2) | A GKE cluster\'s control plane has a public endpoint. With privateEndpoint: false the Kubernetes API answers on a public address; a leaked or long-lived credential is then usable from anywhere, which is how clusters of public hubs have been taken over. | Set gcp.privateEndpoint: true; jobs reach the control plane from the in-VPC runners (or through the IAM-gated DNS endpoint). |',
    );
  });

  it('rule ids and names are unique and ids are HFnnn', () => {
    expect(new Set(AUDIT_RULES.map((r) => r.id)).size).toBe(AUDIT_RULES.length);
    expect(new Set(AUDIT_RULES.map((r) => r.name)).size).toBe(AUDIT_RULES.length);
    expect(AUDIT_RULES.filter((r) => !/^HF[0-9]{3}$/.test(r.id))).toEqual([]);
  });
});
