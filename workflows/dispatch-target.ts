// The first job of a manual run: checks the requested cluster and hub against the fleet before
// anything touches a cluster, and hands later jobs the row from the config, not the typed text.
import { clusterConcurrency } from './deploy.js';
import type { Job, Step } from './model.js';
import { checkout, cloudLogin, GITHUB_HOSTED, IAP_AUDIENCE_ENV, iapSmoke, installHubfleet } from './steps.js';

/**
 * `gkeOnly`: the run's action works on GKE clusters only (verify-cert), so a hub on another cluster
 * is refused here, before the hub job waits for its Environment's reviewers and logs in.
 */
export function targetJob(options: {
  summary: string[];
  env?: Record<string, string>;
  gkeOnly?: boolean;
}): Job {
  return {
    name: 'check the target against the fleet',
    'runs-on': GITHUB_HOSTED,
    permissions: { contents: 'read' },
    'timeout-minutes': 10,
    outputs: { hub: '${{ steps.target.outputs.hub }}' },
    steps: [
      checkout(),
      ...installHubfleet(),
      {
        id: 'target',
        name: 'Validate cluster and hub',
        env: { CLUSTER: '${{ inputs.cluster }}', HUB: '${{ inputs.hub }}' },
        run: `node bin/hubfleet.js targets --cluster "$CLUSTER" --hub "$HUB"${options.gkeOnly === true ? ' --gke-only' : ''} --github-output`,
      },
      {
        name: 'Who asked, and why',
        env: {
          CLUSTER: '${{ inputs.cluster }}',
          HUB: '${{ inputs.hub }}',
          ACTOR: '${{ github.triggering_actor }}',
          ...options.env,
        },
        run: options.summary.join('\n'),
      },
    ],
  };
}

/**
 * The job a manual run does on the validated hub: on the cluster's runner and environment, in its
 * concurrency group, one action step between the cloud login and the IAP smoke test.
 */
export function dispatchHubJob(options: { name: string; timeoutMinutes: number; action: Step }): Job {
  return {
    name: options.name,
    needs: ['target'],
    'runs-on': '${{ matrix.runner }}',
    environment: '${{ matrix.environment }}',
    permissions: { contents: 'read', 'id-token': 'write' },
    'timeout-minutes': options.timeoutMinutes,
    concurrency: clusterConcurrency,
    strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.target.outputs.hub) }}' },
    env: IAP_AUDIENCE_ENV,
    steps: [
      checkout(),
      ...cloudLogin({ kubeconfig: true, identity: 'applier' }),
      options.action,
      // The applier's token: smoke-iap also checks the pinned audience against the live backend
      // service (decision 0081), which a recreate or rollback has just re-established.
      ...iapSmoke(
        { name: 'Smoke-test through IAP', hubs: '${{ matrix.hub }}' },
        { 'gcp-access-token': '${{ steps.gcp-auth.outputs.access_token }}' },
      ),
    ],
  };
}
