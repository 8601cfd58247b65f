// The issues a scheduled hub check keeps (verify-cert: `cert:`; smoke-iap: `exposure:`, `down:`,
// `misbehaving:`), one per broken thing per hub, brought in line with one run's findings through
// the shared issue upsert. The label's issues are listed once for the whole run: a healthy hub
// without an open issue needs no request at all, and the others find theirs in that listing, so a
// 1,000-hub check stays within a GITHUB_TOKEN's hourly request budget.
import type { GitHubClient, Issue } from '../adapters/github.js';
import {
  HUB_ISSUE_LABEL,
  issueKeyOf,
  issuesOfKey,
  upsertIssue,
  type IssueAction,
  type IssueOutcome,
} from './issue-upsert.js';

/** What one hub's check says about one of its issue keys. */
export interface HubIssuePlan {
  key: string;
  hub: string;
  outcome: IssueOutcome;
  extraLabels?: readonly string[];
}

export interface HubIssueRow {
  key: string;
  hub: string;
  status: 'failing' | 'passing';
  action: IssueAction;
  issueNumber?: number;
  /** The hub is no longer in the config; its issue was closed for that reason. */
  removed?: true;
}

/** The check's own issue kinds on its cluster, and every hub the cluster's config still has. */
export interface CheckedCluster {
  kinds: readonly string[];
  cluster: string;
  hubs: readonly string[];
}

/** `kind:cluster/hub` keys of the open issues in `listed` for hubs of `cluster` not in `hubs`. */
export function removedHubIssueKeys(listed: readonly Issue[], checked: CheckedCluster): string[] {
  const keys = new Set<string>();
  for (const issue of listed) {
    if (issue.state !== 'open') continue;
    const key = issueKeyOf(issue.body);
    const parts = key === undefined ? null : /^([a-z]+):([^/]+)\/([^/]+)$/.exec(key);
    if (key === undefined || parts === null) continue;
    const [, kind = '', cluster = '', hub = ''] = parts;
    if (checked.kinds.includes(kind) && cluster === checked.cluster && !checked.hubs.includes(hub)) {
      keys.add(key);
    }
  }
  return [...keys].sort();
}

/**
 * Upserts every plan (a passing one only where its key has an open issue), then closes the open
 * issues of `checked.kinds` for hubs the cluster's config no longer has: those hubs are never
 * checked again, so nothing else would close them. Sequential: GitHub's secondary rate limits
 * punish bursts. Rows for every upsert made, in order; `log` hears each.
 */
export async function syncHubIssues(
  gh: GitHubClient,
  plans: readonly HubIssuePlan[],
  checked: CheckedCluster | undefined,
  log: (line: string) => void = () => undefined,
): Promise<HubIssueRow[]> {
  const listed = await gh.listIssuesByLabel(HUB_ISSUE_LABEL);
  const rows: HubIssueRow[] = [];
  const upsert = async (plan: HubIssuePlan, removed: boolean): Promise<void> => {
    const done = await upsertIssue(gh, {
      key: plan.key,
      label: HUB_ISSUE_LABEL,
      outcome: plan.outcome,
      listed,
      ...(plan.extraLabels === undefined ? {} : { extraLabels: plan.extraLabels }),
    });
    const number = done.issueNumber === undefined ? '' : ` #${done.issueNumber}`;
    log(`issue ${plan.key}: ${done.action}${number}${removed ? ' (hub removed from the config)' : ''}`);
    rows.push({
      key: plan.key,
      hub: plan.hub,
      status: plan.outcome.status,
      action: done.action,
      ...(done.issueNumber === undefined ? {} : { issueNumber: done.issueNumber }),
      ...(removed ? { removed: true as const } : {}),
    });
  };
  for (const plan of plans) {
    const hasOpen = issuesOfKey(listed, plan.key).some((i) => i.state === 'open');
    if (plan.outcome.status === 'passing' && !hasOpen) continue;
    await upsert(plan, false);
  }
  if (checked === undefined) return rows;
  for (const key of removedHubIssueKeys(listed, checked)) {
    const hub = key.slice(key.indexOf('/') + 1);
    const body = `Closed: hub ${hub} is no longer in the config of cluster ${checked.cluster}, so this check no longer runs for it.`;
    await upsert({ key, hub, outcome: { status: 'passing', body } }, true);
  }
  return rows;
}
