// How doctor's results are printed: a checklist for a person (✓ pass, ✗ fail with its fix,
// – skipped with what to set) or JSON for a script. Neither ever holds a token or a secret value:
// the checks only ever see secret names.
import type { CheckResult } from './model.js';

const MARK = { pass: '✓', fail: '✗', skip: '–' } as const;

export interface DoctorSummary {
  passed: number;
  failed: number;
  skipped: number;
}

export function summarize(results: readonly CheckResult[]): DoctorSummary {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  };
}

export function formatChecklist(repository: string | undefined, results: readonly CheckResult[]): string {
  const lines = [`hubfleet doctor${repository === undefined ? '' : ` for ${repository}`}`];
  let scope: string | undefined;
  for (const r of results) {
    if (r.scope !== scope) {
      scope = r.scope;
      lines.push('', r.scope === 'repository' ? 'repository' : `cluster ${r.scope}`);
    }
    lines.push(`  ${MARK[r.status]} ${r.id}: ${r.message}`);
    if (r.fix !== undefined && r.status !== 'pass')
      lines.push(`      ${r.status === 'fail' ? 'fix' : 'to check it'}: ${r.fix}`);
  }
  const s = summarize(results);
  lines.push('', `${s.failed} failed, ${s.skipped} skipped, ${s.passed} passed`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(repository: string | undefined, results: readonly CheckResult[]): string {
  return `${JSON.stringify({ repository: repository ?? null, summary: summarize(results), checks: results }, null, 2)}\n`;
}
