// The reviewed plan travels from the PR's plan job to the deploy's apply job as an artifact: the
// plan file and plan-meta.json (its sha256, the inputs digest and the commit plan-cluster bound
// it to). The deploy checks the merged tree's digest against it before applying anything.
import type { RunStep } from './model.js';

export const PLAN_ARTIFACT = 'plan-${{ matrix.cluster }}';
/** Long enough for a PR to sit in review; the deploy re-plans when the artifact has expired. */
export const PLAN_RETENTION_DAYS = 30;

/** Where the artifact is assembled (plan-cluster's own out-dir is $RUNNER_TEMP/hubfleet-plan/<cluster>). */
export const PLAN_ARTIFACT_DIR = '${{ runner.temp }}/hubfleet-plan-artifact/';

/**
 * Copies the plan of step `stepId` and its redacted JSON (for a reviewer to read) into
 * $RUNNER_TEMP/hubfleet-plan-artifact beside plan-meta.json.
 */
export function packPlanSteps(stepId: string): RunStep[] {
  const out = (name: string): string => `\${{ steps.${stepId}.outputs.${name} }}`;
  return [
    {
      name: 'Pack the plan and its digests',
      env: {
        CLUSTER: '${{ matrix.cluster }}',
        PLAN_PATH: out('plan-path'),
        PLAN_JSON_PATH: out('plan-json-path'),
        PLAN_SHA256: out('plan-sha256'),
        INPUTS_DIGEST: out('inputs-digest'),
        PLAN_COMMIT: out('commit'),
        HAS_CHANGES: out('has-changes'),
      },
      run: [
        'set -euo pipefail',
        'dir="$RUNNER_TEMP/hubfleet-plan-artifact"',
        'mkdir -p "$dir"',
        'cp "$PLAN_PATH" "$dir/"',
        // The provider lock file the plan was made with (src/tfplan/lock-file.ts); apply-iam inits with it read-only.
        'lock="$(dirname "$PLAN_PATH")/terraform.lock.hcl"; if [ -f "$lock" ]; then cp "$lock" "$dir/"; fi',
        'if [ -n "$PLAN_JSON_PATH" ]; then cp "$PLAN_JSON_PATH" "$dir/plan.redacted.json"; fi',
        'jq -n --arg cluster "$CLUSTER" --arg planFile "$(basename "$PLAN_PATH")" --arg planSha256 "$PLAN_SHA256" \\',
        '  --arg inputsDigest "$INPUTS_DIGEST" --arg commit "$PLAN_COMMIT" --arg hasChanges "$HAS_CHANGES" \\',
        "  '{cluster: $cluster, planFile: $planFile, planSha256: $planSha256, inputsDigest: $inputsDigest, commit: $commit, hasChanges: $hasChanges}' \\",
        '  > "$dir/plan-meta.json"',
      ].join('\n'),
    },
  ];
}
