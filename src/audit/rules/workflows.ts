// The fleet's workflows (.github/workflows/*.yml): long-lived cloud keys and actions a tag can move.
// GitHub's security hardening guide: "Pinning an action to a full length commit SHA is currently
// the only way to use an action as an immutable release"; OIDC replaces stored cloud keys.
import { formatPath, isRecord, type PathSegment } from '../../config/field-path.js';
import type { YamlFile } from '../context.js';
import type { AuditRule, RuleFinding } from '../finding.js';

interface Step {
  workflow: YamlFile;
  path: PathSegment[];
  step: Record<string, unknown>;
}

function jobs(workflow: YamlFile): [string, Record<string, unknown>][] {
  const all = workflow.source.data.jobs;
  return isRecord(all)
    ? Object.entries(all).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
    : [];
}

function steps(workflow: YamlFile): Step[] {
  return jobs(workflow).flatMap(([id, job]) =>
    (Array.isArray(job.steps) ? job.steps : []).flatMap((step, i): Step[] =>
      isRecord(step) ? [{ workflow, path: ['jobs', id, 'steps', i], step }] : [],
    ),
  );
}

function at(workflow: YamlFile, path: PathSegment[], field: string, message: string): RuleFinding {
  return { ...workflow.source.locate(path, 'key'), field, message };
}

/** `jobs.<id>.steps[<i>]`, the step as a field path. */
function label(s: Step): string {
  return formatPath(s.path);
}

export const credentialsJson: AuditRule = {
  id: 'HF013',
  name: 'workflow-credentials-json',
  severity: 'error',
  securitySeverity: 8.0,
  summary: 'A workflow logs in to Google Cloud with a service account key (credentials_json).',
  description:
    'A service account key is a long-lived secret: anyone who reads it from a log, a fork or a leaked secret store can use it until it is deleted. Workload Identity Federation gives each job a short-lived token bound to the repository and branch instead.',
  fix: 'Use google-github-actions/auth with workload_identity_provider and service_account (id-token: write), and delete the key.',
  check: (ctx) =>
    ctx.workflows.flatMap((w) =>
      steps(w).flatMap((s): RuleFinding[] =>
        isRecord(s.step.with) && s.step.with.credentials_json !== undefined
          ? [
              at(
                w,
                [...s.path, 'with', 'credentials_json'],
                `${label(s)}.with.credentials_json`,
                'logs in with a service account key',
              ),
            ]
          : [],
      ),
    ),
};

const AWS_KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key'];
const AWS_KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

export const awsAccessKeys: AuditRule = {
  id: 'HF014',
  name: 'workflow-aws-access-keys',
  severity: 'error',
  securitySeverity: 8.0,
  summary: 'A workflow uses AWS access keys.',
  description:
    "An IAM user's access key is a long-lived secret, usable from anywhere until it is rotated. GitHub's OIDC provider and an IAM role that trusts only this repository's sub claim give each job short-lived credentials instead.",
  fix: 'Use aws-actions/configure-aws-credentials with role-to-assume (id-token: write), and deactivate the key.',
  check: (ctx) =>
    ctx.workflows.flatMap((w) => {
      const out: RuleFinding[] = [];
      const envAt = (env: unknown, path: PathSegment[], where: string): void => {
        if (!isRecord(env)) return;
        for (const key of AWS_KEY_ENV)
          if (env[key] !== undefined)
            out.push(at(w, [...path, 'env', key], `${where}env.${key}`, `sets ${key}`));
      };
      envAt(w.source.data.env, [], '');
      for (const [id, job] of jobs(w)) envAt(job.env, ['jobs', id], `jobs.${id}.`);
      for (const s of steps(w)) {
        envAt(s.step.env, s.path, `${label(s)}.`);
        const inputs = s.step.with;
        if (!isRecord(inputs)) continue;
        for (const key of AWS_KEY_INPUTS)
          if (inputs[key] !== undefined)
            out.push(at(w, [...s.path, 'with', key], `${label(s)}.with.${key}`, `passes ${key}`));
      }
      return out;
    }),
};

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Why a `uses:` value is not immutable, or undefined when it is (a local path, a SHA, an image digest). */
export function unpinnedReason(uses: string): string | undefined {
  if (uses.startsWith('./')) return undefined;
  if (uses.startsWith('docker://'))
    return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : `${uses} is not pinned to an image digest`;
  const at = uses.lastIndexOf('@');
  if (at < 0) return `${uses} names no version`;
  const ref = uses.slice(at + 1);
  return FULL_SHA.test(ref)
    ? undefined
    : `${uses} is pinned to "${ref}", which can be moved; pin the full commit SHA`;
}

export const unpinnedAction: AuditRule = {
  id: 'HF015',
  name: 'unpinned-action',
  severity: 'error',
  securitySeverity: 7.0,
  summary: 'A workflow uses an action or reusable workflow by a tag or branch instead of a full commit SHA.',
  description:
    "A tag or branch can be moved to other code by whoever controls the action's repository (or steals its credentials); the job then runs that code with the job's token and cloud identity.",
  fix: 'Pin owner/repo@<40-hex commit SHA> (the commit the release tag points to), with the version as a comment.',
  check: (ctx) =>
    ctx.workflows.flatMap((w) => {
      const out: RuleFinding[] = [];
      for (const [id, job] of jobs(w)) {
        const why = typeof job.uses === 'string' ? unpinnedReason(job.uses) : undefined;
        if (why !== undefined)
          out.push({
            ...w.source.locate(['jobs', id, 'uses'], 'value'),
            field: `jobs.${id}.uses`,
            message: why,
          });
      }
      for (const s of steps(w)) {
        const why = typeof s.step.uses === 'string' ? unpinnedReason(s.step.uses) : undefined;
        if (why !== undefined)
          out.push({
            ...w.source.locate([...s.path, 'uses'], 'value'),
            field: `${label(s)}.uses`,
            message: why,
          });
      }
      return out;
    }),
};
