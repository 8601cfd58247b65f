// SARIF 2.1.0 for GitHub code scanning (docs.github.com "SARIF support for code scanning"): one
// run, the tool's rules with help text and GitHub's `security-severity`, one result per finding
// at its file and line, so the PR shows each finding on the changed line.
import { createHash } from 'node:crypto';
import type { AuditRule, Finding } from './finding.js';
import { AUDIT_RULES } from './rules.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Our own partial fingerprint: rule, file and field, not the line, so an alert keeps its identity
 * (and its dismissal) when lines above it move. `primaryLocationLineHash` is left to upload-sarif,
 * which computes it from the file's content and warns when a given one disagrees.
 */
export const FINGERPRINT_KEY = 'hubfleetFinding/v1';

function fingerprint(f: Finding, occurrence: number): string {
  return createHash('sha256')
    .update(`${f.ruleId}\0${f.file}\0${f.field}\0${occurrence}`)
    .digest('hex')
    .slice(0, 32);
}

/** POSIX separators and no leading ./ : GitHub resolves the uri against the repository root. */
function repoUri(file: string): string {
  return file.split('\\').join('/').replace(/^\.\//, '');
}

function ruleDescriptor(rule: AuditRule): Record<string, unknown> {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description}\n\nFix: ${rule.fix}`,
      markdown: `${rule.description}\n\n**Fix:** ${rule.fix}`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: {
      // GitHub shows it as critical/high/medium/low; it must be a string holding a number.
      'security-severity': rule.securitySeverity.toFixed(1),
      tags: ['security', 'hubfleet'],
      precision: 'very-high',
    },
  };
}

export function toSarif(
  findings: readonly Finding[],
  version: string,
  rules: readonly AuditRule[] = AUDIT_RULES,
): object {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const results = findings.map((f) => {
    const rule = rules[index.get(f.ruleId) ?? -1];
    if (rule === undefined) throw new Error(`no audit rule ${f.ruleId}`);
    const key = `${f.ruleId}\0${f.file}\0${f.field}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      ruleId: rule.id,
      ruleIndex: index.get(rule.id),
      level: rule.severity,
      message: { text: f.field === '' ? f.message : `${f.field}: ${f.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: repoUri(f.file) },
            region: { startLine: f.line, startColumn: f.col },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, occurrence) },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hubfleet audit',
            semanticVersion: version,
            rules: rules.map(ruleDescriptor),
          },
        },
        results,
      },
    ],
  };
}
