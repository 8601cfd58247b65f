import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedCluster } from '../../src/config/model.js';
import { expectedServiceAccountAnnotations } from '../../src/render/manifests.js';
import { gcpStaticIpName, hubBucketNames, namespaceName } from '../../src/render/names.js';
import { runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { startStsDouble, stsEnvironment, type StsDouble } from '../support/sts-double.js';
import { terraformAvailable } from '../support/terraform-binary.js';
import { checkout, loadExampleCluster, scratch, type Files, type Scratch } from './terraform-workspace.js';

// End to end: apply-iam's bundle applies only the reviewed plan, as the deployer cluster.yaml
// names, with the real terraform on the fixture modules; AWS identity comes from the STS double.

const REPOSITORY = 'hubfleet-org/fleet';
const TOKEN = 'ghs_applyIamTestToken00000000000000000';
const GCP = 'pangeo-gcp';
const AWS = 'pangeo-aws';
const DEPLOYER = 'deployer@pangeo-prod.iam.gserviceaccount.com';
const CANARY = 'hubfleet-canary-7f3a9c2e51d04b8a';
const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;

let gh: GitHubDouble;
let sts: StsDouble;
let s: Scratch;
let gcp: LoadedCluster;
let aws: LoadedCluster;

beforeAll(async () => {
  gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
  sts = await startStsDouble({
    AKIADEPLOYER: {
      account: '111122223333',
      arn: 'arn:aws:sts::111122223333:assumed-role/hubfleet-deployer/GitHubActions',
      userId: 'AROADEPLOYER:GitHubActions',
    },
    AKIASTRANGER: {
      account: '444455556666',
      arn: 'arn:aws:sts::444455556666:assumed-role/hubfleet-deployer/GitHubActions',
      userId: 'AROASTRANGER:GitHubActions',
    },
  });
  s = await scratch();
  gcp = await loadExampleCluster(GCP);
  aws = await loadExampleCluster(AWS);
});
afterAll(async () => {
  await gh.close();
  await sts.close();
  await s.close();
});

interface Planned {
  run: BundleRun;
  path: string;
  sha: string;
  digest: string;
}

async function plan(
  cluster: string,
  name: string,
  opts: { files?: Files; state?: string; env?: Record<string, string> } = {},
): Promise<Planned> {
  const run = await runBundle('actions/plan-cluster', {
    githubToken: TOKEN,
    inputs: { cluster, 'out-dir': join(s.dir, name) },
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPOSITORY,
      ...s.env(opts.state ?? cluster),
      ...opts.env,
    },
    files: opts.files ?? checkout(),
    timeoutMs: 120_000,
  });
  if (run.exitCode !== 0) throw new Error(`plan failed:\n${run.stdout}\n${run.stderr}`);
  return {
    run,
    path: run.outputs['plan-path'] ?? '',
    sha: run.outputs['plan-sha256'] ?? '',
    digest: run.outputs['inputs-digest'] ?? '',
  };
}

function apply(
  cluster: string,
  planned: { path: string; sha: string; digest: string },
  opts: { inputs?: Record<string, string>; env?: Record<string, string>; files?: Files; state?: string } = {},
): Promise<BundleRun> {
  return runBundle('actions/apply-iam', {
    inputs: {
      cluster,
      'plan-path': planned.path,
      'expected-plan-sha256': planned.sha,
      'expected-inputs-digest': planned.digest,
      ...opts.inputs,
    },
    env: { ...s.env(opts.state ?? cluster), ...opts.env },
    files: opts.files ?? checkout(),
    timeoutMs: 120_000,
  });
}

const gcpIdentity = { 'gcp-project': 'pangeo-prod', 'gcp-service-account': DEPLOYER };

function expectSuccess(run: BundleRun): void {
  if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
}

function expectRefused(run: BundleRun, message: string | RegExp): void {
  expect(run.exitCode).toBe(1);
  const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(1);
  if (typeof message === 'string') expect(errors[0]).toBe(message);
  else expect(errors[0]).toMatch(message);
  // Terraform never ran an apply.
  expect(run.stdout).not.toMatch(/^terraform apply/m);
  expect(run.stdout).not.toContain('Apply complete!');
}

const REPLAN =
  're-run plan-cluster for this cluster (push to the PR or re-run its plan job), review the new plan comment, and merge again; apply-iam applies only the plan that was reviewed';

describeTf('apply-iam on GCP', () => {
  let reviewed: Planned;
  beforeAll(async () => {
    reviewed = await plan(GCP, 'gcp-reviewed');
  });

  it('refuses a plan whose hash differs from the reviewed one, before running terraform', async () => {
    const run = await apply(GCP, { ...reviewed, sha: 'f'.repeat(64) }, { inputs: gcpIdentity });
    expectRefused(
      run,
      `apply refused for ${GCP}: plan file sha256 differs from the reviewed plan (${reviewed.sha.slice(0, 19)}… ≠ reviewed fffffffffffffffffff…); ${REPLAN}`,
    );
    expect(existsSync(s.statePath(GCP))).toBe(false);
  });

  it('refuses a changed plan file (same reviewed hash, other bytes)', async () => {
    const copy = join(s.dir, 'tampered.tfplan');
    const bytes = await readFile(reviewed.path);
    await writeFile(copy, Buffer.concat([bytes, Buffer.from('\n')]));
    const run = await apply(GCP, { ...reviewed, path: copy }, { inputs: gcpIdentity });
    expectRefused(
      run,
      new RegExp(`^apply refused for ${GCP}: plan file sha256 differs from the reviewed plan`),
    );
    expect(existsSync(s.statePath(GCP))).toBe(false);
  });

  it('refuses when the checked-out config differs from what was planned (inputs digest)', async () => {
    const files = checkout();
    const hubFile = `config/clusters/${GCP}/hubs/${gcp.hubs[0]?.config.name ?? ''}.yaml`;
    files[hubFile] = (files[hubFile] ?? '').replace(/^stage: \w+$/m, (line) =>
      line.endsWith('prod') ? 'stage: staging' : 'stage: prod',
    );
    const run = await apply(GCP, reviewed, { inputs: gcpIdentity, files });
    expectRefused(
      run,
      new RegExp(
        `^apply refused for ${GCP}: inputs digest of the checked-out config and terraform code differs from the reviewed one \\(sha256:\\w{12}… ≠ reviewed ${reviewed.digest.slice(0, 19)}…\\); ${REPLAN.replace(/[()]/g, '\\$&')}$`,
      ),
    );
  });

  it('refuses a provider lock file in the artifact other than the plan had (the digest covers it), before init', async () => {
    // The fixture plan used only builtin providers, so its artifact carries no lock file; one that
    // appears beside the plan file goes into the module and changes the inputs digest.
    const dir = join(s.dir, 'artifact-with-foreign-lock');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'tfplan');
    await writeFile(path, await readFile(reviewed.path));
    await writeFile(
      join(dir, 'terraform.lock.hcl'),
      'provider "registry.terraform.io/hashicorp/google" {\n  version = "6.50.0"\n}\n',
    );
    const run = await apply(GCP, { ...reviewed, path }, { inputs: gcpIdentity });
    expectRefused(
      run,
      new RegExp(
        `^apply refused for ${GCP}: inputs digest of the checked-out config and terraform code differs from the reviewed one \\(sha256:\\w{12}… ≠ reviewed ${reviewed.digest.slice(0, 19)}…\\); the digest covers the provider lock file from the plan artifact \\(terraform\\.lock\\.hcl, sha256 \\w{12}…\\): a lock file other than the one the plan job's terraform init wrote changes it; `,
      ),
    );
    expect(run.stdout).not.toContain('::group::terraform init');
    expect(existsSync(s.statePath(GCP))).toBe(false);
  });

  it('refuses the wrong GCP project or service account, naming each', async () => {
    const run = await apply(GCP, reviewed, {
      inputs: { 'gcp-project': 'other-project', 'gcp-service-account': DEPLOYER },
      env: { CLOUDSDK_PROJECT: 'other-project' },
    });
    expectRefused(
      run,
      `apply refused for ${GCP}: the job authenticated for project other-project, but cluster.yaml names gcp.project pangeo-prod; CLOUDSDK_PROJECT is other-project, but cluster.yaml names gcp.project pangeo-prod; authenticate the job as the deployer that cluster.yaml names (the auth step's workload_identity_provider/service_account, or role-to-assume), or fix cluster.yaml; nothing was applied`,
    );
    expect(run.stdout).not.toContain('::group::terraform init');
  });

  it('refuses credentials that impersonate another service account', async () => {
    const credentials = join(s.dir, 'gha-creds.json');
    await writeFile(
      credentials,
      JSON.stringify({
        type: 'external_account',
        audience:
          '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/github/providers/github',
        service_account_impersonation_url:
          'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/intruder@pangeo-prod.iam.gserviceaccount.com:generateAccessToken',
      }),
    );
    const run = await apply(GCP, reviewed, {
      inputs: gcpIdentity,
      env: { GOOGLE_APPLICATION_CREDENTIALS: credentials },
    });
    expectRefused(
      run,
      new RegExp(
        `^apply refused for ${GCP}: the credentials file .*gha-creds\\.json acts as intruder@pangeo-prod\\.iam\\.gserviceaccount\\.com, but cluster\\.yaml names gcp\\.deployerServiceAccount ${DEPLOYER.replace(/\./g, '\\.')};`,
      ),
    );
  });

  it('applies the reviewed plan as the deployer and outputs the annotations and hub values', async () => {
    const credentials = join(s.dir, 'good-creds.json');
    await writeFile(
      credentials,
      JSON.stringify({
        type: 'external_account',
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${DEPLOYER}:generateAccessToken`,
      }),
    );
    const run = await apply(GCP, reviewed, {
      inputs: gcpIdentity,
      env: { GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_CLOUD_PROJECT: 'pangeo-prod' },
    });
    expectSuccess(run);
    const annotations = Object.fromEntries(
      gcp.hubs.map((h) => [namespaceName(h.config.name), expectedServiceAccountAnnotations(gcp, h)]),
    );
    expect(JSON.parse(run.outputs['sa-annotations'] ?? '')).toEqual(annotations);
    const hubs = JSON.parse(run.outputs['hub-outputs'] ?? '') as Record<
      string,
      {
        static_ip_name: string;
        static_ip_address: string;
        buckets: Record<string, string>;
        service_account_email: string;
      }
    >;
    expect(Object.keys(hubs).sort()).toEqual(gcp.hubs.map((h) => h.config.name).sort());
    for (const h of gcp.hubs) {
      const out = hubs[h.config.name];
      expect(out?.static_ip_name).toBe(gcpStaticIpName(GCP, h.config.name));
      expect(out?.static_ip_address).toMatch(/^198\.(18|19)\.\d+\.\d+$/);
      expect(out?.buckets).toEqual(hubBucketNames(gcp, h));
      expect(out?.service_account_email).toBe(Object.values(expectedServiceAccountAnnotations(gcp, h))[0]);
    }
    expect(run.outputs['plan-sha256']).toBe(reviewed.sha);
    expect(run.outputs['identity']).toBe(`${DEPLOYER} (pangeo-prod)`);
    expect(run.summary).toContain(`### ✅ applied the reviewed plan for ${GCP}:`);
    expect(run.stdout).toContain('Apply complete!');

    // The same plan cannot be applied twice: Terraform refuses a plan made against older state.
    const again = await apply(GCP, reviewed, { inputs: gcpIdentity });
    expect(again.exitCode).toBe(1);
    expect(again.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^terraform apply failed in .* \(exit 1\): Error: Saved plan is stale/,
      ) as unknown as string,
    ]);
  });
});

describeTf('apply-iam on AWS (STS double)', () => {
  let reviewed: Planned;
  beforeAll(async () => {
    reviewed = await plan(AWS, 'aws-reviewed');
  });

  it('refuses credentials of another AWS account, having asked STS and nothing else', async () => {
    const before = sts.requests.length;
    const run = await apply(AWS, reviewed, { env: stsEnvironment(sts, 'AKIASTRANGER') });
    expectRefused(
      run,
      `apply refused for ${AWS}: the AWS credentials belong to account 444455556666 (arn:aws:sts::444455556666:assumed-role/hubfleet-deployer/GitHubActions), but cluster.yaml names aws.account 111122223333; authenticate the job as the deployer that cluster.yaml names (the auth step's workload_identity_provider/service_account, or role-to-assume), or fix cluster.yaml; nothing was applied`,
    );
    expect(sts.requests.slice(before).map((r) => [r.params['Action'], r.accessKeyId, r.scope])).toEqual([
      ['GetCallerIdentity', 'AKIASTRANGER', 'us-west-2/sts'],
    ]);
    expect(run.stdout).not.toContain('::group::terraform init');
    expect(existsSync(s.statePath(AWS))).toBe(false);
  });

  it('fails clearly when STS rejects the credentials', async () => {
    const run = await apply(AWS, reviewed, { env: stsEnvironment(sts, 'AKIAUNKNOWN') });
    expectRefused(
      run,
      'STS GetCallerIdentity failed: The security token included in the request is invalid; run aws-actions/configure-aws-credentials (role-to-assume = cluster.yaml aws.roleArn) earlier in the job; nothing was applied',
    );
  });

  it('applies the reviewed plan in the right account and outputs the IRSA annotations', async () => {
    const run = await apply(AWS, reviewed, { env: stsEnvironment(sts, 'AKIADEPLOYER') });
    expectSuccess(run);
    const annotations = Object.fromEntries(
      aws.hubs.map((h) => [namespaceName(h.config.name), expectedServiceAccountAnnotations(aws, h)]),
    );
    expect(JSON.parse(run.outputs['sa-annotations'] ?? '')).toEqual(annotations);
    const hubs = JSON.parse(run.outputs['hub-outputs'] ?? '') as Record<
      string,
      { irsa_role_arn: string; buckets: Record<string, string> }
    >;
    expect(hubs).toEqual(
      Object.fromEntries(
        aws.hubs.map((h) => [
          h.config.name,
          {
            irsa_role_arn: Object.values(expectedServiceAccountAnnotations(aws, h))[0],
            buckets: hubBucketNames(aws, h),
          },
        ]),
      ),
    );
    expect(run.outputs['identity']).toBe(
      'arn:aws:sts::111122223333:assumed-role/hubfleet-deployer/GitHubActions',
    );
  });
});

describeTf('secrets in the plan', () => {
  it('never show the canary in the comment, summary, log, outputs or uploaded plan JSON', async () => {
    const files = checkout();
    files['terraform/gcp/canary.tf'] = await readFile(
      join(import.meta.dirname, '../fixtures/terraform/canary/canary.tf'),
      'utf8',
    );
    const PR = 31;
    gh.seedPullFiles(PR, []);
    const out = join(s.dir, 'canary');
    await mkdir(out, { recursive: true });
    const planned = await runBundle('actions/plan-cluster', {
      githubToken: TOKEN,
      inputs: { cluster: GCP, 'out-dir': out },
      env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPOSITORY, ...s.env('canary') },
      files,
      event: { pull_request: { number: PR } },
      eventName: 'pull_request',
      timeoutMs: 120_000,
    });
    expectSuccess(planned);
    const applied = await apply(
      GCP,
      {
        path: planned.outputs['plan-path'] ?? '',
        sha: planned.outputs['plan-sha256'] ?? '',
        digest: planned.outputs['inputs-digest'] ?? '',
      },
      { inputs: gcpIdentity, files, state: 'canary' },
    );
    expectSuccess(applied);

    // The runner masks registered values; everything else must not hold the canary at all.
    expect(planned.masks).toContain(CANARY);
    expect(applied.masks).toContain(CANARY);
    const unmasked = (stdout: string): string =>
      stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
    const channels: Record<string, string> = {
      'plan log': unmasked(planned.stdout) + planned.stderr,
      'plan summary': planned.summary,
      'plan outputs': JSON.stringify(planned.outputs),
      comment: gh.state.comments
        .filter((c) => c.issue_number === PR)
        .map((c) => c.body)
        .join('\n'),
      'plan.json': await readFile(join(out, 'plan.json'), 'utf8'),
      'plan.txt': await readFile(join(out, 'plan.txt'), 'utf8'),
      'apply log': unmasked(applied.stdout) + applied.stderr,
      'apply summary': applied.summary,
      'apply outputs': JSON.stringify(applied.outputs),
    };
    const leaking = Object.entries(channels)
      .filter(([, text]) => text.includes(CANARY))
      .map(([name]) => name);
    expect(leaking).toEqual([]);
    expect(channels['plan.json']).toContain('(sensitive value)');
    expect(channels['plan.json']).toContain('not-a-secret');
  });
});
