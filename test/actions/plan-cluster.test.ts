import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { issueMarker } from '../../src/report/issue-upsert.js';
import { GITHUB_COMMENT_LIMIT, joinStickyParts } from '../../src/report/sticky-comment.js';
import { toStableJson } from '../../src/render/serialize.js';
import { planClusterInputs, planClusterOutputs } from '../../actions/plan-cluster/inputs.js';
import { applyIamInputs, applyIamOutputs } from '../../actions/apply-iam/inputs.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { terraformAvailable } from '../support/terraform-binary.js';
import {
  checkout,
  fixtureAddresses,
  loadExampleCluster,
  scratch,
  tfvarsOf,
  type Files,
  type Scratch,
} from './terraform-workspace.js';

// End to end: the plan-cluster bundle (and apply-iam where the story needs an apply) with the real
// terraform binary on the fixture modules, against the GitHub REST double.

const REPOSITORY = 'hubfleet-org/fleet';
const TOKEN = 'ghs_planClusterTestToken000000000000000';
const CLUSTER = 'pangeo-gcp';
const HARNESS_SHA = '0123456789abcdef0123456789abcdef01234567';
const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;

let gh: GitHubDouble;
let s: Scratch;
let cluster: LoadedCluster;

beforeAll(async () => {
  gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
  s = await scratch();
  cluster = await loadExampleCluster(CLUSTER);
});
afterAll(async () => {
  await gh.close();
  await s.close();
});

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

function plan(args: {
  name: string;
  inputs?: Record<string, string>;
  files?: Files;
  pr?: number;
  state?: string;
}): Promise<BundleRun> {
  const pr = args.pr;
  // The pull request must exist for its comments to be listed.
  if (pr !== undefined && !gh.state.pullFiles.has(pr)) gh.seedPullFiles(pr, []);
  return runBundle('actions/plan-cluster', {
    githubToken: TOKEN,
    inputs: { cluster: CLUSTER, 'out-dir': join(s.dir, args.name), ...args.inputs },
    env: { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: REPOSITORY, ...s.env(args.state ?? CLUSTER) },
    files: args.files ?? checkout(),
    ...(pr === undefined ? {} : { event: { pull_request: { number: pr } }, eventName: 'pull_request' }),
    timeoutMs: 120_000,
  });
}

function applyPlan(run: BundleRun, files: Files = checkout(), state = CLUSTER): Promise<BundleRun> {
  return runBundle('actions/apply-iam', {
    inputs: {
      cluster: CLUSTER,
      'plan-path': run.outputs['plan-path'] ?? '',
      'expected-plan-sha256': run.outputs['plan-sha256'] ?? '',
      'expected-inputs-digest': run.outputs['inputs-digest'] ?? '',
      'gcp-project': 'pangeo-prod',
      'gcp-service-account': 'deployer@pangeo-prod.iam.gserviceaccount.com',
    },
    env: s.env(state),
    files,
    timeoutMs: 120_000,
  });
}

function expectSuccess(run: BundleRun): void {
  if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
}

const commentsOn = (issue: number): { id: number; body: string }[] =>
  gh.state.comments.filter((c) => c.issue_number === issue).sort((a, b) => a.id - b.id);

/** The table rows of the resources in a rendered plan, as `action address`. */
function tableRows(body: string): string[] {
  return [...body.matchAll(/^\| \S+ (destroy|replace|change|add|import|forget|read) \| `([^`]+)` \|/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
}

describe('plan-cluster and apply-iam declarations', () => {
  it.each([
    ['plan-cluster', planClusterInputs, planClusterOutputs],
    ['apply-iam', applyIamInputs, applyIamOutputs],
  ] as const)(
    '%s: action.yml and inputs.ts declare the same inputs and outputs',
    async (name, inputs, outputs) => {
      const yml = await loadActionYml(`${repoRoot}/actions/${name}/action.yml`);
      expect(compareActionYml(yml, inputs, outputs)).toEqual([]);
    },
  );
});

describeTf('plan-cluster on a pull request', () => {
  const PR = 7;
  let first: BundleRun;

  it('plans the adds, outputs the binding, and posts one sticky comment with the table, hash, digest and commit', async () => {
    const before = gh.requests.length;
    first = await plan({ name: 'adds', pr: PR });
    expectSuccess(first);

    const planPath = first.outputs['plan-path'] ?? '';
    const tfvars = toStableJson(tfvarsOf(cluster));
    const digestText = `hubfleet-inputs-v1\ntfvars ${sha256(tfvars)}\nfile gcp/main.tf ${sha256(checkout()['terraform/gcp/main.tf'] ?? '')}\n`;
    const comments = commentsOn(PR);
    expect(first.outputs).toEqual({
      'has-changes': 'true',
      'plan-path': join(s.dir, 'adds', 'tfplan'),
      'plan-json-path': join(s.dir, 'adds', 'plan.json'),
      'plan-sha256': sha256(await readFile(planPath)),
      'inputs-digest': `sha256:${sha256(digestText)}`,
      commit: HARNESS_SHA,
      'comment-ids': JSON.stringify(comments.map((c) => c.id)),
    });
    expect(gh.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${REPOSITORY}/issues/${PR}/comments`,
      `POST /repos/${REPOSITORY}/issues/${PR}/comments`,
    ]);

    const addresses = fixtureAddresses(tfvarsOf(cluster));
    const body = joinStickyParts(comments);
    expect(body.split('\n')[0]).toBe(
      `### ℹ️ Terraform plan for ${CLUSTER}: ${addresses.length} to add, 0 to change, 0 to destroy, 0 to replace`,
    );
    expect(tableRows(body)).toEqual(addresses.map((a) => `add ${a}`));
    expect(body).toContain(`| plan sha256 | \`${first.outputs['plan-sha256']}\` |`);
    expect(body).toContain(`| inputs digest | \`${first.outputs['inputs-digest']}\` |`);
    expect(body).toContain(`| commit | \`${HARNESS_SHA}\` |`);
    expect(body).toContain('<details><summary>Plan text (');
    expect(body).toContain('# terraform_data.cluster will be created');

    expect(first.summary).toContain(`### ℹ️ Terraform plan for ${CLUSTER}: ${addresses.length} to add`);
    expect(first.summary).toContain(`| ${addresses.length} | 0 | 0 | 0 | 0 | 0 |`);
    expect(first.stdout).toContain('::group::terraform init');
    expect(first.stdout).toContain('::group::terraform plan');
    expect(JSON.parse(await readFile(join(s.dir, 'adds', 'binding.json'), 'utf8'))).toEqual({
      cluster: CLUSTER,
      planSha256: first.outputs['plan-sha256'],
      inputsDigest: first.outputs['inputs-digest'],
      commit: HARNESS_SHA,
      // The fixture uses only builtin providers: init writes no lock file, so none travels.
      lockFileSha256: null,
      hasChanges: true,
    });
    const json = JSON.parse(await readFile(first.outputs['plan-json-path'] ?? '', 'utf8')) as {
      format_version: string;
    };
    expect(json.format_version).toMatch(/^1\./);
  });

  it('after apply-iam applies it, plans no changes and edits the same comment', async () => {
    expectSuccess(await applyPlan(first));
    const ids = commentsOn(PR).map((c) => c.id);
    const again = await plan({ name: 'no-changes', pr: PR });
    expectSuccess(again);
    expect(again.outputs['has-changes']).toBe('false');
    expect(commentsOn(PR).map((c) => c.id)).toEqual(ids);
    const body = joinStickyParts(commentsOn(PR));
    expect(body.split('\n')[0]).toBe(`### ✅ Terraform plan for ${CLUSTER}: no changes`);
    expect(tableRows(body)).toEqual([]);
    expect(again.summary).toContain(`### ✅ Terraform plan for ${CLUSTER}: no changes`);
  });

  it('shows a removed hub as destroys, first and called out', async () => {
    const files = checkout();
    const removed = cluster.hubs[0]?.config.name ?? '';
    delete files[`config/clusters/${CLUSTER}/hubs/${removed}.yaml`];
    const run = await plan({ name: 'destroy', pr: PR, files });
    expectSuccess(run);
    const all = fixtureAddresses(tfvarsOf(cluster));
    const remaining = new Set(fixtureAddresses(tfvarsOf({ ...cluster, hubs: cluster.hubs.slice(1) })));
    const destroyed = all.filter((a) => !remaining.has(a));
    const body = joinStickyParts(commentsOn(PR));
    expect(body.split('\n')[0]).toBe(
      `### ℹ️ Terraform plan for ${CLUSTER}: 0 to add, 0 to change, ${destroyed.length} to destroy, 0 to replace`,
    );
    expect(body).toContain(
      `> ${destroyed.length} resources will be destroyed: ${destroyed.map((a) => `\`${a}\``).join(', ')}`,
    );
    expect(tableRows(body)).toEqual(destroyed.map((a) => `destroy ${a}`));
    expect(run.summary).toContain(`| 0 | 0 | ${destroyed.length} | 0 | 0 | 0 |`);
  });
});

describeTf('plan-cluster drift mode', () => {
  const key = `drift:${CLUSTER}`;
  const driftIssues = (): { number: number; state: string; title: string }[] =>
    gh.state.issues.filter((i) => (i.body ?? '').includes(issueMarker(key)));

  beforeAll(async () => {
    // Its own state: the cluster as applied from main.
    const base = await plan({ name: 'drift-base', state: 'drift' });
    expectSuccess(base);
    expectSuccess(await applyPlan(base, checkout(), 'drift'));
  });

  it('opens one issue while the cloud differs, keeps it one across runs, and closes it when the drift is gone', async () => {
    const statePath = s.statePath('drift');
    const saved = `${statePath}.saved`;
    await copyFile(statePath, saved);
    // A change made outside Terraform: the recorded static IP of the first hub no longer matches.
    const state = JSON.parse(await readFile(statePath, 'utf8')) as {
      serial: number;
      resources: Array<{
        type: string;
        name: string;
        instances: Array<{ index_key?: string; attributes: { input: { value: { name: string } } } }>;
      }>;
    };
    const hub = cluster.hubs[0]?.config.name ?? '';
    const ip = state.resources.find((r) => r.type === 'terraform_data' && r.name === 'static_ip');
    const instance = ip?.instances.find((i) => i.index_key === hub);
    if (instance === undefined) throw new Error('the applied state has no static_ip for the first hub');
    instance.attributes.input.value.name = 'renamed-by-hand';
    state.serial += 1;
    await writeFile(statePath, JSON.stringify(state));

    const found = await plan({ name: 'drift-1', inputs: { mode: 'drift' }, state: 'drift' });
    expectSuccess(found);
    expect(found.outputs['has-changes']).toBe('true');
    expect(driftIssues()).toEqual([
      expect.objectContaining({
        state: 'open',
        title: expect.stringMatching(
          new RegExp(`^Terraform drift in ${CLUSTER} \\(0 to add, \\d+ to change`),
        ) as unknown as string,
      }),
    ]);
    const number = driftIssues()[0]?.number ?? 0;
    expect(found.outputs['issue-number']).toBe(String(number));
    const issueText = [
      gh.state.issues.find((i) => i.number === number)?.body ?? '',
      ...commentsOn(number).map((c) => c.body),
    ].join('\n');
    expect(issueText).toContain(`| ✏️ change | \`terraform_data.static_ip["${hub}"]\` |`);
    expect(found.summary).toContain(`### ⚠️ Drift in ${CLUSTER}:`);

    expect(found.stdout).toContain(`Drift found in ${CLUSTER}: issue #${number} created.`);
    const commentsBefore = commentsOn(number).length;

    // The same drift again: the issue's status is edited in place, no new comment, no new issue.
    const again = await plan({ name: 'drift-2', inputs: { mode: 'drift' }, state: 'drift' });
    expectSuccess(again);
    expect(again.stdout).toContain(`Drift found in ${CLUSTER}: issue #${number} updated.`);
    expect(commentsOn(number)).toHaveLength(commentsBefore);
    expect(driftIssues().map((i) => [i.number, i.state])).toEqual([[number, 'open']]);

    await copyFile(saved, statePath);
    const cleared = await plan({ name: 'drift-3', inputs: { mode: 'drift' }, state: 'drift' });
    expectSuccess(cleared);
    expect(cleared.outputs['has-changes']).toBe('false');
    expect(driftIssues().map((i) => [i.number, i.state])).toEqual([[number, 'closed']]);
    expect(cleared.summary).toContain(`### ✅ No drift in ${CLUSTER}`);
    expect(cleared.stdout).toContain(`Drift not found in ${CLUSTER}: issue #${number} closed.`);
  });
});

describeTf('plan-cluster with a plan over 1 MB', () => {
  it('splits the sticky comment into parts under the limit that re-join to the whole plan, in at most 20 API calls', async () => {
    const PR = 9;
    const files = checkout();
    // A module with a very long list prints a plan of well over 1 MB, as a large fleet would.
    files['terraform/gcp/big.tf'] =
      'resource "terraform_data" "big" {\n  input = flatten([for i in range(17) : [for j in range(1000) : format("%02d-%03d-%s", i, j, "padding-to-make-a-long-plan-line-xxxxxxxx")]])\n}\n';
    const before = gh.requests.length;
    const run = await plan({ name: 'big', pr: PR, files, state: 'big' });
    expectSuccess(run);
    const calls = gh.requests.slice(before);
    const text = await readFile(join(s.dir, 'big', 'plan.txt'), 'utf8');
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const parts = commentsOn(PR);
    expect(parts.length).toBeGreaterThan(16);
    for (const part of parts) expect(part.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    // The plan text sits in a collapsed block: every cut falls inside it, so each part but the last
    // closes the fence and </details>, and each part but the first reopens both, saying which part
    // it is, so GitHub renders every comment on its own.
    const n = parts.length;
    parts.forEach((part, i) => {
      const k = i + 1;
      if (k < n) expect(part.body.endsWith('\n```\n\n</details>')).toBe(true);
      if (k > 1)
        expect(part.body).toMatch(
          new RegExp(
            `^<!-- hubfleet:sticky:\\S+ part=${k}/${n} wrap=\\d+,\\d+ -->\\n_\\(part ${k} of ${n}\\)_\\n\\n` +
              `<details><summary>Plan text \\(\\d+ lines, Terraform [\\d.]+\\) \\(continued, part ${k} of ${n}\\)</summary>\\n\\n\`\`\`text\\n`,
          ),
        );
    });
    const body = joinStickyParts(parts);
    expect(body).toContain(text.replace(/\n$/, ''));
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${REPOSITORY}/issues/${PR}/comments`,
      ...parts.map(() => `POST /repos/${REPOSITORY}/issues/${PR}/comments`),
    ]);
    expect(calls.length).toBeLessThanOrEqual(20);
    // The job summary stays inside GitHub's 1 MiB limit.
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
  });
});

describeTf('plan-cluster failures', () => {
  it('refuses a bad config with file:line annotations, before any terraform', async () => {
    const files = checkout();
    const hub = cluster.hubs[0]?.config.name ?? '';
    const path = `config/clusters/${CLUSTER}/hubs/${hub}.yaml`;
    files[path] = (files[path] ?? '').replace(/^stage: \w+$/m, 'stage: production');
    const line = (files[path] ?? '').split('\n').findIndex((l) => l === 'stage: production') + 1;
    const failed = await plan({ name: 'bad-config', files });
    expect(failed.exitCode).toBe(1);
    const errors = failed.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(2);
    expect(errors[0]?.properties).toEqual({
      file: path,
      line: String(line),
      col: '8',
      title: 'hubfleet config: stage',
    });
    expect(errors[1]?.message).toMatch(
      new RegExp(
        `^the fleet config in config has 1 error: ${path}:${line}:8: stage: .*; fix the files named in the annotations`,
      ),
    );
    expect(failed.stdout).not.toContain('terraform init');
  });

  it('refuses an unknown cluster, naming the ones there are', async () => {
    const failed = await plan({ name: 'unknown', inputs: { cluster: 'no-such-cluster' } });
    expect(failed.exitCode).toBe(1);
    expect(failed.annotations.map((a) => a.message)).toEqual([
      'no cluster named no-such-cluster in config; use one of: pangeo-aws, pangeo-gcp',
    ]);
  });

  it('fails init with a message saying init failed and why, with Terraform’s stderr in the log', async () => {
    const files = checkout();
    files['terraform/gcp/main.tf'] = (files['terraform/gcp/main.tf'] ?? '').replace(
      'required_version = ">= 1.5"',
      'required_version = ">= 99.0"',
    );
    const failed = await plan({ name: 'init-fails-2', files });
    expect(failed.exitCode).toBe(1);
    const errors = failed.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^terraform init failed in .*\/terraform\/gcp \(exit 1\): Error: Unsupported Terraform Core version/,
    );
    expect(failed.stderr).toContain('Error: Unsupported Terraform Core version');
  });

  it('uses a committed lock file read-only: one that does not fit the module fails init, naming the lock file', async () => {
    const files = checkout();
    // The fixture needs only builtin providers; a lock naming google would change the selections.
    files['terraform/gcp/.terraform.lock.hcl'] =
      'provider "registry.terraform.io/hashicorp/google" {\n  version     = "6.50.0"\n  constraints = "~> 6.50"\n  hashes = [\n    "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",\n  ]\n}\n';
    const failed = await plan({ name: 'lock-does-not-fit', files });
    expect(failed.exitCode).toBe(1);
    const errors = failed.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^terraform init failed in .*\/terraform\/gcp \(exit 1\): Error: Provider dependency changes detected .*; the provider lock file \(\.terraform\.lock\.hcl\) does not fit the module's required_providers/,
    );
    expect(failed.stdout).toContain('-lockfile=readonly');
  });

  it('fails plan with a message saying plan failed and why, and withdraws the plan comment', async () => {
    const PR = 41;
    expectSuccess(await plan({ name: 'plan-ok', pr: PR, state: 'plan-fails' }));
    const ids = commentsOn(PR).map((c) => c.id);
    const files = checkout();
    files['terraform/gcp/broken.tf'] = 'output "broken" {\n  value = var.no_such_variable\n}\n';
    const failed = await plan({ name: 'plan-fails', files, pr: PR, state: 'plan-fails' });
    expect(failed.exitCode).toBe(1);
    const errors = failed.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors).toEqual([
      expect.stringMatching(
        /^terraform plan failed in .*\/terraform\/gcp \(exit 1\): Error: Reference to undeclared input variable/,
      ) as unknown as string,
    ]);
    expect(failed.stderr).toContain('Error: Reference to undeclared input variable');
    // The same comment now says the plan failed, with the same one line as the error.
    expect(commentsOn(PR).map((c) => c.id)).toEqual(ids);
    const body = joinStickyParts(commentsOn(PR));
    expect(body.split('\n')[0]).toBe(`### ❌ Terraform plan for ${CLUSTER} failed`);
    expect(body).toContain(`\`\`\`text\n${errors[0] ?? ''}\n\`\`\``);
    expect(tableRows(body)).toEqual([]);
    expect(failed.summary).toContain(`### ❌ Terraform plan for ${CLUSTER} failed`);
  });
});
