// What a person reads about a plan: the job summary, the sticky PR comment and the drift issue.
// Pure Markdown from a PlanSummary; every value that goes in has already been redacted.
import { codeBlock, details, table, verdictLine } from '../action/summary.js';
import { truncateMiddle } from '../report/truncate.js';
import { criticalDestroysText } from './critical-destroys.js';
import { countsLine, type PlanSummary, type ResourceAction } from './plan-json.js';

const ACTION_LABEL: Record<ResourceAction, string> = {
  destroy: '🗑️ destroy',
  replace: '♻️ replace',
  change: '✏️ change',
  add: '➕ add',
  import: '📥 import',
  forget: '🫥 forget',
  read: '🔎 read',
};

/** More rows than this are summarised in one line; the plan text still lists every resource. */
export const MAX_TABLE_ROWS = 1000;

export interface PlanBinding {
  planSha256: string;
  inputsDigest: string;
  commit: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The resource types that hold users' data: deleting one fails while it has objects. */
const BUCKET_TYPES: readonly string[] = ['google_storage_bucket', 'aws_s3_bucket'];

/** `google_storage_bucket` of `module.m.google_storage_bucket.hub["x"]` (data sources are `data.T`). */
export function resourceType(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  while (parts[0] === 'module' && parts.length > 2) parts.splice(0, 2);
  return parts[0] === 'data' ? `data.${parts[1] ?? ''}` : (parts[0] ?? '');
}

/** The resources table, destroys first, with a warning line above it when anything is destroyed. */
export function resourcesMarkdown(summary: PlanSummary): string {
  if (summary.resources.length === 0) return 'No resource changes.';
  const parts: string[] = [];
  const destroyed = summary.resources.filter((r) => r.action === 'destroy' || r.action === 'replace');
  if (destroyed.length > 0) {
    parts.push(
      `> [!CAUTION]\n> ${plural(destroyed.length, 'resource')} will be destroyed` +
        `${summary.counts.replace > 0 ? ` (${summary.counts.replace} of them replaced by a new one)` : ''}: ` +
        destroyed
          .slice(0, 20)
          .map((r) => `\`${r.address}\``)
          .join(', ') +
        (destroyed.length > 20 ? `, and ${destroyed.length - 20} more` : ''),
    );
  }
  const buckets = destroyed.filter((r) => BUCKET_TYPES.includes(resourceType(r.address)));
  if (buckets.length > 0) {
    parts.push(
      `> [!WARNING]\n> The apply deletes ${plural(buckets.length, 'bucket')}: ` +
        buckets.map((r) => `\`${r.address}\``).join(', ') +
        '. hubfleet never deletes data (force_destroy is off), so the apply stops on a bucket that still' +
        ' holds objects. Before merging, copy what its users need and empty it.',
    );
  }
  const rows = summary.resources
    .slice(0, MAX_TABLE_ROWS)
    .map((r) => [ACTION_LABEL[r.action], `\`${r.address}\``, r.reason?.replace(/_/g, ' ') ?? '']);
  parts.push(table(['action', 'resource', 'why'], rows));
  if (summary.resources.length > MAX_TABLE_ROWS) {
    parts.push(`…and ${summary.resources.length - MAX_TABLE_ROWS} more resources, listed in the plan text.`);
  }
  return parts.join('\n\n');
}

export function driftMarkdown(summary: PlanSummary): string | undefined {
  if (summary.drift.length === 0) return undefined;
  return [
    `**Changed outside Terraform** (found while refreshing the state):`,
    table(
      ['resource', 'change'],
      summary.drift.map((d) => [`\`${d.address}\``, d.change === 'deleted' ? 'deleted' : 'changed']),
    ),
  ].join('\n\n');
}

export function headline(cluster: string, summary: PlanSummary, changes: boolean): string {
  if (!changes) return `Terraform plan for ${cluster}: no changes`;
  const destroys = criticalDestroysText(summary);
  if (destroys !== undefined)
    return `Terraform plan for ${cluster} ${destroys}: ${countsLine(summary.counts)}`;
  const outputsOnly = summary.resources.length === 0 && summary.outputChanges.length > 0;
  return outputsOnly
    ? `Terraform plan for ${cluster}: only outputs change (${summary.outputChanges.join(', ')})`
    : `Terraform plan for ${cluster}: ${countsLine(summary.counts)}`;
}

export function bindingTable(binding: PlanBinding): string {
  return table(
    ['reviewed plan', ''],
    [
      ['plan sha256', `\`${binding.planSha256}\``],
      ['inputs digest', `\`${binding.inputsDigest}\``],
      ['commit', `\`${binding.commit}\``],
    ],
  );
}

const planTextBlock = (title: string, text: string): string => details(title, codeBlock(text, 'text'));

export function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** One cluster's plan as the comment and the drift issue report it. */
export interface PlanReport {
  cluster: string;
  summary: PlanSummary;
  changes: boolean;
  planText: string;
  binding: PlanBinding;
  runUrl?: string | undefined;
}

/**
 * The sticky PR comment: verdict, binding (sha256, digest, commit), resources, drift, then the
 * plan text collapsed. The comment splitter cuts a long one into parts; the binding stays in part 1.
 */
export function renderPlanComment(args: PlanReport): string {
  const { cluster, summary, changes, planText, binding } = args;
  const parts = [
    verdictLine(
      criticalDestroysText(summary) !== undefined ? 'warn' : changes ? 'info' : 'pass',
      headline(cluster, summary, changes),
    ),
    bindingTable(binding),
    'On merge, apply-iam applies this plan file only, and only while its sha256 and the inputs digest are as shown here.',
    resourcesMarkdown(summary),
  ];
  const drift = driftMarkdown(summary);
  if (drift !== undefined) parts.push(drift);
  parts.push(
    planTextBlock(
      `Plan text (${lineCount(planText)} lines, Terraform ${summary.terraformVersion})`,
      planText,
    ),
  );
  if (args.runUrl !== undefined) parts.push(`<sub>[workflow run](${args.runUrl})</sub>`);
  return `${parts.join('\n\n')}\n`;
}

/** The job summary holds 1 MiB; the plan text is cut in the middle to stay well inside it. */
export const SUMMARY_PLAN_TEXT_LIMIT = 400 * 1024;

export function renderPlanSummary(args: {
  cluster: string;
  mode: 'plan' | 'drift';
  summary: PlanSummary;
  changes: boolean;
  planText: string;
  binding: PlanBinding;
  planPath: string;
  reported: string;
}): string[] {
  const { cluster, summary, changes, planText, binding } = args;
  const critical = criticalDestroysText(summary) !== undefined;
  const verdict = args.mode === 'drift' || critical ? (changes ? 'warn' : 'pass') : changes ? 'info' : 'pass';
  const title =
    args.mode === 'drift'
      ? changes
        ? `Drift in ${cluster}: ${countsLine(summary.counts)}`
        : `No drift in ${cluster}`
      : headline(cluster, summary, changes);
  const parts = [
    verdictLine(verdict, title),
    table(
      ['add', 'change', 'destroy', 'replace', 'import', 'forget'],
      [
        [
          summary.counts.add,
          summary.counts.change,
          summary.counts.destroy,
          summary.counts.replace,
          summary.counts.import,
          summary.counts.forget,
        ],
      ],
    ),
    resourcesMarkdown(summary),
  ];
  const drift = driftMarkdown(summary);
  if (drift !== undefined) parts.push(drift);
  parts.push(bindingTable(binding), `Plan file: \`${args.planPath}\`. ${args.reported}`);
  parts.push(
    planTextBlock(
      `Plan text (${lineCount(planText)} lines)`,
      truncateMiddle(planText, SUMMARY_PLAN_TEXT_LIMIT, 'the full plan is in the plan artifact'),
    ),
  );
  return parts;
}

/** Issue bodies stay well under GitHub's 65,536 characters; the plan text is cut to fit. */
export const ISSUE_PLAN_TEXT_LIMIT = 30_000;

export function driftIssueTitle(cluster: string, summary: PlanSummary): string {
  const n = summary.resources.length + summary.drift.length;
  return `Terraform drift in ${cluster}${n > 0 ? ` (${countsLine(summary.counts)})` : ''}`;
}

/** The failing drift issue: what differs and how to bring it back. */
export function renderDriftIssue(args: {
  cluster: string;
  summary: PlanSummary;
  planText: string;
  commit: string;
  runUrl?: string | undefined;
}): string {
  const { cluster, summary } = args;
  const parts = [
    `The scheduled Terraform plan of \`${cluster}\` at commit \`${args.commit}\` is not empty: the cloud differs from the configuration (${countsLine(summary.counts)}).`,
    resourcesMarkdown(summary),
  ];
  const drift = driftMarkdown(summary);
  if (drift !== undefined) parts.push(drift);
  if (summary.outputChanges.length > 0)
    parts.push(`Outputs that would change: ${summary.outputChanges.map((o) => `\`${o}\``).join(', ')}`);
  parts.push(
    '**What to do:** if the change outside Terraform was a mistake, apply the configuration again (re-run apply-iam from the last merge, or merge a PR touching this cluster). If it should stay, change the config under `config/clusters/' +
      `${cluster}/\` to match and merge that. This issue is closed by the next scheduled run that finds no drift.`,
  );
  parts.push(
    planTextBlock(
      `Plan text (${lineCount(args.planText)} lines)`,
      truncateMiddle(args.planText, ISSUE_PLAN_TEXT_LIMIT, 'the full plan is in the run’s plan artifact'),
    ),
  );
  if (args.runUrl !== undefined) parts.push(`<sub>[workflow run](${args.runUrl})</sub>`);
  return parts.join('\n\n');
}

export function renderNoDrift(cluster: string, commit: string): string {
  return `The scheduled Terraform plan of \`${cluster}\` at commit \`${commit}\` is empty: no drift. Closing.`;
}

/** Identifies a drift by what drifted, so a repeated identical finding edits instead of adding comments. */
export function driftFingerprint(summary: PlanSummary): string {
  return [
    ...summary.resources.map((r) => `${r.action} ${r.address}`),
    ...summary.drift.map((d) => `${d.change} ${d.address}`),
  ].join('\n');
}

/** The comment and summary of a plan that failed: what failed, and that no plan is current. */
export function renderPlanFailure(cluster: string, failure: string, runUrl?: string): string {
  const parts = [
    verdictLine('fail', `Terraform plan for ${cluster} failed`),
    codeBlock(failure, 'text'),
    'There is no current plan for this cluster: an earlier plan shown here would be refused by apply-iam, because its inputs digest no longer matches. Fix the error and push again.',
  ];
  if (runUrl !== undefined) parts.push(`<sub>[workflow run](${runUrl})</sub>`);
  return `${parts.join('\n\n')}\n`;
}

/** The drift issue's outcome for upsertIssue: failing (with a fingerprint) while the plan is not empty. */
export function driftIssueOutcome(
  args: PlanReport,
):
  | { status: 'failing'; title: string; body: string; fingerprint: string }
  | { status: 'passing'; body: string } {
  const { cluster, summary, binding } = args;
  if (!args.changes) return { status: 'passing', body: renderNoDrift(cluster, binding.commit) };
  return {
    status: 'failing',
    title: driftIssueTitle(cluster, summary),
    body: renderDriftIssue({
      cluster,
      summary,
      planText: args.planText,
      commit: binding.commit,
      runUrl: args.runUrl,
    }),
    fingerprint: driftFingerprint(summary),
  };
}
