// The reviewable difference between two renders of the fleet: one unified diff per rendered file,
// grouped by hub (or by cluster, for its tfvars). Pure: base and head files in, text out. Rendered
// files hold secret references by name only, so the diff never shows a secret value.
import { createTwoFilesPatch } from 'diff';
import type { RenderedFile } from './files.js';
import { compareKeys } from './serialize.js';

export type DiffChange = 'added' | 'removed' | 'modified';

export interface FileDiff {
  path: string;
  change: DiffChange;
  /** Unified diff (`---`/`+++` headers, 3 lines of context); an added or removed file in full. */
  patch: string;
}

export interface TargetDiff {
  cluster: string;
  /** Undefined for the cluster's own files (terraform.tfvars.json). */
  hub?: string;
  /** Added or removed when every file of the hub (or cluster) is new or gone. */
  change: DiffChange;
  files: FileDiff[];
}

const CONTEXT_LINES = 3;

function fileDiff(path: string, before: string | undefined, after: string | undefined): FileDiff {
  const change: DiffChange = before === undefined ? 'added' : after === undefined ? 'removed' : 'modified';
  const patch = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    after === undefined ? '/dev/null' : `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: CONTEXT_LINES },
  );
  // jsdiff starts with an `Index:`/`====` preamble that git-style readers do not expect.
  const start = patch.indexOf('--- ');
  return { path, change, patch: start >= 0 ? patch.slice(start) : patch };
}

export function diffRenderedFleets(
  base: readonly RenderedFile[],
  head: readonly RenderedFile[],
): TargetDiff[] {
  const before = new Map(base.map((f) => [f.path, f]));
  const after = new Map(head.map((f) => [f.path, f]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(compareKeys);
  const targets = new Map<string, TargetDiff>();
  for (const path of paths) {
    const b = before.get(path);
    const a = after.get(path);
    if (b?.content === a?.content) continue;
    const owner = (a ?? b) as RenderedFile;
    const key = `${owner.cluster}/${owner.hub ?? ''}`;
    const target = targets.get(key) ?? {
      cluster: owner.cluster,
      ...(owner.hub === undefined ? {} : { hub: owner.hub }),
      change: 'modified' as DiffChange,
      files: [],
    };
    target.files.push(fileDiff(path, b?.content, a?.content));
    targets.set(key, target);
  }
  const hasFiles = (files: ReadonlyMap<string, RenderedFile>, t: TargetDiff): boolean =>
    [...files.values()].some((f) => f.cluster === t.cluster && f.hub === t.hub);
  for (const target of targets.values()) {
    if (!hasFiles(before, target)) target.change = 'added';
    else if (!hasFiles(after, target)) target.change = 'removed';
  }
  // Per cluster: its own files (tfvars) first, then its hubs by name.
  return [...targets.values()].sort(
    (x, y) => compareKeys(x.cluster, y.cluster) || compareKeys(x.hub ?? '', y.hub ?? ''),
  );
}

const label = (t: TargetDiff): string =>
  t.hub === undefined ? `cluster ${t.cluster}` : `${t.cluster}/${t.hub}`;

/** Plain text for a terminal: one block per hub, then its files' unified diffs. */
export function formatDiffText(diffs: readonly TargetDiff[]): string {
  if (diffs.length === 0) return 'no rendered file differs\n';
  const blocks = diffs.map((t) => `=== ${label(t)} (${t.change})\n${t.files.map((f) => f.patch).join('')}`);
  return `${blocks.join('\n')}\n${summaryLine(diffs)}\n`;
}

function summaryLine(diffs: readonly TargetDiff[]): string {
  const count = (c: DiffChange): number => diffs.filter((t) => t.change === c).length;
  const files = diffs.reduce((n, t) => n + t.files.length, 0);
  return `${diffs.length} changed (${count('added')} added, ${count('modified')} modified, ${count('removed')} removed), ${files} files`;
}

/** Markdown for a job summary or a sticky comment: a table, then one collapsed diff per hub. */
export function formatDiffMarkdown(diffs: readonly TargetDiff[], title = 'Rendered diff'): string {
  if (diffs.length === 0)
    return `### ${title}\n\nNo rendered helm values, manifest or tfvars file differs.\n`;
  const rows = diffs.map(
    (t) =>
      `| ${label(t)} | ${t.change} | ${t.files.map((f) => `\`${f.path.split('/').pop() ?? f.path}\``).join(', ')} |`,
  );
  const sections = diffs.map((t) => {
    const body = t.files.map((f) => f.patch).join('');
    // A fence longer than any backtick run inside keeps the block closed whatever the values hold.
    const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    return `<details><summary>${label(t)} (${t.change})</summary>\n\n${fence}diff\n${body}${fence}\n\n</details>`;
  });
  return [
    `### ${title}`,
    '',
    summaryLine(diffs),
    '',
    '| target | change | files |',
    '|---|---|---|',
    ...rows,
    '',
    ...sections,
    '',
  ].join('\n');
}
