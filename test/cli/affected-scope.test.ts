// `hubfleet affected` through the real CLI and real git: what counts as a fleet change. The
// remove-hub label speaks only for the merged change (--labels-since), paths outside --config are
// never fleet changes, and a symbolic link committed under the config directory is refused.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renameMessage } from '../../src/plan/cluster-rename.js';
import { runInProcess } from '../support/cli-runs.js';

let work = '';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, work);
}

const git = (...args: string[]): string => execFileSync('git', args, { cwd: work, encoding: 'utf8' }).trim();

interface Printed {
  remove: { include: Array<{ cluster: string; action: string; hubs: string }> };
  clusters: { include: Array<{ cluster: string }> };
  reasons: Array<{ path: string; effect: string }>;
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-scope-'));
  cpSync('config', join(work, 'config'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.org');
  git('config', 'user.name', 'ci');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet:remove-hub after a merge (--labels-since)', () => {
  const unlabelled = 'config/clusters/pangeo-gcp/hubs/climate-staging.yaml';
  const labelled = 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml';
  let since = '';

  beforeEach(() => {
    // PR 1 deleted climate-staging without the label; its deploy stopped at the gate, so the last
    // good deploy is still `main`. PR 2, labelled hubfleet:remove-hub, deletes glacier-staging.
    git('checkout', '-qb', 'deployed');
    git('checkout', '-q', 'main');
    git('rm', '-q', unlabelled);
    git('commit', '-qm', 'PR 1: remove climate-staging (no label)');
    since = git('rev-parse', 'HEAD');
    git('rm', '-q', labelled);
    git('commit', '-qm', 'PR 2: remove glacier-staging (labelled)');
  });

  it('uninstalls only the hub the labelled change deleted; the earlier deletion stays refused', async () => {
    const r = await cli([
      'affected',
      '--base',
      'deployed',
      '--labels',
      'hubfleet:remove-hub',
      '--labels-since',
      since,
      '--refuse-unlabelled-removals',
    ]);
    const printed = JSON.parse(r.stdout) as Printed;
    expect(printed.remove.include.map(({ cluster, action, hubs }) => ({ cluster, action, hubs }))).toEqual([
      { cluster: 'pangeo-aws', action: 'uninstall', hubs: 'glacier-staging' },
      { cluster: 'pangeo-gcp', action: 'keep', hubs: 'climate-staging' },
    ]);
    expect(printed.reasons.find((x) => x.path === unlabelled)?.effect).toBe(
      'plan pangeo-gcp (shows removal); climate-staging stays installed and its data is kept (an earlier change deleted it; hubfleet:remove-hub covers only the files its own pull request deleted)',
    );
    expect(r.code).toBe(1);
    // One refused file, the one deleted without its own label (the other lines are warnings).
    const refused = r.stderr.split('\n').filter((l) => l.includes(': deleted without the label'));
    expect(refused.map((l) => l.slice(0, l.indexOf(':')))).toEqual([unlabelled]);
    expect(r.stderr).not.toContain('glacier-staging');
  });

  it('without --labels-since the labels cover the whole diff, as for a pull request', async () => {
    const r = await cli([
      'affected',
      '--base',
      since,
      '--labels',
      'hubfleet:remove-hub',
      '--refuse-unlabelled-removals',
    ]);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as Printed;
    expect(printed.remove.include.map(({ action, hubs }) => ({ action, hubs }))).toEqual([
      { action: 'uninstall', hubs: 'glacier-staging' },
    ]);
  });
});

describe('paths outside --config', () => {
  it('never count as fleet changes, even when they look like config/clusters/...', async () => {
    git('mv', 'config', 'fleet');
    git('commit', '-qm', 'the fleet lives in fleet/');
    const base = git('rev-parse', 'HEAD');
    // A stray copy at the repository root, with a cluster file and a deleted-looking hub path.
    mkdirSync(join(work, 'config/clusters/pangeo-gcp/hubs'), { recursive: true });
    writeFileSync(join(work, 'config/clusters/pangeo-gcp/cluster.yaml'), 'name: pangeo-gcp\n');
    writeFileSync(join(work, 'config/clusters/pangeo-gcp/hubs/ocean.yaml'), 'name: ocean\n');
    git('add', '-A');
    git('commit', '-qm', 'a copy outside the fleet');
    const r = await cli(['affected', '--base', base, '--config', 'fleet']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(r.stdout) as Printed;
    expect(printed.clusters.include).toEqual([]);
    expect(printed.reasons).toEqual([
      { path: 'config/clusters/pangeo-gcp/cluster.yaml', effect: 'outside --config: no effect on the fleet' },
      {
        path: 'config/clusters/pangeo-gcp/hubs/ocean.yaml',
        effect: 'outside --config: no effect on the fleet',
      },
    ]);
  });
});

describe('a symbolic link committed under the config directory', () => {
  it('is refused at its path, read from git without following it', async () => {
    git('checkout', '-qb', 'pr');
    symlinkSync('ocean.yaml', join(work, 'config/clusters/pangeo-gcp/hubs/copy.yaml'));
    git('add', '-A');
    git('commit', '-qm', 'link a hub');
    const r = await cli(['affected', '--base', 'main']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'config/clusters/pangeo-gcp/hubs/copy.yaml:1:1: is a symbolic link; hubfleet never follows links under the config directory (one could point outside the repository or at another hub): replace it with the real file or directory',
    );
  });
});

describe('a renamed cluster directory', () => {
  it('is refused with the way to move hubs safely, before anything is planned', async () => {
    git('checkout', '-qb', 'pr');
    git('mv', 'config/clusters/pangeo-aws', 'config/clusters/eks-main');
    const file = join(work, 'config/clusters/eks-main/cluster.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: pangeo-aws', 'name: eks-main'));
    git('commit', '-qam', 'rename the EKS cluster directory');
    const r = await cli(['affected', '--base', 'main', '--refuse-unlabelled-removals']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      `config/clusters/eks-main/cluster.yaml: ${renameMessage('pangeo-aws', 'eks-main')}\n`,
    );
    expect(renameMessage('pangeo-aws', 'eks-main')).toContain(
      'cluster directory pangeo-aws was renamed to eks-main, but it is the same cluster',
    );
  });

  it('a new cluster next to a deleted one that shares nothing with it is no rename', async () => {
    git('checkout', '-qb', 'pr');
    git('rm', '-rq', 'config/clusters/pangeo-aws');
    git('commit', '-qm', 'drop the EKS cluster');
    const r = await cli(['affected', '--base', 'main']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { removedClusters: string[] }).removedClusters).toEqual(['pangeo-aws']);
  });
});
