// `hubfleet upgrade`: the diff of the files hubfleet owns, written only with --write, never config/,
// and a refusal (exit 1, nothing written) for a file changed by hand since hubfleet wrote it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runInProcess } from '../support/cli-runs.js';

const OLD_SHA = '0123456789abcdef0123456789abcdef01234567';
const NEW_SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const OLD = `acme/hubfleet@${OLD_SHA}#0.2.0`;
const NEW = `acme/hubfleet@${NEW_SHA}#0.3.0`;

let work = '';
let fleet = '';

async function cli(args: string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, cwd);
}

/** Every file under the fleet with its content. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(fleet, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = relative(fleet, join(e.parentPath, e.name));
    out[path] = readFileSync(join(fleet, path), 'utf8');
  }
  return out;
}

const configOf = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('config/')));

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-upgrade-'));
  fleet = join(work, 'fleet');
  const made = await cli(['init', 'fleet', '--provider', 'gcp', '--cluster', 'ocean', '--tool-ref', OLD]);
  expect(made.code).toBe(0);
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('hubfleet upgrade', () => {
  it('shows the unified diff of the owned files and writes nothing without --write', async () => {
    const before = snapshot();
    const r = await cli(['upgrade', '--to', NEW], fleet);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(snapshot()).toEqual(before);
    // Only the pins change between these two releases of the same generator; every one is shown.
    const removed = r.stdout.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    const added = r.stdout.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.length).toBe(added.length);
    for (const line of removed)
      expect(line).toMatch(
        new RegExp(`^-.*(acme/hubfleet/actions/[a-z-]+@${OLD_SHA} # v0\\.2\\.0|hubfleet v0\\.2\\.0)`),
      );
    for (const line of added)
      expect(line).toMatch(
        new RegExp(`^\\+.*(acme/hubfleet/actions/[a-z-]+@${NEW_SHA} # v0\\.3\\.0|hubfleet v0\\.3\\.0)`),
      );
    expect(r.stdout.match(/^--- a\/.*$/gm)).toEqual([
      '--- a/.github/workflows/deploy.yml',
      '--- a/.github/workflows/hub-pr.yml',
      '--- a/.github/workflows/recreate-cert.yml',
      '--- a/.github/workflows/rollback-hub.yml',
      '--- a/.github/workflows/scheduled.yml',
    ]);
    expect(r.stdout.split('\n').slice(-3)).toEqual([
      `hubfleet v0.2.0 (acme/hubfleet@${OLD_SHA}) → hubfleet v0.3.0 (acme/hubfleet@${NEW_SHA}): 5 of 5 owned files change`,
      'nothing written; run again with --write to write these changes',
      '',
    ]);
  });

  it('--write rewrites the owned files and owned.json, and never config/', async () => {
    const before = snapshot();
    const r = await cli(['upgrade', 'fleet', '--to', NEW, '--write']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('wrote '))).toEqual([
      'wrote .github/workflows/deploy.yml',
      'wrote .github/workflows/hub-pr.yml',
      'wrote .github/workflows/recreate-cert.yml',
      'wrote .github/workflows/rollback-hub.yml',
      'wrote .github/workflows/scheduled.yml',
      'wrote .hubfleet/owned.json',
    ]);
    const after = snapshot();
    expect(configOf(after)).toEqual(configOf(before));
    expect(after['README.md']).toBe(before['README.md']);
    expect(after['.github/workflows/hub-pr.yml']).toContain(
      `acme/hubfleet/actions/setup@${NEW_SHA} # v0.3.0`,
    );
    expect(after['.github/workflows/hub-pr.yml']).not.toContain(OLD_SHA);
    expect((JSON.parse(after['.hubfleet/owned.json'] ?? '') as { tool: unknown }).tool).toEqual({
      repository: 'acme/hubfleet',
      version: '0.3.0',
      sha: NEW_SHA,
    });
    // Upgraded once, the fleet is at that release: nothing left to change.
    const again = await cli(['upgrade', '--to', NEW], fleet);
    expect(again.stdout).toBe(
      `hubfleet v0.3.0 (acme/hubfleet@${NEW_SHA}) → hubfleet v0.3.0 (acme/hubfleet@${NEW_SHA}): 0 of 5 owned files change\nnothing written; run again with --write to write these changes\n`,
    );
  });

  it('refuses a workflow changed by hand (exit 1, nothing written), and --force overwrites it', async () => {
    const path = join(fleet, '.github/workflows/scheduled.yml');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('\nname: scheduled\n', '\nname: scheduled (ours)\n'),
    );
    const before = snapshot();
    const r = await cli(['upgrade', '--to', NEW, '--write'], fleet);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'hubfleet upgrade: changed by hand since hubfleet wrote them: .github/workflows/scheduled.yml; nothing was written\nnext: move those changes into hubfleet (or drop them), or run again with --force to overwrite them\n',
    );
    expect(r.stdout).toContain('-name: scheduled (ours)\n+name: scheduled\n');
    expect(snapshot()).toEqual(before);

    const forced = await cli(['upgrade', '--to', NEW, '--write', '--force'], fleet);
    expect(forced.code).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('\nname: scheduled\n');
  });

  it('refuses a workflow deleted by hand', async () => {
    rmSync(join(fleet, '.github/workflows/rollback-hub.yml'));
    const r = await cli(['upgrade', '--to', NEW], fleet);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'hubfleet upgrade: changed by hand since hubfleet wrote them: .github/workflows/rollback-hub.yml; nothing was written',
    );
  });

  it("does not count Dependabot's move of the hubfleet pins as a hand edit", async () => {
    const path = join(fleet, '.github/workflows/hub-pr.yml');
    const text = readFileSync(path, 'utf8');
    // What Dependabot's github-actions updater writes: the new sha and its version comment.
    writeFileSync(path, text.replaceAll(`@${OLD_SHA} # v0.2.0`, `@${NEW_SHA} # v0.3.0`));
    const r = await cli(['upgrade', '--to', NEW, '--write'], fleet);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('refuses an owned.json naming a path outside the repository', async () => {
    const path = join(fleet, '.hubfleet/owned.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, string> };
    manifest.files['../outside.yml'] = `sha256:${'0'.repeat(64)}`;
    writeFileSync(path, JSON.stringify(manifest));
    expect(await cli(['upgrade', '--to', NEW, '--write'], fleet)).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'hubfleet upgrade: .hubfleet/owned.json: files["../outside.yml"] is not a path inside the repository\nnext: restore it from git; hubfleet writes it\n',
    });
  });

  it('says what to do outside a fleet repository', async () => {
    expect(await cli(['upgrade', '--to', NEW], work)).toEqual({
      code: 1,
      stdout: '',
      stderr: `hubfleet upgrade: ${work} is not a fleet repository made by hubfleet init: no .hubfleet/owned.json\nnext: run upgrade in (or name) the fleet repository; a new one is made with \`hubfleet init <dir>\`\n`,
    });
  });
});
