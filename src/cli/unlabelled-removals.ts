// `hubfleet affected --refuse-unlabelled-removals`: how the remove-hub gate (src/plan/removal-gate.ts)
// is reported. One line per refused file on stderr, an annotation per file inside GitHub Actions
// (on stdout, as `validate` prints them), and a closing count.
import { LABEL_REMOVE_HUB } from '../plan/change-plan.js';
import type { UnlabelledRemoval } from '../plan/removal-gate.js';
import { reportGate, type GateIo } from './gate-report.js';

export type { GateIo } from './gate-report.js';

/** Prints the refused removals; the exit code: 1 when there is any, else 0. */
export function reportUnlabelledRemovals(
  refused: readonly UnlabelledRemoval[],
  repoPath: (configPath: string) => string,
  io: GateIo,
): number {
  return reportGate(
    refused,
    {
      title: 'hub removal refused',
      closing: (n) =>
        `${n} hub file${n === 1 ? '' : 's'} deleted without the label ${LABEL_REMOVE_HUB}: refused (--refuse-unlabelled-removals)`,
    },
    repoPath,
    io,
  );
}
