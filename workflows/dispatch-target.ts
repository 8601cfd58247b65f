// The first job of a manual run: checks the requested cluster and hub against the fleet before
// anything touches a cluster, and hands later jobs the row from the config, not the typed text.
import type { Job } from './model.js';
import { checkout, GITHUB_HOSTED, installHubfleet } from './steps.js';

export function targetJob(options: { summary: string[]; env?: Record<string, string> }): Job {
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
        run: 'node bin/hubfleet.js targets --cluster "$CLUSTER" --hub "$HUB" --github-output',
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
