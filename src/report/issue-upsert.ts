// One GitHub issue per broken thing (cluster drift, a hub's certificate, a hub's exposure): opened
// when it breaks, commented while it stays broken, closed when healthy, reopened when it breaks
// again — and never duplicated, even when two scheduled runs race.
import { HubfleetError } from '../errors.js';
import type { GitHubClient, Issue } from '../adapters/github.js';
import { GITHUB_COMMENT_LIMIT } from './sticky-comment.js';
import { truncateMiddle } from './truncate.js';

export type IssueOutcome =
  { status: 'failing'; title: string; body: string } | { status: 'passing'; body: string };

export type IssueAction = 'created' | 'commented' | 'reopened' | 'closed' | 'none';

export interface FoundIssue {
  number: number;
  state: 'open' | 'closed';
}

export type IssueOp =
  | { kind: 'create'; title: string; body: string }
  | { kind: 'comment'; issueNumber: number; body: string }
  | { kind: 'reopen'; issueNumber: number }
  | { kind: 'close'; issueNumber: number }
  | { kind: 'close-duplicate'; issueNumber: number; keptNumber: number };

export interface IssueDecision {
  action: IssueAction;
  /** The issue that carries the key after the ops; undefined for 'created' until it exists. */
  issueNumber?: number;
  ops: IssueOp[];
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_./-]*$/;

export const issueMarker = (key: string): string => `<!-- hubfleet:issue:${key} -->`;

const byNumber = (a: FoundIssue, b: FoundIssue): number => a.number - b.number;

/**
 * Which operations bring the issues found for one key in line with the outcome. The oldest open
 * issue is the one kept; younger open ones (left by an earlier race) are closed as duplicates.
 */
export function decideIssueOps(found: readonly FoundIssue[], outcome: IssueOutcome): IssueDecision {
  const open = found.filter((i) => i.state === 'open').sort(byNumber);
  const closed = found.filter((i) => i.state === 'closed').sort(byNumber);
  const kept = open[0];
  const duplicates: IssueOp[] = kept
    ? open.slice(1).map((i) => ({ kind: 'close-duplicate', issueNumber: i.number, keptNumber: kept.number }))
    : [];
  if (outcome.status === 'failing') {
    if (kept) {
      return {
        action: 'commented',
        issueNumber: kept.number,
        ops: [...duplicates, { kind: 'comment', issueNumber: kept.number, body: outcome.body }],
      };
    }
    // The original issue keeps the history; later closed ones can only be closed duplicates.
    const previous = closed[0];
    if (previous) {
      return {
        action: 'reopened',
        issueNumber: previous.number,
        ops: [
          { kind: 'reopen', issueNumber: previous.number },
          { kind: 'comment', issueNumber: previous.number, body: outcome.body },
        ],
      };
    }
    return { action: 'created', ops: [{ kind: 'create', title: outcome.title, body: outcome.body }] };
  }
  if (kept) {
    return {
      action: 'closed',
      issueNumber: kept.number,
      ops: [
        ...duplicates,
        { kind: 'comment', issueNumber: kept.number, body: outcome.body },
        { kind: 'close', issueNumber: kept.number },
      ],
    };
  }
  return { action: 'none', ops: [] };
}

/**
 * After creating issue `created`, what to do when another run created one for the same key at the
 * same time. GitHub numbers issues in the order it creates them, so the run that created the
 * younger issue always sees the older one and closes its own; the older one's creator does nothing.
 */
export function decideAfterCreate(
  found: readonly FoundIssue[],
  created: number,
): { keptNumber: number; ops: IssueOp[] } {
  const oldest = found.filter((i) => i.state === 'open' || i.number === created).sort(byNumber)[0];
  if (oldest === undefined || oldest.number >= created) return { keptNumber: created, ops: [] };
  return {
    keptNumber: oldest.number,
    ops: [{ kind: 'close-duplicate', issueNumber: created, keptNumber: oldest.number }],
  };
}

async function findIssues(gh: GitHubClient, key: string, label: string): Promise<Issue[]> {
  const marker = issueMarker(key);
  // The label narrows the listing; the marker is what identifies the key (labels can be edited).
  return (await gh.listIssuesByLabel(label)).filter((i) => i.body.includes(marker));
}

async function apply(
  gh: GitHubClient,
  key: string,
  op: IssueOp,
  fit: (text: string) => string,
): Promise<void> {
  switch (op.kind) {
    case 'comment':
      await gh.createIssueComment(op.issueNumber, fit(op.body));
      return;
    case 'reopen':
      await gh.updateIssue(op.issueNumber, { state: 'open' });
      return;
    case 'close':
      await gh.updateIssue(op.issueNumber, { state: 'closed', stateReason: 'completed' });
      return;
    case 'close-duplicate':
      await gh.createIssueComment(
        op.issueNumber,
        `Closing as a duplicate of #${op.keptNumber}: two hubfleet runs for \`${key}\` opened an issue at the same time.`,
      );
      await gh.updateIssue(op.issueNumber, { state: 'closed', stateReason: 'not_planned' });
      return;
    case 'create':
      throw new Error('create is handled by upsertIssue');
  }
}

/**
 * Brings the one issue for `key` in line with `outcome` (see decideIssueOps). Bodies too long for
 * GitHub are shortened in the middle with `fullTextNote` saying where the full text is.
 */
export async function upsertIssue(
  gh: GitHubClient,
  args: { key: string; label: string; outcome: IssueOutcome; fullTextNote?: string },
): Promise<{ action: IssueAction; issueNumber?: number }> {
  const { key, label, outcome } = args;
  if (!KEY_PATTERN.test(key)) {
    throw new HubfleetError(`issue key "${key}" has characters a hidden marker cannot hold`, {
      hint: 'use letters, digits and : _ . / - only, e.g. cert:pangeo-gcp/ocean',
    });
  }
  if (label.includes(',')) {
    throw new HubfleetError(`issue label "${label}" contains a comma`, {
      hint: 'GitHub filters by comma-separated labels; pick a label name without commas',
    });
  }
  const note = args.fullTextNote ?? 'the full text is in the workflow run’s job summary';
  const fit = (text: string, reserve = 0): string =>
    truncateMiddle(text, GITHUB_COMMENT_LIMIT - reserve, note);

  const decision = decideIssueOps(await findIssues(gh, key, label), outcome);
  const create = decision.ops.find((op) => op.kind === 'create');
  if (create === undefined) {
    for (const op of decision.ops) await apply(gh, key, op, fit);
    return decision.issueNumber === undefined
      ? { action: decision.action }
      : { action: decision.action, issueNumber: decision.issueNumber };
  }

  await gh.ensureLabel(label, { description: 'Opened and closed by hubfleet’s scheduled checks' });
  const marker = issueMarker(key);
  const made = await gh.createIssue({
    title: create.title,
    body: `${marker}\n${fit(create.body, marker.length + 1)}`,
    labels: [label],
  });

  // Search again: a run that raced us may have created the same issue a moment earlier.
  const again = await findIssues(gh, key, label);
  const found = again.some((i) => i.number === made.number) ? again : [...again, made];
  const after = decideAfterCreate(found, made.number);
  for (const op of after.ops) await apply(gh, key, op, fit);
  if (after.keptNumber === made.number) return { action: 'created', issueNumber: made.number };

  // We lost the race: keep our findings only if the kept issue does not already say the same.
  const keptIssue = found.find((i) => i.number === after.keptNumber);
  if (
    keptIssue !== undefined &&
    keptIssue.body.slice(marker.length + 1) === fit(create.body, marker.length + 1)
  ) {
    return { action: 'none', issueNumber: after.keptNumber };
  }
  await gh.createIssueComment(after.keptNumber, fit(create.body));
  return { action: 'commented', issueNumber: after.keptNumber };
}
