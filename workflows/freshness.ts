// No rollback by re-run. A re-run uses the run's original `GITHUB_SHA` (GitHub docs, "Re-running
// workflows and jobs": "Re-running a workflow or jobs in a workflow uses the same GITHUB_SHA (commit
// SHA) and GITHUB_REF (Git ref) of the original event"), so "Re-run jobs" on an older deploy run
// would deploy that run's hub config over what a newer merge already deployed. Each stage job first
// asks GitHub what main changed since its commit (REST "Compare two commits", base...head) and
// refuses when main changed the files that render its hubs. Rolling back stays the explicit
// rollback-hub dispatch (docs/decisions/0030).
import type { RunStep } from './model.js';

/**
 * Paths whose change re-renders every hub (src/plan/change-plan.ts EVERY_HUB: the schema, the chart
 * defaults and table, the renderer). Kept equal to the planner's list by a test.
 */
export const EVERY_HUB_PATHS =
  '^(config/(schema|charts)/|src/render/|src/config/charts\\.ts$|\\.hubfleet/owned\\.json$)';

/** The push/pull_request `paths` filters for the renderer and the chart table. */
export const RENDERER_PATHS = ['src/render/**', 'src/config/charts.ts'];

/** The Compare API lists at most 300 files; a longer list cannot prove the hubs unchanged. */
export const COMPARE_FILE_LIMIT = 300;

export const FRESHNESS_STEP = 'Refuse to deploy older config than main';

export function freshnessCheck(): RunStep {
  return {
    name: FRESHNESS_STEP,
    env: {
      GH_TOKEN: '${{ github.token }}',
      API_URL: '${{ github.api_url }}',
      REPO: '${{ github.repository }}',
      SHA: '${{ github.sha }}',
      CLUSTER: '${{ matrix.cluster }}',
      HUBS: '${{ matrix.hubs }}',
    },
    run: [
      'set -euo pipefail',
      'compare=$(curl -fsSL --max-time 60 --retry 3 -H "Authorization: Bearer $GH_TOKEN" -H "Accept: application/vnd.github+json" \\',
      '  "$API_URL/repos/$REPO/compare/$SHA...main")',
      'status=$(jq -r .status <<<"$compare")',
      'if [ "$status" = identical ]; then exit 0; fi',
      'if [ "$status" != ahead ]; then',
      '  echo "::error::$CLUSTER: this run\'s commit $SHA is not on main (compare status: $status), so nothing is deployed from it. Deploys come from main; to go back, revert in a pull request or run rollback-hub."',
      '  exit 1',
      'fi',
      `if [ "$(jq '.files // [] | length' <<<"$compare")" -ge ${COMPARE_FILE_LIMIT} ]; then`,
      `  echo "::error::$CLUSTER: main has changed ${COMPARE_FILE_LIMIT} or more files since $SHA, so GitHub cannot show whether these hubs changed; nothing is deployed from this older run. The deploy run of main deploys them."`,
      '  exit 1',
      'fi',
      `changed=$(jq -r --arg cluster "$CLUSTER" --arg hubs "$HUBS" --arg every '${EVERY_HUB_PATHS}' '`,
      '  ("config/clusters/" + $cluster + "/") as $dir',
      '  | ([$dir + "cluster.yaml"] + ($hubs | split(",") | map(select(. != "") | $dir + "hubs/" + . + ".yaml"))) as $mine',
      '  | [.files[] | .filename, (.previous_filename // empty)]',
      '  | map(select(. as $p | ($mine | index($p)) != null or test($every)))',
      '  | unique | join(", ")\' <<<"$compare")',
      'if [ -n "$changed" ]; then',
      '  msg="$CLUSTER: main has changed these hubs since this run\'s commit $SHA ($changed); deploying them from this run would roll them back."',
      '  next="The deploy run of main deploys the newer config (a re-run of an older run never does). To go back on purpose, revert the change in a pull request or run rollback-hub."',
      '  printf \'%s\\n\\n%s\\n\' "**$msg**" "$next" >> "$GITHUB_STEP_SUMMARY"',
      '  echo "::error::$msg $next"',
      '  exit 1',
      'fi',
    ].join('\n'),
  };
}
