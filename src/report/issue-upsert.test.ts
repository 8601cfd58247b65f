import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createGitHubClient, type GitHubClient } from '../adapters/github.js';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import {
  decideAfterCreate,
  decideIssueOps,
  failureFingerprint,
  issueMarker,
  readIssueBody,
  renderIssueBody,
  upsertIssue,
  type FoundIssue,
  type IssueDecision,
  type IssueOutcome,
  type IssueStatus,
} from './issue-upsert.js';

const failing: IssueOutcome = { status: 'failing', title: 'Drift in pangeo-gcp', body: 'drift found' };
const passing: IssueOutcome = { status: 'passing', body: 'no drift' };
const open = (number: number): FoundIssue => ({ number, state: 'open' });
const closed = (number: number): FoundIssue => ({ number, state: 'closed' });

const FP = failureFingerprint('drift found');
const failingStatus = (runs: number): IssueStatus => ({
  status: 'failing',
  fingerprint: FP,
  runs,
  body: 'drift found',
});
const sameFailure = (number: number, runs: number): FoundIssue => ({
  number,
  state: 'open',
  stored: { status: 'failing', fingerprint: FP, runs },
});

describe('decideIssueOps', () => {
  const cases: Array<[string, FoundIssue[], IssueOutcome, IssueDecision]> = [
    [
      'failing, none found: create',
      [],
      failing,
      {
        action: 'created',
        ops: [{ kind: 'create', title: 'Drift in pangeo-gcp', status: failingStatus(1) }],
      },
    ],
    [
      'failing the same way: edit the status in place, count the run, no comment',
      [sameFailure(4, 3)],
      failing,
      {
        action: 'updated',
        issueNumber: 4,
        ops: [{ kind: 'set-status', issueNumber: 4, status: failingStatus(4) }],
      },
    ],
    [
      'failing differently: comment, then a new status from run 1',
      [{ number: 4, state: 'open', stored: { status: 'failing', fingerprint: 'ffffffffffffffff', runs: 9 } }],
      failing,
      {
        action: 'commented',
        issueNumber: 4,
        ops: [
          { kind: 'comment', issueNumber: 4, body: 'drift found' },
          { kind: 'set-status', issueNumber: 4, status: failingStatus(1) },
        ],
      },
    ],
    [
      'open issue from before status sections, same text: update in place',
      [{ number: 4, state: 'open', text: 'drift found' }],
      failing,
      {
        action: 'updated',
        issueNumber: 4,
        ops: [{ kind: 'set-status', issueNumber: 4, status: failingStatus(2) }],
      },
    ],
    [
      'open issue from before status sections, other text: comment',
      [open(4)],
      failing,
      {
        action: 'commented',
        issueNumber: 4,
        ops: [
          { kind: 'comment', issueNumber: 4, body: 'drift found' },
          { kind: 'set-status', issueNumber: 4, status: failingStatus(1) },
        ],
      },
    ],
    [
      'failing, closed: reopen, comment, new status',
      [{ number: 4, state: 'closed', stored: { status: 'passing' } }],
      failing,
      {
        action: 'reopened',
        issueNumber: 4,
        ops: [
          { kind: 'reopen', issueNumber: 4 },
          { kind: 'comment', issueNumber: 4, body: 'drift found' },
          { kind: 'set-status', issueNumber: 4, status: failingStatus(1) },
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
          { kind: 'set-status', issueNumber: 4, status: failingStatus(1) },
        ],
      },
    ],
    [
      'failing, open and older closed: the open one',
      [closed(2), sameFailure(7, 1)],
      failing,
      {
        action: 'updated',
        issueNumber: 7,
        ops: [{ kind: 'set-status', issueNumber: 7, status: failingStatus(2) }],
      },
    ],
    [
      'failing, two open: close the younger as duplicate, keep the older',
      [open(8), sameFailure(5, 2)],
      failing,
      {
        action: 'updated',
        issueNumber: 5,
        ops: [
          { kind: 'close-duplicate', issueNumber: 8, keptNumber: 5 },
          { kind: 'set-status', issueNumber: 5, status: failingStatus(3) },
        ],
      },
    ],
    [
      'explicit fingerprints: a different body with the same fingerprint is the same failure',
      [
        {
          number: 4,
          state: 'open',
          stored: { status: 'failing', fingerprint: failureFingerprint('', 'exposed: land'), runs: 1 },
        },
      ],
      { status: 'failing', title: 't', body: 'land answers 200 (took 3.1 s)', fingerprint: 'exposed: land' },
      {
        action: 'updated',
        issueNumber: 4,
        ops: [
          {
            kind: 'set-status',
            issueNumber: 4,
            status: {
              status: 'failing',
              fingerprint: failureFingerprint('', 'exposed: land'),
              runs: 2,
              body: 'land answers 200 (took 3.1 s)',
            },
          },
        ],
      },
    ],
    [
      'passing, open: comment, status passing, close',
      [open(4)],
      passing,
      {
        action: 'closed',
        issueNumber: 4,
        ops: [
          { kind: 'comment', issueNumber: 4, body: 'no drift' },
          { kind: 'set-status', issueNumber: 4, status: { status: 'passing', body: 'no drift' } },
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
          { kind: 'set-status', issueNumber: 3, status: { status: 'passing', body: 'no drift' } },
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

  it('adds the extra labels the kept issue lacks, case-insensitively', () => {
    const labelled: FoundIssue = { ...sameFailure(4, 1), labels: ['hubfleet:exposure', 'Critical'] };
    expect(decideIssueOps([labelled], failing, ['critical', 'iap']).ops).toEqual([
      { kind: 'set-status', issueNumber: 4, status: failingStatus(2) },
      { kind: 'add-labels', issueNumber: 4, labels: ['iap'] },
    ]);
    expect(decideIssueOps([closed(2)], failing, ['critical']).ops).toEqual([
      { kind: 'reopen', issueNumber: 2 },
      { kind: 'comment', issueNumber: 2, body: 'drift found' },
      { kind: 'set-status', issueNumber: 2, status: failingStatus(1) },
      { kind: 'add-labels', issueNumber: 2, labels: ['critical'] },
    ]);
  });
});

describe('failureFingerprint', () => {
  it('ignores times, durations, run links and long ids in a derived fingerprint', () => {
    const a =
      'Certificate ocean: ProvisioningFailed since 2026-01-01T10:00:00Z (checked 10:05 UTC, took 2.5 s)\n' +
      'Run: https://github.com/o/r/actions/runs/123456/job/99 commit 0123456789abcdef0123';
    const b =
      'Certificate ocean: ProvisioningFailed since 2026-01-02T11:00:00Z (checked 11:07 UTC, took 31 s)\n' +
      'Run: https://github.com/o/r/actions/runs/987654/job/12 commit fedcba9876543210fedc';
    expect(failureFingerprint(a)).toBe(failureFingerprint(b));
    expect(failureFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    // A certificate that stays short of its minimum validity is one failure, day after day.
    expect(failureFingerprint('ocean: certificate valid for 20 days, needs 21')).toBe(
      failureFingerprint('ocean: certificate valid for 19 days, needs 21'),
    );
  });

  it('tells different hubs and verdicts apart', () => {
    const base = failureFingerprint('Certificate ocean: ProvisioningFailed');
    expect(failureFingerprint('Certificate land: ProvisioningFailed')).not.toBe(base);
    expect(failureFingerprint('Certificate ocean: FailedNotVisible')).not.toBe(base);
    expect(failureFingerprint('Certificate ocean2: ProvisioningFailed')).not.toBe(base);
  });

  it('uses the explicit fingerprint over the body, white space aside', () => {
    expect(failureFingerprint('one body', 'exposed: land')).toBe(
      failureFingerprint('another body', ' exposed:  land '),
    );
    expect(failureFingerprint('x', 'exposed: land')).not.toBe(failureFingerprint('x', 'down: land'));
    // An explicit fingerprint never collides with a body that happens to read the same.
    expect(failureFingerprint('b', 'exposed: land')).not.toBe(failureFingerprint('exposed: land'));
  });
});

describe('issue body', () => {
  const fit = (text: string): string => text;
  it('renders and reads back the status section', () => {
    const body = renderIssueBody('cert:a/b', failingStatus(7), fit);
    expect(body).toBe(
      `${issueMarker('cert:a/b')}\n<!-- hubfleet:status failing fingerprint=${FP} runs=7 -->\n` +
        'drift found\n\n---\n_Seen 7 runs in a row. hubfleet updates this description in place while the ' +
        'failure stays the same and adds a comment when it changes._',
    );
    expect(readIssueBody('cert:a/b', body)).toEqual({
      stored: { status: 'failing', fingerprint: FP, runs: 7 },
      text: 'drift found',
    });
    const passingBody = renderIssueBody('cert:a/b', { status: 'passing', body: 'fine' }, fit);
    expect(readIssueBody('cert:a/b', passingBody)).toEqual({ stored: { status: 'passing' }, text: 'fine' });
  });

  it('reads an issue written before status sections as text only', () => {
    expect(readIssueBody('k', `${issueMarker('k')}\nold report`)).toEqual({ text: 'old report' });
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

  const body = (n: number): string => double.state.issues.find((i) => i.number === n)?.body ?? '';
  const writes = (): string[] =>
    double.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

  it('opens, edits in place while failing the same way, comments on a change, closes and reopens', async () => {
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'created',
      issueNumber: 1,
    });
    expect(double.state.labels.map((l) => l.name)).toEqual([LABEL]);
    expect(double.state.issues[0]).toMatchObject({
      number: 1,
      title: 'Drift in pangeo-gcp',
      body: renderIssueBody(KEY, failingStatus(1), (t) => t),
      state: 'open',
      labels: [LABEL],
    });

    // Same failure reported with another timestamp: the description is edited, nobody is notified.
    const again: IssueOutcome = { ...failing, body: 'drift found' };
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: again })).toEqual({
      action: 'updated',
      issueNumber: 1,
    });
    expect(comments(1)).toEqual([]);
    expect(readIssueBody(KEY, body(1)).stored).toEqual({ status: 'failing', fingerprint: FP, runs: 2 });

    const changed: IssueOutcome = {
      status: 'failing',
      title: 'Drift in pangeo-gcp',
      body: 'drift still found',
    };
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: changed })).toEqual({
      action: 'commented',
      issueNumber: 1,
    });
    expect(comments(1)).toEqual(['drift still found']);
    expect(readIssueBody(KEY, body(1))).toEqual({
      stored: { status: 'failing', fingerprint: failureFingerprint('drift still found'), runs: 1 },
      text: 'drift still found',
    });

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing })).toEqual({
      action: 'closed',
      issueNumber: 1,
    });
    expect(double.state.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(comments(1)).toEqual(['drift still found', 'no drift']);
    expect(readIssueBody(KEY, body(1))).toEqual({ stored: { status: 'passing' }, text: 'no drift' });

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing })).toEqual({ action: 'none' });

    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: failing })).toEqual({
      action: 'reopened',
      issueNumber: 1,
    });
    expect(double.state.issues).toHaveLength(1);
    expect(double.state.issues[0]?.state).toBe('open');
    expect(comments(1)).toEqual(['drift still found', 'no drift', 'drift found']);
    expect(body(1)).toBe(renderIssueBody(KEY, failingStatus(1), (t) => t));
  });

  it('24 hourly runs of the same failure leave one issue and no comment; a change adds exactly one', async () => {
    for (let hour = 0; hour < 24; hour++) {
      const at = `2026-03-0${1 + Math.floor(hour / 12)}T${String(hour % 24).padStart(2, '0')}:00:00Z`;
      const result = await upsertIssue(gh, {
        key: KEY,
        label: LABEL,
        outcome: {
          status: 'failing',
          title: 'land exposed',
          body: `Checked ${at}: land answers 200 without IAP (took ${hour + 1}.2 s)`,
        },
      });
      expect(result).toEqual({ action: hour === 0 ? 'created' : 'updated', issueNumber: 1 });
    }
    expect(double.state.issues.map((i) => [i.number, i.state])).toEqual([[1, 'open']]);
    expect(double.state.comments).toEqual([]);
    expect(readIssueBody(KEY, body(1)).stored?.runs).toBe(24);
    expect(readIssueBody(KEY, body(1)).text).toBe(
      'Checked 2026-03-02T23:00:00Z: land answers 200 without IAP (took 24.2 s)',
    );
    expect(body(1)).toContain('_Seen 24 runs in a row.');
    // One create, then 23 in-place edits; nothing else was written.
    expect(writes()).toEqual([
      `POST /repos/${REPO}/labels`,
      `POST /repos/${REPO}/issues`,
      ...Array.from({ length: 23 }, () => `PATCH /repos/${REPO}/issues/1`),
    ]);

    const other = {
      status: 'failing' as const,
      title: 'land exposed',
      body: 'Checked 2026-03-03T00:00:00Z: land and ocean answer 200 without IAP',
    };
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: other })).toEqual({
      action: 'commented',
      issueNumber: 1,
    });
    expect(await upsertIssue(gh, { key: KEY, label: LABEL, outcome: other })).toEqual({
      action: 'updated',
      issueNumber: 1,
    });
    expect(comments(1)).toEqual([other.body]);
    expect(readIssueBody(KEY, body(1)).stored?.runs).toBe(2);
  });

  it('compares explicit fingerprints, not bodies, when the caller gives them', async () => {
    const outcome = (body: string, fingerprint: string): IssueOutcome => ({
      status: 'failing',
      title: 'exposed',
      body,
      fingerprint,
    });
    await upsertIssue(gh, {
      key: KEY,
      label: LABEL,
      outcome: outcome('land: 200, 1 of 3 tries', 'exposed: land'),
    });
    expect(
      await upsertIssue(gh, {
        key: KEY,
        label: LABEL,
        outcome: outcome('land: 200, 3 of 3 tries', 'exposed: land'),
      }),
    ).toEqual({ action: 'updated', issueNumber: 1 });
    expect(
      await upsertIssue(gh, {
        key: KEY,
        label: LABEL,
        outcome: outcome('land: 200, 3 of 3 tries', 'exposed: land, ocean'),
      }),
    ).toEqual({ action: 'commented', issueNumber: 1 });
    expect(comments(1)).toEqual(['land: 200, 3 of 3 tries']);
  });

  it('carries extra labels on create and adds them to an issue that lacks them', async () => {
    const args = { key: KEY, label: LABEL, outcome: failing, extraLabels: ['critical'] };
    expect(await upsertIssue(gh, args)).toEqual({ action: 'created', issueNumber: 1 });
    expect(double.state.issues[0]?.labels).toEqual([LABEL, 'critical']);
    expect(double.state.labels.map((l) => l.name)).toEqual([LABEL, 'critical']);

    double.seedIssue({ title: 'old', body: `${issueMarker('exposure:x')}\nold`, labels: [LABEL] });
    expect(
      await upsertIssue(gh, { ...args, key: 'exposure:x', outcome: { ...failing, body: 'old' } }),
    ).toEqual({ action: 'updated', issueNumber: 2 });
    expect(double.state.issues[1]?.labels).toEqual([LABEL, 'critical']);
    const before = writes().length;
    await upsertIssue(gh, { ...args, key: 'exposure:x', outcome: { ...failing, body: 'old' } });
    // Only the in-place edit: the label is there already.
    expect(writes().slice(before)).toEqual([`PATCH /repos/${REPO}/issues/2`]);
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
    const texts = [readIssueBody(KEY, double.state.issues[0]?.body ?? '').text, ...comments(1)];
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
    expect(comments(1)).toEqual(['drift found']);
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

  it('with a listing made once for the run, makes only the writes: no listing per key', async () => {
    for (let i = 0; i < 3; i++) {
      double.seedIssue({ title: `drift ${i}`, body: `${issueMarker(`drift:c${i}`)}\nx`, labels: [LABEL] });
    }
    const listed = await gh.listIssuesByLabel(LABEL);
    double.requests.length = 0;
    for (let i = 0; i < 3; i++) {
      expect(await upsertIssue(gh, { key: `drift:c${i}`, label: LABEL, outcome: passing, listed })).toEqual({
        action: 'closed',
        issueNumber: i + 1,
      });
    }
    expect(double.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/${REPO}/issues/1/comments`,
      `PATCH /repos/${REPO}/issues/1`,
      `PATCH /repos/${REPO}/issues/1`,
      `POST /repos/${REPO}/issues/2/comments`,
      `PATCH /repos/${REPO}/issues/2`,
      `PATCH /repos/${REPO}/issues/2`,
      `POST /repos/${REPO}/issues/3/comments`,
      `PATCH /repos/${REPO}/issues/3`,
      `PATCH /repos/${REPO}/issues/3`,
    ]);
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
    expect(stored.startsWith(`${issueMarker(KEY)}\n<!-- hubfleet:status failing `)).toBe(true);
    expect(stored).toMatch(/ runs=1 -->\nHEAD\n/);
    expect(
      stored.endsWith(
        '\nTAIL\n\n---\n_Seen once. hubfleet updates this description in place while the failure stays the same and adds a comment when it changes._',
      ),
    ).toBe(true);
    expect(stored).toContain('cut here — full plan in artifact drift-pangeo-gcp');
  });

  it('rejects keys a marker cannot hold and labels with commas', async () => {
    await expect(upsertIssue(gh, { key: 'a b', label: LABEL, outcome: passing })).rejects.toThrow(
      /hidden marker/,
    );
    await expect(upsertIssue(gh, { key: KEY, label: 'a,b', outcome: passing })).rejects.toThrow(/comma/);
    await expect(
      upsertIssue(gh, { key: KEY, label: LABEL, outcome: passing, extraLabels: ['critical,x'] }),
    ).rejects.toThrow('issue label "critical,x" is empty or contains a comma');
    expect(double.requests).toEqual([]);
  });
});
