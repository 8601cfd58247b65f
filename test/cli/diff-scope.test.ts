// `hubfleet diff` renders only what the change can alter; it says what it rendered on stderr.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli-runs.js';

let work = '';

async function diff(): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(['diff', '--base', 'main'], work);
}

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: work,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'ci',
      GIT_AUTHOR_EMAIL: 'ci@example.org',
      GIT_COMMITTER_NAME: 'ci',
      GIT_COMMITTER_EMAIL: 'ci@example.org',
    },
  });
}

function edit(path: string, from: string, to: string): void {
  const full = join(work, path);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no ${from}`);
  writeFileSync(full, text.replace(from, to));
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-diff-scope-'));
  cpSync('config', join(work, 'config'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
  git('checkout', '-qb', 'pr');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet diff renders what the change touches', () => {
  it('a changed hub file: that hub and its cluster tfvars', async () => {
    edit('config/clusters/pangeo-aws/hubs/glacier.yaml', 'deleteAfterDays: 7', 'deleteAfterDays: 8');
    git('commit', '-qam', 'glacier keeps scratch a day longer');
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'hubfleet diff: rendered 1 of 2 clusters and 1 of 6 hubs at base and head: pangeo-aws, pangeo-aws/glacier\n',
    );
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('1 changed (0 added, 1 modified, 0 removed), 1 files');
  });

  it('a changed cluster file: that cluster and all its hubs', async () => {
    edit('config/clusters/pangeo-aws/cluster.yaml', 'prefix: ', 'prefix: moved/');
    git('commit', '-qam', 'new state prefix');
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'hubfleet diff: rendered 1 of 2 clusters and 2 of 6 hubs at base and head: pangeo-aws, pangeo-aws/glacier, pangeo-aws/glacier-staging\n',
    );
  });

  it('a file outside the cluster and hub files under --config: the whole fleet', async () => {
    edit('config/schema/hub.schema.json', '"title"', '"$comment": "edited", "title"');
    git('commit', '-qam', 'schema comment');
    const r = await diff();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'hubfleet diff: rendered 2 of 2 clusters and 6 of 6 hubs at base and head: pangeo-aws, pangeo-aws/glacier, pangeo-aws/glacier-staging, pangeo-gcp, pangeo-gcp/climate, pangeo-gcp/climate-staging, pangeo-gcp/ocean, pangeo-gcp/ocean-staging\n',
    );
    expect(r.stdout).toBe('no rendered file differs\n');
  });

  it('a removed hub: rendered at base only, shown in full as removed', async () => {
    git('rm', '-q', 'config/clusters/pangeo-aws/hubs/glacier-staging.yaml');
    git('commit', '-qm', 'remove glacier-staging');
    const r = await diff();
    expect(r.stderr).toBe(
      'hubfleet diff: rendered 1 of 2 clusters and 1 of 5 hubs at base and head: pangeo-aws, pangeo-aws/glacier-staging\n',
    );
    expect(r.stdout.split('\n').filter((l) => l.startsWith('=== '))).toEqual([
      '=== cluster pangeo-aws (modified)',
      '=== pangeo-aws/glacier-staging (removed)',
    ]);
  });
});
