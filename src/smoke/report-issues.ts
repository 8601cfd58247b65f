// One issue per broken thing per hub (exposure: critical; down; misbehaving), opened, kept up to
// date and closed through the shared issue upsert.
import type { GitHubClient } from '../adapters/github.js';
import { HUB_ISSUE_LABEL, issuesOfKey, upsertIssue, type IssueAction } from '../report/issue-upsert.js';
import { closeRemovedHubIssues } from '../report/removed-hub-issues.js';
import { issuePlans } from './report.js';
import type { HubResult } from './run-smoke.js';

export interface IssueRow {
  key: string;
  status: 'failing' | 'passing';
  action: IssueAction;
  issueNumber?: number;
}

/**
 * Upserts the issues of every hub checked. The label's issues are listed once for the whole run: a
 * passing key without an open issue needs no call at all, and the others find theirs in that
 * listing, which keeps a 1,000-hub run to a few requests.
 */
export async function reportHubIssues(
  gh: GitHubClient,
  results: readonly HubResult[],
  runUrl: string | undefined,
  /** The cluster checked and every hub its config has: open issues of other hubs are closed. */
  fleet?: { cluster: string; hubs: readonly string[] },
): Promise<IssueRow[]> {
  const listed = await gh.listIssuesByLabel(HUB_ISSUE_LABEL);
  const hasOpen = (key: string): boolean => issuesOfKey(listed, key).some((i) => i.state === 'open');
  const rows: IssueRow[] = [];
  for (const result of results) {
    for (const plan of issuePlans(result, runUrl)) {
      if (plan.outcome.status === 'passing' && !hasOpen(plan.key)) continue;
      const done = await upsertIssue(gh, {
        key: plan.key,
        label: HUB_ISSUE_LABEL,
        outcome: plan.outcome,
        extraLabels: plan.extraLabels,
        listed,
      });
      rows.push({
        key: plan.key,
        status: plan.outcome.status,
        action: done.action,
        ...(done.issueNumber === undefined ? {} : { issueNumber: done.issueNumber }),
      });
    }
  }
  if (fleet !== undefined) {
    // A hub removed from the config is never probed again: its open issues are closed here.
    const closed = await closeRemovedHubIssues(gh, listed, {
      kinds: ['exposure', 'down', 'misbehaving'],
      cluster: fleet.cluster,
      hubs: fleet.hubs,
    });
    for (const c of closed) {
      rows.push({
        key: c.key,
        status: 'passing',
        action: c.action,
        ...(c.issueNumber === undefined ? {} : { issueNumber: c.issueNumber }),
      });
    }
  }
  return rows;
}
