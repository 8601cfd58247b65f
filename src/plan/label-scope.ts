// Which deleted hub files a pull request's hubfleet:remove-hub label speaks for. A deploy after a
// merge plans everything since the last good deploy (BASE...HEAD), which can hold hub files that
// an earlier PR deleted without the label (that deploy stopped at the remove-hub gate). The label
// of the PR merged now must not uninstall those: only the files deleted in the merged change
// itself (SINCE...HEAD, SINCE being the push's `before` commit) are covered; the others stay kept,
// and so refused by the gate (docs/decisions/0021-config-integrity.md).
import { classifyPath, type ChangedFile } from './change-plan.js';

/** The `config/...` paths of hub files deleted in `labelledChange` (already scoped to --config). */
export function labelledDeletions(labelledChange: readonly ChangedFile[]): Set<string> {
  return new Set(
    labelledChange
      .filter(
        (c) => c.status === 'deleted' && c.outsideConfig !== true && classifyPath(c.path).kind === 'hub-file',
      )
      .map((c) => c.path),
  );
}
