// deploy: a merge to main. affected (a hub file deleted without hubfleet:remove-hub stops the run
// here) → uninstall the hubs whose files were deleted with that label → apply-iam per cluster in
// `<cluster>-apply` (exactly the reviewed plan) → deploy the staging hubs, wait for their
// certificates, smoke-iap → prod-gate (the prod rows of clusters whose apply and staging passed)
// → deploy the prod hubs in `<cluster>-prod`, wait for their certificates, smoke-iap.
// Deploy runs are serialised (one workflow-level group, never cancelling a run in progress), and
// every job that touches a cluster is also in that cluster's group, shared with the manual runs.
// Every job that acts on a cluster runs in an Environment that allows only main: the applier
// identity trusts only those Environments' OIDC subjects (README "Security model").
//
// Jobs pass per-cluster results through artifacts, not job outputs: a matrix job's outputs are
// those of whichever row finished last, while `iam-<cluster>` and `staging-passed-<cluster>`
// belong to exactly one cluster.
import type { Concurrency, Job, Step, Workflow } from './model.js';
import { local, pinned } from './pinned-actions.js';
import { packPlanSteps, PLAN_ARTIFACT, PLAN_ARTIFACT_DIR, PLAN_RETENTION_DAYS } from './plan-artifact.js';
import {
  affectedScript,
  checkout,
  cloudLogin,
  GITHUB_HOSTED,
  hubHealth,
  iapSmoke,
  IAP_AUDIENCE_ENV,
  installHubfleet,
  uploadArtifact,
} from './steps.js';
import { freshnessCheck, RENDERER_PATHS } from './freshness.js';
import { planSourceScript } from './plan-source.js';
import { SCHEDULE_AGE_SCRIPT } from './scheduled.js';
import { prodGate } from './prod-gate.js';
import { AFFECTED_PASSED, APPLY_IAM_RAN, UNINSTALL_DONE } from './deploy-guards.js';

export const clusterConcurrency: Concurrency = {
  group: 'hubfleet-deploy-${{ matrix.cluster }}',
  'cancel-in-progress': false,
};

/** One group for every deploy run: runs are applied in order, a running one is never cancelled. */
export const DEPLOY_RUN_CONCURRENCY: Concurrency = { group: 'hubfleet-deploy', 'cancel-in-progress': false };

/** The Environment apply-iam runs in: the applier identity trusts its OIDC `sub`; main only. */
export const APPLY_ENVIRONMENT = '${{ matrix.cluster }}-apply';

/** actions: read downloads this run's artifacts through the REST API (requireArtifact). */
const CLUSTER_JOB_PERMISSIONS = { contents: 'read', 'id-token': 'write', actions: 'read' } as const;

/**
 * Downloads of this run's artifacts go through the REST API (`run-id` + `github-token`), which
 * lists a run's artifacts across its attempts, so a job started by "Re-run failed jobs" finds what
 * the jobs of the first attempt uploaded. Without them download-artifact asks the artifact service
 * for the current attempt only (observed: MeshInspector/MeshLib#6474, "Unable to download
 * artifact(s) … workflow run not found" on a partial re-run). Of several artifacts with one name
 * (the first attempt's and a re-run's), actions/toolkit packages/artifact/src/internal/find/
 * get-artifact.ts getArtifactPublic takes the newest (highest id). docs/decisions/0031.
 */
export const THIS_RUN = { 'run-id': '${{ github.run_id }}', 'github-token': '${{ github.token }}' };

/**
 * A stage job's timeout and deploy-hub's bounded parallelism come from the planner's row
 * (src/plan/change-plan.ts): the timeout grows with the hubs the job deploys.
 */
const STAGE_TIMEOUT = '${{ matrix.timeoutMinutes }}';

/** Fetches an artifact of this run that another cluster job left, and fails clearly without it. */
function requireArtifact(options: { id: string; name: string; dir: string; missing: string }): Step[] {
  return [
    {
      id: `${options.id}-download`,
      name: `Download ${options.name.replace(/\$\{\{[^}]*\}\}/g, '<cluster>')}`,
      'continue-on-error': true,
      uses: pinned('downloadArtifact'),
      with: { name: options.name, path: `\${{ runner.temp }}/${options.dir}`, ...THIS_RUN },
    },
    {
      id: options.id,
      name: `Check ${options.dir}`,
      env: { CLUSTER: '${{ matrix.cluster }}', OUTCOME: `\${{ steps.${options.id}-download.outcome }}` },
      run: [
        'if [ "$OUTCOME" != success ]; then',
        `  echo "::error::${options.missing}"`,
        '  exit 1',
        'fi',
      ].join('\n'),
    },
  ];
}

function iamOutputs(): Step[] {
  return [
    ...requireArtifact({
      id: 'iam-artifact',
      name: 'iam-${{ matrix.cluster }}',
      dir: 'iam',
      missing:
        'apply-iam did not pass for $CLUSTER in this run: none of its hubs is deployed. Fix the apply and re-run the failed jobs.',
    }),
    {
      id: 'iam',
      name: 'Read the service-account annotations',
      run: [
        'set -euo pipefail',
        '{',
        '  echo "sa-annotations=$(jq -c . "$RUNNER_TEMP/iam/sa-annotations.json")"',
        '} >> "$GITHUB_OUTPUT"',
      ].join('\n'),
    },
  ];
}

function deployAndSmoke(stage: 'staging' | 'prod'): Step[] {
  return [
    {
      id: 'deploy',
      name: `Deploy the ${stage} hubs`,
      uses: local('deploy-hub'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: '${{ matrix.hubs }}',
        mode: 'deploy',
        concurrency: '${{ matrix.concurrency }}',
        'sa-annotations': '${{ steps.iam.outputs.sa-annotations }}',
        'gcp-access-token': '${{ steps.gcp-auth.outputs.access_token }}',
        // A list of hubs cannot take one OAuth client per `with:` value: deploy-hub picks from the
        // run's secrets only the one each hub file names (iap.oauthClient.secret, auth.github.secret).
        'oauth-client-secrets': '${{ toJSON(secrets) }}',
      },
    },
    {
      // smoke-iap reaches a hub only over HTTPS, which a new hub has once its ManagedCertificate is
      // Active (up to an hour). An Active certificate answers at once; a failed one stops here with
      // its cause instead of showing up as a hub that is down.
      id: 'certificates',
      name: `Wait for the ${stage} hubs' certificates`,
      if: "matrix.provider == 'gcp'",
      uses: local('verify-cert'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: '${{ matrix.hubs }}',
        mode: 'wait',
        'wait-timeout': '60m',
      },
    },
    // More retries on EKS, where nothing above waits for a new hub's ALB (SMOKE_RETRIES).
    ...iapSmoke(
      { id: 'smoke', name: `Smoke-test the ${stage} hubs through IAP`, hubs: '${{ matrix.hubs }}' },
      {
        attempts: '${{ matrix.smokeAttempts }}',
        'retry-budget': '${{ matrix.smokeRetryBudget }}',
        // The applier's token from the login above: smoke-iap compares each pinned audience with
        // the live backend service (decision 0081) instead of saying it could not.
        'gcp-access-token': '${{ steps.gcp-auth.outputs.access_token }}',
      },
    ),
    // A user's way through each hub; a failing staging hub blocks its cluster's prod (the passed
    // marker below is written only when every step passed).
    ...hubHealth({ id: 'health', name: `Health-check the ${stage} hubs`, hubs: '${{ matrix.hubs }}' }),
  ];
}

/** `<stage>-passed-<cluster>`: this cluster's stage deployed and passed its smoke test in this run. */
function passedMarker(stage: 'staging' | 'prod'): Step[] {
  return [
    {
      name: `Record that ${stage} passed`,
      env: { COMMIT: '${{ github.sha }}' },
      run: `mkdir -p "$RUNNER_TEMP/${stage}-passed" && echo "$COMMIT" > "$RUNNER_TEMP/${stage}-passed/commit"`,
    },
    uploadArtifact(`${stage}-passed-\${{ matrix.cluster }}`, `\${{ runner.temp }}/${stage}-passed/`, 7),
  ];
}

const affected: Job = {
  name: 'affected',
  'runs-on': GITHUB_HOSTED,
  // actions: read finds the last good deploy and the PR's plan run; pull-requests: read its labels.
  permissions: { contents: 'read', actions: 'read', 'pull-requests': 'read' },
  'timeout-minutes': 15,
  outputs: {
    clusters: '${{ steps.affected.outputs.clusters }}',
    'has-clusters': '${{ steps.affected.outputs.has-clusters }}',
    staging: '${{ steps.affected.outputs.staging }}',
    'has-staging': '${{ steps.affected.outputs.has-staging }}',
    prod: '${{ steps.affected.outputs.prod }}',
    'has-prod': '${{ steps.affected.outputs.has-prod }}',
    uninstall: '${{ steps.affected.outputs.uninstall }}',
    'has-uninstall': '${{ steps.affected.outputs.has-uninstall }}',
    'plan-runs': '${{ steps.source.outputs.plan-runs }}',
    'pr-number': '${{ steps.source.outputs.pr-number }}',
  },
  steps: [
    checkout({ fetchDepth: 0 }),
    ...installHubfleet(),
    {
      id: 'source',
      name: 'Last deployed commit, merged PR and its plan run',
      env: {
        GH_TOKEN: '${{ github.token }}',
        REPO: '${{ github.repository }}',
        PUSHED_SHA: '${{ github.sha }}',
        BEFORE_SHA: '${{ github.event.before }}',
        DISPATCH_PLAN_RUN: '${{ inputs.plan-run-id }}',
        DISPATCH_DEPLOY_ALL: '${{ inputs.deploy-all }}',
      },
      run: [
        'set -euo pipefail',
        '# Base: the commit of the last successful deploy. A concurrency group keeps one pending run',
        "# and drops older pending ones, so a dropped run's changes are deployed by the next one.",
        'base=$(gh api "repos/$REPO/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1" \\',
        "  --jq '.workflow_runs[0].head_sha // empty')",
        'if [ -z "$base" ] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then base="$BEFORE_SHA"; fi',
        'if [ -z "$base" ] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then base=$(git rev-parse HEAD^); fi',
        "# The merged change itself (the pushed commits; by hand, the merge commit's first parent): the",
        "# PR's labels speak for it alone, so hubfleet:remove-hub uninstalls no hub an earlier PR deleted.",
        'since="$BEFORE_SHA"',
        'if [ -z "$since" ] || ! git cat-file -e "$since^{commit}" 2>/dev/null; then since=$(git rev-parse HEAD^); fi',
        'pr=$(gh api "repos/$REPO/commits/$PUSHED_SHA/pulls" --jq \'[.[] | select(.merged_at != null)][0] // {}\')',
        'pr_number=$(jq -r \'.number // empty\' <<<"$pr")',
        'pr_head=$(jq -r \'.head.sha // empty\' <<<"$pr")',
        'labels=$(jq -r \'[.labels[]?.name] | join(",")\' <<<"$pr")',
        'if [ "$DISPATCH_DEPLOY_ALL" = true ]; then',
        "  # Asked for by hand for this run: the merged PR's hubfleet:skip-deploy, which wins over",
        '  # deploy-all in the planner, would turn the request into a run that deploys nothing.',
        '  labels=$(jq -r \'[.labels[]?.name | select(. != "hubfleet:skip-deploy" and . != "hubfleet:deploy-all")] + ["hubfleet:deploy-all"] | join(",")\' <<<"$pr")',
        'fi',
        ...planSourceScript(),
        '{',
        '  echo "base=$base"',
        '  echo "labels=$labels"',
        '  echo "labels-since=$since"',
        '  echo "pr-number=$pr_number"',
        '  echo "plan-runs=$plan_runs"',
        '} >> "$GITHUB_OUTPUT"',
        '{',
        '  echo "### Deploy source"',
        '  echo "- changes since: \\`$base\\`"',
        '  echo "- merged PR: ${pr_number:-none}; labels: ${labels:-none}"',
        '  echo "- reviewed plans: $(jq -r \'to_entries | map("\\(.key) from run \\(.value)") | join(", ") | if . == "" then "none (every cluster is re-planned and stops for review if it changes)" else . end\' <<<"$plan_runs")"',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    },
    {
      // Schedules that stop are noticed: every deploy says how old the last scheduled success is.
      name: 'Are the scheduled checks alive?',
      'continue-on-error': true,
      env: { GH_TOKEN: '${{ github.token }}', REPO: '${{ github.repository }}' },
      run: SCHEDULE_AGE_SCRIPT,
    },
    {
      id: 'affected',
      name: 'Affected clusters and hubs',
      env: {
        BASE_SHA: '${{ steps.source.outputs.base }}',
        LABELS: '${{ steps.source.outputs.labels }}',
        LABELS_SINCE: '${{ steps.source.outputs.labels-since }}',
      },
      // A merged hub-file deletion without hubfleet:remove-hub stops the deploy here, before any
      // job touches a cluster (src/plan/removal-gate.ts). The base stays at the last good deploy,
      // so every later deploy stops here too until a merged PR carries the label or restores the file.
      run: affectedScript({ labelsSince: true }),
    },
  ],
};

/**
 * Hubs whose files a PR labelled hubfleet:remove-hub deleted (the planner's `uninstall` rows): helm
 * uninstall, then hubfleet's own objects, waiting for the Ingress's load balancer to go; the
 * namespace and users' data stay (deploy-hub mode uninstall). It runs *before* apply-iam: the
 * reviewed plan destroys the hub's static IP, and Google refuses to release an address a forwarding
 * rule still uses, so Terraform first would fail the cluster's apply (and every deploy behind it).
 * apply-iam waits for it, so every job of one cluster in one run is sequential in the cluster's
 * concurrency group (GitHub drops a pending job when another job of the group queues behind it).
 */
const uninstall: Job = {
  name: 'uninstall ${{ matrix.cluster }}',
  needs: ['affected'],
  if: "needs.affected.outputs.has-uninstall == 'true'",
  'runs-on': '${{ matrix.runner }}',
  // The cluster's prod Environment: an uninstall cannot be undone, so it waits for the prod
  // reviewers, as a prod deploy does.
  environment: '${{ matrix.environment }}',
  permissions: { contents: 'read', 'id-token': 'write' },
  'timeout-minutes': '${{ matrix.timeoutMinutes }}',
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.uninstall) }}' },
  steps: [
    checkout(),
    // A re-run of an older run must not uninstall a hub that main has since brought back.
    freshnessCheck(),
    ...cloudLogin({ kubeconfig: true, identity: 'applier' }),
    {
      id: 'uninstall',
      name: 'Uninstall the removed hubs',
      uses: local('deploy-hub'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: '${{ matrix.hubs }}',
        mode: 'uninstall',
        timeout: '${{ matrix.helmTimeout }}',
      },
    },
  ],
};

const applyIam: Job = {
  name: 'apply-iam ${{ matrix.cluster }}',
  // After the uninstall job, only when it passed or had nothing to do (skipped). A failed, rejected
  // or cancelled uninstall stops every apply of the run: the reviewed plan of that cluster destroys
  // the hub's DNS, IAP access and identity and then cannot release the static IP the
  // still-installed hub uses, and a matrix job cannot tell which cluster's row failed. `cancelled`
  // counts: a pending uninstall replaced in its concurrency group, or cancelled by hand, ends
  // `cancelled` while the run goes on (`cancelled()` stays false), and `!= 'failure'` would then
  // strip a running hub. "Re-run failed jobs" resumes the chain from the uninstall. `!cancelled()`
  // alone would also run after a failed affected job, whose outputs are still set: a refused
  // removal (--refuse-unlabelled-removals) writes them before it fails. So affected must have passed.
  needs: ['affected', 'uninstall'],
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && ${UNINSTALL_DONE} && needs.affected.outputs.has-clusters == 'true' }}`,
  'runs-on': '${{ matrix.runner }}',
  // The applier identity trusts this Environment's OIDC subject; it allows only main.
  environment: APPLY_ENVIRONMENT,
  // actions: read downloads the reviewed plan from the PR's run.
  permissions: { contents: 'read', 'id-token': 'write', actions: 'read' },
  'timeout-minutes': 60,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.clusters) }}' },
  steps: [
    checkout(),
    ...cloudLogin({ kubeconfig: false, identity: 'applier' }),
    {
      id: 'reviewed-run',
      name: 'Which run holds the reviewed plan',
      env: { CLUSTER: '${{ matrix.cluster }}', PLAN_RUNS: '${{ needs.affected.outputs.plan-runs }}' },
      run: 'echo "run-id=$(jq -r --arg c "$CLUSTER" \'.[$c] // empty\' <<<"${PLAN_RUNS:-"{}"}")" >> "$GITHUB_OUTPUT"',
    },
    {
      id: 'reviewed-download',
      name: 'Download the reviewed plan',
      if: "steps.reviewed-run.outputs.run-id != ''",
      'continue-on-error': true,
      uses: pinned('downloadArtifact'),
      with: {
        name: PLAN_ARTIFACT,
        path: '${{ runner.temp }}/reviewed-plan',
        'run-id': '${{ steps.reviewed-run.outputs.run-id }}',
        'github-token': '${{ github.token }}',
      },
    },
    {
      // The merged tree is planned with the reviewed plan's provider builds, read-only
      // (src/tfplan/lock-file.ts): a provider released since the review cannot change the digest.
      name: "Use the reviewed plan's provider lock file",
      if: "steps.reviewed-download.outcome == 'success'",
      env: { PROVIDER: '${{ matrix.provider }}' },
      run: 'lock="$RUNNER_TEMP/reviewed-plan/terraform.lock.hcl"; module="terraform/$PROVIDER"; if [ -f "$lock" ] && [ ! -f "$module/.terraform.lock.hcl" ]; then cp "$lock" "$module/.terraform.lock.hcl"; fi',
    },
    {
      id: 'replan',
      name: 'Plan the merged tree',
      uses: local('plan-cluster'),
      with: { cluster: '${{ matrix.cluster }}', mode: 'plan', 'pr-number': '' },
    },
    ...packPlanSteps('replan'),
    {
      id: 'gate',
      name: 'Is the merged plan the reviewed one?',
      env: {
        CLUSTER: '${{ matrix.cluster }}',
        REVIEWED_OUTCOME: '${{ steps.reviewed-download.outcome }}',
        MERGED_DIGEST: '${{ steps.replan.outputs.inputs-digest }}',
        MERGED_HAS_CHANGES: '${{ steps.replan.outputs.has-changes }}',
      },
      run: [
        'set -euo pipefail',
        'reviewed="$RUNNER_TEMP/reviewed-plan"',
        'merged="$RUNNER_TEMP/hubfleet-plan-artifact"',
        '# Nothing to change first: applying the empty plan only reads the outputs deploy-hub needs.',
        '# A reviewed plan whose changes are already in the state (a later run of the same merge: a',
        '# manual deploy-all, a new run after a failed stage) would be refused as stale by Terraform.',
        'if [ "$MERGED_HAS_CHANGES" = false ]; then',
        '  source=no-changes; dir="$merged"',
        'elif [ "$REVIEWED_OUTCOME" = success ] && [ -f "$reviewed/plan-meta.json" ] &&',
        '   [ "$(jq -r .inputsDigest "$reviewed/plan-meta.json")" = "$MERGED_DIGEST" ]; then',
        '  source=reviewed; dir="$reviewed"',
        'else',
        '  source=stop; dir="$merged"',
        'fi',
        '{',
        '  echo "source=$source"',
        '  echo "plan-path=$dir/$(jq -r .planFile "$dir/plan-meta.json")"',
        '  echo "plan-sha256=$(jq -r .planSha256 "$dir/plan-meta.json")"',
        '  echo "inputs-digest=$(jq -r .inputsDigest "$dir/plan-meta.json")"',
        '} >> "$GITHUB_OUTPUT"',
        'echo "$CLUSTER: applying the $source plan" >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    },
    uploadArtifact(
      PLAN_ARTIFACT,
      PLAN_ARTIFACT_DIR,
      PLAN_RETENTION_DAYS,
      "steps.gate.outputs.source == 'stop'",
    ),
    {
      name: 'Stop for review',
      if: "steps.gate.outputs.source == 'stop'",
      env: { CLUSTER: '${{ matrix.cluster }}', RUN_ID: '${{ github.run_id }}' },
      run: [
        'msg="$CLUSTER: the merged tree differs from the reviewed plan (or none was found), so nothing was applied."',
        'next="Review the new plan (artifact plan-$CLUSTER of run $RUN_ID, shown above), then run the deploy workflow by hand with plan-run-id=$RUN_ID."',
        'printf \'%s\\n\\n%s\\n\' "**$msg**" "$next" >> "$GITHUB_STEP_SUMMARY"',
        'echo "::error::$msg $next"',
        'exit 1',
      ].join('\n'),
    },
    {
      id: 'apply',
      name: 'Apply IAM',
      uses: local('apply-iam'),
      with: {
        cluster: '${{ matrix.cluster }}',
        'plan-path': '${{ steps.gate.outputs.plan-path }}',
        'expected-plan-sha256': '${{ steps.gate.outputs.plan-sha256 }}',
        'expected-inputs-digest': '${{ steps.gate.outputs.inputs-digest }}',
        'gcp-project': '${{ matrix.gcpProject }}',
        'gcp-service-account': '${{ matrix.gcpServiceAccount }}',
      },
    },
    {
      name: 'Keep the outputs for the deploy jobs',
      env: {
        SA_ANNOTATIONS: '${{ steps.apply.outputs.sa-annotations }}',
        HUB_OUTPUTS: '${{ steps.apply.outputs.hub-outputs }}',
      },
      run: [
        'set -euo pipefail',
        'mkdir -p "$RUNNER_TEMP/iam"',
        'jq . <<<"$SA_ANNOTATIONS" > "$RUNNER_TEMP/iam/sa-annotations.json"',
        'jq . <<<"$HUB_OUTPUTS" > "$RUNNER_TEMP/iam/hub-outputs.json"',
      ].join('\n'),
    },
    uploadArtifact('iam-${{ matrix.cluster }}', '${{ runner.temp }}/iam/', 7),
  ],
};

const staging: Job = {
  name: 'staging ${{ matrix.cluster }}',
  needs: ['affected', 'apply-iam'],
  // Each cluster's row checks its own apply (the iam artifact); one cluster's failure does not stop
  // another's. A skipped apply-iam applied nothing anywhere (APPLY_IAM_RAN). `<cluster>-staging`:
  // the applier identity trusts its OIDC subject.
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && ${APPLY_IAM_RAN} && needs.affected.outputs.has-staging == 'true' }}`,
  'runs-on': '${{ matrix.runner }}',
  environment: '${{ matrix.environment }}',
  permissions: CLUSTER_JOB_PERMISSIONS,
  'timeout-minutes': STAGE_TIMEOUT,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.staging) }}' },
  env: IAP_AUDIENCE_ENV,
  steps: [
    checkout(),
    freshnessCheck(),
    ...iamOutputs(),
    ...cloudLogin({ kubeconfig: true, identity: 'applier' }),
    ...deployAndSmoke('staging'),
    ...passedMarker('staging'),
  ],
};

const prod: Job = {
  name: 'prod ${{ matrix.cluster }}',
  // Only the rows prod-gate let through (their cluster's apply and staging passed), so the prod
  // reviewers are never asked to approve a job that can only fail. No status function: it runs only
  // when prod-gate (and so affected) passed.
  needs: ['affected', 'prod-gate'],
  if: "needs.prod-gate.outputs.has-prod == 'true'",
  'runs-on': '${{ matrix.runner }}',
  // `<cluster>-prod`: required reviewers and prod-only secrets are configured on it in GitHub.
  environment: '${{ matrix.environment }}',
  permissions: CLUSTER_JOB_PERMISSIONS,
  'timeout-minutes': STAGE_TIMEOUT,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.prod-gate.outputs.prod) }}' },
  env: IAP_AUDIENCE_ENV,
  steps: [
    checkout(),
    freshnessCheck(),
    ...iamOutputs(),
    ...requireArtifact({
      id: 'staging-gate',
      name: 'staging-passed-${{ matrix.cluster }}',
      dir: 'staging-passed',
      missing: "$CLUSTER's staging hubs did not pass in this run: its prod hubs are left untouched.",
    }).map((s) => ({ ...s, if: 'matrix.afterStaging' })),
    ...cloudLogin({ kubeconfig: true, identity: 'applier' }),
    ...deployAndSmoke('prod'),
    ...passedMarker('prod'),
  ],
};

export const deploy: Workflow = {
  file: 'deploy',
  source: 'deploy.ts',
  name: 'deploy',
  on: {
    // The renderer and the chart table change every hub's output (src/plan/change-plan.ts EVERY_HUB).
    push: { branches: ['main'], paths: ['config/**', 'terraform/**', ...RENDERER_PATHS] },
    workflow_dispatch: {
      inputs: {
        'plan-run-id': {
          description:
            'Run id whose plan-<cluster> artifacts you reviewed (after a deploy stopped for review)',
          required: false,
          type: 'string',
          default: '',
        },
        'deploy-all': {
          description:
            'Deploy every hub (as the hubfleet:deploy-all label does), even when the merged PR carries hubfleet:skip-deploy',
          required: false,
          type: 'boolean',
          default: false,
        },
      },
    },
  },
  permissions: {},
  concurrency: DEPLOY_RUN_CONCURRENCY,
  jobs: {
    affected,
    uninstall,
    'apply-iam': applyIam,
    staging,
    'prod-gate': prodGate,
    prod,
  },
};
