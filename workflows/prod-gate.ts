// prod-gate: between staging and prod, on a GitHub-hosted runner. It reads which clusters' apply
// and staging passed in this run (their `iam-<cluster>` and `staging-passed-<cluster>` artifacts)
// and hands the prod job only those clusters' rows. A prod job waits for its Environment's
// reviewers before its first step, so a row whose cluster already failed would ask them to approve
// a job that can only fail; filtered here, it is never created. One cluster's failed staging holds
// that cluster's prod only: the other clusters' prod rows go on.
import type { Job, Step } from './model.js';
import { pinned } from './pinned-actions.js';
import { AFFECTED_PASSED, APPLY_IAM_RAN } from './deploy-guards.js';
import { GITHUB_HOSTED } from './steps.js';

/** Where the gate downloads the markers: one directory per artifact (download by `pattern`). */
const PASSED_DIR = '${{ runner.temp }}/passed';

function downloadMarkers(id: string, pattern: string): Step {
  return {
    id,
    name: `Download the ${pattern} markers`,
    // A pattern that matches nothing (no cluster passed) is not an error of the gate.
    'continue-on-error': true,
    uses: pinned('downloadArtifact'),
    with: {
      pattern,
      path: PASSED_DIR,
      // Across the run's attempts, so a "Re-run failed jobs" of one staging row sees the others'
      // markers from the first attempt (deploy.ts THIS_RUN, docs/decisions/0031).
      'run-id': '${{ github.run_id }}',
      'github-token': '${{ github.token }}',
    },
  };
}

export const PROD_GATE_SCRIPT = [
  'set -euo pipefail',
  'dir="$RUNNER_TEMP/passed"',
  '# No directory at all when no marker matched (nothing passed).',
  'passed=$({ find "$dir" -mindepth 1 -maxdepth 1 -type d -printf \'%f\\n\' 2>/dev/null || true; } | jq -R . | jq -sc .)',
  'ready=\'("iam-" + .cluster) as $i | ($passed | index($i)) != null\'',
  'staged=\'(.afterStaging | not) or ((("staging-passed-" + .cluster) as $s | ($passed | index($s))) != null)\'',
  'prod=$(jq -c --argjson passed "$passed" "{include: [.include[] | select(($ready) and ($staged))]}" <<<"$PROD")',
  'held=$(jq -r --argjson passed "$passed" \\',
  '  ".include[] | select((($ready) and ($staged)) | not) | \\"\\(.cluster): \\(if ($ready) then \\"staging\\" else \\"apply-iam\\" end) did not pass in this run\\"" <<<"$PROD")',
  '{',
  '  echo "prod=$prod"',
  '  if [ "$(jq \'.include | length\' <<<"$prod")" -gt 0 ]; then echo "has-prod=true"; else echo "has-prod=false"; fi',
  '} >> "$GITHUB_OUTPUT"',
  '{',
  '  echo "### Prod"',
  '  jq -r \'.include[] | "- \\(.cluster): deploys \\(.hubs)"\' <<<"$prod"',
  '  if [ -n "$held" ]; then sed \'s/^/- held: /\' <<<"$held"; fi',
  '} >> "$GITHUB_STEP_SUMMARY"',
  'while IFS= read -r line; do',
  '  [ -z "$line" ] || echo "::warning::$line: its prod hubs are left untouched and no approval is asked for."',
  'done <<<"$held"',
].join('\n');

export const prodGate: Job = {
  name: 'prod gate',
  needs: ['affected', 'apply-iam', 'staging'],
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && ${APPLY_IAM_RAN} && needs.affected.outputs.has-prod == 'true' }}`,
  'runs-on': GITHUB_HOSTED,
  // actions: read lists this run's artifacts through the REST API.
  permissions: { actions: 'read' },
  'timeout-minutes': 10,
  outputs: {
    prod: '${{ steps.gate.outputs.prod }}',
    'has-prod': '${{ steps.gate.outputs.has-prod }}',
  },
  steps: [
    downloadMarkers('iam-download', 'iam-*'),
    downloadMarkers('staging-download', 'staging-passed-*'),
    {
      id: 'gate',
      name: 'Prod rows of the clusters whose apply and staging passed',
      env: { PROD: '${{ needs.affected.outputs.prod }}' },
      run: PROD_GATE_SCRIPT,
    },
  ],
};
