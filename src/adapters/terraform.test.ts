import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/bundle-harness.js';
import { TERRAFORM, terraformAvailable, terraformTestEnv } from '../../test/support/terraform-binary.js';
import {
  applyFailureHint,
  bindPlanFile,
  createTerraform,
  initFailureHint,
  terraformWhy,
  type Terraform,
} from './terraform.js';

// The adapter against the real terraform binary and the fixture GCP module (terraform_data only).
const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;

let dir: string;
let stderr: Buffer[];
let tf: Terraform;
const vars = {
  hubfleet_cluster: 'c',
  project: 'proj-123456',
  project_number: '123456',
  region: 'us-central1',
  zone: null,
  cluster_name: 'c',
  network: 'n',
  private_endpoint: true,
  dns_zone: 'z',
  create_cluster: false,
  master_authorized_networks: [],
  master_ipv4_cidr_block: null,
  subnetwork: null,
  cluster_secondary_range_name: null,
  services_secondary_range_name: null,
  release_channel: 'REGULAR',
  node_pool: { machine_type: 'n2-standard-4', min_node_count: 1, max_node_count: 3, disk_size_gb: 100 },
  smoke_identity: 'serviceAccount:deployer@proj-123456.iam.gserviceaccount.com',
  restricted_google_apis: false,
  vpc_service_controls: null,
  hubs: {},
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubfleet-tf-adapter-'));
  await cp(join(repoRoot, 'test/fixtures/terraform/gcp'), join(dir, 'module'), { recursive: true });
  await writeFile(join(dir, 'vars.json'), JSON.stringify(vars));
  stderr = [];
  tf = createTerraform({
    moduleDir: join(dir, 'module'),
    dataDir: join(dir, 'data'),
    binary: TERRAFORM,
    // Terraform would refuse this flag; the adapter must not pass environment arguments to apply.
    env: terraformTestEnv({ TF_CLI_ARGS_apply: '-no-such-flag' }),
    stderr: (chunk) => stderr.push(chunk),
    stdout: () => undefined,
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeTf('terraform adapter (real binary)', () => {
  it('inits, plans with changes, shows JSON and text, applies only a bound plan, reads outputs', async () => {
    await tf.init([`path=${join(dir, 'state.tfstate')}`]);
    const plan = join(dir, 'tfplan');
    expect(await tf.plan({ varFile: join(dir, 'vars.json'), out: plan })).toEqual({ changes: true });
    const json = (await tf.showJson(plan)) as { resource_changes: Array<{ address: string }> };
    expect(json.resource_changes.map((r) => r.address)).toEqual(['terraform_data.cluster']);
    expect(await tf.showText(plan)).toContain('# terraform_data.cluster will be created');

    const sha = createHash('sha256')
      .update(await readFile(plan))
      .digest('hex');
    const wrong = await bindPlanFile(plan, 'f'.repeat(64), dir);
    expect(wrong).toEqual({ sha256: sha });
    const bound = await bindPlanFile(plan, sha, dir);
    expect(bound.plan?.sha256).toBe(sha);
    expect(bound.plan?.path).not.toBe(plan);
    // The original changing after the check does not change what is applied.
    await writeFile(plan, 'tampered');
    if (bound.plan === undefined) throw new Error('not bound');
    await tf.apply(bound.plan);
    const outputs = await tf.outputJson();
    expect(outputs).toEqual({
      hubs: { value: {}, sensitive: false, type: expect.anything() as unknown },
      kubernetes_sa_annotations: { value: {}, sensitive: false, type: expect.anything() as unknown },
    });
    expect(await tf.plan({ varFile: join(dir, 'vars.json'), out: join(dir, 'again') })).toEqual({
      changes: false,
    });
  });

  it('fails init with a message naming init and Terraform’s reason, and passes stderr through unchanged', async () => {
    stderr.length = 0;
    const promise = tf.init(['no_such_setting=1']);
    await expect(promise).rejects.toThrow(
      /^terraform init failed in .*\/module \(exit 1\): Error: Invalid backend configuration argument/,
    );
    const passed = Buffer.concat(stderr).toString('utf8');
    expect(passed).toContain('Error: Invalid backend configuration argument');
    // The error message carries Terraform's own words, as it printed them.
    const error = (await promise.catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(terraformWhy(passed));
  });

  it('inits with -lockfile=readonly: a lock file that does not fit the module fails init with a lock hint', async () => {
    // The fixture module needs no provider outside the builtins; a lock file naming one is a change
    // to the provider selections, which Terraform refuses to record when the lock is read-only.
    const lockDir = join(dir, 'locked');
    await cp(join(repoRoot, 'test/fixtures/terraform/gcp'), lockDir, { recursive: true });
    const lock = [
      'provider "registry.terraform.io/hashicorp/google" {',
      '  version     = "6.50.0"',
      '  constraints = "~> 6.50"',
      '  hashes = [',
      '    "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",',
      '  ]',
      '}',
      '',
    ].join('\n');
    await writeFile(join(lockDir, '.terraform.lock.hcl'), lock);
    const locked = createTerraform({
      moduleDir: lockDir,
      dataDir: join(dir, 'locked-data'),
      binary: TERRAFORM,
      env: terraformTestEnv(),
      stderr: () => undefined,
      stdout: () => undefined,
    });
    const failure = (await locked
      .init([`path=${join(dir, 'locked.tfstate')}`], { lockfile: 'readonly' })
      .catch((e: unknown) => e)) as { message: string; hint: string };
    expect(failure.message).toMatch(
      /^terraform init failed in .*\/locked \(exit 1\): Error: Provider dependency changes detected/,
    );
    expect(failure.hint).toBe(initFailureHint('Error: Provider dependency changes detected'));
    // Read-only: the lock file is exactly as it was.
    expect(await readFile(join(lockDir, '.terraform.lock.hcl'), 'utf8')).toBe(lock);
    // Without read-only, the same init rewrites the lock file: the unused provider is dropped.
    await locked.init([`path=${join(dir, 'locked.tfstate')}`]);
    expect(await readFile(join(lockDir, '.terraform.lock.hcl'), 'utf8')).toBe(
      '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n',
    );
  });

  it('fails plan with a message naming plan and the bad variable', async () => {
    await tf.init([`path=${join(dir, 'state.tfstate')}`]);
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...vars, private_endpoint: 'maybe' }));
    await expect(tf.plan({ varFile: join(dir, 'bad.json'), out: join(dir, 'bad.tfplan') })).rejects.toThrow(
      /^terraform plan failed in .*\/module \(exit 1\): Error: Invalid value for input variable/,
    );
  });

  it('says which binary could not start', async () => {
    const missing = createTerraform({
      moduleDir: dir,
      dataDir: join(dir, 'd'),
      binary: join(dir, 'no-terraform'),
      env: terraformTestEnv(),
    });
    await expect(missing.version()).rejects.toThrow(
      `terraform version could not start: ${join(dir, 'no-terraform')} was not found`,
    );
  });
});

describe('terraformWhy', () => {
  it('takes Terraform’s error block from the first Error: line, without box drawing', () => {
    expect(terraformWhy('Initializing...\n╷\n│ Error: Bad thing\n│ \n│ It broke because x.\n╵\n')).toBe(
      'Error: Bad thing It broke because x.',
    );
    expect(terraformWhy('just\nthe last lines\n')).toBe('just the last lines');
    expect(terraformWhy('')).toBe('no error message on stderr');
  });
});

describe('applyFailureHint', () => {
  const rerun =
    'Terraform stopped part-way: what was applied is in the state. Re-run plan-cluster to see what is left, review it and apply the new plan';
  it('names every non-empty GCS bucket once and says how to empty it', () => {
    const stderr = [
      '╷',
      '│ Error: Error trying to delete bucket ocean-scratch containing objects without `force_destroy` set to true',
      '╵',
      '╷',
      '│ Error: Error trying to delete bucket ocean-persist containing objects without `force_destroy` set to true',
      '╵',
    ].join('\n');
    expect(applyFailureHint(stderr)).toBe(
      "a removed hub's bucket (ocean-scratch, ocean-persist) still holds objects, and hubfleet never deletes data: copy what its users need, empty the bucket (gcloud storage rm --recursive 'gs://BUCKET/**', or aws s3 rm s3://BUCKET --recursive), then re-run the deploy; " +
        rerun,
    );
  });
  it('explains an S3 BucketNotEmpty and a static IP still in use', () => {
    const stderr =
      '│ Error: deleting S3 Bucket (glacier-scratch): operation error S3: DeleteBucket, https response error StatusCode: 409, api error BucketNotEmpty: The bucket you tried to delete is not empty\n' +
      "│ Error: Error when reading or editing Address: googleapi: Error 400: The address resource 'projects/p/global/addresses/ocean' is already being used by 'projects/p/global/forwardingRules/k8s2-fr-x', resourceInUseByAnotherResource\n";
    expect(applyFailureHint(stderr)).toBe(
      "a removed hub's bucket still holds objects, and hubfleet never deletes data: copy what its users need, empty the bucket (gcloud storage rm --recursive 'gs://BUCKET/**', or aws s3 rm s3://BUCKET --recursive), then re-run the deploy; " +
        "a static IP is still used by a load balancer: the hub's Ingress still exists. Uninstall the hub first (a PR labelled hubfleet:remove-hub runs deploy-hub mode uninstall), wait until its load balancer is gone, then re-run the deploy; " +
        rerun,
    );
  });
  it('is the general re-plan advice for anything else', () => {
    expect(applyFailureHint('│ Error: quota exceeded\n')).toBe(rerun);
  });
});

describe('initFailureHint', () => {
  it.each([
    'Error: Provider dependency changes detected',
    'the lock file is read-only. To use and record these requirements',
    "Error: Failed to install provider: the local package for registry.terraform.io/hashicorp/google 6.50.0 doesn't match any of the checksums previously recorded in the dependency lock file",
    'Error: Inconsistent dependency lock file',
  ])('names the lock file for %s', (stderr) => {
    expect(initFailureHint(stderr)).toMatch(
      /^the provider lock file \(\.terraform\.lock\.hcl\) does not fit/,
    );
  });

  it('keeps the backend and registry hint for other init failures', () => {
    expect(initFailureHint('Error: Invalid backend configuration argument')).toMatch(
      /^check cluster\.yaml terraform\.backend/,
    );
  });
});
