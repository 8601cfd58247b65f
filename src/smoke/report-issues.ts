// One issue per broken thing per hub (exposure: critical; down; misbehaving), opened, kept up to
// date and closed through the shared hub-issue sync.
import type { GitHubClient } from '../adapters/github.js';
import { syncHubIssues, type HubIssuePlan, type HubIssueRow } from '../report/hub-issues.js';
import { issuePlans } from './report.js';
import type { HubResult } from './run-smoke.js';

export type IssueRow = HubIssueRow;

/** smoke-iap's issue kinds (report.ts issueKey; audience-check.ts audienceIssueKey). */
const SMOKE_ISSUE_KINDS = ['exposure', 'down', 'misbehaving', 'audience'];

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
  /** Further plans of this run (the IAP audience of each GKE hub, audience-check.ts). */
  extraPlans: readonly HubIssuePlan[] = [],
): Promise<IssueRow[]> {
  const plans = [
    ...results.flatMap((result) =>
      issuePlans(result, runUrl).map((plan) => ({ ...plan, hub: result.target.hub })),
    ),
    ...extraPlans,
  ];
  return syncHubIssues(gh, plans, fleet === undefined ? undefined : { kinds: SMOKE_ISSUE_KINDS, ...fleet });
}
