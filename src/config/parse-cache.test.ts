import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fastParse } from './fast-yaml.js';
import { loadSourcesLazily } from './load-lazy.js';
import { openParseCache } from './parse-cache.js';
import { readConfigDir } from './read-config-dir.js';

let dir = '';
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'hubfleet-parse-cache-')), 'cache');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

const A = 'name: a\nstage: prod\nvalues: {x: [1, 2]}\n';
const B = 'name: b\nstage: staging\n';
const C = 'name: c\n';

function open() {
  const cache = openParseCache(dir);
  if (cache === undefined) throw new Error('the cache directory must be usable');
  return cache;
}

describe('openParseCache', () => {
  it('serves the second run from disk, equal to the fast reading, a new object per read', () => {
    const first = open();
    expect([first.read(A), first.read(B)]).toEqual([fastParse(A), fastParse(B)]);
    expect(first.hits()).toBe(0);
    first.save();
    const second = open();
    const one = second.read(A);
    const two = second.read(A);
    expect(one).toEqual(fastParse(A));
    expect(one).not.toBe(two);
    expect(second.read(B)).toEqual(fastParse(B));
    expect(second.hits()).toBe(3);
  });

  it('names its file for the code of every module of the fast reader, so a changed reader never sees old readings', () => {
    const first = open();
    first.read(A);
    first.save();
    const sources = ['fast-yaml', 'block-yaml', 'core-scalars'].map((module) => {
      const path = join(import.meta.dirname, `${module}.ts`);
      return `${pathToFileURL(path).href}\0${readFileSync(path, 'utf8')}`;
    });
    const hash = createHash('sha256').update(sources.join('\0')).digest('hex');
    expect(readdirSync(dir)).toEqual([`fast-yaml-${hash.slice(0, 16)}.json`]);
  });

  it('keeps only the readings of the last run that read something new', () => {
    const first = open();
    first.read(A);
    first.read(B);
    first.save();
    const second = open();
    second.read(A);
    second.read(C);
    second.save();
    const [file] = readdirSync(dir);
    const stored = JSON.parse(readFileSync(join(dir, file ?? ''), 'utf8')) as Record<string, string>;
    expect(Object.values(stored).map((v) => JSON.parse(v) as unknown)).toEqual([fastParse(A), fastParse(C)]);
  });

  it('never keeps a reading JSON would change (.inf, -0), nor one fast-yaml leaves to the full parser', () => {
    const odd = 'name: a\nlimit: .inf\nzero: -0.0\n';
    const anchored = 'name: &n a\nother: *n\n';
    const first = open();
    expect(first.read(odd)).toEqual({ name: 'a', limit: Infinity, zero: -0 });
    expect(first.read(anchored)).toBeUndefined();
    first.read(C);
    first.save();
    const second = open();
    expect(second.read(odd)).toEqual({ name: 'a', limit: Infinity, zero: -0 });
    expect(second.read(anchored)).toBeUndefined();
    expect(second.hits()).toBe(0);
  });

  it('ignores a directory others can write: a planted reading would be trusted', () => {
    open().save();
    chmodSync(dir, 0o777);
    expect(openParseCache(dir)).toBeUndefined();
  });
});

describe('loadSourcesLazily with a cache', () => {
  it('gives the same result as without, and serves every file of the second load from the cache', async () => {
    const { sources } = readConfigDir('config', { displayRoot: process.cwd() });
    const plain = await loadSourcesLazily(sources);
    expect(await loadSourcesLazily(sources, { cacheDir: dir })).toEqual(plain);
    expect(await loadSourcesLazily(sources, { cacheDir: dir })).toEqual(plain);
    const probe = open();
    for (const s of sources) probe.read(s.text);
    // The example fleet's files are all fast-readable: every one came from the cache.
    expect(probe.hits()).toBe(sources.length);
  });

  it('writes nothing for a fleet that does not load', async () => {
    const { sources } = readConfigDir('config', { displayRoot: process.cwd() });
    const broken = sources.map((s, i) =>
      i === 1 ? { ...s, text: s.text.replace(/^stage: .*$/m, 'stage: live') } : s,
    );
    const result = await loadSourcesLazily(broken, { cacheDir: dir });
    expect(result.ok).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
