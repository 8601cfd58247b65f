// Bench: posting a Terraform plan of 1 MB as the sticky PR comment — how many GitHub API calls and
// how long, through the real GitHub adapter (octokit over HTTP) against the GitHub REST double on
// 127.0.0.1. Baseline in the same run: one small comment through the same path. Goal: ≤ 20 calls.
// Standalone: `benchPlanComment()` returns the lines to print; bench/run.ts calls it.
import { performance } from 'node:perf_hooks';
import { createGitHubClient } from '../src/adapters/github.js';
import { upsertStickyComment } from '../src/report/sticky-comment.js';
import type { PlanSummary } from '../src/tfplan/plan-json.js';
import { renderPlanComment } from '../src/tfplan/plan-report.js';
import { startGitHubDouble } from '../test/support/github-double.js';

const RUNS = 5;
const PLAN_BYTES = 1024 * 1024;
const REPOSITORY = 'hubfleet-bench/fleet';
const TOKEN = 'ghs_benchToken';

/** A plan text of `bytes` characters shaped like Terraform's (one attribute per line). */
export function syntheticPlanText(bytes: number): string {
  const lines: string[] = ['Terraform will perform the following actions:', ''];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `      + "bucket-${String(i).padStart(6, '0')}" = "hubfleet-pangeo-gcp-hub-${i}-scratch-0123abcd"`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('', 'Plan: 1 to add, 0 to change, 0 to destroy.');
  return `${lines.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const summary: PlanSummary = {
  counts: { add: 1, change: 0, destroy: 0, replace: 0, import: 0, forget: 0 },
  resources: [{ address: 'terraform_data.big', action: 'add' }],
  drift: [],
  outputChanges: [],
  terraformVersion: '1.11.4',
};
const binding = {
  planSha256: 'a'.repeat(64),
  inputsDigest: `sha256:${'b'.repeat(64)}`,
  commit: 'c'.repeat(40),
};

export async function benchPlanComment(): Promise<string[]> {
  const gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
  try {
    const client = createGitHubClient({ token: TOKEN, repository: REPOSITORY, apiUrl: gh.url });
    const planText = syntheticPlanText(PLAN_BYTES);
    const body = renderPlanComment({ cluster: 'pangeo-gcp', summary, changes: true, planText, binding });
    const changed = body.replace('Plan: 1 to add', 'Plan: 2 to add');
    let pr = 1;
    const measure = async (bodies: string[]): Promise<{ ms: number; calls: number; parts: number }> => {
      const times: number[] = [];
      let calls = 0;
      let parts = 0;
      for (let run = 0; run <= RUNS; run++) {
        const issue = pr++;
        gh.seedPullFiles(issue, []);
        // All but the last body prepare the comment; the last one is what is timed.
        for (const b of bodies.slice(0, -1))
          await upsertStickyComment(client, { issueNumber: issue, key: 'plan:bench', body: b });
        const before = gh.requests.length;
        const start = performance.now();
        const result = await upsertStickyComment(client, {
          issueNumber: issue,
          key: 'plan:bench',
          body: bodies.at(-1) ?? '',
        });
        const elapsed = performance.now() - start;
        if (run === 0) continue; // warm-up: connection, JIT
        times.push(elapsed);
        calls = gh.requests.length - before;
        parts = result.commentIds.length;
      }
      return { ms: median(times), calls, parts };
    };
    const baseline = await measure(['Plan: no changes.']);
    const create = await measure([body]);
    const same = await measure([body, body]);
    const edit = await measure([body, changed]);
    const row = (name: string, r: { ms: number; calls: number; parts: number }): string =>
      `  ${name.padEnd(44)} ${r.ms.toFixed(1).padStart(8)} ms  ${String(r.calls).padStart(3)} API calls  ${r.parts} part${r.parts === 1 ? '' : 's'}`;
    const mb = (body.length / 1024 / 1024).toFixed(2);
    return [
      `plan comment: ${mb} MB body (1 MiB plan text) as a sticky comment, GitHub double on 127.0.0.1 (median of ${RUNS})`,
      row('baseline: one small comment', baseline),
      row('1 MB plan, first post', create),
      row('1 MB plan, re-run with the same plan', same),
      row('1 MB plan, re-run with the last line changed', edit),
      `  goal ≤ 20 API calls for the first post: ${create.calls <= 20 ? 'met' : 'NOT met'}`,
    ];
  } finally {
    await gh.close();
  }
}
