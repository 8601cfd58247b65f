import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../src/cli.js';
import { loadFleet } from '../../src/config/load.js';
import { renderFleetFiles } from '../../src/render/files.js';

let work = '';

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: work };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8' });
const hubFile = (cluster: string, hub: string): string =>
  join(work, `config/clusters/${cluster}/hubs/${hub}.yaml`);
/** The +/- lines of a diff, without the ---/+++ headers. */
const changedLines = (out: string): string[] => out.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-diff-'));
  cpSync('config', join(work, 'config'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.org');
  git('config', 'user.name', 'ci');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
  git('checkout', '-qb', 'pr');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet diff', () => {
  it('prints a unified diff per hub and file for a changed hub', async () => {
    const path = hubFile('pangeo-gcp', 'climate-staging');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace(
        'climate-staging.hubs.example.org',
        'climate-stage.hubs.example.org',
      ),
    );
    git('commit', '-qam', 'new domain');
    const r = await cli(['diff', '--base', 'main']);
    // Only the changed hub and its cluster's tfvars are rendered, at base and at head.
    expect(r).toEqual({
      code: 0,
      stderr:
        'hubfleet diff: rendered 1 of 2 clusters and 1 of 6 hubs at base and head: pangeo-gcp, pangeo-gcp/climate-staging\n',
      stdout: expect.any(String) as unknown as string,
    });
    expect(r.stdout.split('\n').filter((l) => /^(===|---|\+\+\+) /.test(l))).toEqual([
      '=== cluster pangeo-gcp (modified)',
      '--- a/pangeo-gcp/terraform.tfvars.json',
      '+++ b/pangeo-gcp/terraform.tfvars.json',
      '=== pangeo-gcp/climate-staging (modified)',
      '--- a/pangeo-gcp/hubs/climate-staging/manifests.yaml',
      '+++ b/pangeo-gcp/hubs/climate-staging/manifests.yaml',
    ]);
    expect(changedLines(r.stdout)).toEqual([
      '-      "domain": "climate-staging.hubs.example.org",',
      '+      "domain": "climate-stage.hubs.example.org",',
      // The certificate's name follows its domains, so the new one is issued beside the old one.
      '-  name: climate-staging-cert-e99bb28a',
      '+  name: climate-staging-cert-e2ebe43c',
      '-    - climate-staging.hubs.example.org',
      '+    - climate-stage.hubs.example.org',
      '-    networking.gke.io/managed-certificates: climate-staging-cert-e99bb28a',
      '+    networking.gke.io/managed-certificates: climate-staging-cert-e2ebe43c',
      '-    - host: climate-staging.hubs.example.org',
      '+    - host: climate-stage.hubs.example.org',
    ]);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('2 changed (0 added, 2 modified, 0 removed), 2 files');
  });

  it('shows an added hub in full, its secret only as the Secret name', async () => {
    const added = readFileSync(hubFile('pangeo-gcp', 'climate-staging'), 'utf8')
      .replace('name: climate-staging', 'name: tides-staging')
      .replace('climate-staging.hubs.example.org', 'tides-staging.hubs.example.org')
      .replace('IAP_OAUTH_CLIMATE_STAGING', 'IAP_OAUTH_TIDES_STAGING');
    writeFileSync(hubFile('pangeo-gcp', 'tides-staging'), added);
    git('add', '-A');
    git('commit', '-qm', 'add tides');
    const canary = 'canary-secret-value-3f9a';
    const r = await cli(['diff', '--base', 'main'], { IAP_OAUTH_TIDES_STAGING: canary });
    expect(r.code).toBe(0);
    const loaded = await loadFleet(join(work, 'config'), { displayRoot: work });
    if (!loaded.ok) throw new Error('fleet must load');
    const rendered = renderFleetFiles(loaded.fleet, { cluster: 'pangeo-gcp', hub: 'tides-staging' });
    const hubBlock = r.stdout.slice(r.stdout.indexOf('=== pangeo-gcp/tides-staging (added)'));
    // Every rendered line of the new hub, as an addition, file by file.
    const expected = [...rendered]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .flatMap((f) =>
        f.content
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => `+${line}`),
      );
    expect(changedLines(hubBlock)).toEqual(expected);
    expect(hubBlock).toContain('secretName: tides-staging-iap-oauth');
    expect(r.stdout).not.toContain(canary);
  });

  it('shows a removed hub in full', async () => {
    const loaded = await loadFleet(join(work, 'config'), { displayRoot: work });
    if (!loaded.ok) throw new Error('fleet must load');
    const before = renderFleetFiles(loaded.fleet, { cluster: 'pangeo-aws', hub: 'glacier-staging' });
    unlinkSync(hubFile('pangeo-aws', 'glacier-staging'));
    git('commit', '-qam', 'remove glacier-staging');
    const r = await cli(['diff', '--base', 'main']);
    const hubBlock = r.stdout.slice(r.stdout.indexOf('=== pangeo-aws/glacier-staging (removed)'));
    expect(changedLines(hubBlock.slice(0, hubBlock.indexOf('\n\n') + 1 || undefined)).length).toBeGreaterThan(
      0,
    );
    expect(changedLines(hubBlock).filter((l) => l.startsWith('-'))).toEqual(
      [...before]
        .sort((a, b) => (a.path < b.path ? -1 : 1))
        .flatMap((f) =>
          f.content
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `-${line}`),
        ),
    );
  });

  it('says so when nothing rendered differs, rendering nothing when no config file changed', async () => {
    expect(await cli(['diff', '--base', 'main'])).toEqual({
      code: 0,
      stderr:
        'hubfleet diff: rendered 0 of 2 clusters and 0 of 6 hubs at base and head (no file under --config changed)\n',
      stdout: 'no rendered file differs\n',
    });
  });

  it('fails (1) naming the file when the head does not validate', async () => {
    const path = hubFile('pangeo-gcp', 'climate-staging');
    writeFileSync(path, readFileSync(path, 'utf8').replace('stage: staging', 'stage: testing'));
    git('commit', '-qam', 'bad stage');
    const r = await cli(['diff', '--base', 'main']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^config\/clusters\/pangeo-gcp\/hubs\/climate-staging\.yaml:3:8: stage: must be one of staging, prod \(got "testing"\)$/m,
    );
    expect(r.stderr).toContain('the fleet at head HEAD does not validate');
  });

  it.each([
    [['diff'], '--base REF is required'],
    [['diff', '--base', 'main', '--format', 'html'], '--format must be text or markdown, not "html"'],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`hubfleet diff: ${message}`);
  });
});

describe('hubfleet targets', () => {
  it('gives every cluster, and the GKE clusters apart for the certificate check', async () => {
    const output = join(work, 'github-output-all');
    writeFileSync(output, '');
    const r = await cli(['targets', '--github-output'], { GITHUB_OUTPUT: output });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const printed = JSON.parse(r.stdout) as {
      clusters: { include: Array<{ cluster: string; provider: string }> };
    };
    expect(printed.clusters.include.map((c) => [c.cluster, c.provider])).toEqual([
      ['pangeo-aws', 'aws'],
      ['pangeo-gcp', 'gcp'],
    ]);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      `clusters=${JSON.stringify(printed.clusters)}`,
      'has-clusters=true',
      `gke-clusters=${JSON.stringify({ include: printed.clusters.include.filter((c) => c.provider === 'gcp') })}`,
      'has-gke=true',
      `hub=${JSON.stringify({ include: [] })}`,
      'has-hub=false',
      // The example fleet sets no images.mirror.
      `mirror-clusters=${JSON.stringify({ include: [] })}`,
      'has-mirror=false',
    ]);
  });

  it('says a fleet without clusters has none, so the scheduled checks skip their empty matrices', async () => {
    rmSync(join(work, 'config/clusters'), { recursive: true });
    mkdirSync(join(work, 'config/clusters'));
    writeFileSync(join(work, 'config/clusters/.gitkeep'), '');
    const output = join(work, 'github-output-empty');
    writeFileSync(output, '');
    const r = await cli(['targets', '--github-output'], { GITHUB_OUTPUT: output });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readFileSync(output, 'utf8').trim().split('\n')).toEqual([
      'clusters={"include":[]}',
      'has-clusters=false',
      'gke-clusters={"include":[]}',
      'has-gke=false',
      'hub={"include":[]}',
      'has-hub=false',
      'mirror-clusters={"include":[]}',
      'has-mirror=false',
    ]);
  });

  it('gives the validated row of one hub, for a manual run', async () => {
    const output = join(work, 'github-output');
    writeFileSync(output, '');
    const r = await cli(['targets', '--cluster', 'pangeo-gcp', '--hub', 'climate', '--github-output'], {
      GITHUB_OUTPUT: output,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as {
      clusters: { include: Array<Record<string, unknown>> };
      hub: { include: Array<Record<string, unknown>> };
    };
    expect(printed.hub.include).toEqual([
      expect.objectContaining({
        cluster: 'pangeo-gcp',
        hub: 'climate',
        stage: 'prod',
        environment: 'pangeo-gcp-prod',
        provider: 'gcp',
      }),
    ]);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split('=')[0])).toEqual([
      'clusters',
      'has-clusters',
      'gke-clusters',
      'has-gke',
      'hub',
      'has-hub',
      'mirror-clusters',
      'has-mirror',
    ]);
    expect(lines[1]).toBe('has-clusters=true');
    expect(lines[2]).toBe(`gke-clusters=${JSON.stringify(printed.clusters)}`);
    expect(lines[3]).toBe('has-gke=true');
    expect(lines[5]).toBe('has-hub=true');
  });

  it('lists every cluster with its hubs when nothing is selected', async () => {
    const r = await cli(['targets']);
    const printed = JSON.parse(r.stdout) as {
      clusters: { include: Array<{ cluster: string; hubs: string }> };
    };
    expect(printed.clusters.include.map((c) => [c.cluster, c.hubs])).toEqual([
      ['pangeo-aws', 'glacier,glacier-staging'],
      ['pangeo-gcp', 'climate,climate-staging,ocean,ocean-staging'],
    ]);
  });

  it.each([
    [
      ['--cluster', 'pangeo-gpc'],
      'no cluster named "pangeo-gpc"; did you mean pangeo-gcp?\nnext: use one of: pangeo-aws, pangeo-gcp',
    ],
    [
      ['--cluster', 'pangeo-gcp', '--hub', 'climat'],
      'no hub named "climat" on cluster pangeo-gcp; did you mean climate?\nnext: use one of: climate, climate-staging, ocean, ocean-staging',
    ],
  ])('refuses an unknown name as a usage error (2) before anything runs: %j', async (args, message) => {
    const r = await cli(['targets', ...args]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `hubfleet targets: ${message}\n` });
  });

  it('refuses an EKS hub with --gke-only (recreate-cert) before anything runs, writing no output', async () => {
    const output = join(work, 'github-output-eks');
    writeFileSync(output, '');
    const r = await cli(
      ['targets', '--cluster', 'pangeo-aws', '--hub', 'glacier', '--gke-only', '--github-output'],
      {
        GITHUB_OUTPUT: output,
      },
    );
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "hubfleet targets: cluster pangeo-aws is on aws: only GKE clusters have ManagedCertificates\nnext: an EKS hub's load balancer serves an ACM certificate, which AWS issues and renews: there is nothing to recreate; pick a hub on a GKE cluster (pangeo-gcp)\n",
    });
    expect(readFileSync(output, 'utf8')).toBe('');
  });

  it('gives a GKE hub with --gke-only as without it', async () => {
    const args = ['targets', '--cluster', 'pangeo-gcp', '--hub', 'climate'];
    const plain = await cli(args);
    expect(await cli([...args, '--gke-only'])).toEqual({ code: 0, stdout: plain.stdout, stderr: '' });
  });

  it('needs the cluster with --gke-only (2)', async () => {
    const r = await cli(['targets', '--gke-only']);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'hubfleet targets: --gke-only needs --cluster']);
  });

  it('needs the cluster with a hub (2)', async () => {
    expect((await cli(['targets', '--hub', 'climate'])).code).toBe(2);
  });
});
