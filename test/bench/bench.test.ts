// The bench's own machinery: section discovery, the git fleet affected reads, medians.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuFloorMs } from '../../bench/cert-check.js';
import { commitWithChanges, copyConfig } from '../../bench/git-fleet.js';
import { cleanEnv, nodeVariables } from '../../bench/clean-env.js';
import { median } from '../../bench/timing.js';
import type { BenchSection } from '../../bench/section.js';

const root = join(import.meta.dirname, '..', '..');

describe('bench sections', () => {
  it('each module in bench/sections exports a section with its own name', async () => {
    const files = readdirSync(join(root, 'bench', 'sections')).filter((f) => f.endsWith('.ts'));
    const names: string[] = [];
    for (const file of files) {
      const loaded = (await import(pathToFileURL(join(root, 'bench', 'sections', file)).href)) as {
        default: BenchSection;
      };
      expect(typeof loaded.default.run).toBe('function');
      names.push(loaded.default.name);
    }
    expect(names).toEqual([
      'cli-cold',
      'growth',
      'fleet-warm',
      'plan-comment',
      'fleet-deploy',
      'cert-check',
      'config-fuzz',
      'bundles',
    ]);
  });
});

describe('commitWithChanges', () => {
  let repo = '';
  beforeAll(() => {
    repo = join(mkdtempSync(join(tmpdir(), 'hubfleet-bench-git-')), 'repo');
    copyConfig(join(root, 'config'), repo);
  });
  afterAll(() => {
    rmSync(join(repo, '..'), { recursive: true, force: true });
  });

  it('makes a head commit that changes exactly the files it names, hubs first', () => {
    const fleet = commitWithChanges(repo, 10);
    const diff = execFileSync('git', ['diff', '--name-only', `${fleet.base}...HEAD`], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(diff.trim().split('\n').sort()).toEqual([...fleet.changed].sort());
    // The example fleet has 6 hubs and 2 clusters; the last 2 changes are notes outside config/.
    expect(fleet.changed.map((p) => p.replace(/\/[^/]+$/, ''))).toEqual([
      'config/clusters/pangeo-aws/hubs',
      'config/clusters/pangeo-aws/hubs',
      'config/clusters/pangeo-gcp/hubs',
      'config/clusters/pangeo-gcp/hubs',
      'config/clusters/pangeo-gcp/hubs',
      'config/clusters/pangeo-gcp/hubs',
      'config/clusters/pangeo-aws',
      'config/clusters/pangeo-gcp',
      'docs',
      'docs',
    ]);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect([median([5, 1, 3]), median([4, 1, 3, 2]), median([])]).toEqual([3, 2.5, NaN]);
  });
});

describe('cpuFloorMs: the least wall clock the CPU work of a run allows', () => {
  it('is the CPU time of every side spread over every core', () => {
    const run = { wallMs: 1000, checkerCpuMs: 800, endpointsCpuMs: 300, doublesCpuMs: 100 };
    expect(cpuFloorMs(run, 1)).toBe(1200);
    expect(cpuFloorMs(run, 2)).toBe(600);
    expect(cpuFloorMs(run, 4)).toBe(300);
  });
});

describe('cleanEnv', () => {
  it('drops every NODE_* variable, whatever its case, from the base and the extras', () => {
    const base = {
      PATH: '/bin',
      NODE_EXTRA_CA_CERTS: '/ca.pem',
      NODE_OPTIONS: '--require x',
      node_path: '/x',
      HOME: '/h',
    };
    expect(cleanEnv({ FAKE_HELM_MS: '5', NODE_ENV: 'production' }, base)).toEqual({
      PATH: '/bin',
      HOME: '/h',
      FAKE_HELM_MS: '5',
    });
    expect(nodeVariables(base)).toEqual(['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'node_path']);
  });
});
