// Runs every rule over the context: findings in a stable order, each with its rule's id.
import type { AuditContext } from './context.js';
import { atLeast, compareFindings, type AuditRule, type Finding, type Severity } from './finding.js';
import { AUDIT_RULES } from './rules.js';

export function runAudit(ctx: AuditContext, rules: readonly AuditRule[] = AUDIT_RULES): Finding[] {
  return rules
    .flatMap((rule) => rule.check(ctx).map((f): Finding => ({ ruleId: rule.id, ...f })))
    .sort(compareFindings);
}

export function ruleOf(finding: Finding, rules: readonly AuditRule[] = AUDIT_RULES): AuditRule {
  const rule = rules.find((r) => r.id === finding.ruleId);
  if (rule === undefined) throw new Error(`no audit rule ${finding.ruleId}`);
  return rule;
}

/** Exit status: 1 when a finding is at or above `failOn` ('none': never). */
export function auditFails(findings: readonly Finding[], failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && findings.some((f) => atLeast(ruleOf(f).severity, failOn));
}
