// The audit's text and JSON reports.
import type { Finding, Severity } from './finding.js';
import { ruleOf } from './run.js';

/** `file:line:col: severity HF001 name: field: message` per finding, a fix line, then a count. */
export function formatText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'audit: no findings\n';
  const lines = findings.map((f) => {
    const rule = ruleOf(f);
    return `${f.file}:${f.line}:${f.col}: ${rule.severity} ${rule.id} ${rule.name}: ${f.field === '' ? '' : `${f.field}: `}${f.message}\n  fix: ${rule.fix}`;
  });
  const counts = (['error', 'warning', 'note'] as Severity[])
    .map((s) => [s, findings.filter((f) => ruleOf(f).severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n\naudit: ${findings.length} finding${findings.length === 1 ? '' : 's'} (${counts.join(', ')})\n`;
}

export interface JsonFinding extends Finding {
  severity: Severity;
  rule: string;
  fix: string;
}

export function formatJson(findings: readonly Finding[]): string {
  const out: JsonFinding[] = findings.map((f) => {
    const rule = ruleOf(f);
    return { ...f, severity: rule.severity, rule: rule.name, fix: rule.fix };
  });
  return `${JSON.stringify({ findings: out }, null, 2)}\n`;
}
