// One GitHub issue per broken thing (cluster drift, a hub's certificate, a hub's exposure): opened
// when it breaks, closed when healthy, reopened when it breaks again — and never duplicated, even
// when two scheduled runs race. While it stays broken the same way, the issue's status section (its
// body) is edited in place, so an hourly check that keeps failing does not bury the issue under 24
// identical comments a day; a comment is added only when the failure changes (other resources or
// hubs, another verdict), which is what notifies the people watching the issue.
import { sha256Hex } from '../digest.js';
import { HubfleetError } from '../errors.js';
import type { GitHubClient, Issue } from '../adapters/github.js';
import { GITHUB_COMMENT_LIMIT } from './sticky-comment.js';
import { truncateMiddle } from './truncate.js';

export type IssueOutcome =
  | {
      status: 'failing';
      title: string;
      body: string;
      /**
       * What failed, e.g. `exposed: land, ocean` or `drift: google_storage_bucket.scratch`: the
       * resources or hubs and the verdict, nothing that changes from run to run (times, run links,
       * durations). Two runs with the same fingerprint are "the same failure". When absent it is
       * derived from the body with those volatile parts left out (see failureFingerprint).
       */
      fingerprint?: string;
    }
  | { status: 'passing'; body: string };

/** `updated`: still failing the same way, the status section was rewritten in place. */
export type IssueAction = 'created' | 'commented' | 'updated' | 'reopened' | 'closed' | 'none';

/** What the status marker of an issue body says about the last outcome written there. */
export interface StoredStatus {
  status: 'failing' | 'passing';
  /** Fingerprint hash of the failure (failing only). */
  fingerprint?: string;
  /** Consecutive runs that saw this same failure (failing only). */
  runs?: number;
}

export interface FoundIssue {
  number: number;
  state: 'open' | 'closed';
  labels?: readonly string[];
  /** Undefined for an issue written before status sections existed, or edited by hand. */
  stored?: StoredStatus;
  /** The body text after the markers: what an issue without a status marker reports. */
  text?: string;
}

/** The status section as it is written into the issue body. */
export type IssueStatus =
  | { status: 'failing'; fingerprint: string; runs: number; body: string }
  | { status: 'passing'; body: string };

export type IssueOp =
  | { kind: 'create'; title: string; status: IssueStatus }
  | { kind: 'comment'; issueNumber: number; body: string }
  | { kind: 'set-status'; issueNumber: number; status: IssueStatus }
  | { kind: 'add-labels'; issueNumber: number; labels: string[] }
  | { kind: 'reopen'; issueNumber: number }
  | { kind: 'close'; issueNumber: number }
  | { kind: 'close-duplicate'; issueNumber: number; keptNumber: number };

export interface IssueDecision {
  action: IssueAction;
  /** The issue that carries the key after the ops; undefined for 'created' until it exists. */
  issueNumber?: number;
  ops: IssueOp[];
}

const KEY_CHARS = '[A-Za-z0-9][A-Za-z0-9:_./-]*';
const KEY_PATTERN = new RegExp(`^${KEY_CHARS}$`);
const MARKER_PATTERN = new RegExp(`<!-- hubfleet:issue:(${KEY_CHARS}) -->`);

/** The label of the issues the scheduled hub checks (verify-cert, smoke-iap) keep. */
export const HUB_ISSUE_LABEL = 'hubfleet';

export const issueMarker = (key: string): string => `<!-- hubfleet:issue:${key} -->`;

/** The key whose marker (issueMarker) `body` carries, if any. */
export function issueKeyOf(body: string): string | undefined {
  return MARKER_PATTERN.exec(body)?.[1];
}

const STATUS_MARKER =
  /^<!-- hubfleet:status (failing|passing)(?: fingerprint=([0-9a-f]{16}) runs=(\d+))? -->$/m;

export function statusMarker(status: IssueStatus): string {
  return status.status === 'failing'
    ? `<!-- hubfleet:status failing fingerprint=${status.fingerprint} runs=${status.runs} -->`
    : '<!-- hubfleet:status passing -->';
}

function statusFooter(status: IssueStatus): string {
  if (status.status === 'passing') {
    return '_Passing: hubfleet closed this issue and reopens it if the check fails again._';
  }
  const times = status.runs === 1 ? 'once' : `${status.runs} runs in a row`;
  return (
    `_Seen ${times}. hubfleet updates this description in place while the failure stays the same ` +
    'and adds a comment when it changes._'
  );
}

/**
 * The whole issue body: the key marker, the status marker, the report shortened to fit GitHub's
 * limit (`fit` gets the characters the rest takes), and a line saying how the issue is kept.
 */
export function renderIssueBody(
  key: string,
  status: IssueStatus,
  fit: (text: string, reserve: number) => string,
): string {
  const head = `${issueMarker(key)}\n${statusMarker(status)}\n`;
  const foot = `\n\n---\n${statusFooter(status)}`;
  return `${head}${fit(status.body, head.length + foot.length)}${foot}`;
}

/** Reads the status marker and the report text back out of an issue body. */
export function readIssueBody(key: string, body: string): { stored?: StoredStatus; text: string } {
  let text = body.replace(issueMarker(key), '');
  const match = STATUS_MARKER.exec(text);
  let stored: StoredStatus | undefined;
  if (match) {
    text = text.replace(match[0], '');
    const [, status, fingerprint, runs] = match;
    stored =
      status === 'failing' && fingerprint !== undefined && runs !== undefined
        ? { status: 'failing', fingerprint, runs: Number(runs) }
        : { status: status === 'failing' ? 'failing' : 'passing' };
    const footerAt = text.lastIndexOf('\n\n---\n_');
    if (footerAt >= 0) text = text.slice(0, footerAt);
  }
  text = text.replace(/^\n+/, '');
  return stored === undefined ? { text } : { stored, text };
}

// Parts of a report that differ between runs of the same failure.
const VOLATILE: Array<[RegExp, string]> = [
  [/<!--[\s\S]*?-->/g, ''],
  [/https?:\/\/\S*\/actions\/runs\/\d+\S*/g, '<run>'],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<time>'],
  [/\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?UTC)?\b/g, '<time>'],
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?|d|days?)\b/g, '<duration>'],
  [/\b(?:run|attempt)\s+#?\d+\b/gi, '<run>'],
  [/\b[0-9a-f]{12,}\b/g, '<hex>'],
];

/**
 * The fingerprint of a failure: a short hash of `explicit` when the caller said what failed,
 * otherwise of the body with times, durations, run links and long hex ids taken out and white
 * space collapsed. The derived one is a fallback; callers that know the failing hubs or resources
 * and the verdict should pass them.
 */
export function failureFingerprint(body: string, explicit?: string): string {
  let basis: string;
  if (explicit !== undefined && explicit.trim() !== '') {
    basis = `explicit\n${explicit.trim().replace(/\s+/g, ' ')}`;
  } else {
    let text = body;
    for (const [pattern, replacement] of VOLATILE) text = text.replace(pattern, replacement);
    basis = `derived\n${text.replace(/\s+/g, ' ').trim()}`;
  }
  return sha256Hex(basis).slice(0, 16);
}

const byNumber = (a: FoundIssue, b: FoundIssue): number => a.number - b.number;

/** The fingerprint of the failure an issue last reported (derived from its text if unmarked). */
function storedFingerprint(issue: FoundIssue): string | undefined {
  if (issue.stored !== undefined) {
    return issue.stored.status === 'failing' ? issue.stored.fingerprint : undefined;
  }
  return issue.text === undefined ? undefined : failureFingerprint(issue.text);
}

/**
 * Which operations bring the issues found for one key in line with the outcome. The oldest open
 * issue is the one kept; younger open ones (left by an earlier race) are closed as duplicates.
 * `extraLabels` (e.g. `critical`) are added to the kept issue when it lacks them.
 */
export function decideIssueOps(
  found: readonly FoundIssue[],
  outcome: IssueOutcome,
  extraLabels: readonly string[] = [],
): IssueDecision {
  const open = found.filter((i) => i.state === 'open').sort(byNumber);
  const closed = found.filter((i) => i.state === 'closed').sort(byNumber);
  const kept = open[0];
  const duplicates: IssueOp[] = kept
    ? open.slice(1).map((i) => ({ kind: 'close-duplicate', issueNumber: i.number, keptNumber: kept.number }))
    : [];
  const missingLabels = (issue: FoundIssue): IssueOp[] => {
    const has = (issue.labels ?? []).map((l) => l.toLowerCase());
    const missing = extraLabels.filter((l) => !has.includes(l.toLowerCase()));
    return missing.length === 0 ? [] : [{ kind: 'add-labels', issueNumber: issue.number, labels: missing }];
  };

  if (outcome.status === 'failing') {
    const fingerprint = failureFingerprint(outcome.body, outcome.fingerprint);
    const failing = (runs: number): IssueStatus => ({
      status: 'failing',
      fingerprint,
      runs,
      body: outcome.body,
    });
    if (kept) {
      const same = storedFingerprint(kept) === fingerprint;
      const runs = same ? (kept.stored?.runs ?? 1) + 1 : 1;
      return {
        action: same ? 'updated' : 'commented',
        issueNumber: kept.number,
        ops: [
          ...duplicates,
          // The comment first: it is what notifies watchers that the failure changed.
          ...(same ? [] : [{ kind: 'comment', issueNumber: kept.number, body: outcome.body } as const]),
          { kind: 'set-status', issueNumber: kept.number, status: failing(runs) },
          ...missingLabels(kept),
        ],
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
          { kind: 'set-status', issueNumber: previous.number, status: failing(1) },
          ...missingLabels(previous),
        ],
      };
    }
    return { action: 'created', ops: [{ kind: 'create', title: outcome.title, status: failing(1) }] };
  }
  if (kept) {
    return {
      action: 'closed',
      issueNumber: kept.number,
      ops: [
        ...duplicates,
        { kind: 'comment', issueNumber: kept.number, body: outcome.body },
        { kind: 'set-status', issueNumber: kept.number, status: { status: 'passing', body: outcome.body } },
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

/** The issues among `listed` that belong to `key` (by its hidden marker, not by title). */
export function issuesOfKey(listed: readonly Issue[], key: string): Issue[] {
  const marker = issueMarker(key);
  return listed.filter((i) => i.body.includes(marker));
}

async function findIssues(gh: GitHubClient, key: string, label: string): Promise<Issue[]> {
  // The label narrows the listing; the marker is what identifies the key (labels can be edited).
  return issuesOfKey(await gh.listIssuesByLabel(label), key);
}

function toFound(key: string, issue: Issue): FoundIssue {
  const { stored, text } = readIssueBody(key, issue.body);
  return {
    number: issue.number,
    state: issue.state,
    labels: issue.labels,
    text,
    ...(stored === undefined ? {} : { stored }),
  };
}

type Fit = (text: string, reserve?: number) => string;

async function apply(gh: GitHubClient, key: string, op: IssueOp, fit: Fit): Promise<void> {
  switch (op.kind) {
    case 'comment':
      await gh.createIssueComment(op.issueNumber, fit(op.body));
      return;
    case 'set-status':
      await gh.updateIssue(op.issueNumber, { body: renderIssueBody(key, op.status, fit) });
      return;
    case 'add-labels':
      await gh.addLabels(op.issueNumber, op.labels);
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

const LABEL_DESCRIPTION = 'Opened and closed by hubfleet’s scheduled checks';

/**
 * Brings the one issue for `key` in line with `outcome` (see decideIssueOps). Bodies too long for
 * GitHub are shortened in the middle with `fullTextNote` saying where the full text is. The issue
 * carries `label` (used to find it) and `extraLabels` (e.g. `critical` for an exposed hub).
 */
export async function upsertIssue(
  gh: GitHubClient,
  args: {
    key: string;
    label: string;
    outcome: IssueOutcome;
    fullTextNote?: string;
    extraLabels?: readonly string[];
    /**
     * The label's issues as this run listed them once for all its keys (each key is upserted once
     * per run, so the listing is still right for it). Without it every call lists the label's
     * issues, open and closed: a 1,000-hub check would list them 1,000 times.
     */
    listed?: readonly Issue[];
  },
): Promise<{ action: IssueAction; issueNumber?: number }> {
  const { key, label, outcome } = args;
  const extraLabels = [...new Set(args.extraLabels ?? [])].filter(
    (l) => l.toLowerCase() !== label.toLowerCase(),
  );
  if (!KEY_PATTERN.test(key)) {
    throw new HubfleetError(`issue key "${key}" has characters a hidden marker cannot hold`, {
      hint: 'use letters, digits and : _ . / - only, e.g. cert:pangeo-gcp/ocean',
    });
  }
  for (const name of [label, ...extraLabels]) {
    if (name.includes(',') || name.trim() === '') {
      throw new HubfleetError(`issue label "${name}" is empty or contains a comma`, {
        hint: 'GitHub filters by comma-separated labels; pick a label name without commas',
      });
    }
  }
  const note = args.fullTextNote ?? 'the full text is in the workflow run’s job summary';
  const fit: Fit = (text, reserve = 0) => truncateMiddle(text, GITHUB_COMMENT_LIMIT - reserve, note);

  const found = (
    args.listed === undefined ? await findIssues(gh, key, label) : issuesOfKey(args.listed, key)
  ).map((i) => toFound(key, i));
  const decision = decideIssueOps(found, outcome, extraLabels);
  const create = decision.ops.find((op) => op.kind === 'create');
  if (create === undefined) {
    for (const name of decision.ops.flatMap((op) => (op.kind === 'add-labels' ? op.labels : []))) {
      await gh.ensureLabel(name, { description: LABEL_DESCRIPTION });
    }
    for (const op of decision.ops) await apply(gh, key, op, fit);
    return decision.issueNumber === undefined
      ? { action: decision.action }
      : { action: decision.action, issueNumber: decision.issueNumber };
  }

  for (const name of [label, ...extraLabels]) {
    await gh.ensureLabel(name, { description: LABEL_DESCRIPTION });
  }
  const made = await gh.createIssue({
    title: create.title,
    body: renderIssueBody(key, create.status, fit),
    labels: [label, ...extraLabels],
  });

  // Search again: a run that raced us may have created the same issue a moment earlier.
  const again = (await findIssues(gh, key, label)).map((i) => toFound(key, i));
  const all = again.some((i) => i.number === made.number) ? again : [...again, toFound(key, made)];
  const after = decideAfterCreate(all, made.number);
  for (const op of after.ops) await apply(gh, key, op, fit);
  if (after.keptNumber === made.number) return { action: 'created', issueNumber: made.number };

  // We lost the race: keep our findings only if the kept issue does not already say the same.
  const keptIssue = all.find((i) => i.number === after.keptNumber);
  const fingerprint = create.status.status === 'failing' ? create.status.fingerprint : undefined;
  if (keptIssue !== undefined && storedFingerprint(keptIssue) === fingerprint) {
    return { action: 'none', issueNumber: after.keptNumber };
  }
  await gh.createIssueComment(after.keptNumber, fit(create.status.body));
  return { action: 'commented', issueNumber: after.keptNumber };
}
