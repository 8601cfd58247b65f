// scheduled: the fleet's health checks, each reporting through its issue upsert (one issue per
// broken thing, updated not duplicated, closed when healthy).
//   drift        daily        plan-cluster mode=drift per cluster
//   certificates every 6 h    verify-cert mode=check for every hub (expiring, failed, stuck)
//   iap          hourly       smoke-iap for every hub (exposed or down)
//   health       daily        hub-health for every hub (a server start per hub: unhealthy)
//   doctor       daily        `hubfleet doctor` per cluster, after the drift plan (src/doctor)
//   images       daily        copy every image into the cluster's images.mirror (opt-in: mirror-images.ts)
// While a deploy run is in progress the IAP check still runs (and fails on an exposure) but updates
// no issue: a hub the deploy is rolling would otherwise get a `down:` issue. The daily keepalive
// re-enables this workflow: GitHub disables the schedules of a public repository after 60 days
// without activity (docs, "Disabling and enabling a workflow").
import type { Job, Workflow } from './model.js';
import { local } from './pinned-actions.js';
import { MIRROR_ENVIRONMENT, mirrorSteps } from './mirror-images.js';
import {
  checkout,
  cloudLogin,
  GITHUB_HOSTED,
  hubHealth,
  iapSmoke,
  PLANNER_ACCESS_TOKEN,
  plannerAccessToken,
  IAP_AUDIENCE_ENV,
  installHubfleet,
} from './steps.js';
import { SCHEDULES } from './schedules.js';

export { OTHER_CHECK_SCHEDULES, SCHEDULES } from './schedules.js';

type Check = keyof typeof SCHEDULES;
type Schedules = Readonly<Record<Check, string>>;

/** A scheduled run succeeds at least hourly (the IAP check); this long without one is noticed. */
export const SCHEDULE_STALE_HOURS = 26;

/**
 * `hubfleet doctor` for one cluster, on its in-VPC runner as the planner: the checklist goes to
 * the log and the job summary, and a failed check fails the job. On GKE the planner's access token
 * comes from gcloud (google-github-actions/auth's credentials file; direct Workload Identity
 * Federation has no access_token output) and is masked first. The job's GITHUB_TOKEN cannot list
 * secrets or runners, so those checks say "skipped" here; a person runs doctor with a wider token.
 */
export const DOCTOR_SCRIPT = [
  'set -uo pipefail',
  'if [ "$PROVIDER" = gcp ]; then',
  '  HUBFLEET_GCP_ACCESS_TOKEN="$(gcloud auth print-access-token)" || exit 1',
  '  echo "::add-mask::$HUBFLEET_GCP_ACCESS_TOKEN"',
  '  export HUBFLEET_GCP_ACCESS_TOKEN',
  'fi',
  'status=0',
  'out=$(node bin/hubfleet.js doctor --cluster "$CLUSTER") || status=$?',
  'printf \'%s\\n\' "$out"',
  'printf \'### doctor %s\\n```\\n%s\\n```\\n\' "$CLUSTER" "$out" >> "$GITHUB_STEP_SUMMARY"',
  'exit "$status"',
].join('\n');

/**
 * For a job outside the scheduled workflow (deploy's affected job): warns when the scheduled
 * workflow has not succeeded for SCHEDULE_STALE_HOURS, or is disabled (GitHub disables the
 * schedules of a public repository after 60 days without activity, and the keepalive job cannot
 * run once they are). Needs GH_TOKEN, REPO and `actions: read`.
 */
export const SCHEDULE_AGE_SCRIPT = [
  'set -euo pipefail',
  'state=$(gh api "repos/$REPO/actions/workflows/scheduled.yml" --jq .state)',
  'last=$(gh api "repos/$REPO/actions/workflows/scheduled.yml/runs?status=success&per_page=1" --jq \'.workflow_runs[0].updated_at // empty\')',
  'now=$(date -u +%s)',
  'age=""',
  'if [ -n "$last" ]; then age=$(( (now - $(date -u -d "$last" +%s)) / 3600 )); fi',
  'if [ "$state" != active ]; then',
  '  echo "::warning::the scheduled checks are $state: drift, certificates and IAP exposure are not being checked. Enable the workflow (Actions → scheduled → Enable workflow)."',
  `elif [ -z "$age" ] || [ "$age" -ge ${SCHEDULE_STALE_HOURS} ]; then`,
  '  echo "::warning::the scheduled checks have not succeeded for ${age:-ever} hours (last success: ${last:-never}); look at Actions → scheduled."',
  'fi',
  'echo "- scheduled checks: $state, last success ${last:-never}" >> "$GITHUB_STEP_SUMMARY"',
].join('\n');

/**
 * deploying=true while a run of deploy.yml is queued, waiting (for an Environment's reviewers) or in
 * progress (the targets job has `actions: read` for it).
 */
export const DEPLOYING_SCRIPT = [
  'set -euo pipefail',
  'deploying=false',
  'for status in in_progress queued waiting pending; do',
  '  n=$(gh api "repos/$REPO/actions/workflows/deploy.yml/runs?status=$status&per_page=1" --jq \'.total_count\')',
  '  if [ "$n" -gt 0 ]; then deploying=true; fi',
  'done',
  'echo "deploying=$deploying" >> "$GITHUB_OUTPUT"',
  'if [ "$deploying" = true ]; then',
  '  echo "A deploy is running: the IAP check updates no issue this time (a hub being rolled is not down)." >> "$GITHUB_STEP_SUMMARY"',
  'fi',
].join('\n');

const runs = (schedules: Schedules, check: Check): string =>
  `github.event.schedule == '${schedules[check]}' || inputs.check == 'all' || inputs.check == '${check}'`;

/** The targets job's outputs for each set of rows (`hubfleet targets --github-output`). */
const ROWS = {
  all: { has: 'has-clusters', matrix: 'clusters' },
  gke: { has: 'has-gke', matrix: 'gke-clusters' },
  mirror: { has: 'has-mirror', matrix: 'mirror-clusters' },
} as const;
type Rows = keyof typeof ROWS;

/**
 * One job per cluster of `rows`: every cluster, or (`gke`) the GKE clusters only, for the checks of
 * what exists only there (ManagedCertificates), or (`mirror`) the clusters with images.mirror. An
 * empty matrix fails the whole workflow, so a job runs only when its rows exist: has-clusters (a
 * fleet may have no cluster yet), has-gke, has-mirror.
 */
function clusterJob(
  schedules: Schedules,
  check: Check,
  job: Pick<Job, 'name' | 'timeout-minutes' | 'steps' | 'env'>,
  rows: Rows = 'all',
): Job {
  const { has, matrix } = ROWS[rows];
  return {
    ...job,
    needs: ['targets'],
    if: `(${runs(schedules, check)}) && needs.targets.outputs.${has} == 'true'`,
    'runs-on': '${{ matrix.runner }}',
    // issues: write for the issue upsert; id-token: write for the cloud login.
    permissions: { contents: 'read', 'id-token': 'write', issues: 'write' },
    strategy: {
      'fail-fast': false,
      expression: `\${{ fromJSON(needs.targets.outputs.${matrix}) }}`,
    },
  };
}

/** doctor reads the cluster's Environments (REST "Get an environment": Actions read). */
function withDoctorPermissions(job: Job): Job {
  return { ...job, permissions: { ...job.permissions, actions: 'read' } };
}

/** The scheduled workflow with the fleet's health cadence (config/fleet.yaml; default SCHEDULES.health). */
export function scheduledWorkflow(fleet: { healthSchedule?: string } = {}): Workflow {
  const schedules: Schedules = { ...SCHEDULES, health: fleet.healthSchedule ?? SCHEDULES.health };
  return {
    file: 'scheduled',
    source: 'scheduled.ts',
    name: 'scheduled',
    on: {
      schedule: [
        { cron: schedules.drift },
        { cron: schedules.certificates },
        { cron: schedules.iap },
        { cron: schedules.health },
        { cron: schedules.images },
      ],
      workflow_dispatch: {
        inputs: {
          check: {
            description: 'Which check to run now',
            required: true,
            type: 'choice',
            options: ['all', 'drift', 'certificates', 'iap', 'health', 'images'],
            default: 'all',
          },
        },
      },
    },
    permissions: {},
    // A check still running when its next slot comes is not cut short; the next one waits.
    concurrency: {
      group: 'scheduled-${{ github.event.schedule || inputs.check }}',
      'cancel-in-progress': false,
    },
    jobs: {
      targets: {
        name: 'clusters',
        'runs-on': GITHUB_HOSTED,
        // actions: read lists the deploy workflow's runs.
        permissions: { contents: 'read', actions: 'read' },
        'timeout-minutes': 10,
        outputs: {
          clusters: '${{ steps.targets.outputs.clusters }}',
          'has-clusters': '${{ steps.targets.outputs.has-clusters }}',
          'gke-clusters': '${{ steps.targets.outputs.gke-clusters }}',
          'has-gke': '${{ steps.targets.outputs.has-gke }}',
          'mirror-clusters': '${{ steps.targets.outputs.mirror-clusters }}',
          'has-mirror': '${{ steps.targets.outputs.has-mirror }}',
          deploying: '${{ steps.deploying.outputs.deploying }}',
        },
        steps: [
          checkout(),
          ...installHubfleet(),
          {
            id: 'targets',
            name: 'Every cluster of the fleet',
            run: 'node bin/hubfleet.js targets --github-output',
          },
          {
            id: 'deploying',
            name: 'Is a deploy running?',
            env: { GH_TOKEN: '${{ github.token }}', REPO: '${{ github.repository }}' },
            run: DEPLOYING_SCRIPT,
          },
        ],
      },
      keepalive: {
        name: 'keep the schedules enabled',
        if: "github.event.schedule == '" + schedules.drift + "'",
        'runs-on': GITHUB_HOSTED,
        // actions: write for the enable endpoint (REST "Enable a workflow").
        permissions: { actions: 'write' },
        'timeout-minutes': 5,
        steps: [
          {
            name: 'Re-enable this workflow',
            env: { GH_TOKEN: '${{ github.token }}', REPO: '${{ github.repository }}' },
            run: 'gh api -X PUT "repos/$REPO/actions/workflows/scheduled.yml/enable"',
          },
        ],
      },
      drift: withDoctorPermissions(
        clusterJob(schedules, 'drift', {
          name: 'drift ${{ matrix.cluster }}',
          'timeout-minutes': 45,
          steps: [
            checkout(),
            ...cloudLogin({ kubeconfig: false, identity: 'planner' }),
            {
              name: 'Plan for drift',
              uses: local('plan-cluster'),
              with: { cluster: '${{ matrix.cluster }}', mode: 'drift' },
            },
            // After the plan, and also when it failed: the checklist often says why.
            ...installHubfleet().map((step) => ({ ...step, if: '!cancelled()' })),
            {
              name: 'Doctor: is everything a run needs in place?',
              if: '!cancelled()',
              env: {
                CLUSTER: '${{ matrix.cluster }}',
                PROVIDER: '${{ matrix.provider }}',
                GITHUB_TOKEN: '${{ github.token }}',
              },
              run: DOCTOR_SCRIPT,
            },
          ],
        }),
      ),
      certificates: clusterJob(
        schedules,
        'certificates',
        {
          name: 'certificates ${{ matrix.cluster }}',
          'timeout-minutes': 30,
          steps: [
            checkout(),
            ...cloudLogin({ kubeconfig: true, identity: 'planner' }),
            {
              name: 'Check every certificate',
              uses: local('verify-cert'),
              with: { cluster: '${{ matrix.cluster }}', hubs: 'all', mode: 'check', 'report-issues': true },
            },
          ],
        },
        'gke',
      ),
      iap: clusterJob(schedules, 'iap', {
        name: 'iap ${{ matrix.cluster }}',
        env: IAP_AUDIENCE_ENV,
        'timeout-minutes': 20,
        steps: [
          checkout(),
          ...cloudLogin({ kubeconfig: true, identity: 'planner' }),
          plannerAccessToken(),
          ...iapSmoke(
            { name: 'Smoke-test every hub through IAP', hubs: 'all' },
            {
              'report-issues': "${{ needs.targets.outputs.deploying != 'true' }}",
              'gcp-access-token': PLANNER_ACCESS_TOKEN,
            },
          ),
        ],
      }),
      health: clusterJob(schedules, 'health', {
        name: 'health ${{ matrix.cluster }}',
        env: IAP_AUDIENCE_ENV,
        'timeout-minutes': 90,
        steps: [
          checkout(),
          // The planner: the check reads only the health service's token Secret in each hub namespace.
          ...cloudLogin({ kubeconfig: true, identity: 'planner' }),
          ...hubHealth(
            { name: 'Health-check every hub', hubs: 'all' },
            // As the IAP check: while a deploy rolls hubs, a slow start is no reason for an issue.
            { 'report-issues': "${{ needs.targets.outputs.deploying != 'true' }}" },
          ),
        ],
      }),
      // A cluster opts in by setting images.mirror in its cluster.yaml (decision 0060).
      images: {
        ...clusterJob(
          schedules,
          'images',
          {
            name: 'images ${{ matrix.cluster }}',
            'timeout-minutes': 60,
            steps: [
              checkout(),
              ...installHubfleet(),
              // Pushing to the mirror needs write access: the applier, inside the apply Environment.
              ...cloudLogin({ kubeconfig: false, identity: 'applier' }),
              ...mirrorSteps(),
            ],
          },
          'mirror',
        ),
        environment: MIRROR_ENVIRONMENT,
        permissions: { contents: 'read', 'id-token': 'write' },
      },
    },
  };
}

export const scheduled: Workflow = scheduledWorkflow();
