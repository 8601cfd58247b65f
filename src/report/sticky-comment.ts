// One PR comment per report key, edited in place on every run instead of adding a new comment.
// GitHub rejects comment bodies over 65,536 characters, and a Terraform plan can be longer, so a
// long body becomes numbered parts that re-join into exactly the original text.
import { HubfleetError } from '../errors.js';
import type { GitHubClient, IssueComment } from '../adapters/github.js';

export const GITHUB_COMMENT_LIMIT = 65_536;

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_./-]*$/;
const MARKER_PATTERN = /^<!-- hubfleet:sticky:(\S+) part=(\d+)\/(\d+)(?: wrap=(\d+),(\d+))? -->\n/;

export interface StickyPart {
  key: string;
  part: number;
  total: number;
  /** The slice of the original body this comment carries. */
  content: string;
}

function checkKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new HubfleetError(`sticky comment key "${key}" has characters a hidden marker cannot hold`, {
      hint: 'use letters, digits and : _ . / - only, e.g. plan:pangeo-gcp',
    });
  }
}

const header = (part: number, total: number): string => (total > 1 ? `_(part ${part} of ${total})_\n\n` : '');

function render(
  key: string,
  part: number,
  total: number,
  open: string,
  chunk: string,
  close: string,
): string {
  // The fence lines added around a chunk are recorded by length so joining can drop them exactly.
  const wrap = open !== '' || close !== '' ? ` wrap=${open.length},${close.length}` : '';
  return `<!-- hubfleet:sticky:${key} part=${part}/${total}${wrap} -->\n${header(part, total)}${open}${chunk}${close}`;
}

interface Fence {
  char: '`' | '~';
  count: number;
  /** The opening line, repeated at the top of the next part so highlighting continues. */
  line: string;
}

/** The code-fence state after `text`, starting in `state` (CommonMark fences at top level only). */
function scanFences(state: Fence | undefined, text: string): Fence | undefined {
  let current = state;
  for (const line of text.split('\n')) {
    if (current === undefined) {
      const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
      const run = m?.[1];
      if (run === undefined) continue;
      const char = run[0] === '`' ? '`' : '~';
      // A backtick fence's info string may not contain backticks (that is inline code).
      if (char === '`' && (m?.[2] ?? '').includes('`')) continue;
      current = { char, count: run.length, line };
    } else {
      const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      const run = m?.[1];
      if (run !== undefined && run[0] === current.char && run.length >= current.count) current = undefined;
    }
  }
  return current;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** Where to end a chunk that starts at `start` and may not pass `limit`: after a newline if any. */
function chunkEnd(body: string, start: number, limit: number): number {
  if (limit >= body.length) return body.length;
  const newline = body.lastIndexOf('\n', limit - 1);
  if (newline >= start) return newline + 1;
  // One line longer than a comment: cut inside it, but never between the halves of a surrogate pair.
  let end = Math.max(limit, start + 1);
  if (isHighSurrogate(body.charCodeAt(end - 1)) && end - 1 > start) end -= 1;
  return end;
}

/**
 * The comment bodies for `body` under `key`: one when it fits in `limit` characters (counted as
 * UTF-16 code units, never fewer than GitHub's count), otherwise numbered parts cut at line ends.
 * A part that ends inside a code fence gets a closing fence, and the next part reopens it.
 */
export function splitStickyBody(key: string, body: string, limit = GITHUB_COMMENT_LIMIT): string[] {
  checkKey(key);
  const single = render(key, 1, 1, '', body, '');
  if (single.length <= limit) return [single];

  // Reserve room for the largest marker and header any part could need.
  const overhead =
    render(key, 99_999, 99_999, 'x'.repeat(99_999), '', 'x'.repeat(99_999)).length - 2 * 99_999;
  const parts: Array<{ open: string; chunk: string; close: string }> = [];
  let pos = 0;
  let fence: Fence | undefined;
  while (pos < body.length) {
    // A pathological opening line longer than a quarter comment is not worth repeating.
    const open = fence !== undefined && fence.line.length < limit / 4 ? `${fence.line}\n` : '';
    const budget = limit - overhead - open.length;
    if (budget < 16) throw new RangeError(`comment limit ${limit} leaves no room for content`);
    let end = chunkEnd(body, pos, pos + budget);
    let chunk = body.slice(pos, end);
    let after = scanFences(open === '' ? undefined : fence, chunk);
    let close = '';
    while (end < body.length && after !== undefined) {
      close = `${chunk.endsWith('\n') ? '' : '\n'}${after.char.repeat(after.count)}`;
      if (chunk.length + close.length <= budget) break;
      end = chunkEnd(body, pos, end - close.length);
      chunk = body.slice(pos, end);
      after = scanFences(open === '' ? undefined : fence, chunk);
      close = '';
    }
    if (end >= body.length || after === undefined) close = '';
    parts.push({ open, chunk, close });
    fence = after;
    pos = end;
  }
  return parts.map((p, i) => render(key, i + 1, parts.length, p.open, p.chunk, p.close));
}

/** The part a comment body carries, or undefined when it is not a sticky comment. */
export function parseStickyComment(body: string): StickyPart | undefined {
  const m = MARKER_PATTERN.exec(body);
  if (!m) return undefined;
  const key = m[1] ?? '';
  const part = Number(m[2]);
  const total = Number(m[3]);
  const openLength = Number(m[4] ?? 0);
  const closeLength = Number(m[5] ?? 0);
  let rest = body.slice(m[0].length);
  const head = header(part, total);
  if (!rest.startsWith(head) || part < 1 || part > total) return undefined;
  rest = rest.slice(head.length);
  if (openLength + closeLength > rest.length) return undefined;
  return { key, part, total, content: rest.slice(openLength, rest.length - closeLength) };
}

/** The original body from all parts of one sticky comment, in any order; throws when incomplete. */
export function joinStickyParts(comments: ReadonlyArray<{ body: string }>): string {
  const parts = comments.map((c) => parseStickyComment(c.body));
  const first = parts[0];
  const fail = (why: string): never => {
    throw new HubfleetError(`sticky comment parts do not join: ${why}`, {
      hint: 'the comments were edited by hand or a run was interrupted; the next run rewrites them',
    });
  };
  if (first === undefined)
    return fail(comments.length === 0 ? 'no comments given' : 'a comment has no marker');
  const byPart = new Map<number, StickyPart>();
  for (const p of parts) {
    if (p === undefined) return fail('a comment has no marker');
    if (p.key !== first.key) return fail(`keys differ (${first.key}, ${p.key})`);
    if (p.total !== first.total) return fail(`part counts differ (${first.total}, ${p.total})`);
    if (byPart.has(p.part)) return fail(`part ${p.part} appears twice`);
    byPart.set(p.part, p);
  }
  let joined = '';
  for (let i = 1; i <= first.total; i++) {
    const p = byPart.get(i);
    if (p === undefined) return fail(`part ${i} of ${first.total} is missing`);
    joined += p.content;
  }
  return joined;
}

export interface StickyResult {
  /** The comment ids of the parts, in part order. */
  commentIds: number[];
  created: number;
  updated: number;
  deleted: number;
}

/**
 * Creates or edits the comments for `key` on an issue or pull request so they carry `body`.
 * Parts whose text is already right are not sent again; leftover parts (and duplicates left by a
 * retried create) are deleted.
 */
export async function upsertStickyComment(
  gh: GitHubClient,
  args: { issueNumber: number; key: string; body: string },
): Promise<StickyResult> {
  const desired = splitStickyBody(args.key, args.body);
  const existing = await gh.listIssueComments(args.issueNumber);
  const mine: Array<{ comment: IssueComment; part: number }> = [];
  for (const comment of existing) {
    const parsed = parseStickyComment(comment.body);
    if (parsed?.key === args.key) mine.push({ comment, part: parsed.part });
  }
  mine.sort((a, b) => a.comment.id - b.comment.id);
  // The oldest comment for a part keeps its place in the conversation.
  const byPart = new Map<number, IssueComment>();
  for (const m of mine) if (!byPart.has(m.part)) byPart.set(m.part, m.comment);

  const result: StickyResult = { commentIds: [], created: 0, updated: 0, deleted: 0 };
  const kept = new Set<number>();
  // Sequential on purpose: GitHub's secondary rate limits punish concurrent writes.
  for (const [index, text] of desired.entries()) {
    const current = byPart.get(index + 1);
    if (current === undefined) {
      const made = await gh.createIssueComment(args.issueNumber, text);
      result.created += 1;
      result.commentIds.push(made.id);
      kept.add(made.id);
      continue;
    }
    kept.add(current.id);
    result.commentIds.push(current.id);
    if (current.body !== text) {
      await gh.updateIssueComment(current.id, text);
      result.updated += 1;
    }
  }
  for (const m of mine) {
    if (kept.has(m.comment.id)) continue;
    await gh.deleteIssueComment(m.comment.id);
    result.deleted += 1;
  }
  return result;
}
