import * as core from '@actions/core';

/**
 * Job summary pieces as GitHub-flavoured Markdown strings (pure, so tests read them as text), and
 * one `writeSummary` that appends them to GITHUB_STEP_SUMMARY and waits for the write.
 */

export type Verdict = 'pass' | 'fail' | 'warn' | 'info';

const VERDICT_ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', warn: '⚠️', info: 'ℹ️' };

/** The short line a person reads first: `### ✅ sticky comment updated on #12`. */
export function verdictLine(verdict: Verdict, text: string): string {
  return `### ${VERDICT_ICON[verdict]} ${inlineText(text)}`;
}

/** A cell's text: a `|` would end the cell and a newline the row. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, '<br>');
}

export type Cell = string | number | boolean | null | undefined;

/** A Markdown table; every row is padded or cut to the header's width. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  if (headers.length === 0) throw new Error('a summary table needs at least one column');
  const cell = (value: Cell): string =>
    value === null || value === undefined ? '' : escapeCell(String(value));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(headers.map(cell)),
    line(headers.map(() => '---')),
    ...rows.map((row) => line(headers.map((_h, i) => cell(row[i])))),
  ].join('\n');
}

/** A collapsed section; `body` is Markdown (blank lines around it so GitHub renders it). */
export function details(title: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${escapeHtml(inlineText(title))}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inlineText(text: string): string {
  return text.replace(/\s*(?:\r?\n|\r)\s*/g, ' ').trim();
}

/** Appends the parts (separated by blank lines) to the job summary and waits for the write. */
export async function writeSummary(parts: readonly string[]): Promise<void> {
  await core.summary.addRaw(parts.join('\n\n'), true).write();
}
