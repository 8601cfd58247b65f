import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, unlinkSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  changedFiles,
  filesAtRef,
  isAncestor,
  parseNameStatus,
  repositoryRoot,
  resolveCommit,
} from './git.js';
import { existsSync } from 'node:fs';

let repo = '';
const git = (...args: string[]): string =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z' },
  });
const write = (path: string, text: string): void => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'hubfleet-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.org');
  git('config', 'user.name', 'test');
  write('config/clusters/a/cluster.yaml', 'name: a\n');
  write('config/clusters/a/hubs/one.yaml', 'name: one\n');
  write('config/clusters/a/hubs/two.yaml', 'name: two\nstage: prod\n');
  write('README.md', 'x\n');
  git('add', '-A');
  git('commit', '-qm', 'base');
  git('tag', 'base');
  git('checkout', '-qb', 'feature');
  write('config/clusters/a/hubs/one.yaml', 'name: one\nstage: staging\n');
  unlinkSync(join(repo, 'config/clusters/a/hubs/two.yaml'));
  renameSync(join(repo, 'README.md'), join(repo, 'README2.md'));
  write('config/clusters/a/hubs/new hub.yaml', 'name: new\n');
  git('add', '-A');
  git('commit', '-qm', 'change');
  // A commit on main after the fork must not show up in the PR's diff.
  git('checkout', '-q', 'main');
  write('config/clusters/a/hubs/main-only.yaml', 'name: m\n');
  git('add', '-A');
  git('commit', '-qm', 'main moves on');
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

const withoutBytes = ({ path, text, symlink }: { path: string; text: string; symlink: boolean }) => ({
  path,
  text,
  symlink,
});

describe('git adapter', () => {
  it('lists what the branch changed since it forked, renames as delete + add', async () => {
    const changes = await changedFiles(repo, 'main', 'feature');
    expect(changes.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: 'README.md', status: 'deleted' },
      { path: 'README2.md', status: 'added' },
      { path: 'config/clusters/a/hubs/new hub.yaml', status: 'added' },
      { path: 'config/clusters/a/hubs/one.yaml', status: 'modified' },
      { path: 'config/clusters/a/hubs/two.yaml', status: 'deleted' },
    ]);
  });

  it('reads the config files as they are at a commit, not in the work tree', async () => {
    const files = await filesAtRef(repo, 'feature', 'config');
    expect(files.map(withoutBytes)).toEqual([
      { path: 'config/clusters/a/cluster.yaml', text: 'name: a\n', symlink: false },
      { path: 'config/clusters/a/hubs/new hub.yaml', text: 'name: new\n', symlink: false },
      { path: 'config/clusters/a/hubs/one.yaml', text: 'name: one\nstage: staging\n', symlink: false },
    ]);
    expect(files.map((f) => f.bytes.toString('utf8'))).toEqual(files.map((f) => f.text));
  });

  it('marks a symbolic link (mode 120000) and gives its target path as the blob, never following it', async () => {
    git('checkout', '-qb', 'with-link', 'feature');
    symlinkSync('one.yaml', join(repo, 'config/clusters/a/hubs/linked.yaml'));
    git('add', '-A');
    git('commit', '-qm', 'link');
    git('checkout', '-q', 'main');
    const linked = (await filesAtRef(repo, 'with-link', 'config')).find((f) =>
      f.path.endsWith('linked.yaml'),
    );
    expect(linked === undefined ? undefined : withoutBytes(linked)).toEqual({
      path: 'config/clusters/a/hubs/linked.yaml',
      text: 'one.yaml',
      symlink: true,
    });
  });

  it('run from a folder inside the repository, reads paths relative to it and diffs repository paths', async () => {
    const inside = join(repo, 'config');
    expect((await filesAtRef(inside, 'feature', 'clusters')).map(withoutBytes)).toEqual([
      { path: 'clusters/a/cluster.yaml', text: 'name: a\n', symlink: false },
      { path: 'clusters/a/hubs/new hub.yaml', text: 'name: new\n', symlink: false },
      { path: 'clusters/a/hubs/one.yaml', text: 'name: one\nstage: staging\n', symlink: false },
    ]);
    expect((await changedFiles(inside, 'main', 'feature')).map((c) => c.path).sort()).toEqual([
      'README.md',
      'README2.md',
      'config/clusters/a/hubs/new hub.yaml',
      'config/clusters/a/hubs/one.yaml',
      'config/clusters/a/hubs/two.yaml',
    ]);
  });

  it('fails with a hint when a ref is missing', async () => {
    await expect(changedFiles(repo, 'no-such-ref', 'feature')).rejects.toMatchObject({
      hint: expect.stringContaining('fetch-depth: 0'),
    });
  });

  it('finds the work tree root from a folder inside it, and nothing outside a repository', async () => {
    expect(await repositoryRoot(join(repo, 'config/clusters'))).toBe(
      git('rev-parse', '--show-toplevel').trim(),
    );
    const outside = mkdtempSync(join(tmpdir(), 'hubfleet-norepo-'));
    try {
      expect(await repositoryRoot(outside)).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('parses copies as additions and type changes as modifications', () => {
    expect(parseNameStatus('C75\0a\0b\0T\0c\0')).toEqual([
      { path: 'b', status: 'added' },
      { path: 'c', status: 'modified' },
    ]);
  });
});

describe('revisions reach git after --end-of-options', () => {
  it('never as an option: a revision that reads like one is an unknown revision, and writes nothing', async () => {
    const out = join(repo, 'diff-output.txt');
    await expect(changedFiles(repo, `--output=${out}`, 'feature')).rejects.toMatchObject({
      message: expect.stringContaining('git diff failed'),
    });
    await expect(filesAtRef(repo, `--output=${out}`, 'config')).rejects.toMatchObject({
      message: expect.stringContaining('git ls-tree failed'),
    });
    expect(await resolveCommit(repo, `--output=${out}`)).toBeUndefined();
    // Read as an option, `--output=<out>...feature` would have written `<out>...feature`.
    expect(existsSync(out) || existsSync(`${out}...feature`)).toBe(false);
  });

  it('resolves a commit, or nothing for a ref the clone lacks', async () => {
    expect(await resolveCommit(repo, 'base')).toBe(git('rev-parse', 'base^{commit}').trim());
    expect(await resolveCommit(repo, 'no-such-ref')).toBeUndefined();
  });

  it('tells an ancestor from a commit on another branch', async () => {
    expect(await isAncestor(repo, 'base', 'feature')).toBe(true);
    expect(await isAncestor(repo, 'feature', 'feature')).toBe(true);
    expect(await isAncestor(repo, 'main', 'feature')).toBe(false);
  });
});
