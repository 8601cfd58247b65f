// Which run holds each cluster's reviewed plan. For every cluster: the newest *successful*
// same-repository hub-pr run of the merged PR's head commit whose artifacts hold `plan-<cluster>`.
// A hub-pr run of that head still in progress (a re-run, a label change) is waited for, bounded,
// rather than skipped: it may hold the plan of the last reviewed state. A manual deploy names the
// run whose plans were reviewed after a deploy stopped for review (`plan-run-id`).
// Runs on a GitHub-hosted runner in the deploy's affected job (gh and jq are there).

/** How long affected waits for a hub-pr run of the merged head that is still in progress. */
export const PLAN_WAIT_SECONDS = 600;
export const PLAN_POLL_SECONDS = 30;

/** Shell lines: needs REPO, pr_head, DISPATCH_PLAN_RUN; sets plan_runs (JSON cluster → run id). */
export function planSourceScript(): string[] {
  return [
    "plan_runs='{}'",
    'runs=""',
    'if [ -n "$DISPATCH_PLAN_RUN" ]; then',
    '  [[ "$DISPATCH_PLAN_RUN" =~ ^[0-9]+$ ]] || { echo "::error::plan-run-id must be a run id (digits)"; exit 1; }',
    '  runs="$DISPATCH_PLAN_RUN"',
    'elif [ -n "$pr_head" ]; then',
    '  hub_pr_runs="repos/$REPO/actions/workflows/hub-pr.yml/runs?event=pull_request&head_sha=$pr_head&per_page=100"',
    '  waited=0',
    '  while :; do',
    '    running=$(gh api "$hub_pr_runs" --jq \'[.workflow_runs[] | select(.status != "completed")] | length\')',
    '    [ "$running" -gt 0 ] || break',
    `    if [ "$waited" -ge ${PLAN_WAIT_SECONDS} ]; then`,
    `      echo "::warning::a hub-pr run of $pr_head is still running after ${PLAN_WAIT_SECONDS}s; taking the newest finished plans (a cluster whose merged plan differs stops for review)"`,
    '      break',
    '    fi',
    `    sleep ${PLAN_POLL_SECONDS}; waited=$((waited + ${PLAN_POLL_SECONDS}))`,
    '  done',
    '  # Newest first; only runs of a branch of this repository (a fork PR never plans).',
    '  runs=$(gh api "$hub_pr_runs&status=success" \\',
    "    --jq '.workflow_runs | sort_by(.run_number) | reverse | .[] | select(.head_repository.full_name == .repository.full_name) | .id')",
    'fi',
    'for run in $runs; do',
    '  names=$(gh api "repos/$REPO/actions/runs/$run/artifacts?per_page=100" \\',
    '    --jq \'.artifacts[] | select(.expired | not) | .name | select(startswith("plan-"))\')',
    '  for name in $names; do',
    '    plan_runs=$(jq -c --arg c "${name#plan-}" --arg r "$run" \'if has($c) then . else . + {($c): $r} end\' <<<"$plan_runs")',
    '  done',
    'done',
  ];
}
