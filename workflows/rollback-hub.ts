// rollback-hub: an operator rolls a hub back to its previous helm revision (deploy-hub
// mode=rollback), then proves IAP still guards it. Who asked and why go into the job summary.
import type { Workflow } from './model.js';
import { local } from './pinned-actions.js';
import { dispatchHubJob, targetJob } from './dispatch-target.js';

export const rollbackHub: Workflow = {
  file: 'rollback-hub',
  source: 'rollback-hub.ts',
  name: 'rollback-hub',
  'run-name': 'roll back ${{ inputs.cluster }}/${{ inputs.hub }}',
  on: {
    workflow_dispatch: {
      inputs: {
        cluster: { description: 'Cluster (config/clusters/<cluster>)', required: true, type: 'string' },
        hub: { description: 'Hub on that cluster', required: true, type: 'string' },
        reason: { description: 'Why (goes into the run summary)', required: true, type: 'string' },
      },
    },
  },
  permissions: {},
  jobs: {
    target: targetJob({
      env: { REASON: '${{ inputs.reason }}' },
      summary: [
        'if [ -z "${REASON//[[:space:]]/}" ]; then',
        '  echo "::error::a reason is required for a rollback"',
        '  exit 1',
        'fi',
        '{',
        '  echo "### Roll back a hub"',
        '  printf \'%s\\n\' "- hub: \\`$CLUSTER/$HUB\\`" "- requested by: @$ACTOR" "- reason:" ""',
        "  printf '%s\\n' \"$REASON\" | sed 's/^/> /'",
        '} >> "$GITHUB_STEP_SUMMARY"',
      ],
    }),
    rollback: dispatchHubJob({
      name: 'roll back ${{ matrix.cluster }}/${{ matrix.hub }}',
      timeoutMinutes: 45,
      action: {
        name: 'Roll back to the previous revision',
        uses: local('deploy-hub'),
        with: {
          cluster: '${{ matrix.cluster }}',
          hub: '${{ matrix.hub }}',
          mode: 'rollback',
          'gcp-access-token': '${{ steps.gcp-auth.outputs.access_token }}',
        },
      },
    }),
  },
};
