// A fleet in a real git repository with a base commit and a head commit that changes a given set
// of files, so `hubfleet affected --base` reads real history, as it does on a pull request.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cleanEnv } from './clean-env.js';

export interface GitFleet {
  /** The repository (the CI checkout); `config/` holds the fleet. */
  repo: string;
  base: string;
  /** Paths changed between base and HEAD, repository-relative. */
  changed: string[];
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.org',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(repo: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    env: cleanEnv({ ...GIT_ENV, HOME: repo }),
    encoding: 'utf8',
  }).trim();
}

/** Every file under `dir`, relative to `root`, sorted. */
export function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const e of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, e.name);
      if (e.isDirectory()) walk(path);
      else out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(join(root, dir));
  return out.sort();
}

/**
 * Commits `repo` as it is (base), then changes `count` files and commits again (HEAD): hub files
 * first, spread over the fleet, then cluster files, then notes outside config/ if the fleet is
 * too small. Each change appends a comment line, so git sees a modified file.
 */
export function commitWithChanges(repo: string, count: number): GitFleet {
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'base']);
  const base = git(repo, ['rev-parse', 'HEAD']);
  const config = filesUnder(repo, 'config');
  const hubs = config.filter((p) => /\/hubs\/[^/]+\.yaml$/.test(p));
  const clusters = config.filter((p) => p.endsWith('/cluster.yaml'));
  const stride = Math.max(1, Math.floor(hubs.length / count));
  const picked = hubs.filter((_, i) => i % stride === 0).slice(0, count);
  for (const c of clusters) if (picked.length < count) picked.push(c);
  for (let i = 0; picked.length < count; i++) {
    const note = `docs/bench-note-${i}.md`;
    mkdirSync(dirname(join(repo, note)), { recursive: true });
    writeFileSync(join(repo, note), '# note\n');
    picked.push(note);
  }
  for (const p of picked) appendFileSync(join(repo, p), '# changed by npm run bench\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', `change ${count} files`]);
  // A CI checkout is a clone, whose objects arrive packed; freshly committed objects are loose
  // files, ~10x slower for `git cat-file --batch` to read.
  git(repo, ['repack', '-a', '-d', '-q']);
  return { repo, base, changed: picked };
}

/**
 * One more commit on top of HEAD changing one hub's file in a way that changes what it renders
 * (the first `tag: "…"` becomes another tag, else a comment is appended). Returns the commit
 * before it, the base for `hubfleet diff` of one changed hub.
 */
export function commitOneHubChange(repo: string): { base: string; hub: string } {
  const base = git(repo, ['rev-parse', 'HEAD']);
  const hubs = filesUnder(repo, 'config').filter((p) => /\/hubs\/[^/]+\.yaml$/.test(p));
  const hub = hubs[Math.floor(hubs.length / 2)];
  if (hub === undefined) throw new Error(`${repo} has no hub file`);
  const text = readFileSync(join(repo, hub), 'utf8');
  const changed = /tag: "[^"]*"/.test(text)
    ? text.replace(/tag: "[^"]*"/, 'tag: "2099.01.01"')
    : `${text}# changed by npm run bench\n`;
  writeFileSync(join(repo, hub), changed);
  git(repo, ['commit', '-q', '-am', `change ${hub}`]);
  git(repo, ['repack', '-a', '-d', '-q']);
  return { base, hub };
}

/** Copies a config directory into a new repository at `repo`/config. */
export function copyConfig(from: string, repo: string): void {
  mkdirSync(repo, { recursive: true });
  cpSync(from, join(repo, 'config'), { recursive: true });
}
