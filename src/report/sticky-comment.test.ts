import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createGitHubClient, type GitHubClient } from '../adapters/github.js';
import { startGitHubDouble, type GitHubDouble } from '../../test/support/github-double.js';
import { codeBlock, details } from '../action/summary.js';
import type { PlanSummary } from '../tfplan/plan-json.js';
import { renderPlanComment } from '../tfplan/plan-report.js';
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

/** `n` lines of Terraform-like plan text (no backticks, no tags), each about 60 characters. */
function planLines(n: number, prefix = 'hub'): string {
  return Array.from(
    { length: n },
    (_, i) => `  + resource "terraform_data" "${prefix}_${String(i).padStart(4, '0')}" { input = "${i}" }`,
  ).join('\n');
}

/** Counted naively over one rendered comment: fence lines and <details> tags (bodies here hold no fake ones). */
function counts(rendered: string): { fenceLines: number; detailsOpen: number; detailsClose: number } {
  return {
    fenceLines: rendered.split('\n').filter((l) => /^ {0,3}(`{3,}|~{3,})/.test(l)).length,
    detailsOpen: (rendered.match(/<details[\s>]/g) ?? []).length,
    detailsClose: (rendered.match(/<\/details>/g) ?? []).length,
  };
}

/**
 * What stays open at the end of one rendered comment, read as GitHub reads it: fences per
 * CommonMark, `<details>` tags only outside fences. Empty when the comment renders on its own.
 */
function leftOpen(rendered: string): string[] {
  const problems: string[] = [];
  let fence: { char: string; count: number } | undefined;
  let depth = 0;
  for (const line of rendered.split('\n')) {
    if (fence !== undefined) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/.exec(line)?.[1];
      if (close !== undefined && close[0] === fence.char && close.length >= fence.count) fence = undefined;
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (open !== undefined) {
      fence = { char: open[0] ?? '', count: open.length };
      continue;
    }
    for (const tag of line.replace(/`[^`]*`/g, '').matchAll(/<\/?details[\s>]/g)) {
      depth += tag[0].startsWith('</') ? -1 : 1;
      if (depth < 0) problems.push('</details> without <details>');
    }
  }
  if (fence !== undefined) problems.push(`fence ${fence.char.repeat(fence.count)} open`);
  if (depth > 0) problems.push(`${depth} <details> open`);
  return problems;
}

const planSummary: PlanSummary = {
  counts: { add: 1, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 },
  resources: [{ address: 'terraform_data.big', action: 'add' }],
  drift: [],
  outputChanges: [],
  terraformVersion: '1.11.4',
};
const planBinding = {
  planSha256: 'a'.repeat(64),
  inputsDigest: `sha256:${'b'.repeat(64)}`,
  commit: 'c'.repeat(40),
};
const planComment = (planText: string): string =>
  renderPlanComment({
    cluster: 'pangeo-gcp',
    summary: planSummary,
    changes: true,
    planText,
    binding: planBinding,
  });

describe('parts cut inside <details> blocks and code fences render on their own', () => {
  const PLAN_TITLE = 'Plan text (60 lines, Terraform 1.11.4)';
  // [case, body, limit, the text added at the top and at the end of each part]
  const cases: Array<[string, string, number, Array<[string, string]>]> = [
    [
      'the plan comment: a fence inside a collapsed <details>',
      planComment(`${planLines(60)}\n`),
      1_800,
      [
        ['', '```\n\n</details>'],
        [
          `<details><summary>${PLAN_TITLE} (continued, part 2 of 3)</summary>\n\n\`\`\`text\n`,
          '```\n\n</details>',
        ],
        [`<details><summary>${PLAN_TITLE} (continued, part 3 of 3)</summary>\n\n\`\`\`text\n`, ''],
      ],
    ],
    [
      'nested <details>, the inner one holding a fence',
      details(
        'Outer',
        `intro\n\n${details('Inner', codeBlock(planLines(30), 'hcl'))}\n\nafter the inner block`,
      ),
      1_000,
      [
        ['', '```\n\n</details>\n\n</details>'],
        [
          '<details><summary>Outer (continued, part 2 of 3)</summary>\n\n' +
            '<details><summary>Inner (continued, part 2 of 3)</summary>\n\n```hcl\n',
          '```\n\n</details>\n\n</details>',
        ],
        [
          '<details><summary>Outer (continued, part 3 of 3)</summary>\n\n' +
            '<details><summary>Inner (continued, part 3 of 3)</summary>\n\n```hcl\n',
          '',
        ],
      ],
    ],
    [
      'several <details> in a row, an open one with plain text and one with a ~~~ fence',
      [
        details('A', codeBlock(planLines(10, 'a'))),
        details('B', planLines(25, 'b'), true),
        details('C', `~~~~ text\n${planLines(20, 'c')}\n~~~~`),
      ].join('\n\n'),
      1_500,
      [
        ['', '\n</details>'],
        ['<details open><summary>B (continued, part 2 of 3)</summary>\n\n', '~~~~\n\n</details>'],
        ['<details><summary>C (continued, part 3 of 3)</summary>\n\n~~~~ text\n', ''],
      ],
    ],
    [
      'a hand-written <details> whose <summary> is on the next line',
      `<details>\n<summary>Rendered diff</summary>\n\n\`\`\`diff\n${planLines(30)}\n\`\`\`\n\n</details>\n`,
      1_200,
      [
        ['', '```\n\n</details>'],
        ['<details><summary>Rendered diff (continued, part 2 of 2)</summary>\n\n```diff\n', ''],
      ],
    ],
    [
      'the plan comment with CRLF line ends: the reopened fence line keeps its \\r',
      planComment(`${planLines(60)}\n`).replace(/\n/g, '\r\n'),
      2_500,
      [
        ['', '```\n\n</details>'],
        [`<details><summary>${PLAN_TITLE} (continued, part 2 of 2)</summary>\n\n\`\`\`text\r\n`, ''],
      ],
    ],
    [
      'a cut outside any block adds nothing',
      `${details('Small', codeBlock('one line', 'text'))}\n\n${planLines(40)}\n\n${codeBlock('tail', 'text')}`,
      1_500,
      [
        ['', ''],
        ['', ''],
      ],
    ],
  ];

  it.each(cases)('%s', (_name, body, limit, wraps) => {
    const parts = splitStickyBody(KEY, body, limit);
    const parsed = parts.map((p) => parseStickyComment(p));
    expect(parsed.map((p) => [p?.opening, p?.closing])).toEqual(wraps);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(limit);
      const c = counts(p);
      expect(c.fenceLines % 2).toBe(0);
      expect(c.detailsOpen).toBe(c.detailsClose);
      expect(leftOpen(p)).toEqual([]);
    }
    // Each part is marker, header, added opening, a slice of the body, added closing — nothing else.
    parts.forEach((p, i) => {
      const [opening, closing] = wraps[i] ?? ['', ''];
      const wrap = opening !== '' || closing !== '' ? ` wrap=${opening.length},${closing.length}` : '';
      expect(p).toBe(
        `<!-- hubfleet:sticky:${KEY} part=${i + 1}/${parts.length}${wrap} -->\n_(part ${i + 1} of ${parts.length})_\n\n` +
          `${opening}${parsed[i]?.content ?? ''}${closing}`,
      );
    });
    expect(parsed.map((p) => p?.content).join('')).toBe(body);
    expect(joinStickyParts(parts.map((b) => ({ body: b })))).toBe(body);
  });

  it('posts a 1 MiB plan comment in the same 17 parts as before, each rendering on its own', () => {
    // The plan text line of bench/plan-comment.ts; 1 MiB of it.
    const lines: string[] = [];
    for (let i = 0, size = 0; size < 1024 * 1024; i++) {
      const line = `      + "bucket-${String(i).padStart(6, '0')}" = "hubfleet-pangeo-gcp-hub-${i}-scratch-0123abcd"`;
      lines.push(line);
      size += line.length + 1;
    }
    const body = planComment(`${lines.join('\n')}\n`);
    const parts = splitStickyBody(KEY, body);
    // 1.00 MB over about 65,400 characters of content per part; the added text (about 110
    // characters a part) did not change the count that the bench measured before it existed.
    expect(parts).toHaveLength(17);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(leftOpen(p)).toEqual([]);
    }
    expect(joinStickyParts(parts.map((b) => ({ body: b })))).toBe(body);
  });

  it('still joins parts written before <details> were carried (fence-only wrap)', () => {
    const old = [
      `<!-- hubfleet:sticky:${KEY} part=1/2 wrap=0,3 -->\n_(part 1 of 2)_\n\n<details><summary>Plan</summary>\n\n\`\`\`hcl\nline 1\n\`\`\``,
      `<!-- hubfleet:sticky:${KEY} part=2/2 wrap=7,0 -->\n_(part 2 of 2)_\n\n\`\`\`hcl\nline 2\n\`\`\`\n\n</details>`,
    ];
    expect(joinStickyParts(old.map((body) => ({ body })))).toBe(
      '<details><summary>Plan</summary>\n\n```hcl\nline 1\nline 2\n```\n\n</details>',
    );
  });

  it('refuses parts whose added text was edited by hand', () => {
    const parts = splitStickyBody(KEY, planComment(`${planLines(60)}\n`), 1_800);
    const edited = (i: number, from: string, to: string): Array<{ body: string }> =>
      parts.map((b, j) => ({ body: j === i ? b.replace(from, to) : b }));
    expect(() => joinStickyParts(edited(1, '(continued, part 2 of 3)', '(more, part 2 of 3)'))).toThrow(
      'sticky comment parts do not join: the reopening text at the top of part 2 was changed',
    );
    expect(() => joinStickyParts(edited(0, '\n\n</details>', '\n\n</DETAILS>'))).toThrow(
      'sticky comment parts do not join: the closing text at the end of part 1 was changed',
    );
  });

  // Well-formed bodies: text lines, fenced blocks (whose lines may look like tags) and <details>.
  const textLine = fc.constantFrom(
    'plain text line',
    '  + resource "terraform_data" "x" { input = 1 }',
    'inline `<details>` is text',
    'x'.repeat(70),
    '😀 astral',
    '',
  );
  const fenced = fc
    .record({
      marker: fc.constantFrom('```', '````', '~~~'),
      language: fc.constantFrom('', 'hcl', 'text'),
      lines: fc.array(fc.oneof(textLine, fc.constantFrom('<details>', '</details>', '~~~', '``')), {
        maxLength: 30,
      }),
    })
    .map(({ marker, language, lines }) =>
      [`${marker}${language}`, ...lines.filter((l) => !l.startsWith(marker[0] ?? '')), marker].join('\n'),
    );
  // Nested at most three deep: reopening deeper nesting could take more than the quarter of a
  // part that the splitter allows it; such parts stay unclosed (the next property still checks them).
  const block: fc.Memo<string> = fc.memo((depth) =>
    depth <= 1
      ? fc.oneof(textLine, fenced)
      : fc.oneof(
          textLine,
          fenced,
          fc
            .record({
              summary: fc.constantFrom('Plan text', 'More', ''),
              open: fc.boolean(),
              children: fc.array(block(depth - 1), { maxLength: 6 }),
            })
            .map(({ summary, open, children }) =>
              summary === ''
                ? `<details>\n\n${children.join('\n\n')}\n\n</details>`
                : details(summary, children.join('\n\n'), open),
            ),
        ),
  );

  it('for well-formed bodies, every part renders on its own and the parts re-join exactly (property)', () => {
    fc.assert(
      fc.property(
        fc.array(block(4), { maxLength: 12 }),
        fc.integer({ min: 1_200, max: 3_000 }),
        (blocks, limit) => {
          const body = blocks.join('\n\n');
          const parts = splitStickyBody('k', body, limit);
          for (const p of parts) {
            expect(p.length).toBeLessThanOrEqual(limit);
            expect(leftOpen(p)).toEqual([]);
          }
          expect(joinStickyParts(parts.map((b) => ({ body: b })))).toBe(body);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('re-joins exactly and stays under the limit for any mix of fences and tags (property)', () => {
    const piece = fc.constantFrom(
      '```',
      '```hcl',
      '~~~~',
      '<details>',
      '<details open><summary>Plan text</summary>',
      `<details><summary>${'s'.repeat(400)}</summary>`,
      '</details>',
      '`<details>`',
      'plain text',
      '😀',
      '\r\n',
      '\n',
      '\n\n',
      'x'.repeat(40),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 400 }),
        fc.integer({ min: 300, max: 1_500 }),
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
