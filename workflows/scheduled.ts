// scheduled: the fleet's health checks, each reporting through its issue upsert (one issue per
// broken thing, updated not duplicated, closed when healthy).
//   drift        daily        plan-cluster mode=drift per cluster
//   certificates every 6 h    verify-cert mode=check for every hub (expiring, failed, stuck)
//   iap          hourly       smoke-iap for every hub (exposed or down)
//   health       daily        hub-health for every hub (a server start per hub: unhealthy)
import type { Job, Workflow } from './model.js';
import { local } from './pinned-actions.js';
import {
  checkout,
  cloudLogin,
  GITHUB_HOSTED,
  hubHealth,
  iapSmoke,
  IAP_AUDIENCE_ENV,
  installHubfleet,
} from './steps.js';

export const SCHEDULES = {
  drift: '23 4 * * *',
  certificates: '41 */6 * * *',
  iap: '7 * * * *',
  // A server start per hub per run: daily by default; a fleet changes the cadence here.
  health: '37 5 * * *',
} as const;

type Check = keyof typeof SCHEDULES;

const runs = (check: Check): string =>
  `github.event.schedule == '${SCHEDULES[check]}' || inputs.check == 'all' || inputs.check == '${check}'`;

/**
 * One job per cluster of `rows`: every cluster, or (`gke`) the GKE clusters only, for the checks of
 * what exists only there (ManagedCertificates). An empty matrix fails the whole workflow, so a job
 * runs only when its rows exist: has-clusters (a fleet may have no cluster yet), has-gke.
 */
function clusterJob(
  check: Check,
  job: Pick<Job, 'name' | 'timeout-minutes' | 'steps' | 'env'>,
  rows: 'all' | 'gke' = 'all',
): Job {
  return {
    ...job,
    needs: ['targets'],
    if: `(${runs(check)}) && needs.targets.outputs.${rows === 'gke' ? 'has-gke' : 'has-clusters'} == 'true'`,
    'runs-on': '${{ matrix.runner }}',
    // issues: write for the issue upsert; id-token: write for the cloud login.
    permissions: { contents: 'read', 'id-token': 'write', issues: 'write' },
    strategy: {
      'fail-fast': false,
      expression: `\${{ fromJSON(needs.targets.outputs.${rows === 'gke' ? 'gke-clusters' : 'clusters'}) }}`,
    },
  };
}

export const scheduled: Workflow = {
  file: 'scheduled',
  source: 'scheduled.ts',
  name: 'scheduled',
  on: {
    schedule: [
      { cron: SCHEDULES.drift },
      { cron: SCHEDULES.certificates },
      { cron: SCHEDULES.iap },
      { cron: SCHEDULES.health },
    ],
    workflow_dispatch: {
      inputs: {
        check: {
          description: 'Which check to run now',
          required: true,
          type: 'choice',
          options: ['all', 'drift', 'certificates', 'iap', 'health'],
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
      permissions: { contents: 'read' },
      'timeout-minutes': 10,
      outputs: {
        clusters: '${{ steps.targets.outputs.clusters }}',
        'has-clusters': '${{ steps.targets.outputs.has-clusters }}',
        'gke-clusters': '${{ steps.targets.outputs.gke-clusters }}',
        'has-gke': '${{ steps.targets.outputs.has-gke }}',
      },
      steps: [
        checkout(),
        ...installHubfleet(),
        {
          id: 'targets',
          name: 'Every cluster of the fleet',
          run: 'node bin/hubfleet.js targets --github-output',
        },
      ],
    },
    drift: clusterJob('drift', {
      name: 'drift ${{ matrix.cluster }}',
      'timeout-minutes': 45,
      steps: [
        checkout(),
        ...cloudLogin({ kubeconfig: false }),
        {
          name: 'Plan for drift',
          uses: local('plan-cluster'),
          with: { cluster: '${{ matrix.cluster }}', mode: 'drift' },
        },
      ],
    }),
    certificates: clusterJob(
      'certificates',
      {
        name: 'certificates ${{ matrix.cluster }}',
        'timeout-minutes': 30,
        steps: [
          checkout(),
          ...cloudLogin({ kubeconfig: true }),
          {
            name: 'Check every certificate',
            uses: local('verify-cert'),
            with: { cluster: '${{ matrix.cluster }}', hubs: 'all', mode: 'check', 'report-issues': true },
          },
        ],
      },
      'gke',
    ),
    iap: clusterJob('iap', {
      name: 'iap ${{ matrix.cluster }}',
      env: IAP_AUDIENCE_ENV,
      'timeout-minutes': 20,
      steps: [
        checkout(),
        ...cloudLogin({ kubeconfig: true }),
        ...iapSmoke({ name: 'Smoke-test every hub through IAP', hubs: 'all' }, { 'report-issues': true }),
      ],
    }),
    health: clusterJob('health', {
      name: 'health ${{ matrix.cluster }}',
      env: IAP_AUDIENCE_ENV,
      'timeout-minutes': 90,
      steps: [
        checkout(),
        ...cloudLogin({ kubeconfig: true }),
        ...hubHealth({ name: 'Health-check every hub', hubs: 'all' }, { 'report-issues': true }),
      ],
    }),
  },
};
