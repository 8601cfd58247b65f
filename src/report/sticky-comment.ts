// One PR comment per report key, edited in place on every run instead of adding a new comment.
// GitHub rejects comment bodies over 65,536 characters, and a Terraform plan can be longer, so a
// long body becomes numbered parts that re-join into exactly the original text. GitHub renders each
// part on its own, so a part cut inside a code fence or a <details> block closes them at its end and
// the next part reopens them; that added text is recorded in the hidden marker and dropped on join.
import { HubfleetError } from '../errors.js';
import type { GitHubClient, IssueComment } from '../adapters/github.js';

export const GITHUB_COMMENT_LIMIT = 65_536;

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_./-]*$/;
// `wrap=<opening>,<closing>`: how many characters hubfleet added before and after the content so
// the part renders on its own (comments written before <details> were carried record fences only).
const MARKER_PATTERN = /^<!-- hubfleet:sticky:(\S+) part=(\d+)\/(\d+)(?: wrap=(\d+),(\d+))? -->\n/;
// What the added text may look like; anything else means a person edited it.
const OPENING_PATTERN =
  /^(?:<details[^>\n]*><summary>[^\n]*\(continued, part \d+ of \d+\)<\/summary>\n\n)*(?: {0,3}(?:`{3,}|~{3,})[^\n]*\n)?$/;
const CLOSING_PATTERN = /^\n?(?:(?:`{3,}|~{3,})|(?:(?:`{3,}|~{3,})\n)?\n<\/details>(?:\n\n<\/details>)*)$/;

export interface StickyPart {
  key: string;
  part: number;
  total: number;
  /** The slice of the original body this comment carries. */
  content: string;
  /** Text hubfleet put before the content: reopened `<details>` blocks and code fence. */
  opening: string;
  /** Text hubfleet put after the content: the closing fence and `</details>` tags. */
  closing: string;
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
  // The text added around a chunk is recorded by length so joining can drop it exactly.
  const wrap = open !== '' || close !== '' ? ` wrap=${open.length},${close.length}` : '';
  return `<!-- hubfleet:sticky:${key} part=${part}/${total}${wrap} -->\n${header(part, total)}${open}${chunk}${close}`;
}

interface Fence {
  char: '`' | '~';
  count: number;
  /** The opening line, repeated at the top of the next part so highlighting continues. */
  line: string;
}

interface Details {
  /** The opening tag's attributes (e.g. ` open`), kept when the block is reopened. */
  attributes: string;
  /** The summary's inner HTML (on the tag's line or a following one), else empty. */
  summary: string;
}

/** The blocks open at a point of the body: `<details>` outermost first, then a code fence. */
interface OpenBlocks {
  details: readonly Details[];
  fence: Fence | undefined;
}

const NOTHING_OPEN: OpenBlocks = { details: [], fence: undefined };

// A CRLF line keeps its \r, so a fence line of a CRLF body is still a fence line.
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})([^\n]*?)\r?$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?$/;
const DETAILS_TAG = /<details(\s[^>]*)?>|<\/details\s*>/gi;
const SUMMARY_AFTER_TAG = /^\s*<summary(?:\s[^>]*)?>(.*?)<\/summary>/i;
// Inline code such as `<details>` is text, not a tag.
const CODE_SPAN = /(`+)[^`](?:.*?[^`])?\1(?!`)/g;
// Longer attributes or summaries are not repeated: a reopened block then says just "Details".
const MAX_REPEATED = 300;

/**
 * The blocks open after `text` when it starts with `state` open. Code fences follow CommonMark at
 * top level; `<details>` tags count only outside fences and inline code, as GitHub renders them.
 */
function scanBlocks(state: OpenBlocks, text: string): OpenBlocks {
  let fence = state.fence;
  const details = [...state.details];
  // A <details> whose <summary> may still come on a following line (blank lines between allowed).
  let awaitingSummary = false;
  for (const line of text.split('\n')) {
    if (fence !== undefined) {
      const run = FENCE_CLOSE.exec(line)?.[1];
      if (run !== undefined && run[0] === fence.char && run.length >= fence.count) fence = undefined;
      continue;
    }
    const m = FENCE_OPEN.exec(line);
    const run = m?.[1];
    // A backtick fence's info string may not contain backticks (that is inline code).
    if (run !== undefined && !(run[0] === '`' && (m?.[2] ?? '').includes('`'))) {
      fence = { char: run[0] === '`' ? '`' : '~', count: run.length, line };
      awaitingSummary = false;
      continue;
    }
    const html = line.replace(CODE_SPAN, '');
    const innermost = details.at(-1);
    if (awaitingSummary && innermost !== undefined && html.trim() !== '') {
      const summary = SUMMARY_AFTER_TAG.exec(html)?.[1] ?? '';
      if (summary.length <= MAX_REPEATED) details[details.length - 1] = { ...innermost, summary };
      awaitingSummary = false;
    }
    for (const tag of html.matchAll(DETAILS_TAG)) {
      if (tag[0].startsWith('</')) {
        details.pop();
        awaitingSummary = false;
        continue;
      }
      const attributes = tag[1] ?? '';
      const summary = SUMMARY_AFTER_TAG.exec(html.slice((tag.index ?? 0) + tag[0].length))?.[1] ?? '';
      details.push({
        attributes: attributes.length <= MAX_REPEATED ? attributes : '',
        summary: summary.length <= MAX_REPEATED ? summary : '',
      });
      awaitingSummary = summary === '' && html.slice((tag.index ?? 0) + tag[0].length).trim() === '';
    }
  }
  return { details, fence };
}

/** What reopens `state` at the top of part `part` of `total`. */
function openingText(state: OpenBlocks, part: number, total: number): string {
  const details = state.details
    .map(
      (d) =>
        `<details${d.attributes}><summary>${d.summary === '' ? 'Details' : d.summary} ` +
        `(continued, part ${part} of ${total})</summary>\n\n`,
    )
    .join('');
  return `${details}${state.fence === undefined ? '' : `${state.fence.line}\n`}`;
}

/** What closes `state` after `chunk`: the fence first, then each `<details>`, innermost first. */
function closingText(state: OpenBlocks, chunk: string): string {
  if (state.fence === undefined && state.details.length === 0) return '';
  const lines: string[] = [];
  if (state.fence !== undefined) lines.push(state.fence.char.repeat(state.fence.count));
  // A blank line before </details> ends any paragraph, so the tag is HTML and not text.
  for (let i = 0; i < state.details.length; i++) lines.push('', '</details>');
  return `${chunk.endsWith('\n') ? '' : '\n'}${lines.join('\n')}`;
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
 * A part that ends inside a code fence or `<details>` blocks closes them, and the next part reopens
 * them (same fence line, same `<details>` with "(continued, part k of n)" after its summary).
 */
export function splitStickyBody(key: string, body: string, limit = GITHUB_COMMENT_LIMIT): string[] {
  checkKey(key);
  const single = render(key, 1, 1, '', body, '');
  if (single.length <= limit) return [single];

  // Reserve room for the largest marker and header any part could need.
  const overhead =
    render(key, 99_999, 99_999, 'x'.repeat(99_999), '', 'x'.repeat(99_999)).length - 2 * 99_999;
  const parts: Array<{ carried: OpenBlocks; chunk: string; close: string }> = [];
  let pos = 0;
  let open = NOTHING_OPEN;
  while (pos < body.length) {
    // The reopening text is sized for the widest part numbers; the real ones are never longer.
    // Reopening that would take more than a quarter comment (pathological nesting) is left out.
    const widest = openingText(open, 99_999, 99_999);
    const carried = widest.length < limit / 4 ? open : NOTHING_OPEN;
    const budget = limit - overhead - (carried === open ? widest.length : 0);
    if (budget < 16) throw new RangeError(`comment limit ${limit} leaves no room for content`);
    let end = chunkEnd(body, pos, pos + budget);
    let chunk = body.slice(pos, end);
    let after = scanBlocks(carried, chunk);
    let close = end < body.length ? closingText(after, chunk) : '';
    while (chunk.length + close.length > budget) {
      const shorter = chunkEnd(body, pos, end - close.length);
      if (shorter >= end) {
        // Not even one character fits beside the closing text: this part stays unclosed.
        close = '';
        break;
      }
      end = shorter;
      chunk = body.slice(pos, end);
      after = scanBlocks(carried, chunk);
      close = closingText(after, chunk);
    }
    parts.push({ carried, chunk, close });
    open = after;
    pos = end;
  }
  const total = parts.length;
  return parts.map((p, i) =>
    render(key, i + 1, total, openingText(p.carried, i + 1, total), p.chunk, p.close),
  );
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
  return {
    key,
    part,
    total,
    content: rest.slice(openLength, rest.length - closeLength),
    opening: rest.slice(0, openLength),
    closing: rest.slice(rest.length - closeLength),
  };
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
    if (p.opening !== '' && !OPENING_PATTERN.test(p.opening))
      return fail(`the reopening text at the top of part ${p.part} was changed`);
    if (p.closing !== '' && !CLOSING_PATTERN.test(p.closing))
      return fail(`the closing text at the end of part ${p.part} was changed`);
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
