// One issue per broken thing per hub (exposure: critical; down; misbehaving), opened, kept up to
// date and closed through the shared hub-issue sync.
import type { GitHubClient } from '../adapters/github.js';
import { syncHubIssues, type HubIssueRow } from '../report/hub-issues.js';
import { issuePlans } from './report.js';
import type { HubResult } from './run-smoke.js';

export type IssueRow = HubIssueRow;

/** smoke-iap's issue kinds (report.ts issueKey). */
const SMOKE_ISSUE_KINDS = ['exposure', 'down', 'misbehaving'];

/**
 * Upserts the issues of every hub checked (see syncHubIssues: one listing per run), and closes
 * the open ones of hubs that `fleet`'s cluster no longer has.
 */
export function reportHubIssues(
  gh: GitHubClient,
  results: readonly HubResult[],
  runUrl: string | undefined,
  /** The cluster checked and every hub its config has: open issues of other hubs are closed. */
  fleet?: { cluster: string; hubs: readonly string[] },
): Promise<IssueRow[]> {
  const plans = results.flatMap((result) =>
    issuePlans(result, runUrl).map((plan) => ({ ...plan, hub: result.target.hub })),
  );
  return syncHubIssues(gh, plans, fleet === undefined ? undefined : { kinds: SMOKE_ISSUE_KINDS, ...fleet });
}
