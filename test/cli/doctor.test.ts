// `hubfleet doctor` end to end: the real command and adapters against the Google, DNS-over-HTTPS
// and GitHub doubles (test/support), pointed at them by the environment variables a person sets.
// Each check passes on the healthy setup, and fails (or is skipped) with its exact message when one
// thing is broken.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { main, type CliIo } from '../../src/cli.js';
import { REQUIRED_GCP_APIS } from '../../src/doctor/gcp-checks.js';
import type { CheckResult } from '../../src/doctor/model.js';
import { gcpStaticIpName } from '../../src/render/names.js';
import { startAwsDouble } from '../support/aws-setup-double.js';
import { type DohDouble, startDohDouble } from '../support/doh-double.js';
import { type GoogleDouble, startGoogleDouble } from '../support/google-apis-double.js';
import { type GitHubSettingsDouble, startGitHubSettingsDouble } from '../support/github-settings-double.js';
import { runInProcess } from '../support/cli-runs.js';

const REPO = 'example-org/fleet';
const GOOGLE_TOKEN = 'ya29.google-token-canary';
const GITHUB_TOKEN = 'ghs_github-token-canary';
const CONFIG = 'test/fixtures/doctor/config';
const PROVIDER = 'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github';
const POOL = 'projects/123456789012/locations/global/workloadIdentityPools/github';
const NS = ['ns-cloud-a1.googledomains.com.', 'ns-cloud-a2.googledomains.com.'];
const PROBER = 'serviceAccount:iap-prober@pangeo-prod.iam.gserviceaccount.com';

let google: GoogleDouble;
let doh: DohDouble;
let gh: GitHubSettingsDouble;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function doctor(args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<Run> {
  return runInProcess(['doctor', '--config', CONFIG, ...args], process.cwd(), env);
}

function baseEnv(): NodeJS.ProcessEnv {
  return {
    ...google.env,
    HUBFLEET_DOH_URL: doh.url,
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: REPO,
    HUBFLEET_GCP_ACCESS_TOKEN: GOOGLE_TOKEN,
    GITHUB_TOKEN,
  };
}

async function checks(
  args: string[] = ['--cluster', 'pangeo-gcp'],
): Promise<{ code: number; checks: CheckResult[] }> {
  const r = await doctor([...args, '--format', 'json']);
  const parsed = JSON.parse(r.stdout) as { checks: CheckResult[] };
  return { code: r.code, checks: parsed.checks };
}

async function check(id: string, scope = 'pangeo-gcp'): Promise<CheckResult | undefined> {
  return (await checks()).checks.find((c) => c.id === id && c.scope === scope);
}

const oceanIp = gcpStaticIpName('pangeo-gcp', 'ocean');
const stagingIp = gcpStaticIpName('pangeo-gcp', 'ocean-staging');

/** Everything a run needs, in place. */
function healthy(): void {
  google.state.enabledServices.set('123456789012', [...REQUIRED_GCP_APIS, 'logging.googleapis.com']);
  google.state.buckets.set('pangeo-tfstate', { versioning: true, publicAccessPrevention: 'enforced' });
  google.state.wif.set(POOL, { name: POOL, state: 'ACTIVE', disabled: false });
  google.state.wif.set(PROVIDER, {
    name: PROVIDER,
    state: 'ACTIVE',
    disabled: false,
    attributeMapping: { 'google.subject': 'assertion.sub' },
    attributeCondition: "assertion.repository_id == '987654321'",
    oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
  });
  google.state.zones.set('pangeo-prod/hubs-example-org', {
    dnsName: 'hubs.example.org.',
    nameServers: NS,
    visibility: 'public',
  });
  google.state.addresses.set(`pangeo-prod/${oceanIp}`, '34.120.0.1');
  google.state.addresses.set(`pangeo-prod/${stagingIp}`, '34.120.0.2');
  google.state.iapPolicies.set('123456789012', {
    bindings: ['ocean', 'ocean-staging'].map((hub) => ({
      role: 'roles/iap.httpsResourceAccessor',
      members: [PROBER, `group:${hub}@example.org`],
      condition: { title: `hubfleet-${hub}`, expression: `request.host == "${hub}.hubs.example.org"` },
    })),
  });
  doh.records.set('hubs.example.org', { NS: NS });
  doh.records.set('ocean.hubs.example.org', { A: ['34.120.0.1'] });
  doh.records.set('ocean-staging.hubs.example.org', { A: ['34.120.0.2'] });

  gh.labels.push('bug', 'hubfleet:skip-deploy', 'hubfleet:deploy-all', 'hubfleet:remove-hub');
  const main = {
    branchPolicy: { protected_branches: false, custom_branch_policies: true },
    branchPolicies: [{ name: 'main', type: 'branch' as const }],
  };
  gh.environments.set('pangeo-gcp-apply', { reviewers: [], ...main, secrets: [] });
  gh.environments.set('pangeo-gcp-staging', { reviewers: [], ...main, secrets: [] });
  gh.environments.set('pangeo-gcp-prod', {
    reviewers: [{ type: 'Team', login: 'platform' }],
    ...main,
    secrets: ['IAP_OAUTH_OCEAN'],
  });
  gh.repoSecrets.push('HUBFLEET_IAP_AUDIENCE', 'HUBFLEET_IAP_PROBER');
  gh.orgSecrets = ['HUBFLEET_IAP_UNAUTHORIZED'];
  gh.runners.push({
    name: 'hubfleet-pangeo-gcp-x7k2p',
    status: 'online',
    busy: true,
    labels: ['self-hosted', 'pangeo-gcp'],
  });
}

beforeEach(async () => {
  google = await startGoogleDouble({ token: GOOGLE_TOKEN });
  doh = await startDohDouble();
  gh = await startGitHubSettingsDouble({ repository: REPO, token: GITHUB_TOKEN });
  healthy();
});

afterEach(async () => {
  await Promise.all([google.close(), doh.close(), gh.close()]);
});

describe('hubfleet doctor', () => {
  it('passes every check of a ready GKE cluster and prints the checklist', async () => {
    const r = await doctor(['--cluster', 'pangeo-gcp']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`hubfleet doctor for ${REPO}

repository
  ✓ github-labels: the 3 labels the chain reads exist

cluster pangeo-gcp
  ✓ apis: the 10 APIs a run needs are enabled in pangeo-prod
  ✓ state-bucket: state bucket pangeo-tfstate is reachable, versioned and not public
  ✓ wif-provider: Workload Identity provider is active and admits ${REPO}
  ✓ dns-delegation: hubs.example.org is delegated to zone hubs-example-org's name servers
  ✓ hub-dns: 2 of 2 hub domains resolve to their static IPs
  ✓ smoke-identity: ${PROBER} may pass IAP for 2 of 2 hubs
  ✓ github-environments: pangeo-gcp-apply, pangeo-gcp-staging, pangeo-gcp-prod exist and allow only main; prod has required reviewers
  ✓ github-secrets: the 4 secrets the config names exist (names only)
  ✓ runners: 1 runner online with self-hosted, pangeo-gcp

0 failed, 0 skipped, 10 passed
`);
    expect(r.code).toBe(0);
    // Paged reads were followed (the double pages Service Usage by 2), and IAP was asked for v3.
    expect(google.requests.filter((q) => q.service === 'serviceusage')).toHaveLength(6);
    expect(google.requests.find((q) => q.service === 'iap')?.body).toBe(
      '{"options":{"requestedPolicyVersion":3}}',
    );
    expect(doh.queries).toEqual([
      { name: 'hubs.example.org', type: 'NS' },
      { name: 'ocean.hubs.example.org', type: 'A' },
      { name: 'ocean-staging.hubs.example.org', type: 'A' },
    ]);
  });

  it('lists every check with its stable id, in order, for every cluster (--format json)', async () => {
    // The EKS cluster's account is empty: no bucket, role or zone (test/cli/doctor-aws.test.ts).
    const aws = await startAwsDouble();
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => (stdout += t),
      stderr: () => undefined,
      env: { ...baseEnv(), ...aws.env },
      cwd: process.cwd(),
    };
    const code = await main(['doctor', '--config', CONFIG, '--format', 'json'], io);
    await aws.close();
    const r = { code, checks: (JSON.parse(stdout) as { checks: CheckResult[] }).checks };
    expect(r.checks.map((c) => `${c.scope} ${c.id} ${c.status}`)).toEqual([
      'repository github-labels pass',
      'pangeo-aws state-bucket fail',
      'pangeo-aws wif-provider fail',
      'pangeo-aws dns-delegation fail',
      'pangeo-aws hub-dns skip',
      'pangeo-aws github-environments fail',
      'pangeo-aws github-secrets fail',
      'pangeo-aws runners fail',
      'pangeo-gcp apis pass',
      'pangeo-gcp state-bucket pass',
      'pangeo-gcp wif-provider pass',
      'pangeo-gcp dns-delegation pass',
      'pangeo-gcp hub-dns pass',
      'pangeo-gcp smoke-identity pass',
      'pangeo-gcp github-environments pass',
      'pangeo-gcp github-secrets pass',
      'pangeo-gcp runners pass',
    ]);
    expect(r.code).toBe(1);
  });

  const failures: Array<[string, string, () => void, string, string]> = [
    [
      'apis',
      'an API is not enabled',
      () =>
        google.state.enabledServices.set(
          '123456789012',
          REQUIRED_GCP_APIS.filter((a) => a !== 'iap.googleapis.com'),
        ),
      '1 of the APIs a run needs is not enabled in pangeo-prod: iap.googleapis.com',
      'gcloud services enable iap.googleapis.com --project pangeo-prod (or apply terraform/bootstrap/gcp)',
    ],
    [
      'state-bucket',
      'the bucket is not versioned',
      () => google.state.buckets.set('pangeo-tfstate', { publicAccessPrevention: 'enforced' }),
      'state bucket pangeo-tfstate: versioning is off (a bad apply could not be rolled back to the previous state)',
      'gcloud storage buckets update gs://pangeo-tfstate --versioning',
    ],
    [
      'state-bucket',
      'the bucket does not exist',
      () => google.state.buckets.delete('pangeo-tfstate'),
      'the Terraform state bucket pangeo-tfstate does not exist',
      'apply terraform/bootstrap/gcp (it creates the state bucket), or fix terraform.backend.bucket in cluster.yaml',
    ],
    [
      'wif-provider',
      "the provider's condition names another repository",
      () =>
        google.state.wif.set(PROVIDER, {
          ...google.state.wif.get(PROVIDER),
          attributeCondition: "assertion.repository == 'other-org/fleet'",
        }),
      `Workload Identity provider ${PROVIDER}: its attributeCondition does not admit ${REPO}: assertion.repository == 'other-org/fleet'`,
      "apply terraform/bootstrap/gcp with this repository, or set the provider's attribute condition to assertion.repository_id == '987654321' and enable it (gcloud iam workload-identity-pools providers update-oidc)",
    ],
    [
      'wif-provider',
      'the provider is disabled',
      () => google.state.wif.set(PROVIDER, { ...google.state.wif.get(PROVIDER), disabled: true }),
      `Workload Identity provider ${PROVIDER}: it is disabled`,
      "apply terraform/bootstrap/gcp with this repository, or set the provider's attribute condition to assertion.repository_id == '987654321' and enable it (gcloud iam workload-identity-pools providers update-oidc)",
    ],
    [
      'dns-delegation',
      'the parent delegates elsewhere',
      () => doh.records.set('hubs.example.org', { NS: ['ns1.old-host.net.'] }),
      "public DNS delegates hubs.example.org to ns1.old-host.net, not to zone hubs-example-org's name servers ns-cloud-a1.googledomains.com, ns-cloud-a2.googledomains.com",
      'at the parent zone of hubs.example.org (registrar or DNS host), set its NS records to ns-cloud-a1.googledomains.com, ns-cloud-a2.googledomains.com',
    ],
    [
      'dns-delegation',
      'the zone is not delegated at all',
      () => doh.records.delete('hubs.example.org'),
      'hubs.example.org does not exist in public DNS (NXDOMAIN): it is not delegated',
      'at the parent zone of hubs.example.org (registrar or DNS host), set its NS records to ns-cloud-a1.googledomains.com, ns-cloud-a2.googledomains.com',
    ],
    [
      'hub-dns',
      'a hub domain points elsewhere',
      () => doh.records.set('ocean.hubs.example.org', { A: ['203.0.113.9'] }),
      `ocean.hubs.example.org resolves to 203.0.113.9, not its static IP 34.120.0.1 (${oceanIp})`,
      "the cluster's Terraform apply writes each hub's A record (google_dns_record_set.hub): re-run the deploy workflow, or remove the record that points elsewhere; a managed certificate stays Provisioning until the A record is right",
    ],
    [
      'smoke-identity',
      'the prober has no grant for one hub',
      () =>
        google.state.iapPolicies.set('123456789012', {
          bindings: [
            {
              role: 'roles/iap.httpsResourceAccessor',
              members: [PROBER],
              condition: { title: 'x', expression: 'request.host == "ocean-staging.hubs.example.org"' },
            },
          ],
        }),
      `${PROBER} may not pass IAP for ocean (ocean.hubs.example.org): no roles/iap.httpsResourceAccessor grant for the host`,
      "apply the cluster's Terraform (terraform/gcp/iap.tf grants the IAP prober roles/iap.httpsResourceAccessor per hub host); the prober is gcp.iapProberServiceAccount (default gcp.deployerServiceAccount) and the HUBFLEET_IAP_PROBER secret must name the same account",
    ],
    [
      'github-environments',
      'prod has no reviewers and lets every branch deploy',
      () => {
        const prod = gh.environments.get('pangeo-gcp-prod');
        if (prod) gh.environments.set('pangeo-gcp-prod', { ...prod, reviewers: [], branchPolicy: null });
      },
      'pangeo-gcp-prod lets every branch deploy; pangeo-gcp-prod has no required reviewers',
      'Settings → Environments → pangeo-gcp-prod: Deployment branches and tags → Selected branches and tags → main only; Settings → Environments → pangeo-gcp-prod: Required reviewers → add the people or team who approve prod deploys',
    ],
    [
      'github-environments',
      'the apply Environment is missing',
      () => gh.environments.delete('pangeo-gcp-apply'),
      'Environment pangeo-gcp-apply does not exist',
      'create pangeo-gcp-apply (Settings → Environments → pangeo-gcp-apply) with deployment branches "Selected branches" = main',
    ],
    [
      'github-secrets',
      "a hub file's secret is set nowhere",
      () =>
        gh.environments.set('pangeo-gcp-prod', { ...gh.environments.get('pangeo-gcp-prod')!, secrets: [] }),
      'missing secret: IAP_OAUTH_OCEAN (test/fixtures/doctor/config/clusters/pangeo-gcp/hubs/ocean.yaml iap.oauthClient.secret; or in Environment pangeo-gcp-prod)',
      `gh secret set IAP_OAUTH_OCEAN --repo ${REPO} --env pangeo-gcp-prod`,
    ],
    [
      'runners',
      'the only runner is offline',
      () =>
        gh.runners.splice(0, 1, {
          name: 'vm-1',
          status: 'offline',
          busy: false,
          labels: ['self-hosted', 'pangeo-gcp'],
        }),
      'the runners with self-hosted, pangeo-gcp are offline: vm-1',
      "install the runner scale set inside the cluster's VPC (config/runners/pangeo-gcp.yaml, scaleSetLabels: [self-hosted, pangeo-gcp]); a scale set with minRunners: 0 shows no runner while idle, so set minRunners: 1 or run doctor from a job on that runner",
    ],
  ];

  it.each(failures)('%s fails when %s', async (id, _what, breakIt, message, fix) => {
    breakIt();
    const r = await checks();
    const found = r.checks.filter((c) => c.id === id);
    expect(found).toEqual([{ id, scope: 'pangeo-gcp', status: 'fail', message, fix }]);
    // Only the broken check fails.
    expect(r.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual([id]);
    expect(r.code).toBe(1);
  });

  it('counts a hub whose static IP is not yet created as fine for hub-dns and smoke-identity', async () => {
    google.state.addresses.delete(`pangeo-prod/${oceanIp}`);
    google.state.iapPolicies.set('123456789012', { bindings: [] });
    doh.records.delete('ocean.hubs.example.org');
    google.state.iapPolicies.set('123456789012', {
      bindings: [
        {
          role: 'roles/iap.httpsResourceAccessor',
          members: [PROBER],
          condition: { title: 'x', expression: "request.host == 'ocean-staging.hubs.example.org'" },
        },
      ],
    });
    expect(await check('hub-dns')).toEqual({
      id: 'hub-dns',
      scope: 'pangeo-gcp',
      status: 'pass',
      message: '1 of 2 hub domains resolve to their static IPs (1 not yet created)',
    });
    expect(await check('smoke-identity')).toEqual({
      id: 'smoke-identity',
      scope: 'pangeo-gcp',
      status: 'pass',
      message: `${PROBER} may pass IAP for 1 of 2 hubs (1 not yet created)`,
    });
  });

  it('skips, never passes, what the credentials may not read, naming the permission', async () => {
    google.deny.add('storage');
    gh.deny.add('/actions/secrets');
    gh.deny.add('/actions/runners');
    const r = await checks();
    expect(r.checks.filter((c) => c.status === 'skip')).toEqual([
      {
        id: 'state-bucket',
        scope: 'pangeo-gcp',
        status: 'skip',
        message:
          'skipped: the credentials may not read bucket pangeo-tfstate (HTTP 403: Permission denied on resource (or it may not exist).)',
        fix: 'grant the identity storage.buckets.get on gs://pangeo-tfstate (roles/storage.legacyBucketReader or roles/storage.admin)',
      },
      {
        id: 'github-secrets',
        scope: 'pangeo-gcp',
        status: 'skip',
        message: `skipped: the credentials may not read the secret names of ${REPO} (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest)`,
        fix: 'run doctor with a token that may list secret names (fine-grained: Secrets and Environments: read; a workflow GITHUB_TOKEN cannot)',
      },
      {
        id: 'runners',
        scope: 'pangeo-gcp',
        status: 'skip',
        message:
          'skipped: the credentials may not read the self-hosted runners (HTTP 403: Resource not accessible by integration - https://docs.github.com/rest)',
        fix: 'run doctor with a token that may list runners (fine-grained: Administration: read; a workflow GITHUB_TOKEN cannot)',
      },
    ]);
    expect(r.code).toBe(0);
  });

  it('skips every check it has no credentials for and says what to set; no token is ever printed', async () => {
    const env = baseEnv();
    delete env['HUBFLEET_GCP_ACCESS_TOKEN'];
    delete env['GITHUB_TOKEN'];
    const r = await doctor(['--cluster', 'pangeo-gcp'], env);
    expect(r.stdout).toContain(`  – apis: skipped: no Google access token
      to check it: set HUBFLEET_GCP_ACCESS_TOKEN to an access token of the identity to check (e.g. $(gcloud auth print-access-token))
`);
    expect(r.stdout).toContain(`  – runners: skipped: no GitHub token or repository
      to check it: set GITHUB_TOKEN (e.g. $(gh auth token)) and pass --repository OWNER/NAME or set GITHUB_REPOSITORY
`);
    expect(r.stdout.endsWith('0 failed, 10 skipped, 0 passed\n')).toBe(true);
    expect(r.code).toBe(0);
    expect(google.requests).toEqual([]);
    expect(gh.requests).toEqual([]);

    const all = await doctor(['--cluster', 'pangeo-gcp'], baseEnv());
    for (const text of [all.stdout, all.stderr]) {
      expect(text).not.toContain(GOOGLE_TOKEN);
      expect(text).not.toContain(GITHUB_TOKEN);
    }
  });

  it('refuses bad flags with exit 2, and help doctor prints its usage', async () => {
    const bad = await doctor(['--format', 'yaml']);
    expect(bad.stderr).toBe(
      'hubfleet doctor: --format must be text or json, not "yaml"\n\nusage: hubfleet doctor [--cluster C] [--repository OWNER/NAME] [--format text|json] [--config DIR]\n',
    );
    expect(bad.code).toBe(2);
    const unknown = await doctor(['--cluster', 'pangeo-gpc']);
    expect(unknown.stderr).toBe(
      'hubfleet doctor: no cluster named "pangeo-gpc"; did you mean pangeo-gcp?\nnext: use one of: pangeo-aws, pangeo-gcp\n',
    );
    expect(unknown.code).toBe(2);
    const repo = await doctor(['--repository', 'not a repo']);
    expect(repo.stderr.split('\n')[0]).toBe(
      'hubfleet doctor: --repository must be OWNER/NAME, not "not a repo"',
    );
    expect(repo.code).toBe(2);

    let help = '';
    const io: CliIo = { stdout: (t) => (help += t), stderr: () => undefined, env: {}, cwd: process.cwd() };
    expect(await main(['help', 'doctor'], io)).toBe(0);
    expect(help.startsWith('hubfleet doctor [--cluster C]')).toBe(true);
    for (const id of [
      'apis',
      'state-bucket',
      'wif-provider',
      'dns-delegation',
      'hub-dns',
      'smoke-identity',
      'github-labels',
      'github-environments',
      'github-secrets',
      'runners',
    ]) {
      expect(help).toContain(`\n  ${id} `);
    }
  });
});
