// deploy: a merge to main. affected (a hub file deleted without hubfleet:remove-hub stops the run
// here) → uninstall the hubs whose files were deleted with that label → apply-iam per cluster
// (exactly the reviewed plan) → deploy the staging hubs → smoke-iap → deploy the prod hubs in
// `<cluster>-prod` where that cluster's staging passed → smoke-iap → wait for the certificates.
// Every job that touches a cluster is in that cluster's concurrency group and never cancels one in
// progress; later deploys queue.
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

export const clusterConcurrency: Concurrency = {
  group: 'hubfleet-deploy-${{ matrix.cluster }}',
  'cancel-in-progress': false,
};

const CLUSTER_JOB_PERMISSIONS = { contents: 'read', 'id-token': 'write' } as const;

/**
 * Part of every `if:` that runs a job after a failure elsewhere (`!cancelled()`): a failed affected
 * job still hands on its outputs, so without this a refused change would be applied anyway.
 */
const AFFECTED_PASSED = "needs.affected.result == 'success'";

/**
 * Part of the stage jobs' `if:`. apply-iam is skipped when the run stopped before it (a failed or
 * rejected uninstall): no cluster has its iam artifact, so every stage row could only fail, and a
 * prod row would first ask the prod reviewers to approve it. Not `== 'success'`: one cluster's
 * failed apply must not stop another cluster's stages (each row checks its own artifact).
 */
const APPLY_IAM_RAN = "needs.apply-iam.result != 'skipped'";

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
      with: { name: options.name, path: `\${{ runner.temp }}/${options.dir}` },
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
      { attempts: '${{ matrix.smokeAttempts }}', 'retry-budget': '${{ matrix.smokeRetryBudget }}' },
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
    certificates: '${{ steps.affected.outputs.certificates }}',
    'has-certificates': '${{ steps.affected.outputs.has-certificates }}',
    uninstall: '${{ steps.affected.outputs.uninstall }}',
    'has-uninstall': '${{ steps.affected.outputs.has-uninstall }}',
    'plan-run-id': '${{ steps.source.outputs.plan-run-id }}',
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
        'pr=$(gh api "repos/$REPO/commits/$PUSHED_SHA/pulls" --jq \'[.[] | select(.merged_at != null)][0] // {}\')',
        'pr_number=$(jq -r \'.number // empty\' <<<"$pr")',
        'pr_head=$(jq -r \'.head.sha // empty\' <<<"$pr")',
        'labels=$(jq -r \'[.labels[]?.name] | join(",")\' <<<"$pr")',
        'if [ "$DISPATCH_DEPLOY_ALL" = true ]; then',
        "  # Asked for by hand for this run: the merged PR's hubfleet:skip-deploy, which wins over",
        '  # deploy-all in the planner, would turn the request into a run that deploys nothing.',
        '  labels=$(jq -r \'[.labels[]?.name | select(. != "hubfleet:skip-deploy" and . != "hubfleet:deploy-all")] + ["hubfleet:deploy-all"] | join(",")\' <<<"$pr")',
        'fi',
        'plan_run=""',
        'if [ -n "$DISPATCH_PLAN_RUN" ]; then',
        '  [[ "$DISPATCH_PLAN_RUN" =~ ^[0-9]+$ ]] || { echo "::error::plan-run-id must be a run id (digits)"; exit 1; }',
        '  plan_run="$DISPATCH_PLAN_RUN"',
        'elif [ -n "$pr_head" ]; then',
        '  plan_run=$(gh api "repos/$REPO/actions/workflows/hub-pr.yml/runs?event=pull_request&head_sha=$pr_head&per_page=1" \\',
        "    --jq '.workflow_runs[0].id // empty')",
        'fi',
        '{',
        '  echo "base=$base"',
        '  echo "labels=$labels"',
        '  echo "pr-number=$pr_number"',
        '  echo "plan-run-id=$plan_run"',
        '} >> "$GITHUB_OUTPUT"',
        '{',
        '  echo "### Deploy source"',
        '  echo "- changes since: \\`$base\\`"',
        '  echo "- merged PR: ${pr_number:-none}; labels: ${labels:-none}"',
        '  echo "- reviewed plans from run: ${plan_run:-none (every cluster is re-planned and stops for review if it changes)}"',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ].join('\n'),
    },
    {
      id: 'affected',
      name: 'Affected clusters and hubs',
      env: { BASE_SHA: '${{ steps.source.outputs.base }}', LABELS: '${{ steps.source.outputs.labels }}' },
      // A merged hub-file deletion without hubfleet:remove-hub stops the deploy here, before any
      // job touches a cluster (src/plan/removal-gate.ts). The base stays at the last good deploy,
      // so every later deploy stops here too until a merged PR carries the label or restores the file.
      run: affectedScript(),
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
  permissions: CLUSTER_JOB_PERMISSIONS,
  'timeout-minutes': '${{ matrix.timeoutMinutes }}',
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.uninstall) }}' },
  steps: [
    checkout(),
    ...cloudLogin({ kubeconfig: true }),
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
  // After the uninstall job, which is skipped when nothing is removed. A failed (or rejected)
  // uninstall stops every apply of the run: the reviewed plan of that cluster destroys the hub's
  // DNS, IAP access and identity and then cannot release the static IP the still-installed hub
  // uses, and a matrix job cannot tell which cluster's row failed. "Re-run failed jobs" resumes the
  // chain from the uninstall. `!cancelled()` alone would also run after a failed affected job, whose
  // outputs are still set: a refused removal (--refuse-unlabelled-removals) writes them before it
  // fails. So affected itself must have passed.
  needs: ['affected', 'uninstall'],
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && needs.uninstall.result != 'failure' && needs.affected.outputs.has-clusters == 'true' }}`,
  'runs-on': '${{ matrix.runner }}',
  // actions: read downloads the reviewed plan from the PR's run.
  permissions: { contents: 'read', 'id-token': 'write', actions: 'read' },
  'timeout-minutes': 60,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.clusters) }}' },
  steps: [
    checkout(),
    ...cloudLogin({ kubeconfig: false }),
    {
      id: 'reviewed-download',
      name: 'Download the reviewed plan',
      if: "needs.affected.outputs.plan-run-id != ''",
      'continue-on-error': true,
      uses: pinned('downloadArtifact'),
      with: {
        name: PLAN_ARTIFACT,
        path: '${{ runner.temp }}/reviewed-plan',
        'run-id': '${{ needs.affected.outputs.plan-run-id }}',
        'github-token': '${{ github.token }}',
      },
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
  // another's. A skipped apply-iam applied nothing anywhere (APPLY_IAM_RAN).
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
    ...iamOutputs(),
    ...cloudLogin({ kubeconfig: true }),
    ...deployAndSmoke('staging'),
    ...passedMarker('staging'),
  ],
};

const prod: Job = {
  name: 'prod ${{ matrix.cluster }}',
  needs: ['affected', 'apply-iam', 'staging'],
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && ${APPLY_IAM_RAN} && needs.affected.outputs.has-prod == 'true' }}`,
  'runs-on': '${{ matrix.runner }}',
  // `<cluster>-prod`: required reviewers and prod-only secrets are configured on it in GitHub.
  environment: '${{ matrix.environment }}',
  permissions: CLUSTER_JOB_PERMISSIONS,
  'timeout-minutes': STAGE_TIMEOUT,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.prod) }}' },
  env: IAP_AUDIENCE_ENV,
  steps: [
    checkout(),
    ...iamOutputs(),
    ...requireArtifact({
      id: 'staging-gate',
      name: 'staging-passed-${{ matrix.cluster }}',
      dir: 'staging-passed',
      missing: "$CLUSTER's staging hubs did not pass in this run: its prod hubs are left untouched.",
    }).map((s) => ({ ...s, if: 'matrix.afterStaging' })),
    ...cloudLogin({ kubeconfig: true }),
    ...deployAndSmoke('prod'),
    ...passedMarker('prod'),
  ],
};

const certificates: Job = {
  name: 'certificates ${{ matrix.cluster }}',
  needs: ['affected', 'staging', 'prod'],
  if: `\${{ !cancelled() && ${AFFECTED_PASSED} && needs.affected.outputs.has-certificates == 'true' }}`,
  'runs-on': '${{ matrix.runner }}',
  permissions: CLUSTER_JOB_PERMISSIONS,
  // verify-cert waits up to 60 minutes (a new ManagedCertificate can take that long).
  'timeout-minutes': 75,
  concurrency: clusterConcurrency,
  strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.affected.outputs.certificates) }}' },
  steps: [
    checkout(),
    ...['staging', 'prod'].map((stage): Step => ({
      id: `${stage}-passed`,
      name: `Did ${stage} pass?`,
      'continue-on-error': true,
      uses: pinned('downloadArtifact'),
      with: { name: `${stage}-passed-\${{ matrix.cluster }}`, path: `\${{ runner.temp }}/${stage}-passed` },
    })),
    {
      id: 'deployed',
      name: 'Hubs deployed in this run',
      env: {
        STAGING_HUBS: '${{ matrix.stagingHubs }}',
        PROD_HUBS: '${{ matrix.prodHubs }}',
        STAGING_PASSED: '${{ steps.staging-passed.outcome }}',
        PROD_PASSED: '${{ steps.prod-passed.outcome }}',
      },
      run: [
        '# Wait only for certificates of stages that deployed: a hub that never reached the cluster',
        '# has no certificate to wait for.',
        'hubs=()',
        'if [ "$STAGING_PASSED" = success ] && [ -n "$STAGING_HUBS" ]; then hubs+=("$STAGING_HUBS"); fi',
        'if [ "$PROD_PASSED" = success ] && [ -n "$PROD_HUBS" ]; then hubs+=("$PROD_HUBS"); fi',
        'list=$(IFS=,; echo "${hubs[*]}")',
        'echo "hubs=$list" >> "$GITHUB_OUTPUT"',
        'echo "certificates to wait for: ${list:-none}"',
      ].join('\n'),
    },
    ...cloudLogin({ kubeconfig: true }).map((s) => ({
      ...s,
      if: `steps.deployed.outputs.hubs != '' && ${s.if ?? 'true'}`,
    })),
    {
      name: 'Wait for the certificates',
      if: "steps.deployed.outputs.hubs != ''",
      uses: local('verify-cert'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: '${{ steps.deployed.outputs.hubs }}',
        mode: 'wait',
        'wait-timeout': '60m',
      },
    },
  ],
};

export const deploy: Workflow = {
  file: 'deploy',
  source: 'deploy.ts',
  name: 'deploy',
  on: {
    push: { branches: ['main'], paths: ['config/**', 'terraform/**'] },
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
  jobs: {
    affected,
    uninstall,
    'apply-iam': applyIam,
    staging,
    prod,
    certificates,
  },
};
