import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli.js';
import { loadFleet } from '../../src/config/load.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

let work = '';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = work): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env,
    cwd,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: work, encoding: 'utf8' });
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-cli-'));
  cpSync('config', join(work, 'config'), { recursive: true });
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet CLI: usage', () => {
  it.each(['validate', 'affected', 'render', 'new-hub'])(
    '%s --help prints its usage and exits 0',
    async (command) => {
      const r = await cli([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`hubfleet ${command}`);
    },
  );

  it('no command is a usage error (2) listing the commands', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/validate[\s\S]*affected[\s\S]*render[\s\S]*new-hub/);
  });

  it('an unknown command or option is a usage error (2)', async () => {
    expect((await cli(['deploy'])).code).toBe(2);
    const r = await cli(['validate', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
  });
});

describe('hubfleet validate', () => {
  it('accepts the example fleet', async () => {
    const r = await cli(['validate']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fleet is valid: 2 clusters, 6 hubs/);
  });

  it('reports every problem with file:line:col and exits 1; annotations inside GitHub Actions', async () => {
    const hub = join(work, 'config/clusters/pangeo-gcp/hubs');
    const file = readdirSync(hub).find((f) => f.endsWith('.yaml')) ?? '';
    const text = readFileSync(join(hub, file), 'utf8');
    writeFileSync(
      join(hub, file),
      text.replace(/^stage: .*$/m, 'stage: production').replace(/^chart:/m, 'chrt:'),
    );
    const r = await cli(['validate'], { GITHUB_ACTIONS: 'true' });
    expect(r.code).toBe(1);
    const path = `config/clusters/pangeo-gcp/hubs/${file}`;
    expect(r.stderr).toMatch(new RegExp(`${path}:\\d+:\\d+: stage: `));
    expect(r.stderr).toMatch(new RegExp(`${path}:\\d+:\\d+: chrt: .*chart`));
    expect(r.stdout).toMatch(new RegExp(`::error file=${path},line=\\d+,col=\\d+`));
    expect(r.stderr).toMatch(/nothing was changed/);
  });
});

describe('hubfleet render', () => {
  it('writes tfvars, values and manifests, deterministically, and prints a table', async () => {
    const first = await cli(['render', '--out', 'out1']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/cluster\s+hub\s+stage\s+domain\s+files written/);
    expect(existsSync(join(work, 'out1/pangeo-gcp/terraform.tfvars.json'))).toBe(true);
    const second = await cli(['render', '--out', 'out2']);
    expect(second.code).toBe(0);
    const list = (dir: string): string[] =>
      readdirSync(join(work, dir), { recursive: true, encoding: 'utf8' }).sort();
    expect(list('out2')).toEqual(list('out1'));
    for (const f of list('out1').filter((p) => p.includes('.'))) {
      expect(readFileSync(join(work, 'out2', f), 'utf8')).toBe(readFileSync(join(work, 'out1', f), 'utf8'));
    }
    const values = list('out1').filter((p) => p.endsWith('values.yaml'));
    expect(values).toHaveLength(6);
  });

  it('renders one hub only with --cluster and --hub', async () => {
    const fleet = await loadFleet(join(work, 'config'), { displayRoot: work });
    if (!fleet.ok) throw new Error('example fleet must load');
    const hub = fleet.fleet.clusters[0]?.hubs[0]?.config.name ?? '';
    const cluster = fleet.fleet.clusters[0]?.config.name ?? '';
    const r = await cli(['render', '--out', 'one', '--cluster', cluster, '--hub', hub]);
    expect(r.code).toBe(0);
    const files = readdirSync(join(work, 'one'), { recursive: true, encoding: 'utf8' }).filter((p) =>
      p.includes('.'),
    );
    expect(files.sort()).toEqual([
      `${cluster}/hubs/${hub}/.hubfleet-rendered`,
      `${cluster}/hubs/${hub}/manifests.yaml`,
      `${cluster}/hubs/${hub}/values.yaml`,
    ]);
  });

  it('refuses an unknown cluster and --hub without --cluster as usage errors (2)', async () => {
    const unknown = await cli(['render', '--out', 'x', '--cluster', 'nope']);
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hubfleet render: no cluster named "nope"\nnext: use one of: pangeo-aws, pangeo-gcp\n',
    });
    expect(existsSync(join(work, 'x'))).toBe(false);
    expect((await cli(['render', '--out', 'x', '--hub', 'a'])).code).toBe(2);
    expect((await cli(['render'])).code).toBe(2);
  });
});

describe('hubfleet new-hub', () => {
  const gkeHub = ['--cluster', 'pangeo-gcp', '--name', 'seaice', '--domain', 'seaice.hubs.example.org'];

  it('writes a GKE hub file that validates and starts with the schema line', async () => {
    const r = await cli(['new-hub', ...gkeHub, '--member', 'group:seaice@example.org', '--chart', 'daskhub']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(join(work, 'config/clusters/pangeo-gcp/hubs/seaice.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../schema/hub.schema.json');
    // The trust model in the file itself: values are empty, the platform file is named.
    expect(text.split('\n').slice(-6)).toEqual([
      '# Chart values (daskhub: z2jh values under jupyterhub:, Dask Gateway under dask-gateway:): images, resources, profile lists, storage, culling and user',
      '# environment are yours to set (README "What a hub file may change"). Privileged values',
      '# (extraConfig, authenticator, spawner identity, hub mounts, pod security, networking) go in',
      '# config/clusters/pangeo-gcp/platform/seaice.yaml, which the platform team owns (CODEOWNERS).',
      'values: {}',
      '',
    ]);
    const after = await loadFleet(join(work, 'config'), { displayRoot: work });
    expect(after.ok).toBe(true);
    if (after.ok) {
      const hub = after.fleet.clusters
        .find((c) => c.config.name === 'pangeo-gcp')
        ?.hubs.find((h) => h.config.name === 'seaice');
      expect(hub?.config).toMatchObject({
        stage: 'staging',
        chart: { name: 'daskhub' },
        iap: { members: ['group:seaice@example.org'], oauthClient: 'google-managed' },
      });
    }
  });

  it('writes an EKS hub that signs in with GitHub', async () => {
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-aws',
      '--name',
      'icesheet',
      '--domain',
      'icesheet.aws.example.org',
      '--github-org',
      'glacier-lab',
      '--stage',
      'prod',
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(work, 'config/clusters/pangeo-aws/hubs/icesheet.yaml'), 'utf8');
    expect(text).toContain('secret: GITHUB_OAUTH_ICESHEET');
    expect((await cli(['validate'])).code).toBe(0);
  });

  it('refuses to overwrite an existing hub and leaves it untouched', async () => {
    const existing = readdirSync(join(work, 'config/clusters/pangeo-gcp/hubs'))[0] ?? '';
    const path = join(work, 'config/clusters/pangeo-gcp/hubs', existing);
    const before = readFileSync(path, 'utf8');
    const name = existing.replace(/\.yaml$/, '');
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-gcp',
      '--name',
      name,
      '--domain',
      'fresh.example.org',
      '--member',
      'group:a@example.org',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/exists: hub .* is taken/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('refuses a domain already in use anywhere in the fleet', async () => {
    const fleet = await loadFleet(join(work, 'config'), { displayRoot: work });
    if (!fleet.ok) throw new Error('example fleet must load');
    const taken = fleet.fleet.clusters.find((c) => c.config.provider === 'aws')?.hubs[0]?.config.domain ?? '';
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-gcp',
      '--name',
      'dup',
      '--domain',
      taken,
      '--member',
      'group:a@example.org',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`domain ${taken} is taken by config/clusters/pangeo-aws/hubs/`);
    expect(existsSync(join(work, 'config/clusters/pangeo-gcp/hubs/dup.yaml'))).toBe(false);
  });

  it('writes nothing when the new hub would not validate', async () => {
    // A DNS label (so the CLI takes it) longer than a helm release name may be (53).
    const long = `hub-${'a'.repeat(56)}`;
    const r = await cli([
      'new-hub',
      '--cluster',
      'pangeo-gcp',
      '--name',
      long,
      '--domain',
      'x.example.org',
      '--member',
      'group:a@example.org',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${long}\\.yaml:\\d+:\\d+: name: `));
    expect(r.stderr).toMatch(/was not written/);
    expect(existsSync(join(work, `config/clusters/pangeo-gcp/hubs/${long}.yaml`))).toBe(false);
  });

  it('asks for --member on GKE and rejects bad enums as usage errors (2)', async () => {
    const noMember = await cli(['new-hub', ...gkeHub]);
    expect(noMember.code).toBe(2);
    expect(noMember.stderr).toMatch(/--member group:/);
    expect(
      (await cli(['new-hub', ...gkeHub, '--member', 'group:a@example.org', '--stage', 'live'])).code,
    ).toBe(2);
    expect((await cli(['new-hub', '--cluster', 'pangeo-gcp'])).code).toBe(2);
  });
});

describe('hubfleet affected', () => {
  beforeEach(() => {
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.org');
    git('config', 'user.name', 'ci');
    git('add', '-A');
    git('commit', '-qm', 'fleet');
    git('checkout', '-qb', 'pr');
  });

  it('prints the matrices for a changed hub, staging first, and appends them to $GITHUB_OUTPUT', async () => {
    const fleet = await loadFleet(join(work, 'config'), { displayRoot: work });
    if (!fleet.ok) throw new Error('example fleet must load');
    const gcp = fleet.fleet.clusters.find((c) => c.config.name === 'pangeo-gcp');
    const prodHub = gcp?.hubs.find((h) => h.config.stage === 'prod');
    if (gcp === undefined || prodHub === undefined) throw new Error('example fleet needs a prod GKE hub');
    const path = join(work, prodHub.file);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n# a reviewed change\n`);
    git('commit', '-qam', 'change a prod hub');

    const output = join(work, 'github-output');
    writeFileSync(output, '');
    const r = await cli(['affected', '--base', 'main', '--github-output'], { GITHUB_OUTPUT: output });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as {
      clusters: { include: Array<{ cluster: string }> };
      staging: { include: Array<{ hubs: string }> };
      prod: { include: Array<{ hubs: string; environment: string }> };
    };
    expect(printed.clusters.include.map((c) => c.cluster)).toEqual(['pangeo-gcp']);
    expect(printed.prod.include).toEqual([
      expect.objectContaining({ hubs: prodHub.config.name, environment: 'pangeo-gcp-prod' }),
    ]);
    const staging = gcp.hubs.filter((h) => h.config.stage === 'staging').map((h) => h.config.name);
    expect(printed.staging.include.map((h) => h.hubs)).toEqual([staging.join(',')]);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toContain('has-prod=true');
    expect(lines).toContain('has-remove=false');
    expect(lines.find((l) => l.startsWith('prod='))).toBe(`prod=${JSON.stringify(printed.prod)}`);
  });

  it('honours labels: skip-deploy leaves only the plans', async () => {
    writeFileSync(
      join(work, 'config/clusters/pangeo-aws/cluster.yaml'),
      `${readFileSync(join(work, 'config/clusters/pangeo-aws/cluster.yaml'), 'utf8')}# x\n`,
    );
    git('commit', '-qam', 'touch aws cluster');
    const r = await cli(['affected', '--base', 'main', '--labels', 'hubfleet:skip-deploy, other']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as {
      clusters: { include: unknown[] };
      staging: { include: unknown[] };
      prod: { include: unknown[] };
    };
    expect(printed.clusters.include).toHaveLength(1);
    expect(printed.staging.include).toEqual([]);
    expect(printed.prod.include).toEqual([]);
  });

  describe('a GKE cluster switched from createCluster: true to false', () => {
    const path = 'config/clusters/pangeo-gcp/cluster.yaml';
    const created =
      '  createCluster: true\n  masterIpv4CidrBlock: 172.16.0.0/28\n  subnetwork: pangeo-nodes\n';
    beforeEach(() => {
      const file = join(work, path);
      const adopted = readFileSync(file, 'utf8');
      git('checkout', '-q', 'main');
      writeFileSync(
        file,
        adopted.replace('  privateEndpoint: true\n', `  privateEndpoint: true\n${created}`),
      );
      git('commit', '-qam', 'create the GKE cluster');
      git('checkout', '-qB', 'pr');
    });

    it('is refused whatever the flags: exit 1 after the JSON, with the hand-over steps, an annotation in GitHub Actions', async () => {
      const file = join(work, path);
      // The settings of a created cluster go too (the validator refuses them on an adopted one).
      writeFileSync(file, readFileSync(file, 'utf8').replace(created, ''));
      git('commit', '-qam', 'adopt instead');
      const r = await cli(['affected', '--base', 'main'], { GITHUB_ACTIONS: 'true' });
      const message =
        "gcp.createCluster changes from true to false: the cluster's Terraform state created GKE cluster " +
        'pangeo, so the plan of this change destroys its node pool (every user server on it), its Cloud NAT, ' +
        'control-plane firewall rule and node service account, and then the cluster. To hand the cluster ' +
        'over to adoption without destroying anything, keep createCluster: true and first make the state ' +
        "forget those resources (the cloud keeps them): on the in-VPC runner, after terraform init with the cluster's " +
        "backend, run terraform state rm 'google_container_cluster.this[0]' 'google_container_node_pool.core[0]' " +
        "'google_compute_router.nat[0]' 'google_compute_router_nat.nodes[0]' " +
        "'google_compute_firewall.control_plane_to_proxy[0]' 'google_service_account.nodes[0]' " +
        '\'google_project_iam_member.nodes["roles/artifactregistry.reader"]\' ' +
        '\'google_project_iam_member.nodes["roles/container.defaultNodeServiceAccount"]\' ' +
        '(or, in a module you own, a removed { from = <address> lifecycle { destroy = false } } block per ' +
        'resource and an apply). Then set createCluster: false; the next plan only reads the cluster.';
      expect(r.code).toBe(1);
      // Outside GitHub Actions the same JSON and message, without the workflow command.
      const plain = await cli(['affected', '--base', 'main']);
      expect(plain.code).toBe(1);
      expect(JSON.parse(plain.stdout)).toHaveProperty('clusters');
      expect(r.stdout).toBe(
        `${plain.stdout}::error file=${path},title=createCluster switch refused::${message}\n`,
      );
      expect(r.stderr).toBe(
        `${path}: ${message}\n\n1 cluster switched from createCluster: true to false: refused (the plan would destroy it)\n`,
      );
    });

    it('passes while the cluster stays created, and for a cluster that starts being created', async () => {
      expect((await cli(['affected', '--base', 'main'])).code).toBe(0);
      expect((await cli(['affected', '--base', 'main~1'])).code).toBe(0);
    });
  });

  describe('a hub file deleted without hubfleet:remove-hub', () => {
    const path = 'config/clusters/pangeo-gcp/hubs/climate-staging.yaml';
    const message =
      "deleted without the label hubfleet:remove-hub, so the hub stays installed while the cluster's " +
      'Terraform plan destroys its static IP, DNS record, IAP access, service account and buckets: the ' +
      'hub would go offline, and the apply would stop on the static IP its load balancer still uses. ' +
      'To remove the hub, add the label hubfleet:remove-hub to the pull request: the hub is then ' +
      "uninstalled first, and its namespace and users' home directories are kept. To keep the hub, " +
      'restore the file. After a merge, every deploy stops here until a pull request that restores ' +
      "the file is merged (a later pull request's label covers only the files it deletes itself: to " +
      'remove the hub then, restore the file and delete it again with the label).';
    const refusedCount =
      '\n1 hub file deleted without the label hubfleet:remove-hub: refused (--refuse-unlabelled-removals)\n';
    const gcpTarget = {
      cluster: 'pangeo-gcp',
      provider: 'gcp',
      runner: ['self-hosted', 'pangeo-gcp'],
      gcpProject: 'pangeo-prod',
      gcpLocation: 'us-central1-b',
      gcpClusterName: 'pangeo',
      gcpWorkloadIdentityProvider:
        'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github',
      gcpServiceAccount: 'deployer@pangeo-prod.iam.gserviceaccount.com',
      awsRoleArn: '',
      awsRegion: '',
      awsClusterName: '',
    };

    beforeEach(() => {
      git('rm', '-q', path);
      git('commit', '-qm', 'remove climate-staging');
    });

    it('--help names the flag in the usage line', async () => {
      const r = await cli(['affected', '--help']);
      expect(r.stdout.split('\n\n')[0]).toBe(
        'hubfleet affected --base REF [--head REF] [--labels a,b] [--labels-since REF] [--format json|text]\n' +
          '                  [--config DIR] [--github-output] [--refuse-unlabelled-removals]',
      );
    });

    it('is planned as kept (exit 0, no error) by default, as before the gate', async () => {
      const r = await cli(['affected', '--base', 'main'], { GITHUB_ACTIONS: 'true' });
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const printed = JSON.parse(r.stdout) as { remove: unknown; uninstall: unknown; reasons: unknown };
      expect(printed.remove).toEqual({
        include: [{ ...gcpTarget, action: 'keep', hubs: 'climate-staging' }],
      });
      expect(printed.uninstall).toEqual({ include: [] });
      expect(printed.reasons).toEqual([
        {
          path,
          effect:
            'plan pangeo-gcp (shows removal); climate-staging stays installed and its data is kept (add hubfleet:remove-hub to uninstall)',
        },
      ]);
    });

    it('is refused with --refuse-unlabelled-removals: exit 1 after the same JSON and $GITHUB_OUTPUT lines, an annotation in GitHub Actions', async () => {
      const plain = await cli(['affected', '--base', 'main']);
      const output = join(work, 'github-output');
      writeFileSync(output, '');
      const plainOutput = join(work, 'github-output-plain');
      writeFileSync(plainOutput, '');
      await cli(['affected', '--base', 'main', '--github-output'], { GITHUB_OUTPUT: plainOutput });

      const r = await cli(['affected', '--base', 'main', '--github-output', '--refuse-unlabelled-removals'], {
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
      });
      expect(r).toEqual({
        code: 1,
        stdout: `${plain.stdout}::error file=${path},title=hub removal refused::${message}\n`,
        stderr: `${path}: ${message}\n${refusedCount}`,
      });
      expect(readFileSync(output, 'utf8')).toBe(readFileSync(plainOutput, 'utf8'));
      expect(readFileSync(output, 'utf8').split('\n')).toContain('has-clusters=true');

      // Outside GitHub Actions: no workflow command, the same message.
      expect(await cli(['affected', '--base', 'main', '--refuse-unlabelled-removals'])).toEqual({
        code: 1,
        stdout: plain.stdout,
        stderr: `${path}: ${message}\n${refusedCount}`,
      });
    });

    it('passes with the label: the hub is uninstalled (exit 0, no error)', async () => {
      const r = await cli(
        ['affected', '--base', 'main', '--labels', 'hubfleet:remove-hub', '--refuse-unlabelled-removals'],
        { GITHUB_ACTIONS: 'true' },
      );
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const printed = JSON.parse(r.stdout) as { remove: unknown; uninstall: unknown };
      expect(printed.remove).toEqual({
        include: [{ ...gcpTarget, action: 'uninstall', hubs: 'climate-staging' }],
      });
      expect(printed.uninstall).toEqual({
        include: [
          {
            ...gcpTarget,
            action: 'uninstall',
            hubs: 'climate-staging',
            hubCount: 1,
            helmTimeout: '10m',
            timeoutMinutes: 36,
            environment: 'pangeo-gcp-prod',
          },
        ],
      });
    });

    it('names every refused file by its path in the repository when --config is elsewhere', async () => {
      // A fleet whose config lives in fleet/ at both ends of the diff.
      git('checkout', '-q', 'main');
      git('mv', 'config', 'fleet');
      git('commit', '-qm', 'the config moves to fleet/');
      git('checkout', '-qb', 'pr-in-fleet');
      git('rm', '-q', 'fleet/clusters/pangeo-gcp/hubs/climate-staging.yaml');
      git('rm', '-q', 'fleet/clusters/pangeo-aws/hubs/glacier.yaml');
      git('commit', '-qm', 'remove climate-staging and glacier');
      const r = await cli([
        'affected',
        '--base',
        'main',
        '--config',
        'fleet',
        '--refuse-unlabelled-removals',
      ]);
      const awsMessage =
        "deleted without the label hubfleet:remove-hub, so the hub stays installed while the cluster's " +
        "Terraform plan destroys its IRSA role and buckets: its users' pods would lose their cloud " +
        'identity. To remove the hub, add the label hubfleet:remove-hub to the pull request: the hub ' +
        "is then uninstalled first, and its namespace and users' home directories are kept. To keep " +
        'the hub, restore the file. After a merge, every deploy stops here until a pull request that ' +
        "restores the file is merged (a later pull request's label covers only the files it deletes " +
        'itself: to remove the hub then, restore the file and delete it again with the label).';
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 1,
        stderr:
          `fleet/clusters/pangeo-aws/hubs/glacier.yaml: ${awsMessage}\n` +
          `fleet/clusters/pangeo-gcp/hubs/climate-staging.yaml: ${message}\n` +
          '\n2 hub files deleted without the label hubfleet:remove-hub: refused (--refuse-unlabelled-removals)\n',
      });
    });
  });

  it('refuses (2) a base ref that is not in the clone, saying how to fetch it', async () => {
    const r = await cli(['affected', '--base', 'origin/nowhere']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hubfleet affected: --base origin/nowhere is not a commit in this clone\nnext: fetch it first (CI: actions/checkout with fetch-depth: 0 so the base commit is present)\n',
    });
  });

  it('needs --base (2)', async () => {
    expect((await cli(['affected'])).code).toBe(2);
  });
});
