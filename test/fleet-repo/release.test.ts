// The release's own facts: its notes come from CHANGELOG.md, and release.json (written at publish
// time) is what `hubfleet init` pins a fleet's workflows to.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningRelease } from '../../src/fleet-repo/release.js';
import { releaseNotes } from '../../src/release/changelog.js';
import { run } from '../../src/release/publish-files.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const CHANGELOG = `# Changelog

## Unreleased
- next thing

## [0.2.0] - 2026-12-01
- init and upgrade
- a release workflow

## 0.1.0
- first
`;

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hubfleet-release-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'hubfleet', version: '0.2.0' }));
  writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('release notes from CHANGELOG.md', () => {
  it.each([
    ['0.2.0', '- init and upgrade\n- a release workflow\n'],
    ['0.1.0', '- first\n'],
  ])('%s', (version, notes) => {
    expect(releaseNotes(CHANGELOG, version)).toBe(notes);
  });

  it('refuses a version without a section, saying how to add it', () => {
    expect(() => releaseNotes(CHANGELOG, '0.3.0')).toThrow('CHANGELOG.md has no section for 0.3.0');
    expect(() => releaseNotes(CHANGELOG, '0.2')).toThrow('CHANGELOG.md has no section for 0.2');
  });

  it('refuses an empty section', () => {
    expect(() => releaseNotes('## [1.0.0]\n\n## 0.9.0\n- x\n', '1.0.0')).toThrow(
      "CHANGELOG.md's section for 1.0.0 is empty",
    );
  });
});

describe('release.json', () => {
  it('is absent in a checkout: no running release', async () => {
    expect(await runningRelease(dir)).toBeUndefined();
  });

  it('the release workflow writes it, and the running package then knows its release', async () => {
    expect(await run(['release-json', 'acme/hubfleet', '0.2.0', SHA], dir)).toBe(
      `wrote release.json: acme/hubfleet@${SHA} (0.2.0)\n`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'release.json'), 'utf8'))).toEqual({
      repository: 'acme/hubfleet',
      version: '0.2.0',
      sha: SHA,
    });
    expect(await runningRelease(dir)).toEqual({
      kind: 'release',
      repository: 'acme/hubfleet',
      version: '0.2.0',
      sha: SHA,
    });
  });

  it.each([
    [['release-json', 'acme/hubfleet', '0.3.0', SHA], 'package.json says version 0.2.0, not 0.3.0'],
    [
      ['release-json', 'acme/hubfleet', '0.2.0', 'v0.2.0'],
      'tool sha must be a full 40-hex commit sha, not "v0.2.0"',
    ],
    [['release-json', 'hubfleet', '0.2.0', SHA], 'tool repository must be owner/name, not "hubfleet"'],
    [['notes'], 'usage: publish-files.js notes VERSION | release-json OWNER/REPO VERSION SHA'],
  ])('refuses %j', async (args, message) => {
    await expect(run(args, dir)).rejects.toThrow(message);
  });

  it('notes prints the section of the version', async () => {
    expect(await run(['notes', '0.1.0'], dir)).toBe('- first\n');
  });
});
