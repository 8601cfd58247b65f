// The health check's report: one summary row per hub with each step's time, and one
// `unhealthy:<cluster>/<hub>` issue per failing hub (distinct from smoke-iap's `down:` and
// `exposure:`), opened, edited in place while the same step fails the same way, and closed on
// recovery through the shared hub-issue sync. Pure, except reportHealthIssues.
import type { GitHubClient } from '../adapters/github.js';
import { details, escapeHtml, table, verdictLine } from '../action/summary.js';
import { syncHubIssues, type HubIssuePlan, type HubIssueRow } from '../report/hub-issues.js';
import { STEP_ORDER, type HealthResult, type StepName, type StepResult } from './check.js';

export const HEALTH_ISSUE_KIND = 'unhealthy';

export const healthIssueKey = (cluster: string, hub: string): string =>
  `${HEALTH_ISSUE_KIND}:${cluster}/${hub}`;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function stepCell(steps: readonly StepResult[], step: StepName, optional: boolean): string {
  const s = steps.find((x) => x.step === step);
  if (s === undefined) return optional ? 'off' : 'not reached';
  return s.outcome === 'pass' ? seconds(s.ms) : `❌ ${seconds(s.ms)}`;
}

/** One row per hub: verdict, attempts, and each step's time (failed steps marked). */
export function summaryRows(results: readonly HealthResult[]): string[][] {
  return results.map((r) => [
    r.target.hub,
    r.verdict === 'healthy' ? '✅ healthy' : `❌ ${r.failed?.step ?? 'unhealthy'}`,
    String(r.attempts),
    ...STEP_ORDER.map((step) =>
      stepCell(
        r.steps,
        step,
        (step === 'scratch' && !r.target.scratch) || (step === 'dask' && !r.target.dask),
      ),
    ),
  ]);
}

export function healthSummary(
  cluster: string,
  results: readonly HealthResult[],
  issues: readonly HubIssueRow[],
): string[] {
  const bad = results.filter((r) => r.verdict === 'unhealthy');
  const parts = [
    bad.length === 0
      ? verdictLine(
          'pass',
          `${results.length} hub(s) of ${cluster} healthy: a server started, ran code and stopped`,
        )
      : verdictLine(
          'fail',
          `${bad.length} of ${results.length} hub(s) of ${cluster} unhealthy: ${bad.map((r) => r.target.hub).join(', ')}`,
        ),
    table(['hub', 'verdict', 'attempts', ...STEP_ORDER], summaryRows(results)),
  ];
  for (const r of bad) {
    const lines = [
      // A reason can quote a hub's answer: shown as text, never as HTML.
      `**Failed at ${r.failed?.step ?? '?'}:** ${escapeHtml(r.failed?.reason ?? '')}`,
      ...r.earlier.map((e, i) => `- attempt ${i + 1}: ${escapeHtml(e)}`),
    ];
    parts.push(details(`${cluster}/${r.target.hub} (unhealthy)`, lines.join('\n\n'), true));
  }
  if (issues.length > 0) {
    parts.push(
      table(
        ['issue', 'status', 'action'],
        issues.map((i) => [
          i.key,
          i.status,
          `${i.action}${i.issueNumber === undefined ? '' : ` #${i.issueNumber}`}`,
        ]),
      ),
    );
  }
  return parts;
}

/** The issue plan of one hub: failing with the step and reason, or passing (closes an open one). */
export function healthIssuePlan(result: HealthResult, runUrl: string | undefined): HubIssuePlan {
  const { cluster, hub } = result.target;
  const key = healthIssueKey(cluster, hub);
  const run = runUrl === undefined ? '' : `\n\nRun: ${runUrl}`;
  if (result.verdict === 'healthy' || result.failed === undefined) {
    return {
      key,
      hub,
      outcome: {
        status: 'passing',
        body: `hub-health: ${cluster}/${hub} is healthy again: a server started, ran code and stopped.${run}`,
      },
    };
  }
  const title = `Hub ${cluster}/${hub} is unhealthy: ${result.failed.step} fails`;
  const body = [
    `## ${title}`,
    '',
    `The health check starts the \`hubfleet-health\` user's server through the hub's front door, runs code in a kernel and stops it. It failed at **${result.failed.step}** after ${result.attempts} attempt(s):`,
    '',
    `> ${escapeHtml(result.failed.reason)}`,
    '',
    table(
      ['step', 'outcome', 'time', 'detail'],
      result.steps.map((s) => [s.step, s.outcome, seconds(s.ms), s.detail]),
    ),
  ].join('\n');
  return {
    key,
    hub,
    outcome: {
      status: 'failing',
      title,
      body: `${body}${run}`,
      // The same step failing is the same failure (the reason holds times and ids): edited in place.
      fingerprint: `unhealthy ${cluster}/${hub}: ${result.failed.step}`,
    },
  };
}

/** Upserts every checked hub's `unhealthy:` issue and closes those of hubs no longer in the config. */
export function reportHealthIssues(
  gh: GitHubClient,
  results: readonly HealthResult[],
  runUrl: string | undefined,
  fleet?: { cluster: string; hubs: readonly string[] },
  log?: (line: string) => void,
): Promise<HubIssueRow[]> {
  return syncHubIssues(
    gh,
    results.map((r) => healthIssuePlan(r, runUrl)),
    fleet === undefined ? undefined : { kinds: [HEALTH_ISSUE_KIND], ...fleet },
    log,
  );
}
