import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBundles } from '../../bench/bundles.js';
import { repoRoot } from '../support/bundle-harness.js';

describe('benchBundles', () => {
  let root: string;

  beforeAll(async () => {
    // A project with the real report bundle and an action that was never built.
    root = await mkdtemp(join(tmpdir(), 'hubfleet-bench-test-'));
    await writeFile(join(root, 'package.json'), '{}');
    await mkdir(join(root, 'actions', 'report', 'dist'), { recursive: true });
    await mkdir(join(root, 'actions', 'unbuilt'), { recursive: true });
    for (const file of ['index.js', 'package.json']) {
      await copyFile(join(repoRoot, 'actions/report/dist', file), join(root, 'actions/report/dist', file));
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reports size and start-up next to the node baseline for each built bundle', async () => {
    const lines = await benchBundles({ root, runs: 7 });
    expect(lines[0]).toContain('median of 7 runs');
    expect(lines[1]).toMatch(/^ {2}baseline `node -e ''`: \d+\.\d ms$/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^ {2}report +[\d,]+ B {2}0\.\d\d MB \(goal ≤ 1\.5 MB: ok\) {2}start \d+\.\d ms = \d+\.\d\dx baseline \(goal ≤ 2x: (ok|OVER)\)$/,
    );
  });

  it('says when nothing is built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hubfleet-bench-empty-'));
    await writeFile(join(empty, 'package.json'), '{}');
    await mkdir(join(empty, 'actions'));
    try {
      expect(await benchBundles({ root: empty })).toEqual([
        'action bundles: none built (run `npm run build`)',
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
