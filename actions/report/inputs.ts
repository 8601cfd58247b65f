import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';

export const reportInputs = defineInputs({
  'github-token': { kind: 'string', secret: true, default: '${{ github.token }}' },
  mode: { kind: 'enum', values: ['comment', 'issue'], required: true },
  key: { kind: 'string', required: true },
  body: { kind: 'string' },
  'body-file': { kind: 'string' },
  'pr-number': { kind: 'integer', min: 1 },
  status: { kind: 'enum', values: ['failing', 'passing'] },
  title: { kind: 'string' },
  label: { kind: 'string', default: 'hubfleet' },
  fingerprint: { kind: 'string' },
  'extra-labels': { kind: 'string' },
});

export const reportOutputs = defineOutputs(['comment-ids', 'issue-number', 'action']);
export type ReportOutputs = OutputsOf<typeof reportOutputs>;

export type BodySource = { kind: 'text'; text: string } | { kind: 'file'; path: string };

/** What the workflow asked for, with the combinations that make no sense already refused. */
export type ReportRequest =
  | { mode: 'comment'; token: string; key: string; body: BodySource; prNumber: number }
  | {
      mode: 'issue';
      token: string;
      key: string;
      body: BodySource;
      label: string;
      extraLabels: string[];
      outcome: { status: 'failing'; title: string; fingerprint?: string } | { status: 'passing' };
    };

/** The parts of the webhook payload that can name the pull request to comment on. */
interface EventNumbers {
  pull_request?: { number?: unknown };
  issue?: { number?: unknown };
}

/**
 * Reads the inputs and checks how they combine; every problem is reported at once. `event` is the
 * triggering webhook payload: a pull_request (or issue_comment) event supplies the PR number.
 */
export function readReportInputs(event: unknown): ReportRequest {
  const inputs = readInputs(reportInputs);
  const problems: string[] = [];
  const only = (name: string, mode: string): void => {
    problems.push(`input "${name}": applies to mode ${mode} only, but mode is ${inputs.mode}`);
  };

  let body: BodySource | undefined;
  if (inputs.body !== undefined && inputs.bodyFile !== undefined) {
    problems.push('inputs "body" and "body-file": give one of them, not both');
  } else if (inputs.body !== undefined) body = { kind: 'text', text: inputs.body };
  else if (inputs.bodyFile !== undefined) body = { kind: 'file', path: inputs.bodyFile };
  else problems.push('inputs "body" and "body-file": one of them is required');

  if (inputs.mode === 'comment') {
    if (inputs.status !== undefined) only('status', 'issue');
    if (inputs.title !== undefined) only('title', 'issue');
    if (inputs.fingerprint !== undefined) only('fingerprint', 'issue');
    if (inputs.extraLabels !== undefined) only('extra-labels', 'issue');
    const prNumber = inputs.prNumber ?? eventNumber(event);
    if (prNumber === undefined) {
      problems.push(
        'input "pr-number": required in comment mode when the triggering event has no pull request',
      );
    }
    if (problems.length > 0 || body === undefined || prNumber === undefined) throw invalidInputs(problems);
    return { mode: 'comment', token: inputs.githubToken, key: inputs.key, body, prNumber };
  }

  if (inputs.prNumber !== undefined) only('pr-number', 'comment');
  let outcome: { status: 'failing'; title: string; fingerprint?: string } | { status: 'passing' } | undefined;
  if (inputs.status === 'passing') {
    outcome = { status: 'passing' };
    if (inputs.fingerprint !== undefined) {
      problems.push('input "fingerprint": applies to status failing only, but status is passing');
    }
  } else if (inputs.status === undefined)
    problems.push('input "status": required in issue mode (failing or passing)');
  else if (inputs.title === undefined)
    problems.push('input "title": required in issue mode when status is failing');
  else {
    outcome =
      inputs.fingerprint === undefined
        ? { status: 'failing', title: inputs.title }
        : { status: 'failing', title: inputs.title, fingerprint: inputs.fingerprint };
  }
  const extraLabels = (inputs.extraLabels ?? '')
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (problems.length > 0 || body === undefined || outcome === undefined) throw invalidInputs(problems);
  return {
    mode: 'issue',
    token: inputs.githubToken,
    key: inputs.key,
    body,
    label: inputs.label,
    extraLabels,
    outcome,
  };
}

function eventNumber(event: unknown): number | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { pull_request: pr, issue } = event as EventNumbers;
  // issue_comment events on a pull request carry it as `issue`.
  const number = pr?.number ?? issue?.number;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
