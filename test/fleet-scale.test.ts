// Fleet scale: a 100-cluster / 1,000-hub fleet through `hubfleet affected` with hubfleet:deploy-all,
// as the deploy workflow runs it. GitHub refuses a matrix of more than 256 jobs, so every matrix
// must stay within it while still covering every hub exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFleet } from '../bench/synthetic-fleet.js';
import { main } from '../src/cli.js';
import { MATRIX_JOB_LIMIT } from '../src/plan/change-plan.js';

const CLUSTERS = 100;
const HUBS_PER_CLUSTER = 10;

interface Row {
  cluster: string;
  provider?: string;
  hubs?: string;
  hubCount?: number;
  stage?: string;
  environment?: string;
  afterStaging?: boolean;
}

let root = '';
let outputs = new Map<string, string>();
let allHubs: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hubfleet-scale-'));
  const fleet = await writeSyntheticFleet(root, CLUSTERS, HUBS_PER_CLUSTER);
  allHubs = fleet.hubFiles.map((f) => {
    const m = /^config\/clusters\/([^/]+)\/hubs\/([^/]+)\.yaml$/.exec(f);
    return `${m?.[1] ?? ''}/${m?.[2] ?? ''}`;
  });
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.org');
  git('config', 'user.name', 'ci');
  git('add', '-A');
  git('commit', '-qm', 'fleet');
  git('commit', '-q', '--allow-empty', '-m', 'deploy everything');
  const outputFile = join(root, 'github-output');
  await writeFile(outputFile, '');
  let stderr = '';
  const code = await main(
    ['affected', '--base', 'HEAD~1', '--labels', 'hubfleet:deploy-all', '--github-output'],
    { stdout: () => undefined, stderr: (t) => (stderr += t), env: { GITHUB_OUTPUT: outputFile }, cwd: root },
  );
  if (code !== 0) throw new Error(`affected failed (${code}): ${stderr}`);
  outputs = new Map(
    (await readFile(outputFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const matrix = (name: string): Row[] =>
  (JSON.parse(outputs.get(name) ?? 'null') as { include: Row[] }).include;
const covered = (rows: Row[]): string[] =>
  rows.flatMap((r) => (r.hubs ?? '').split(',').map((h) => `${r.cluster}/${h}`));

describe(`deploy-all on ${CLUSTERS} clusters / ${CLUSTERS * HUBS_PER_CLUSTER} hubs`, () => {
  it(`keeps every matrix within GitHub's ${MATRIX_JOB_LIMIT}-job limit`, () => {
    const sizes = Object.fromEntries(
      ['clusters', 'staging', 'prod', 'certificates', 'remove'].map((n) => [n, matrix(n).length]),
    );
    // Certificate rows are GKE clusters only (ManagedCertificates; verify-cert refuses EKS): the
    // synthetic fleet has as many GKE clusters as EKS ones.
    expect(sizes).toEqual({ clusters: 100, staging: 100, prod: 100, certificates: 50, remove: 0 });
    for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(MATRIX_JOB_LIMIT);
  });

  it('deploys every hub exactly once, staging hubs in staging rows and prod hubs in prod rows', () => {
    const deployed = [...covered(matrix('staging')), ...covered(matrix('prod'))];
    expect(deployed.length).toBe(allHubs.length);
    expect([...deployed].sort()).toEqual([...allHubs].sort());
    // The synthetic fleet: even-numbered hubs are staging, odd-numbered prod.
    const isStaging = (h: string): boolean => Number(h.slice(-2)) % 2 === 0;
    expect(covered(matrix('staging')).every(isStaging)).toBe(true);
    expect(covered(matrix('prod')).some(isStaging)).toBe(false);
    for (const row of [...matrix('staging'), ...matrix('prod')]) {
      expect(row.hubCount).toBe((row.hubs ?? '').split(',').length);
      expect(row.environment).toBe(`${row.cluster}-${row.stage ?? ''}`);
    }
    expect(matrix('prod').every((r) => r.afterStaging === true)).toBe(true);
  });

  it('waits for every GKE certificate exactly once and applies IAM once per cluster', () => {
    const gke = new Set(
      matrix('clusters')
        .filter((r) => r.provider === 'gcp')
        .map((r) => r.cluster),
    );
    expect(gke.size).toBe(CLUSTERS / 2);
    expect([...covered(matrix('certificates'))].sort()).toEqual(
      allHubs.filter((h) => gke.has(h.split('/')[0] ?? '')).sort(),
    );
    const clusters = matrix('clusters').map((r) => r.cluster);
    expect(new Set(clusters).size).toBe(CLUSTERS);
    expect(clusters.length).toBe(CLUSTERS);
  });

  it('fits in a $GITHUB_OUTPUT value GitHub accepts (1 MiB per job output)', () => {
    for (const name of ['clusters', 'staging', 'prod', 'certificates']) {
      expect({ name, fits: Buffer.byteLength(outputs.get(name) ?? '') < 1024 * 1024 }).toEqual({
        name,
        fits: true,
      });
    }
  });
});
