// recreate-cert: an operator recreates a hub's stuck or failed ManagedCertificate (verify-cert
// deletes it and its Ingress, recreates both, and waits for Active), then proves IAP still guards
// the hub. Safe to rerun after a cancel: verify-cert picks up whatever state it finds.
import type { Workflow } from './model.js';
import { local } from './pinned-actions.js';
import { dispatchHubJob, targetJob } from './dispatch-target.js';

export const recreateCert: Workflow = {
  file: 'recreate-cert',
  source: 'recreate-cert.ts',
  name: 'recreate-cert',
  'run-name': 'recreate certificate of ${{ inputs.cluster }}/${{ inputs.hub }}',
  on: {
    workflow_dispatch: {
      inputs: {
        cluster: {
          description:
            'GKE cluster (config/clusters/<cluster>); EKS hubs have ACM certificates, nothing to recreate',
          required: true,
          type: 'string',
        },
        hub: { description: 'Hub on that cluster', required: true, type: 'string' },
      },
    },
  },
  permissions: {},
  jobs: {
    // verify-cert refuses an EKS cluster (its ALB serves an ACM certificate): refused here first.
    target: targetJob({
      gkeOnly: true,
      summary: [
        '{',
        '  echo "### Recreate certificate"',
        '  printf \'%s\\n\' "- hub: \\`$CLUSTER/$HUB\\`" "- requested by: @$ACTOR"',
        '} >> "$GITHUB_STEP_SUMMARY"',
      ],
    }),
    // Deleting, recreating and waiting for Active takes up to ~60 minutes.
    recreate: dispatchHubJob({
      name: 'recreate certificate ${{ matrix.cluster }}/${{ matrix.hub }}',
      timeoutMinutes: 90,
      action: {
        name: 'Recreate the certificate and wait for Active',
        uses: local('verify-cert'),
        with: {
          cluster: '${{ matrix.cluster }}',
          hubs: '${{ matrix.hub }}',
          mode: 'recreate',
          'wait-timeout': '60m',
          // Recreate waits until Compute has deleted the old SslCertificate and re-pins the hub's
          // IAP audience to its new backend service: both read the Compute API (decisions 0022, 0023).
          'gcp-access-token': '${{ steps.gcp-auth.outputs.access_token }}',
        },
      },
    }),
  },
};
