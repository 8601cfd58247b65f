// Literal secrets in a hub (or platform) file's `values` are refused on their line (decision 0019).
// The message names the field and what kind of secret it looks like, never the value.
import type { ConfigProblem } from './model.js';
import { formatPath, isRecord } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';
import { findSecrets } from './secret-values.js';

export const SECRET_ADVICE =
  'put it in a GitHub secret and reference it (a Kubernetes Secret made from it, named through valueFrom.secretKeyRef); the file is committed, rendered and shown in the pull request';

export interface SecretProblems {
  problems: ConfigProblem[];
  /** Formatted paths of the findings, so other rules do not report the same field again. */
  paths: Set<string>;
}

export function secretRules(source: YamlSource): SecretProblems {
  const values = source.data.values;
  if (!isRecord(values)) return { problems: [], paths: new Set() };
  const findings = findSecrets(values, ['values']);
  return {
    problems: findings.map((f) => problemAt(source, f.path, 'value', `${f.what}: ${SECRET_ADVICE}`)),
    paths: new Set(findings.map((f) => formatPath(f.path))),
  };
}
