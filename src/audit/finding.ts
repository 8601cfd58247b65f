// The audit's vocabulary: a rule (stable id, what it checks, how to fix it) and the findings its
// check returns, each pointing at the file and line a person has to change.
import type { FieldPath } from '../config/field-path.js';
import type { AuditContext } from './context.js';

/** SARIF's result levels (sarif-v2.1.0 §3.27.10), which GitHub code scanning shows as such. */
export type Severity = 'error' | 'warning' | 'note';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** Where the finding is; lines and columns are 1-based, files relative to the repository root. */
export interface FindingLocation {
  file: string;
  line: number;
  col: number;
}

export interface Finding extends FindingLocation {
  ruleId: string;
  /** The field the finding is about (dotted), '' when it is about a whole file or block. */
  field: string;
  message: string;
}

/** What a rule's check returns before the runner adds the rule's id. */
export type RuleFinding = Omit<Finding, 'ruleId'>;

export interface AuditRule {
  /** Stable: code scanning matches alerts across runs by it. Never reused for another rule. */
  id: string;
  /** kebab-case name, SARIF `rules[].name`. */
  name: string;
  severity: Severity;
  /**
   * GitHub's `security-severity` (0.0–10.0; ≥ 9 critical, ≥ 7 high, ≥ 4 medium, else low), which
   * code scanning shows for a security query.
   */
  securitySeverity: number;
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters (the attack it stands for). */
  description: string;
  /** What to do about a finding. */
  fix: string;
  check: (ctx: AuditContext) => RuleFinding[];
}

/** A finding at a field of a parsed file (key or value, as YamlSource.locate points). */
export function findingAt(
  source: { file: string; locate: (path: FieldPath, target: 'key' | 'value') => FindingLocation },
  path: FieldPath,
  field: string,
  message: string,
  target: 'key' | 'value' = 'value',
): RuleFinding {
  const at = source.locate(path, target);
  return { file: at.file, line: at.line, col: at.col, field, message };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Whether `severity` is at or above `threshold` (error > warning > note). */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return ORDER[severity] <= ORDER[threshold];
}

/** Deterministic order: file, line, column, rule, field. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.col - b.col ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)
  );
}
