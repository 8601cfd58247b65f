import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient, type GitHubClient } from '../adapters/github.js';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import {
  decideAfterCreate,
  decideIssueOps,
  issueMarker,
  upsertIssue,
  type FoundIssue,
  type IssueDecision,
  type IssueOutcome,
} from './issue-upsert.js';

const failing: IssueOutcome = { status: 'failing', title: 'Drift in pangeo-gcp', body: 'drift found' };
const passing: IssueOutcome = { status: 'passing', body: 'no drift' };
const open = (number: number): FoundIssue => ({ number, state: 'open' });
const closed = (number: number): FoundIssue => ({ number, state: 'closed' });

describe('decideIssueOps', () => {
  const cases: Array<[string, FoundIssue[], IssueOutcome, IssueDecision]> = [
    [
      'failing, none found: create',
      [],
      failing,
      { action: 'created', ops: [{ kind: 'create', title: 'Drift in pangeo-gcp', body: 'drift found' }] },
    ],
    [
      'failing, open: comment',
      [open(4)],
      failing,
      {
        action: 'commented',
        issueNumber: 4,
        ops: [{ kind: 'comment', issueNumber: 4, body: 'drift found' }],
      },
    ],
    [
      'failing, closed: reopen and comment',
      [closed(4)],
      failing,
      {
        action: 'reopened',
        issueNumber: 4,
        ops: [
          { kind: 'reopen', issueNumber: 4 },
          { kind: 'comment', issueNumber: 4, body: 'drift found' },
        ],
      },
    ],
    [
      'failing, several closed: reopen the original',
      [closed(9), closed(4)],
      failing,
      {
        action: 'reopened',
        issueNumber: 4,
        ops: [
          { kind: 'reopen', issueNumber: 4 },
          { kind: 'comment', issueNumber: 4, body: 'drift found' },
        ],
      },
    ],
    [
      'failing, open and older closed: comment on the open one',
      [closed(2), open(7)],
      failing,
      {
        action: 'commented',
        issueNumber: 7,
        ops: [{ kind: 'comment', issueNumber: 7, body: 'drift found' }],
      },
    ],
    [
      'failing, two open: close the younger as duplicate, comment on the older',
      [open(8), open(5)],
      failing,
      {
        action: 'commented',
        issueNumber: 5,
        ops: [
          { kind: 'close-duplicate', issueNumber: 8, keptNumber: 5 },
          { kind: 'comment', issueNumber: 5, body: 'drift found' },
        ],
      },
    ],
    [
      'passing, open: comment and close',
      [open(4)],
      passing,
      {
        action: 'closed',
        issueNumber: 4,
        ops: [
          { kind: 'comment', issueNumber: 4, body: 'no drift' },
          { kind: 'close', issueNumber: 4 },
        ],
      },
    ],
    [
      'passing, two open: duplicate closed, original commented and closed',
      [open(3), open(6)],
      passing,
      {
        action: 'closed',
        issueNumber: 3,
        ops: [
          { kind: 'close-duplicate', issueNumber: 6, keptNumber: 3 },
          { kind: 'comment', issueNumber: 3, body: 'no drift' },
          { kind: 'close', issueNumber: 3 },
        ],
      },
    ],
    ['passing, closed: nothing', [closed(4)], passing, { action: 'none', ops: [] }],
    ['passing, none: nothing', [], passing, { action: 'none', ops: [] }],
  ];
  it.each(cases)('%s', (_name, found, outcome, expected) => {
    expect(decideIssueOps(found, outcome)).toEqual(expected);
  });
});

describe('decideAfterCreate', () => {
  const cases: Array<[string, FoundIssue[], number, ReturnType<typeof decideAfterCreate>]> = [
    ['alone: keep ours', [open(5)], 5, { keptNumber: 5, ops: [] }],
    [
      'ours is the older: keep ours, the other run closes its own',
      [open(5), open(6)],
      5,
      { keptNumber: 5, ops: [] },
    ],
    [
      'ours is the younger: close ours as duplicate',
      [open(5), open(6)],
      6,
      { keptNumber: 5, ops: [{ kind: 'close-duplicate', issueNumber: 6, keptNumber: 5 }] },
    ],
    ['an older closed one does not count', [closed(2), open(6)], 6, { keptNumber: 6, ops: [] }],
    ['ours not listed yet: keep ours', [], 6, { keptNumber: 6, ops: [] }],
  ];
  it.each(cases)('%s', (_name, found, created, expected) => {
    expect(decideAfterCreate(found, created)).toEqual(expected);
  });
});

describe('upsertIssue through the adapter and the GitHub double', () => {
  const REPO = 'hubfleet-org/fleet';
  const KEY = 'drift:pangeo-gcp';
  const LABEL = 'hubfleet:drift';
  let double: GitHubDouble;
  let gh: GitHubClient;

  beforeEach(async () => {
    double = await startGitHubDouble({ repository: REPO });
    gh = createGitHubClient({
      token: 't0ken',
      repository: REPO,
      apiUrl: double.url,
      sleep: () => Promise.resolve(),
    });
  });
  afterEach(async () => {
    await double.close();
  });

  const comments = (n: number): string[] =>
    double.state.comments.filter((c) => c.issue_number === n).map((c) => c.body);

  it('opens, comments while failing, closes when passing and reopens when failing again', async () => {
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'created',
      issueNumber: 1,
    });
    expect(double.state.labels.map((l) => l.name)).toEqual([LABEL]);
    expect(double.state.issues[0]).toMatchObject({
      number: 1,
      title: 'Drift in pangeo-gcp',
      body: `<!-- hubfleet:issue:${KEY} -->\ndrift found`,
      state: 'open',
      labels: [LABEL],
    });

    const still: IssueOutcome = {
      status: 'failing',
      title: 'Drift in pangeo-gcp',
      body: 'drift still found',
    };
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: still })).toEqual({
      action: 'commented',
      issueNumber: 1,
    });
    expect(comments(1)).toEqual(['drift still found']);

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing })).toEqual({
      action: 'closed',
      issueNumber: 1,
    });
    expect(double.state.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(comments(1)).toEqual(['drift still found', 'no drift']);

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing })).toEqual({ action: 'none' });

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'reopened',
      issueNumber: 1,
    });
    expect(double.state.issues).toHaveLength(1);
    expect(double.state.issues[0]?.state).toBe('open');
    expect(comments(1)).toEqual(['drift still found', 'no drift', 'drift found']);
  });

  it('tells keys apart by the hidden marker, not only the label', async () => {
    double.seedIssue({ title: 'other', body: `${issueMarker('drift:pangeo-aws')}\nx`, labels: [LABEL] });
    double.seedIssue({ title: 'prefix', body: `${issueMarker(`${KEY}-old`)}\nx`, labels: [LABEL] });
    double.seedIssue({ title: 'unlabelled', body: `${issueMarker(KEY)}\nx`, labels: [] });
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'created',
      issueNumber: 4,
    });
  });

  it('leaves exactly one open issue when two runs race', async () => {
    const [a, b] = await Promise.all([
      upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing }),
      upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing }),
    ]);
    const openIssues = double.state.issues.filter((i) => i.state === 'open');
    expect(openIssues.map((i) => i.number)).toEqual([1]);
    expect(a.issueNumber).toBe(1);
    expect(b.issueNumber).toBe(1);
    expect([a.action, b.action].sort()).toEqual(['created', 'none']);
    expect(double.state.labels.map((l) => l.name)).toEqual([LABEL]);
    // The loser's issue says where to look instead.
    const loser = double.state.issues.find((i) => i.number === 2);
    expect(loser).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(comments(2)).toEqual([
      `Closing as a duplicate of #1: two hubfleet runs for \`${KEY}\` opened an issue at the same time.`,
    ]);
  });

  it('keeps both findings when racing runs saw different failures', async () => {
    const other: IssueOutcome = { status: 'failing', title: 'Drift in pangeo-gcp', body: 'other drift' };
    const results = await Promise.all([
      upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing }),
      upsertIssue(gh, { key: KEY, label: LABEL, outcome: other }),
    ]);
    expect(double.state.issues.filter((i) => i.state === 'open').map((i) => i.number)).toEqual([1]);
    expect(results.map((r) => r.issueNumber)).toEqual([1, 1]);
    expect(results.map((r) => r.action).sort()).toEqual(['commented', 'created']);
    // Whichever run won, issue #1 carries both findings: one in its body, the other as a comment.
    const texts = [double.state.issues[0]?.body?.split('\n')[1], ...comments(1)];
    expect(texts.sort()).toEqual(['drift found', 'other drift']);
  });

  it('closes duplicates left by an earlier race on the next run', async () => {
    double.seedIssue({ title: 'a', body: `${issueMarker(KEY)}\nold`, labels: [LABEL] });
    double.seedIssue({ title: 'b', body: `${issueMarker(KEY)}\nold`, labels: [LABEL] });
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'commented',
      issueNumber: 1,
    });
    expect(double.state.issues.map((i) => i.state)).toEqual(['open', 'closed']);
  });

  it('finds its issue among more than 100 with the label', async () => {
    for (let i = 0; i < 120; i++) {
      double.seedIssue({ title: `cert ${i}`, body: `${issueMarker(`drift:c${i}`)}\nx`, labels: [LABEL] });
    }
    double.seedIssue({ title: 'ours', body: `${issueMarker(KEY)}\nx`, labels: [LABEL] });
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing })).toEqual({
      action: 'closed',
      issueNumber: 121,
    });
  });

  it('shortens a body over GitHub’s limit in the middle, saying where the full text is', async () => {
    const body = `HEAD\n${'x'.repeat(100_000)}\nTAIL`;
    await upsertIssue(gh, {
      key: KEY,
      label: LABEL,
      outcome: { status: 'failing', title: 't', body },
      fullTextNote: 'full plan in artifact drift-pangeo-gcp',
    });
    const stored = double.state.issues[0]?.body ?? '';
    expect(stored.length).toBe(65_536);
    expect(stored.startsWith(`${issueMarker(KEY)}\nHEAD\n`)).toBe(true);
    expect(stored.endsWith('\nTAIL')).toBe(true);
    expect(stored).toContain('cut here — full plan in artifact drift-pangeo-gcp');
  });

  it('rejects keys a marker cannot hold and labels with commas', async () => {
    await expect(upsertIssue(gh, { key: 'a b', label: LABEL, outcome: passing })).rejects.toThrow(
      /hidden marker/,
    );
    await expect(upsertIssue(gh, { key: KEY, label: 'a,b', outcome: passing })).rejects.toThrow(/comma/);
    expect(double.requests).toEqual([]);
  });
});
