// --base and --head as `affected` and `diff` take them. They come from a workflow's inputs and a
// person's shell, and reach git: a value starting with "-" is refused here (and git receives every
// revision after --end-of-options, src/adapters/git.ts), a revision the clone lacks is named with how
// to fetch it, and a base that is not an ancestor of head is refused, because `BASE...HEAD` would
// then diff against their merge base and leave out what changed on the base's side.
import { isAncestor, resolveCommit } from '../adapters/git.js';
import { UsageError } from './usage-error.js';

export interface Revisions {
  base: string;
  head: string;
}

/** Synchronous checks of the text alone, before any process starts. */
export function checkRevisionText(revisions: Revisions): void {
  for (const [flag, value] of [
    ['base', revisions.base],
    ['head', revisions.head],
  ] as const) {
    if (value === '') throw new UsageError(`--${flag} REF is required`);
    if (value.startsWith('-')) {
      throw new UsageError(
        `--${flag} must name a commit, not ${JSON.stringify(value)}: a revision starting with "-" would read as an option`,
      );
    }
  }
}

/** Both revisions name commits in the clone at `repoDir`, and base is an ancestor of head. */
export async function checkRevisions(repoDir: string, revisions: Revisions): Promise<void> {
  checkRevisionText(revisions);
  const [base, head] = await Promise.all([
    resolveCommit(repoDir, revisions.base),
    resolveCommit(repoDir, revisions.head),
  ]);
  for (const [flag, value, commit] of [
    ['base', revisions.base, base],
    ['head', revisions.head, head],
  ] as const) {
    if (commit === undefined) {
      throw new UsageError(`--${flag} ${value} is not a commit in this clone`, {
        hint: 'fetch it first (CI: actions/checkout with fetch-depth: 0 so the base commit is present)',
      });
    }
  }
  if (base !== undefined && head !== undefined && !(await isAncestor(repoDir, base, head))) {
    throw new UsageError(
      `--base ${revisions.base} (${base.slice(0, 12)}) is not an ancestor of --head ${revisions.head} (${head.slice(0, 12)})`,
      {
        hint: 'pass the commit the head was built on (a pull request: its base commit, with the merge commit as head; a deploy: the last deployed commit of the same branch)',
      },
    );
  }
}
