import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadResult } from './model.js';
import { loadSourcesLazily } from './load-lazy.js';
import { readConfigDir } from './read-config-dir.js';
import { openResultCache } from './result-cache.js';
import { bundledBuildId } from '../build-id.js';

const BUILD = 'a'.repeat(64);
let dir = '';
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'hubfleet-result-cache-')), 'cache');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

function open(build = BUILD) {
  const cache = openResultCache(dir, build);
  if (cache === undefined) throw new Error('the cache directory must be usable');
  return cache;
}

const example = readConfigDir('config').sources;
async function exampleResult(): Promise<LoadResult> {
  const result = await loadSourcesLazily(example);
  if (!result.ok) throw new Error('the example fleet must load');
  return result;
}

describe('openResultCache', () => {
  it('gives back exactly the result stored for exactly the same files and build', async () => {
    const result = await exampleResult();
    open().put(example, result);
    expect(open().get(example)).toEqual(result);
    // The order the files were read in does not matter; their paths and texts do.
    expect(open().get([...example].reverse())).toEqual(result);
  });

  it('gives nothing when one file, its path, its refusal or the file list differs, or the build does', async () => {
    open().put(example, await exampleResult());
    const [first, ...rest] = example;
    if (first === undefined) throw new Error('no files');
    const variants = [
      [{ ...first, text: `${first.text} ` }, ...rest],
      [{ ...first, path: `${first.path}x` }, ...rest],
      [{ ...first, refused: { line: 1, col: 1, message: 'a symlink' } }, ...rest],
      rest,
      [...example, { path: 'config/clusters/x/hubs/y.yaml', text: 'name: y\n' }],
    ];
    for (const sources of variants) expect(open().get(sources)).toBeUndefined();
    expect(open('b'.repeat(64)).get(example)).toBeUndefined();
  });

  it('keeps no result with errors, and none that JSON would change', async () => {
    const failed: LoadResult = {
      ok: false,
      problems: [{ file: 'f', line: 1, col: 1, severity: 'error', field: 'x', message: 'bad' }],
    };
    open().put(example, failed);
    expect(readdirSync(dir)).toEqual([]);
    const result = await exampleResult();
    if (!result.ok) throw new Error('unreachable');
    const inexact: LoadResult = {
      ...result,
      warnings: [
        { file: 'f', line: Number.POSITIVE_INFINITY, col: 1, severity: 'warning', field: 'x', message: 'm' },
      ],
    };
    open().put(example, inexact);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is not used in a directory others may write, nor without a build identity', () => {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    expect(openResultCache(dir, BUILD)).toBeUndefined();
    chmodSync(dir, 0o700);
    expect(openResultCache(dir, undefined)).toBeUndefined();
  });

  it('keeps the 8 newest results', async () => {
    const result = await exampleResult();
    const cache = open();
    const names: string[] = [];
    for (let i = 0; i < 10; i++) {
      cache.put([...example, { path: `config/clusters/x/hubs/h${i}.yaml`, text: '' }], result);
      const [added] = readdirSync(dir).filter((n) => !names.includes(n));
      if (added === undefined) throw new Error(`result ${i} was not kept`);
      names.push(added);
      // Distinct modification times in the order of writing, whatever the file system's resolution.
      const when = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      utimesSync(join(dir, added), when, when);
    }
    expect(readdirSync(dir).sort()).toEqual(names.slice(2).sort());
  });
});

describe('bundledBuildId', () => {
  it('reads the 64-hex-digit build-id beside the module, and nothing else', () => {
    mkdirSync(dir, { recursive: true });
    const module = pathToFileURL(join(dir, 'chunk.js')).href;
    expect(bundledBuildId(module)).toBeUndefined();
    writeFileSync(join(dir, 'build-id'), `${'0123456789abcdef'.repeat(4)}\n`);
    expect(bundledBuildId(module)).toBe('0123456789abcdef'.repeat(4));
    writeFileSync(join(dir, 'build-id'), 'not a hash\n');
    expect(bundledBuildId(module)).toBeUndefined();
  });

  it('has none under ts-jest: results are only reused by the bundled CLI', () => {
    expect(bundledBuildId()).toBeUndefined();
  });
});
