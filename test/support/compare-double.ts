// GitHub's REST "Compare two commits" (GET /repos/{owner}/{repo}/compare/{base}...{head}) over a
// real local git repository, for the workflows' freshness check (workflows/freshness.ts). What it
// copies from GitHub's REST reference: `status` is `identical`, `ahead` (head has commits base has
// not), `behind` or `diverged`, with `ahead_by` / `behind_by`; `files` is the three-dot diff (from
// the merge base to head), each with `filename`, `status` and, for a rename, `previous_filename`;
// a request without the token answers 401 and an unknown commit 404. A branch name resolves as
// refs/heads/<name>. The server runs in its own process (compare-double-server.mjs).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface CompareDouble {
  url: string;
  /** `GET <path>` per request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startCompareDouble(options: { repo: string; token: string }): Promise<CompareDouble> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'compare-double-server.mjs'), options.repo, options.token],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const requests: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`compare double exited (${String(code)})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [kind, ...rest] = line.split(' ');
      if (kind === 'port') resolve(Number(rest[0]));
      if (kind === 'request') requests.push(rest.join(' '));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
