import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import { createGitHubClient, GitHubApiError, retryDelayMs, type GitHubClient } from './github.js';

const TOKEN = 'ghs_canaryTOKEN0123456789abcdefXYZ';
const REPO = 'hubfleet-org/fleet';

let double: GitHubDouble;
let sleeps: number[];
let logs: string[];

function client(extra: { maxAttempts?: number; timeoutMs?: number; token?: string } = {}): GitHubClient {
  return createGitHubClient({
    token: extra.token ?? TOKEN,
    repository: REPO,
    apiUrl: double.url,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    log: (m) => logs.push(m),
    ...(extra.maxAttempts === undefined ? {} : { maxAttempts: extra.maxAttempts }),
    ...(extra.timeoutMs === undefined ? {} : { timeoutMs: extra.timeoutMs }),
  });
}

async function caught(promise: Promise<unknown>): Promise<GitHubApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GitHubApiError) return error;
    throw new Error(`expected a GitHubApiError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  double = await startGitHubDouble({ repository: REPO, token: TOKEN });
  sleeps = [];
  logs = [];
});
afterEach(async () => {
  await double.close();
});

describe('retryDelayMs', () => {
  const cases: Array<[string, Parameters<typeof retryDelayMs>[0], number, number | undefined]> = [
    ['500 backs off 1s first', { status: 500, headers: {}, message: 'x' }, 1, 1000],
    ['502 backs off 4s on the third attempt', { status: 502, headers: {}, message: 'x' }, 3, 4000],
    ['5xx honours Retry-After', { status: 503, headers: { 'retry-after': '7' }, message: 'x' }, 1, 7000],
    ['403 with Retry-After', { status: 403, headers: { 'retry-after': '3' }, message: 'x' }, 1, 3000],
    [
      '403 secondary limit without Retry-After waits a minute',
      { status: 403, headers: {}, message: 'You have exceeded a secondary rate limit.' },
      1,
      60_000,
    ],
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': 2 }, message: 'x' }, 1, 2000],
    [
      '403 permission error is final',
      { status: 403, headers: {}, message: 'Resource not accessible' },
      1,
      undefined,
    ],
    [
      'primary limit exhausted is final',
      { status: 403, headers: { 'x-ratelimit-remaining': '0' }, message: 'API rate limit exceeded' },
      1,
      undefined,
    ],
    [
      'Retry-After over two minutes is final',
      { status: 429, headers: { 'retry-after': '600' }, message: 'x' },
      1,
      undefined,
    ],
    ['404 is final', { status: 404, headers: {}, message: 'Not Found' }, 1, undefined],
    ['422 is final', { status: 422, headers: {}, message: 'Validation Failed' }, 1, undefined],
  ];
  it.each(cases)('%s', (_name, facts, attempt, expected) => {
    expect(retryDelayMs(facts, attempt)).toBe(expected);
  });
});

describe('createGitHubClient against the GitHub double', () => {
  it('sends the token, GitHub headers and the JSON body to the configured URL', async () => {
    const gh = client();
    const issue = await gh.createIssue({ title: 'drift', body: 'hello', labels: ['hubfleet:drift'] });
    expect(issue).toEqual({
      number: 1,
      title: 'drift',
      body: 'hello',
      state: 'open',
      labels: ['hubfleet:drift'],
      createdAt: expect.any(String),
      htmlUrl: `https://github.com/${REPO}/issues/1`,
    });
    const request = double.requests[0];
    expect(request).toMatchObject({
      method: 'POST',
      path: `/repos/${REPO}/issues`,
      body: { title: 'drift', body: 'hello', labels: ['hubfleet:drift'] },
    });
    expect(request?.headers['authorization']).toBe('[present]');
    expect(request?.headers['accept']).toBe('application/vnd.github.v3+json');
  });

  it('takes the base URL from GITHUB_API_URL when no apiUrl is given', async () => {
    const saved = process.env['GITHUB_API_URL'];
    process.env['GITHUB_API_URL'] = double.url;
    try {
      const gh = createGitHubClient({ token: TOKEN, repository: REPO });
      await gh.ensureLabel('hubfleet:cert');
      expect(double.state.labels.map((l) => l.name)).toEqual(['hubfleet:cert']);
    } finally {
      if (saved === undefined) delete process.env['GITHUB_API_URL'];
      else process.env['GITHUB_API_URL'] = saved;
    }
  });

  it('retries after a 500 with growing back-off and succeeds', async () => {
    double.inject({
      method: 'POST',
      path: `/repos/${REPO}/issues/1/comments`,
      times: 2,
      fault: { kind: 'status', status: 500 },
    });
    double.seedIssue({ title: 't', body: 'b' });
    const comment = await client().createIssueComment(1, 'hi');
    expect(comment.body).toBe('hi');
    expect(sleeps).toEqual([1000, 2000]);
    expect(double.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(logs[0]).toMatch(
      /POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments: HTTP 500; retrying in 1s \(attempt 2 of 4\)/,
    );
  });

  it('honours Retry-After on a 403 secondary rate limit', async () => {
    double.inject({
      path: `/repos/${REPO}/issues`,
      times: 1,
      fault: { kind: 'secondary-rate-limit', retryAfter: 1 },
    });
    const issues = await client().listIssuesByLabel('x');
    expect(issues).toEqual([]);
    expect(sleeps).toEqual([1000]);
  });

  it('honours Retry-After on a 429', async () => {
    double.inject({ path: /\/labels\//, times: 2, fault: { kind: 'too-many-requests', retryAfter: 3 } });
    await client().ensureLabel('a');
    expect(sleeps).toEqual([3000, 3000]);
  });

  it('gives up after maxAttempts with what failed, why and what to do', async () => {
    double.seedIssue({ title: 't', body: 'b' });
    double.inject({ path: `/repos/${REPO}/issues/1`, times: 10, fault: { kind: 'status', status: 502 } });
    const error = await caught(client({ maxAttempts: 3 }).updateIssue(1, { state: 'closed' }));
    expect(error.message).toBe(`GitHub update ${REPO}#1 failed after 3 attempts: HTTP 502 Server Error`);
    expect(error.hint).toBe('GitHub kept failing; check https://www.githubstatus.com and re-run the job');
    expect(error.status).toBe(502);
    expect(sleeps).toEqual([1000, 2000]);
    expect(double.requests).toHaveLength(3);
  });

  it('gives up on a secondary rate limit that persists, saying to re-run later', async () => {
    double.inject({ path: /comments$/, times: 10, fault: { kind: 'secondary-rate-limit', retryAfter: 1 } });
    double.seedIssue({ title: 't', body: 'b' });
    const error = await caught(client({ maxAttempts: 2 }).listIssueComments(1));
    expect(error.message).toMatch(
      /^GitHub list comments of hubfleet-org\/fleet#1 failed after 2 attempts: HTTP 403 You have exceeded a secondary rate limit/,
    );
    expect(error.hint).toMatch(/re-run it later/);
    expect(sleeps).toEqual([1000]);
  });

  it('retries a request that times out', async () => {
    double.inject({ path: `/repos/${REPO}/labels/slow`, times: 1, fault: { kind: 'delay', ms: 1500 } });
    await client({ timeoutMs: 200 }).ensureLabel('slow');
    expect(sleeps).toEqual([1000]);
    expect(logs[0]).toBe(
      'GitHub GET /repos/{owner}/{repo}/labels/{name}: no answer within 0.2s; retrying in 1s (attempt 2 of 4)',
    );
  });

  it('says how long it waited when every attempt times out', async () => {
    double.inject({ path: `/repos/${REPO}/labels/slow`, times: 2, fault: { kind: 'delay', ms: 1500 } });
    const error = await caught(client({ timeoutMs: 100, maxAttempts: 2 }).ensureLabel('slow'));
    expect(error.message).toBe(
      `GitHub create label "slow" in ${REPO} failed after 2 attempts: could not reach ${double.url}: no answer within 0.1s`,
    );
    expect(error.hint).toMatch(/check GITHUB_API_URL/);
  });

  it('does not retry a 404 and explains it', async () => {
    const error = await caught(client().updateIssueComment(424242, 'x'));
    expect(error.status).toBe(404);
    expect(error.message).toBe(`GitHub update comment 424242 in ${REPO} failed: HTTP 404 Not Found`);
    expect(error.hint).toMatch(/check that hubfleet-org\/fleet and the issue, comment or label exist/);
    expect(sleeps).toEqual([]);
  });

  it('reports GitHub validation details for a body over 65,536 characters', async () => {
    double.seedIssue({ title: 't', body: 'b' });
    const error = await caught(client().createIssueComment(1, 'x'.repeat(65_537)));
    expect(error.status).toBe(422);
    expect(error.message).toContain('body is too long (maximum is 65536 characters)');
  });

  it('explains a rejected token without repeating it', async () => {
    const error = await caught(client({ token: `${TOKEN}-wrong` }).listIssuesByLabel('x'));
    expect(error.status).toBe(401);
    expect(error.hint).toMatch(/token was rejected/);
    expect(`${error.message} ${error.hint} ${String(error.stack)}`).not.toContain(TOKEN);
  });

  it('explains an unreachable API', async () => {
    const gh = createGitHubClient({
      token: TOKEN,
      repository: REPO,
      apiUrl: 'http://127.0.0.1:1',
      maxAttempts: 1,
    });
    const error = await caught(gh.listIssuesByLabel('x'));
    expect(error.status).toBeUndefined();
    expect(error.message).toMatch(/could not reach http:\/\/127\.0\.0\.1:1/);
    expect(error.hint).toMatch(/GITHUB_API_URL/);
  });

  it('never puts the token in an error, even when GitHub echoes it', async () => {
    // A body that contains the token makes GitHub's 422 response and our message mention it.
    double.seedIssue({ title: 't', body: 'b' });
    const errors = [
      await caught(client().createIssueComment(1, `${TOKEN}${'x'.repeat(65_536)}`)),
      await caught(client({ maxAttempts: 1 }).createIssue({ title: '', body: TOKEN, labels: [] })),
      // The operation names the label, so a failure would print the token unless scrubbed.
      await caught(
        (() => {
          double.inject({ path: /\/labels\//, times: 1, fault: { kind: 'status', status: 404 } });
          double.inject({ path: /\/labels$/, times: 5, fault: { kind: 'status', status: 500 } });
          return client({ maxAttempts: 2 }).ensureLabel(TOKEN);
        })(),
      ),
    ];
    for (const error of errors) {
      expect(`${error.message}\n${error.hint}`).not.toContain(TOKEN);
    }
  });

  it('rejects a repository that is not owner/name', () => {
    expect(() => createGitHubClient({ token: TOKEN, repository: 'fleet' })).toThrow(
      /not in owner\/name form/,
    );
  });

  it('follows pagination past 100 comments, issues and PR files', async () => {
    double.seedIssue({ title: 't', body: 'b' });
    for (let i = 0; i < 230; i++) double.seedComment(1, `c${i}`);
    for (let i = 0; i < 150; i++) double.seedIssue({ title: `i${i}`, body: 'x', labels: ['many'] });
    double.seedPullFiles(
      500,
      Array.from({ length: 205 }, (_, i) => ({ filename: `f${i}.yaml`, status: 'modified' as const })),
    );
    const gh = client();
    const comments = await gh.listIssueComments(1);
    expect(comments.map((c) => c.body)).toEqual(Array.from({ length: 230 }, (_, i) => `c${i}`));
    const issues = await gh.listIssuesByLabel('many');
    expect(issues).toHaveLength(150);
    expect(new Set(issues.map((i) => i.number)).size).toBe(150);
    const files = await gh.listPullRequestFiles(500);
    expect(files.map((f) => f.filename)).toEqual(Array.from({ length: 205 }, (_, i) => `f${i}.yaml`));
    const pages = double.requests
      .filter((r) => r.path.endsWith('/comments'))
      .map((r) => r.query['page'] ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(
      double.requests.filter((r) => r.path.endsWith('/issues')).every((r) => r.query['state'] === 'all'),
    ).toBe(true);
  });

  it('lists issues but not pull requests', async () => {
    double.seedIssue({ title: 'issue', body: 'x', labels: ['l'] });
    double.seedPullFiles(7, []);
    double.state.issues.find((i) => i.number === 7)?.labels.push('l');
    const issues = await client().listIssuesByLabel('l');
    expect(issues.map((i) => i.title)).toEqual(['issue']);
  });

  it('ensureLabel creates a missing label once and tolerates a concurrent create', async () => {
    const gh = client();
    await Promise.all([gh.ensureLabel('hubfleet:drift'), gh.ensureLabel('hubfleet:drift')]);
    await gh.ensureLabel('hubfleet:drift');
    expect(double.state.labels.map((l) => l.name)).toEqual(['hubfleet:drift']);
    expect(double.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('adds labels and deletes comments', async () => {
    double.seedIssue({ title: 't', body: 'b' });
    const c = double.seedComment(1, 'gone soon');
    const gh = client();
    await gh.addLabels(1, ['a', 'b']);
    await gh.deleteIssueComment(c.id);
    expect(double.state.issues[0]?.labels).toEqual(['a', 'b']);
    expect(double.state.comments).toEqual([]);
  });
});
