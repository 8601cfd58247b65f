import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import { issueMarker } from '../../src/report/issue-upsert.js';
import { GITHUB_COMMENT_LIMIT, joinStickyParts } from '../../src/report/sticky-comment.js';
import { reportInputs, reportOutputs } from '../../actions/report/inputs.js';
import { runBundle, repoRoot, type BundleRun, type RunBundleOptions } from '../support/bundle-harness.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';

// End to end: the committed bundle, run as a runner runs it, against the GitHub REST double.

const REPOSITORY = 'hubfleet-org/fleet';
const TOKEN = 'ghs_reportTestToken0000000000000000000';

let gh: GitHubDouble;

beforeAll(async () => {
  gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
});

afterAll(async () => {
  await gh.close();
});

function report(
  inputs: Record<string, string>,
  options: Omit<RunBundleOptions, 'inputs'> = {},
): Promise<BundleRun> {
  return runBundle('actions/report', {
    githubToken: TOKEN,
    ...options,
    inputs,
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPOSITORY, ...options.env },
  });
}

function expectSuccess(run: BundleRun): void {
  if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
}

const commentsOn = (issueNumber: number): { id: number; body: string }[] =>
  gh.state.comments.filter((c) => c.issue_number === issueNumber).sort((a, b) => a.id - b.id);

describe('report action declarations', () => {
  it('action.yml and inputs.ts declare the same inputs and outputs', async () => {
    const yml = await loadActionYml(`${repoRoot}/actions/report/action.yml`);
    expect(compareActionYml(yml, reportInputs, reportOutputs)).toEqual([]);
  });

  it('the check notices a difference', async () => {
    const yml = await loadActionYml(`${repoRoot}/actions/report/action.yml`);
    const { label: _label, ...withoutLabel } = reportInputs;
    expect(compareActionYml(yml, { ...withoutLabel, extra: { kind: 'string' } }, ['action'])).toEqual([
      'input "extra" is in inputs.ts but not in action.yml',
      'input "label" is in action.yml but not in inputs.ts',
      'output "comment-ids" is in action.yml but not declared in TypeScript',
      'output "issue-number" is in action.yml but not declared in TypeScript',
    ]);
  });
});

describe('sticky comment mode', () => {
  it('creates, updates in place, splits past the limit so the parts re-join exactly, then shrinks', async () => {
    const pr = 12;
    gh.seedPullFiles(pr, []);
    const event = { pull_request: { number: pr } };
    const key = 'plan:pangeo-gcp';
    const comment = (inputs: Record<string, string>, files?: Record<string, string>): Promise<BundleRun> =>
      report(
        { mode: 'comment', key, ...inputs },
        { event, eventName: 'pull_request', ...(files ? { files } : {}) },
      );

    const first = await comment({ body: '## Plan\n\n1 to add' });
    expectSuccess(first);
    expect(first.outputs.action).toBe('created');
    const ids = JSON.parse(first.outputs['comment-ids'] ?? '') as number[];
    expect(ids).toHaveLength(1);
    expect(commentsOn(pr).map((c) => c.id)).toEqual(ids);
    expect(joinStickyParts(commentsOn(pr))).toBe('## Plan\n\n1 to add');
    expect(first.summary).toContain(`### ✅ sticky comment ${key} created on #${pr} (1 part)`);
    expect(first.summary).toContain(`| ${key} | #${pr} | 1 | 1 | 0 | 0 | ${ids[0]} |`);
    expect(first.stdout).toContain(`::group::Sticky comment ${key} on #${pr}`);

    const second = await comment({ body: '## Plan\n\n2 to change' });
    expectSuccess(second);
    expect(second.outputs).toEqual({ action: 'updated', 'comment-ids': JSON.stringify(ids) });
    expect(joinStickyParts(commentsOn(pr))).toBe('## Plan\n\n2 to change');

    // Longer than two comments, with a code fence running across the cuts.
    const line = (i: number): string =>
      `  + resource "google_storage_bucket" "b${i}" { name = "bucket-${i}" }\n`;
    const big =
      '## Plan\n\n```hcl\n' +
      Array.from({ length: 2500 }, (_v, i) => line(i)).join('') +
      '```\n\nPlan: 2500 to add.\n';
    expect(big.length).toBeGreaterThan(2 * GITHUB_COMMENT_LIMIT);
    const third = await comment({ 'body-file': 'out/plan.md' }, { 'out/plan.md': big });
    expectSuccess(third);
    const splitIds = JSON.parse(third.outputs['comment-ids'] ?? '') as number[];
    expect(splitIds.length).toBeGreaterThanOrEqual(3);
    expect(splitIds[0]).toBe(ids[0]);
    expect(third.outputs.action).toBe('updated');
    const parts = commentsOn(pr);
    expect(parts.map((c) => c.id)).toEqual(splitIds);
    for (const part of parts) expect([...part.body].length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(joinStickyParts(parts)).toBe(big);

    const fourth = await comment({ body: 'No changes.' });
    expectSuccess(fourth);
    expect(fourth.outputs).toEqual({ action: 'updated', 'comment-ids': JSON.stringify(ids) });
    expect(commentsOn(pr).map((c) => c.id)).toEqual(ids);
    expect(joinStickyParts(commentsOn(pr))).toBe('No changes.');

    const writesBefore = gh.requests.filter((r) => r.method !== 'GET').length;
    const fifth = await comment({ body: 'No changes.' });
    expectSuccess(fifth);
    expect(fifth.outputs.action).toBe('unchanged');
    expect(gh.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  });

  it('takes pr-number over the event, and refuses comment mode without any pull request', async () => {
    gh.seedPullFiles(30, []);
    const explicit = await report(
      { mode: 'comment', key: 'k', body: 'hi', 'pr-number': '30' },
      { event: {} },
    );
    expectSuccess(explicit);
    expect(commentsOn(30)).toHaveLength(1);

    const missing = await report(
      { mode: 'comment', key: 'k', body: 'hi', 'body-file': 'x.md' },
      { event: {} },
    );
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.map((a) => a.message)).toEqual([
      '2 invalid inputs: inputs "body" and "body-file": give one of them, not both; ' +
        'input "pr-number": required in comment mode when the triggering event has no pull request; ' +
        "fix the step's `with:` block (each input is described in the action's action.yml)",
    ]);
  });
});

describe('issue mode', () => {
  const key = 'cert:pangeo-gcp/ocean';
  const failing = { mode: 'issue', key, status: 'failing', title: 'ocean: certificate not Active' };
  const issuesFor = (k: string): { number: number; state: string; state_reason: string | null }[] =>
    gh.state.issues.filter((i) => (i.body ?? '').includes(issueMarker(k)));

  it('opens, edits in place while failing the same way, comments on a change, closes and reopens', async () => {
    const opened = await report({ ...failing, body: 'ProvisioningFailed since 10:00' });
    expectSuccess(opened);
    expect(opened.outputs.action).toBe('created');
    const number = Number(opened.outputs['issue-number']);
    const issue = gh.state.issues.find((i) => i.number === number);
    expect(issue?.title).toBe('ocean: certificate not Active');
    expect(issue?.labels).toEqual(['hubfleet']);
    expect(issue?.body).toContain('ProvisioningFailed since 10:00');
    expect(opened.summary).toContain(`### ❌ ${key} is failing: issue #${number} created`);
    expect(opened.summary).toContain(`| ${key} | failing | #${number} | created | hubfleet |`);

    // The same failure an hour later: the description is edited in place, no comment.
    const same = await report({ ...failing, body: 'ProvisioningFailed since 10:00' });
    expectSuccess(same);
    expect(same.outputs).toEqual({ action: 'updated', 'issue-number': String(number) });
    expect(commentsOn(number)).toEqual([]);
    expect(gh.state.issues.find((i) => i.number === number)?.body).toContain('_Seen 2 runs in a row.');
    expect(same.summary).toContain(`### ❌ ${key} is failing: issue #${number} updated`);

    const again = await report({ ...failing, body: 'still ProvisioningFailed' });
    expectSuccess(again);
    expect(again.outputs).toEqual({ action: 'commented', 'issue-number': String(number) });
    expect(commentsOn(number).map((c) => c.body)).toEqual(['still ProvisioningFailed']);

    const healthy = await report({ mode: 'issue', key, status: 'passing', body: 'Active again' });
    expectSuccess(healthy);
    expect(healthy.outputs).toEqual({ action: 'closed', 'issue-number': String(number) });
    expect(issuesFor(key)).toEqual([
      expect.objectContaining({ number, state: 'closed', state_reason: 'completed' }),
    ]);
    expect(healthy.summary).toContain(`### ✅ ${key} is passing: issue #${number} closed`);

    const broken = await report({ ...failing, body: 'FailedNotVisible' });
    expectSuccess(broken);
    expect(broken.outputs).toEqual({ action: 'reopened', 'issue-number': String(number) });
    expect(issuesFor(key)).toEqual([expect.objectContaining({ number, state: 'open' })]);
  });

  it('compares the fingerprint input, and labels the issue with extra-labels', async () => {
    const k = 'exposure:pangeo-gcp/sea';
    const exposed = {
      mode: 'issue',
      key: k,
      status: 'failing',
      title: 'sea exposed',
      fingerprint: 'exposed: sea',
      'extra-labels': 'critical',
    };
    const first = await report({ ...exposed, body: 'sea answered 200 on try 1' });
    expectSuccess(first);
    const number = Number(first.outputs['issue-number']);
    expect(gh.state.issues.find((i) => i.number === number)?.labels).toEqual(['hubfleet', 'critical']);
    expect(first.summary).toContain(`| ${k} | failing | #${number} | created | hubfleet, critical |`);
    const second = await report({ ...exposed, body: 'sea answered 200 on try 3' });
    expect(second.outputs).toEqual({ action: 'updated', 'issue-number': String(number) });
    const third = await report({ ...exposed, fingerprint: 'exposed: sea, sky', body: 'sea and sky' });
    expect(third.outputs).toEqual({ action: 'commented', 'issue-number': String(number) });
    expect(commentsOn(number).map((c) => c.body)).toEqual(['sea and sky']);

    const misplaced = await report({
      mode: 'issue',
      key: k,
      status: 'passing',
      body: 'ok',
      fingerprint: 'x',
    });
    expect(misplaced.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining('input "fingerprint": applies to status failing only, but status is passing'),
    ]);
  });

  it('does nothing for a passing key that has no issue', async () => {
    const run = await report({ mode: 'issue', key: 'drift:nowhere', status: 'passing', body: 'no drift' });
    expectSuccess(run);
    expect(run.outputs).toEqual({ action: 'none' });
    expect(issuesFor('drift:nowhere')).toEqual([]);
  });

  it('leaves one open issue when two runs report the same key at the same time', async () => {
    const raceKey = 'exposure:pangeo-gcp/land';
    // Both runs list before either creates, so both create and one must stand down.
    gh.inject({
      method: 'GET',
      path: `/repos/${REPOSITORY}/issues`,
      times: 2,
      fault: { kind: 'delay', ms: 700 },
    });
    const inputs = {
      mode: 'issue',
      key: raceKey,
      status: 'failing',
      title: 'land exposed',
      body: 'HTTP 200 without IAP',
    };
    const [a, b] = await Promise.all([report(inputs), report(inputs)]);
    expectSuccess(a);
    expectSuccess(b);
    const open = issuesFor(raceKey).filter((i) => i.state === 'open');
    expect(open).toHaveLength(1);
    expect(a.outputs['issue-number']).toBe(String(open[0]?.number));
    expect(b.outputs['issue-number']).toBe(String(open[0]?.number));
    for (const duplicate of issuesFor(raceKey).filter((i) => i.state !== 'open')) {
      expect(duplicate.state_reason).toBe('not_planned');
    }
  });

  it('refuses issue mode without status, or failing without a title', async () => {
    const run = await report({ mode: 'issue', key, body: 'x', 'pr-number': '3' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      '2 invalid inputs: input "pr-number": applies to mode comment only, but mode is issue; ' +
        'input "status": required in issue mode (failing or passing); ' +
        "fix the step's `with:` block (each input is described in the action's action.yml)",
    ]);
    const noTitle = await report({ mode: 'issue', key, body: 'x', status: 'failing' });
    expect(noTitle.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining('input "title": required in issue mode when status is failing'),
    ]);
  });
});

describe('failures', () => {
  it('fails with one actionable line when GitHub keeps answering 500', async () => {
    gh.seedPullFiles(40, []);
    gh.inject({
      method: 'POST',
      path: `/repos/${REPOSITORY}/issues/40/comments`,
      times: 10,
      fault: { kind: 'status', status: 500 },
    });
    const run = await report(
      { mode: 'comment', key: 'k', body: 'b', 'pr-number': '40' },
      { timeoutMs: 30_000 },
    );
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).not.toContain('\n');
    expect(errors[0]?.message).toBe(
      `GitHub create a comment on ${REPOSITORY}#40 failed after 4 attempts: HTTP 500 Server Error; ` +
        'GitHub kept failing; check https://www.githubstatus.com and re-run the job',
    );
    expect(
      gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues/40/comments')),
    ).toHaveLength(4);
    expect(run.summary).toBe('');
    expect(run.outputs).toEqual({});
  });

  it('says which body-file it could not read', async () => {
    const run = await report({ mode: 'issue', key: 'k', status: 'passing', 'body-file': 'missing.md' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^cannot read body-file missing\.md: ENOENT.*; write the report file in an earlier step of the same job/,
      ),
    ]);
  });
});

describe('secrets', () => {
  const CANARY = 'ghs_CANARY7f3c9e1bd0a54e2f8c6b1d9e0a7f3c9e';
  let canaryDouble: GitHubDouble;

  beforeAll(async () => {
    canaryDouble = await startGitHubDouble({ repository: REPOSITORY, token: CANARY });
    canaryDouble.seedPullFiles(5, []);
  });
  afterAll(async () => {
    await canaryDouble.close();
  });

  const run = (inputs: Record<string, string>): Promise<BundleRun> =>
    runBundle('actions/report', {
      inputs: { 'github-token': CANARY, ...inputs },
      env: { GITHUB_API_URL: canaryDouble.url, GITHUB_REPOSITORY: REPOSITORY },
    });

  /** Every channel a step has: the log (debug lines and annotations too), files, summary, outputs. */
  function expectNoLeak(result: BundleRun): void {
    const logLines = result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    const unmasked = result.commands.filter((c) => c.command !== 'add-mask');
    const channels: Record<string, string> = {
      log: logLines.join('\n'),
      // Unescaped, as the runner shows them: %-escaping must not hide a token from the scan.
      commands: JSON.stringify(unmasked.map((c) => [c.command, c.properties, c.message])),
      stderr: result.stderr,
      summary: result.summary,
      outputs: JSON.stringify(result.outputs),
      GITHUB_ENV: result.envFile,
      GITHUB_STATE: result.stateFile,
      GITHUB_PATH: result.pathFile,
    };
    const leaking = Object.entries(channels).flatMap(([name, text]) => (text.includes(CANARY) ? [name] : []));
    expect(leaking).toEqual([]);
    // The mask is the first thing the step prints.
    expect(result.stdout.split('\n')[0]).toBe(`::add-mask::${CANARY}`);
  }

  it('masks the token first and sends it nowhere but the Authorization header', async () => {
    const results = [
      await run({ mode: 'comment', key: 'plan:x', body: 'plan text', 'pr-number': '5' }),
      await run({ mode: 'issue', key: 'drift:x', status: 'failing', title: 'drift', body: 'drifted' }),
      await run({ mode: 'issue', key: 'drift:x', status: 'passing', body: 'fine' }),
    ];
    for (const result of results) {
      expectSuccess(result);
      expectNoLeak(result);
    }
    expect(canaryDouble.requests.length).toBeGreaterThan(5);
    for (const request of canaryDouble.requests) {
      // The double records that the header was sent (its check against the token passed).
      expect(request.headers.authorization).toBe('[present]');
      const { authorization: _auth, ...otherHeaders } = request.headers;
      expect(JSON.stringify([request.path, request.query, request.body, otherHeaders])).not.toContain(CANARY);
    }
    const stored = JSON.stringify([canaryDouble.state.issues, canaryDouble.state.comments]);
    expect(stored).not.toContain(CANARY);
  });

  it('leaks it nowhere when GitHub answers 401, or 500 and then 401, with the token in the error body', async () => {
    // A proxy or a GitHub error that echoes the credential is the worst case for every channel.
    const unauthorized = { kind: 'status', status: 401, message: `Bad credentials: ${CANARY}` } as const;
    canaryDouble.inject({
      method: 'GET',
      path: `/repos/${REPOSITORY}/issues/5/comments`,
      times: 1,
      fault: unauthorized,
    });
    const rejected = await run({ mode: 'comment', key: 'plan:y', body: 'plan text', 'pr-number': '5' });
    canaryDouble.inject({
      method: 'GET',
      path: `/repos/${REPOSITORY}/issues`,
      times: 1,
      fault: { kind: 'status', status: 500, message: `upstream failed for token ${CANARY}` },
    });
    canaryDouble.inject({
      method: 'GET',
      path: `/repos/${REPOSITORY}/issues`,
      times: 1,
      fault: unauthorized,
    });
    const flaky = await run({ mode: 'issue', key: 'drift:y', status: 'failing', title: 'drift', body: 'x' });

    expect(flaky.stdout).toMatch(
      /^GitHub GET http:\/\/127\.0\.0\.1:\d+\/repos\/hubfleet-org\/fleet\/issues\?\S+: HTTP 500; retrying in 1s \(attempt 2 of 4\)$/m,
    );
    const failures = [
      `GitHub list comments of ${REPOSITORY}#5 failed: HTTP 401 Bad credentials: ***`,
      `GitHub list issues labelled "hubfleet" in ${REPOSITORY} failed after 2 attempts: HTTP 401 Bad credentials: ***`,
    ];
    for (const [i, result] of [rejected, flaky].entries()) {
      expect(result.exitCode).toBe(1);
      expectNoLeak(result);
      // The failure annotation says what happened and what to do, without the token.
      expect(result.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        `${failures[i]}; the token was rejected; pass a valid token (the job’s GITHUB_TOKEN or a GitHub App token)`,
      ]);
      // The debug stack was written (so the scan above covered it).
      const debug = result.commands.filter((c) => c.command === 'debug').map((c) => c.message);
      expect(debug.some((m) => m.includes(failures[i] ?? '-') && /\n\s+at /.test(m))).toBe(true);
    }
    expect(canaryDouble.state.issues.filter((i) => (i.body ?? '').includes('drift:y'))).toEqual([]);
  });

  it('masks the token before reporting invalid inputs, and does not repeat it', async () => {
    const result = await run({ mode: 'sideways', key: 'k', body: 'b', 'pr-number': 'x' });
    expect(result.exitCode).toBe(1);
    expectNoLeak(result);
    expect(result.annotations.map((a) => a.message)).toEqual([
      expect.stringContaining(
        'input "mode": expected one of comment, issue, got "sideways"; input "pr-number"',
      ),
    ]);
  });
});
