// `hubfleet affected --refuse-unlabelled-removals`: how the remove-hub gate (src/plan/removal-gate.ts)
// is reported. One line per refused file on stderr, an annotation per file inside GitHub Actions
// (on stdout, as `validate` prints them), and a closing count.
import { fileAnnotation } from '../config/problems.js';
import { LABEL_REMOVE_HUB } from '../plan/change-plan.js';
import type { UnlabelledRemoval } from '../plan/removal-gate.js';

export interface GateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/**
 * Prints the refused removals; the exit code: 1 when there is any, else 0. `repoPath` turns the
 * planner's `config/...` path into the file's path in the repository (--config may be elsewhere).
 */
export function reportUnlabelledRemovals(
  refused: readonly UnlabelledRemoval[],
  repoPath: (configPath: string) => string,
  io: GateIo,
): number {
  if (refused.length === 0) return 0;
  const inActions = io.env.GITHUB_ACTIONS === 'true';
  for (const r of refused) {
    const file = repoPath(r.path);
    io.stderr(`${file}: ${r.message}\n`);
    if (inActions) io.stdout(`${fileAnnotation(file, 'hub removal refused', r.message)}\n`);
  }
  const n = refused.length;
  io.stderr(
    `\n${n} hub file${n === 1 ? '' : 's'} deleted without the label ${LABEL_REMOVE_HUB}: refused (--refuse-unlabelled-removals)\n`,
  );
  return 1;
}
