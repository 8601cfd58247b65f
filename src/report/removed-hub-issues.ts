// Issues of hubs that left the config. The scheduled checks only look at the hubs a cluster still
// has, so the open `cert:` or `exposure:`/`down:`/`misbehaving:` issue of a removed hub would stay
// open forever. Each check closes the open issues of its kinds for hubs of its cluster that the
// config no longer has, with a comment saying why, through the same upsert as any recovery.
import type { GitHubClient, Issue } from '../adapters/github.js';
import { HUB_ISSUE_LABEL, upsertIssue, type IssueAction } from './issue-upsert.js';

const MARKER = /<!-- hubfleet:issue:([A-Za-z0-9:_./-]+) -->/;

/** `kind:cluster/hub` keys of the open issues in `listed` for hubs of `cluster` not in `hubs`. */
export function removedHubIssueKeys(
  listed: readonly Issue[],
  opts: { kinds: readonly string[]; cluster: string; hubs: readonly string[] },
): string[] {
  const keys = new Set<string>();
  for (const issue of listed) {
    if (issue.state !== 'open') continue;
    const key = MARKER.exec(issue.body)?.[1];
    const parts = key === undefined ? null : /^([a-z]+):([^/]+)\/([^/]+)$/.exec(key);
    if (key === undefined || parts === null) continue;
    const [, kind = '', cluster = '', hub = ''] = parts;
    if (opts.kinds.includes(kind) && cluster === opts.cluster && !opts.hubs.includes(hub)) keys.add(key);
  }
  return [...keys].sort();
}

export interface ClosedIssue {
  key: string;
  action: IssueAction;
  issueNumber?: number;
}

/** Closes (through upsertIssue, as a recovery) every issue removedHubIssueKeys finds. */
export async function closeRemovedHubIssues(
  gh: GitHubClient,
  listed: readonly Issue[],
  opts: { kinds: readonly string[]; cluster: string; hubs: readonly string[] },
): Promise<ClosedIssue[]> {
  const closed: ClosedIssue[] = [];
  for (const key of removedHubIssueKeys(listed, opts)) {
    const hub = key.slice(key.indexOf('/') + 1);
    const result = await upsertIssue(gh, {
      key,
      label: HUB_ISSUE_LABEL,
      listed,
      outcome: {
        status: 'passing',
        body: `Closed: hub ${hub} is no longer in the config of cluster ${opts.cluster}, so this check no longer runs for it.`,
      },
    });
    closed.push({
      key,
      action: result.action,
      ...(result.issueNumber === undefined ? {} : { issueNumber: result.issueNumber }),
    });
  }
  return closed;
}
