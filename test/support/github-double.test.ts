// The double's own contract, checked with plain fetch so a bug in it cannot hide behind the adapter.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GITHUB_BODY_LIMIT, startGitHubDouble, type GitHubDouble } from './github-double.js';

const REPO = 'o/r';
let gh: GitHubDouble;

beforeEach(async () => {
  gh = await startGitHubDouble({ repository: REPO, token: 'secret-token' });
});
afterEach(async () => {
  await gh.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: 'token secret-token', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: res.headers,
  };
}

describe('GitHub double', () => {
  it('listens on 127.0.0.1 with a random port', () => {
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers in GitHub’s shapes and records requests without the authorization value', async () => {
    const created = await call('POST', `/repos/${REPO}/issues`, { title: 'T', body: 'B', labels: ['L'] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      number: 1,
      title: 'T',
      body: 'B',
      state: 'open',
      labels: [{ name: 'L' }],
      user: { login: 'github-actions[bot]' },
      html_url: 'https://github.com/o/r/issues/1',
    });
    expect(gh.requests[0]).toEqual({
      method: 'POST',
      path: '/repos/o/r/issues',
      query: {},
      headers: expect.objectContaining({ authorization: '[present]' }),
      body: { title: 'T', body: 'B', labels: ['L'] },
    });
    expect(JSON.stringify(gh.requests)).not.toContain('secret-token');
  });

  it('refuses a wrong token and unknown repositories', async () => {
    const res = await fetch(`${gh.url}/repos/${REPO}/issues`, { headers: { authorization: 'token nope' } });
    expect(res.status).toBe(401);
    expect((await call('GET', '/repos/other/repo/issues')).status).toBe(404);
  });

  it('rejects bodies over 65,536 characters with a 422 like GitHub, counting characters', async () => {
    await call('POST', `/repos/${REPO}/issues`, { title: 'T' });
    const tooLong = await call('POST', `/repos/${REPO}/issues/1/comments`, {
      body: 'x'.repeat(GITHUB_BODY_LIMIT + 1),
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.json).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', field: 'body', code: 'custom' }],
    });
    // 65,536 astral characters are 131,072 UTF-16 units but still within GitHub's limit.
    expect(
      (await call('POST', `/repos/${REPO}/issues/1/comments`, { body: '😀'.repeat(GITHUB_BODY_LIMIT) }))
        .status,
    ).toBe(201);
    const issue = await call('PATCH', `/repos/${REPO}/issues/1`, { body: 'y'.repeat(GITHUB_BODY_LIMIT + 1) });
    expect(issue.status).toBe(422);
  });

  it('paginates with per_page, page and Link headers', async () => {
    for (let i = 0; i < 5; i++) gh.seedIssue({ title: `i${i}`, body: '', labels: ['a'] });
    gh.seedIssue({ title: 'closed', body: '', labels: ['a'], state: 'closed' });
    const first = await call('GET', `/repos/${REPO}/issues?labels=a&state=all&per_page=2`);
    expect((first.json as Array<{ number: number }>).map((i) => i.number)).toEqual([6, 5]);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('page=2>; rel="next"');
    expect(link).toContain('page=3>; rel="last"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const second = await call('GET', next.slice(gh.url.length));
    expect((second.json as Array<{ number: number }>).map((i) => i.number)).toEqual([4, 3]);
    const openOnly = await call('GET', `/repos/${REPO}/issues?labels=a`);
    expect((openOnly.json as unknown[]).length).toBe(5);
    expect(openOnly.headers.get('link')).toBeNull();
  });

  it('injects faults for the next N matching requests only', async () => {
    gh.inject({
      method: 'GET',
      path: /\/labels\//,
      times: 2,
      fault: { kind: 'secondary-rate-limit', retryAfter: 1 },
    });
    gh.inject({
      method: 'POST',
      path: `/repos/${REPO}/labels`,
      times: 1,
      fault: { kind: 'status', status: 503 },
    });
    gh.inject({
      path: `/repos/${REPO}/issues`,
      times: 1,
      fault: { kind: 'too-many-requests', retryAfter: 4 },
    });
    const limited = await call('GET', `/repos/${REPO}/labels/x`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((limited.json as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await call('GET', `/repos/${REPO}/labels/x`)).status).toBe(403);
    expect((await call('GET', `/repos/${REPO}/labels/x`)).status).toBe(404);
    expect((await call('POST', `/repos/${REPO}/labels`, { name: 'x' })).status).toBe(503);
    expect((await call('POST', `/repos/${REPO}/labels`, { name: 'x' })).status).toBe(201);
    expect((await call('POST', `/repos/${REPO}/labels`, { name: 'X' })).json).toMatchObject({
      errors: [{ code: 'already_exists' }],
    });
    const tooMany = await call('GET', `/repos/${REPO}/issues`);
    expect([tooMany.status, tooMany.headers.get('retry-after')]).toEqual([429, '4']);
  });

  it('answers a status fault with GitHub’s error shape and the given message', async () => {
    gh.inject({ path: `/repos/${REPO}/issues`, times: 1, fault: { kind: 'status', status: 401 } });
    gh.inject({
      path: `/repos/${REPO}/issues`,
      times: 1,
      fault: { kind: 'status', status: 500, message: 'upstream said no' },
    });
    const unauthorized = await call('GET', `/repos/${REPO}/issues`);
    expect([unauthorized.status, unauthorized.json]).toEqual([
      401,
      { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
    ]);
    const failed = await call('GET', `/repos/${REPO}/issues`);
    expect([failed.status, failed.json]).toEqual([
      500,
      { message: 'upstream said no', documentation_url: 'https://docs.github.com/rest', status: '500' },
    ]);
    expect((await call('GET', `/repos/${REPO}/issues`)).status).toBe(200);
  });

  it('delays a matching request by the given time', async () => {
    gh.inject({ path: `/repos/${REPO}/issues`, times: 1, fault: { kind: 'delay', ms: 300 } });
    const start = Date.now();
    expect((await call('GET', `/repos/${REPO}/issues`)).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('updates state, adds labels, and deletes comments', async () => {
    gh.seedIssue({ title: 'T', body: 'B' });
    const comment = gh.seedComment(1, 'c');
    expect(
      (await call('PATCH', `/repos/${REPO}/issues/1`, { state: 'closed', state_reason: 'not_planned' })).json,
    ).toMatchObject({
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect((await call('POST', `/repos/${REPO}/issues/1/labels`, { labels: ['new'] })).json).toEqual([
      expect.objectContaining({ name: 'new' }),
    ]);
    expect((await call('DELETE', `/repos/${REPO}/issues/comments/${comment.id}`)).status).toBe(204);
    expect((await call('DELETE', `/repos/${REPO}/issues/comments/${comment.id}`)).status).toBe(404);
    expect(gh.state.issues[0]).toMatchObject({ state: 'closed', labels: ['new'] });
  });

  it('serves seeded pull request files, capped at 3000 like GitHub', async () => {
    gh.seedPullFiles(
      9,
      Array.from({ length: 3100 }, (_, i) => ({ filename: `f${i}`, status: 'added' as const })),
    );
    const last = await call('GET', `/repos/${REPO}/pulls/9/files?per_page=100&page=30`);
    expect((last.json as Array<{ filename: string }>).at(-1)?.filename).toBe('f2999');
    expect((await call('GET', `/repos/${REPO}/pulls/9/files?per_page=100&page=31`)).json).toEqual([]);
    expect((await call('GET', `/repos/${REPO}/pulls/10/files`)).status).toBe(404);
  });
});
