// The bundled CLI as bin/hubfleet.js runs it (scripts/build-lib.mjs, built by `npm ci`): a command
// line that starts with a command runs from that command's own bundle, anything else from the
// whole CLI, and both answer exactly as the CLI does in process (src/cli.ts under ts-jest).
import { describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_NAMES } from '../../src/cli.js';
import { runBin, runInProcess, type CliRun } from '../support/cli-runs.js';

const bin = (args: string[], cwd?: string): CliRun => runBin(args, cwd);
const inProcess = (args: string[], cwd?: string): Promise<CliRun> => runInProcess(args, cwd);

describe('the bundled CLI', () => {
  it('has one bundle per command, the full YAML parser apart, and the build identity beside them', () => {
    // (.v8-cache, bin/hubfleet.js's compiled code, appears once a command has run.)
    expect(
      readdirSync(join('lib', 'cli', 'commands'))
        .filter((n) => n !== '.v8-cache')
        .sort(),
    ).toEqual([...COMMAND_NAMES.map((c) => `${c}.cjs`), 'build-id', 'yaml-source.cjs'].sort());
    const id = readFileSync(join('lib', 'cli', 'build-id'), 'utf8');
    expect(id).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(join('lib', 'cli', 'commands', 'build-id'), 'utf8')).toBe(id);
  });

  it.each([
    [['--version']],
    [['help']],
    [['help', 'diff']],
    [['valdate']],
    [[]],
    [['validate', '--help']],
    [['render', '--bogus']],
    [['validate']],
    [['targets', '--format', 'json']],
  ])('hubfleet %j answers as in process', async (args) => {
    expect(bin(args)).toEqual(await inProcess(args));
  });

  it("keeps V8's code for a command beside its bundle, and compiles afresh when that cache is bad", async () => {
    const cacheDir = join('lib', 'cli', 'commands', '.v8-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    const expected = await inProcess(['validate']);
    expect(bin(['validate'])).toEqual(expected);
    const kept = readdirSync(cacheDir);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(
      new RegExp(
        `^validate\\.cjs-[0-9a-f]{16}-[0-9]+-[0-9]+-${process.version.replace(/\./g, '\\.')}-${process.arch}$`,
      ),
    );
    const cache = join(cacheDir, kept[0] ?? '');
    const good = readFileSync(cache);
    expect(bin(['validate'])).toEqual(expected);
    expect(readFileSync(cache)).toEqual(good);
    // A damaged cache is refused by V8: the run is the same, and the cache is written again.
    const damaged = Buffer.alloc(good.length, 7);
    writeFileSync(cache, damaged);
    expect(bin(['validate'])).toEqual(expected);
    const rewritten = readFileSync(cache);
    expect(rewritten.equals(damaged)).toBe(false);
    // ...and that one is taken as it is by the next run.
    expect(bin(['validate'])).toEqual(expected);
    expect(readFileSync(cache).equals(rewritten)).toBe(true);
  });

  it('reads a file the block reader leaves to js-yaml, and places a problem with the full parser', async () => {
    const work = mkdtempSync(join(tmpdir(), 'hubfleet-bundles-'));
    try {
      cpSync('config', join(work, 'config'), { recursive: true });
      const hub = join(work, 'config', 'clusters', 'pangeo-gcp', 'hubs', 'ocean.yaml');
      // A folded block (`>`) is outside the block reader's subset: js-yaml reads it.
      writeFileSync(hub, readFileSync(hub, 'utf8').replace(/^domain: (.*)$/m, 'domain: >-\n  $1'));
      const folded = bin(['validate'], work);
      expect(folded).toEqual(await inProcess(['validate'], work));
      expect(folded.code).toBe(0);
      writeFileSync(hub, `${readFileSync(hub, 'utf8')}bogus: 1\n`);
      const refused = bin(['validate'], work);
      expect(refused).toEqual(await inProcess(['validate'], work));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('clusters/pangeo-gcp/hubs/ocean.yaml:');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
