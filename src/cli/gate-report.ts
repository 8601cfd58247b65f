// How `hubfleet affected`'s gates report what they refuse (unlabelled hub removals, createCluster
// hand-overs, cluster renames): one line per file on stderr, an annotation per file inside GitHub
// Actions (on stdout, as `validate` prints them), and an optional closing line.
import { fileAnnotation } from '../config/problems.js';

export interface GateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/**
 * Prints the refusals; the exit code: 1 when there is any, else 0. `repoPath` turns the planner's
 * `config/...` path into the file's path in the repository (--config may be elsewhere).
 */
export function reportGate(
  refused: readonly { path: string; message: string }[],
  gate: { title: string; closing?: (count: number) => string },
  repoPath: (configPath: string) => string,
  io: GateIo,
): number {
  if (refused.length === 0) return 0;
  const inActions = io.env.GITHUB_ACTIONS === 'true';
  for (const r of refused) {
    const file = repoPath(r.path);
    io.stderr(`${file}: ${r.message}\n`);
    if (inActions) io.stdout(`${fileAnnotation(file, gate.title, r.message)}\n`);
  }
  if (gate.closing !== undefined) io.stderr(`\n${gate.closing(refused.length)}\n`);
  return 1;
}
