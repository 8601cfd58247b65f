import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createGitHubClient, type GitHubClient } from '../adapters/github.js';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import {
  GITHUB_COMMENT_LIMIT,
  joinStickyParts,
  parseStickyComment,
  splitStickyBody,
  upsertStickyComment,
} from './sticky-comment.js';

const REPO = 'hubfleet-org/fleet';
const KEY = 'plan:pangeo-gcp';

/** A Terraform-like plan of about `chars` characters inside a code fence. */
function bigPlan(chars: number): string {
  const lines = ['### Plan for pangeo-gcp', '', '```hcl'];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = `  # google_storage_bucket.scratch[${i}] will be created\n  + resource "google_storage_bucket" "scratch_${i}" { name = "pangeo-scratch-${i}" }`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('```', '', 'Plan: many to add, 0 to change, 0 to destroy.');
  return lines.join('\n');
}

describe('splitStickyBody and joinStickyParts', () => {
  it('keeps a body that fits in one comment behind a hidden marker', () => {
    expect(splitStickyBody(KEY, 'hello')).toEqual([`<!-- hubfleet:sticky:${KEY} part=1/1 -->\nhello`]);
  });

  it('splits a long plan into parts under the limit that say "part i of n" and re-join exactly', () => {
    const body = bigPlan(150_000);
    const parts = splitStickyBody(KEY, body);
    expect(parts).toHaveLength(3);
    parts.forEach((p, i) => {
      expect(p.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(p).toContain(`_(part ${i + 1} of 3)_`);
      expect(p.startsWith(`<!-- hubfleet:sticky:${KEY} part=${i + 1}/3`)).toBe(true);
    });
    expect(joinStickyParts(parts.map((body) => ({ body })))).toBe(body);
    expect(joinStickyParts([...parts].reverse().map((body) => ({ body })))).toBe(body);
  });

  it('cuts at line ends and closes and reopens the code fence across parts', () => {
    const parts = splitStickyBody(KEY, bigPlan(150_000));
    const contents = parts.map((p) => parseStickyComment(p)?.content ?? '');
    // Each cut is right after a newline of the original.
    expect(contents[0]?.endsWith('\n')).toBe(true);
    expect(contents[1]?.endsWith('\n')).toBe(true);
    // Rendered parts: the first ends with a closing fence, the next starts by reopening ```hcl.
    expect(parts[0]?.endsWith('\n```')).toBe(true);
    expect(parts[1]).toMatch(
      /^<!-- hubfleet:sticky:plan:pangeo-gcp part=2\/3 wrap=7,3 -->\n_\(part 2 of 3\)_\n\n```hcl\n {2}/,
    );
    expect(parts[2]?.endsWith('Plan: many to add, 0 to change, 0 to destroy.')).toBe(true);
  });

  it('cuts a single line longer than a comment without splitting a surrogate pair', () => {
    const body = '😀'.repeat(70_000);
    const parts = splitStickyBody(KEY, body);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(/[\uD800-\uDBFF]$/.test(parseStickyComment(p)?.content ?? '')).toBe(false);
    }
    expect(joinStickyParts(parts.map((b) => ({ body: b })))).toBe(body);
  });

  it('re-joins exactly for any text, including fences, CRLF and astral characters (property)', () => {
    const piece = fc.constantFrom(
      '```',
      '```hcl',
      '~~~~',
      '    ```',
      'plain text',
      '😀',
      '\r\n',
      '\n',
      '`',
      'x'.repeat(40),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 300 }),
        fc.integer({ min: 400, max: 900 }),
        (pieces, limit) => {
          const body = pieces.join('');
          const parts = splitStickyBody('k', body, limit);
          for (const p of parts) expect(p.length).toBeLessThanOrEqual(limit);
          expect(joinStickyParts(parts.map((b) => ({ body: b })))).toBe(body);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses parts that do not make a whole', () => {
    const parts = splitStickyBody(KEY, bigPlan(150_000)).map((body) => ({ body }));
    expect(() => joinStickyParts(parts.slice(0, 2))).toThrow('part 3 of 3 is missing');
    expect(() => joinStickyParts([...parts, parts[0] ?? { body: '' }])).toThrow('part 1 appears twice');
    expect(() => joinStickyParts([{ body: 'no marker' }])).toThrow('a comment has no marker');
    expect(() =>
      joinStickyParts([...splitStickyBody('other', 'x').map((body) => ({ body })), ...parts]),
    ).toThrow('keys differ');
    expect(() => joinStickyParts([])).toThrow('no comments given');
  });

  it('rejects a key that a marker could not hold', () => {
    expect(() => splitStickyBody('plan pangeo', 'x')).toThrow(/has characters a hidden marker cannot hold/);
    expect(() => splitStickyBody('x-->', 'x')).toThrow(/hidden marker/);
  });
});

describe('upsertStickyComment through the adapter and the GitHub double', () => {
  let double: GitHubDouble;
  let gh: GitHubClient;
  const PR = 42;

  beforeEach(async () => {
    double = await startGitHubDouble({ repository: REPO });
    double.seedPullFiles(PR, []);
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

  const commentsOnPr = (): Array<{ id: number; body: string }> =>
    double.state.comments.filter((c) => c.issue_number === PR).map((c) => ({ id: c.id, body: c.body }));
  const writes = (): string[] =>
    double.requests
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path.replace(`/repos/${REPO}`, '')}`);

  it('creates one comment, then updates it in place, leaving other comments alone', async () => {
    const human = double.seedComment(PR, 'LGTM');
    const first = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'plan v1' });
    expect(first).toEqual({ commentIds: [expect.any(Number)], created: 1, updated: 0, deleted: 0 });
    const second = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'plan v2' });
    expect(second).toEqual({ commentIds: first.commentIds, created: 0, updated: 1, deleted: 0 });
    expect(commentsOnPr()).toEqual([
      { id: human.id, body: 'LGTM' },
      { id: first.commentIds[0], body: `<!-- hubfleet:sticky:${KEY} part=1/1 -->\nplan v2` },
    ]);
  });

  it('keeps separate comments for separate keys', async () => {
    await upsertStickyComment(gh, { issueNumber: PR, key: 'plan:a', body: 'A' });
    await upsertStickyComment(gh, { issueNumber: PR, key: 'plan:a-b', body: 'AB' });
    await upsertStickyComment(gh, { issueNumber: PR, key: 'plan:a', body: 'A2' });
    expect(commentsOnPr().map((c) => c.body)).toEqual([
      '<!-- hubfleet:sticky:plan:a part=1/1 -->\nA2',
      '<!-- hubfleet:sticky:plan:a-b part=1/1 -->\nAB',
    ]);
  });

  it('sends nothing when the body is unchanged', async () => {
    const body = bigPlan(150_000);
    await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body });
    const before = double.requests.length;
    const again = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body });
    expect(again).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(double.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('splits a body over 65,536 characters into parts GitHub accepts, which re-join exactly', async () => {
    const body = bigPlan(150_000);
    const result = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body });
    expect(result).toMatchObject({ created: 3, updated: 0, deleted: 0 });
    const stored = commentsOnPr();
    expect(stored.map((c) => c.id)).toEqual(result.commentIds);
    expect(joinStickyParts(await gh.listIssueComments(PR))).toBe(body);
  });

  it('grows and shrinks in place: only changed parts are sent and extra old parts are deleted', async () => {
    const long = bigPlan(150_000);
    const first = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: long });
    double.requests.length = 0;

    // Same length, one character changed in the last part: only that part is updated.
    const edited = long.replace('0 to destroy', '1 to destroy');
    const second = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: edited });
    expect(second).toEqual({ commentIds: first.commentIds, created: 0, updated: 1, deleted: 0 });
    expect(writes()).toEqual([`PATCH /issues/comments/${first.commentIds[2]}`]);
    double.requests.length = 0;

    // Shrinks to one part: the first comment is updated, parts 2 and 3 are deleted.
    const third = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'No changes.' });
    expect(third).toEqual({ commentIds: [first.commentIds[0]], created: 0, updated: 1, deleted: 2 });
    expect(writes()).toEqual([
      `PATCH /issues/comments/${first.commentIds[0]}`,
      `DELETE /issues/comments/${first.commentIds[1]}`,
      `DELETE /issues/comments/${first.commentIds[2]}`,
    ]);
    expect(joinStickyParts(await gh.listIssueComments(PR))).toBe('No changes.');

    // Grows again to two parts: one update, one create.
    const two = bigPlan(100_000);
    const fourth = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: two });
    expect(fourth).toMatchObject({ created: 1, updated: 1, deleted: 0 });
    expect(fourth.commentIds[0]).toBe(first.commentIds[0]);
    expect(joinStickyParts(await gh.listIssueComments(PR))).toBe(two);
  });

  it('finds its comments among more than 100 on a busy PR', async () => {
    const first = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'v1' });
    for (let i = 0; i < 150; i++) double.seedComment(PR, `chatter ${i}`);
    const second = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'v2' });
    expect(second).toEqual({ commentIds: first.commentIds, created: 0, updated: 1, deleted: 0 });
    expect(double.requests.filter((r) => r.method === 'GET').map((r) => r.query['page'] ?? '1')).toEqual([
      '1',
      '1',
      '2',
    ]);
  });

  it('removes a duplicate part left by a create that was retried after a 5xx', async () => {
    const stale = double.seedComment(PR, splitStickyBody(KEY, 'old')[0] ?? '');
    const duplicate = double.seedComment(PR, splitStickyBody(KEY, 'old')[0] ?? '');
    const result = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body: 'new' });
    expect(result).toEqual({ commentIds: [stale.id], created: 0, updated: 1, deleted: 1 });
    expect(commentsOnPr().map((c) => c.id)).toEqual([stale.id]);
    expect(double.state.comments.some((c) => c.id === duplicate.id)).toBe(false);
  });

  it('retries through an injected 500 while writing parts', async () => {
    double.inject({ method: 'POST', path: /\/comments$/, times: 1, fault: { kind: 'status', status: 500 } });
    const body = bigPlan(100_000);
    const result = await upsertStickyComment(gh, { issueNumber: PR, key: KEY, body });
    expect(result.created).toBe(2);
    expect(joinStickyParts(await gh.listIssueComments(PR))).toBe(body);
  });
});
