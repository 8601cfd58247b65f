// recreate-cert: an operator recreates a hub's stuck or failed ManagedCertificate (verify-cert
// deletes it and its Ingress, recreates both, and waits for Active), then proves IAP still guards
// the hub. Safe to rerun after a cancel: verify-cert picks up whatever state it finds.
import type { Workflow } from './model.js';
import { local } from './pinned-actions.js';
import { checkout, cloudLogin, iapIdToken, IAP_AUDIENCE_ENV } from './steps.js';
import { clusterConcurrency } from './deploy.js';
import { targetJob } from './dispatch-target.js';

export const recreateCert: Workflow = {
  file: 'recreate-cert',
  source: 'recreate-cert.ts',
  name: 'recreate-cert',
  'run-name': 'recreate certificate of ${{ inputs.cluster }}/${{ inputs.hub }}',
  on: {
    workflow_dispatch: {
      inputs: {
        cluster: { description: 'Cluster (config/clusters/<cluster>)', required: true, type: 'string' },
        hub: { description: 'Hub on that cluster', required: true, type: 'string' },
      },
    },
  },
  permissions: {},
  jobs: {
    target: targetJob({
      summary: [
        '{',
        '  echo "### Recreate certificate"',
        '  printf \'%s\\n\' "- hub: \\`$CLUSTER/$HUB\\`" "- requested by: @$ACTOR"',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ],
    }),
    recreate: {
      name: 'recreate certificate ${{ matrix.cluster }}/${{ matrix.hub }}',
      needs: ['target'],
      'runs-on': '${{ matrix.runner }}',
      environment: '${{ matrix.environment }}',
      permissions: { contents: 'read', 'id-token': 'write' },
      // Deleting, recreating and waiting for Active takes up to ~60 minutes.
      'timeout-minutes': 90,
      concurrency: clusterConcurrency,
      strategy: { 'fail-fast': false, expression: '${{ fromJSON(needs.target.outputs.hub) }}' },
      env: IAP_AUDIENCE_ENV,
      steps: [
        checkout(),
        ...cloudLogin({ kubeconfig: true }),
        {
          name: 'Recreate the certificate and wait for Active',
          uses: local('verify-cert'),
          with: {
            cluster: '${{ matrix.cluster }}',
            hubs: '${{ matrix.hub }}',
            mode: 'recreate',
            'wait-timeout': '60m',
          },
        },
        iapIdToken(),
        {
          name: 'Smoke-test through IAP',
          uses: local('smoke-iap'),
          with: {
            cluster: '${{ matrix.cluster }}',
            hubs: '${{ matrix.hub }}',
            'id-token': '${{ steps.iap-token.outputs.id_token }}',
          },
        },
      ],
    },
  },
};
