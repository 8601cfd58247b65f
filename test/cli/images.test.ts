// `hubfleet images`: the source → mirror pairs of the example fleet with a mirror set, each once and
// sorted; text for a copy loop, JSON with the hubs using each; exit 1 and 2 where they belong.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../support/cli-runs.js';

const MIRROR = 'us-docker.pkg.dev/pangeo-prod/mirror';
let work = '';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, work);
}

function setMirror(cluster: string, mirror: string): void {
  const file = join(work, 'config/clusters', cluster, 'cluster.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/^terraform:/m, `images:\n  mirror: ${mirror}\nterraform:`));
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hubfleet-images-'));
  cpSync('config', join(work, 'config'), { recursive: true });
  setMirror('pangeo-gcp', MIRROR);
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The example GKE cluster's hubs: two basehubs on z2jh 4.4.0, two daskhubs 2024.1.1 (z2jh 3.2.1, dask-gateway 2024.1.0). */
const GCP_PAIRS: [string, string][] = [
  ['docker.io/library/traefik:2.10.6', 'library/traefik:2.10.6'],
  ['docker.io/library/traefik:v2.10.5', 'library/traefik:v2.10.5'],
  ['docker.io/library/traefik:v3.6.12', 'library/traefik:v3.6.12'],
  ['docker.io/pangeo/base-notebook:2024.01.15', 'pangeo/base-notebook:2024.01.15'],
  ['docker.io/pangeo/pangeo-notebook:2026.03.01', 'pangeo/pangeo-notebook:2026.03.01'],
  ['ghcr.io/dask/dask-gateway-server:2024.1.0', 'dask/dask-gateway-server:2024.1.0'],
  ['ghcr.io/dask/dask-gateway:2024.1.0', 'dask/dask-gateway:2024.1.0'],
  ['quay.io/jupyterhub/configurable-http-proxy:4.6.1', 'jupyterhub/configurable-http-proxy:4.6.1'],
  ['quay.io/jupyterhub/configurable-http-proxy:5.2.0', 'jupyterhub/configurable-http-proxy:5.2.0'],
  ['quay.io/jupyterhub/k8s-hub:3.2.1', 'jupyterhub/k8s-hub:3.2.1'],
  ['quay.io/jupyterhub/k8s-hub:4.4.0', 'jupyterhub/k8s-hub:4.4.0'],
  ['quay.io/jupyterhub/k8s-image-awaiter:3.2.1', 'jupyterhub/k8s-image-awaiter:3.2.1'],
  ['quay.io/jupyterhub/k8s-image-awaiter:4.4.0', 'jupyterhub/k8s-image-awaiter:4.4.0'],
  ['quay.io/jupyterhub/k8s-network-tools:3.2.1', 'jupyterhub/k8s-network-tools:3.2.1'],
  ['quay.io/jupyterhub/k8s-network-tools:4.4.0', 'jupyterhub/k8s-network-tools:4.4.0'],
  ['quay.io/jupyterhub/k8s-secret-sync:3.2.1', 'jupyterhub/k8s-secret-sync:3.2.1'],
  ['quay.io/jupyterhub/k8s-secret-sync:4.4.0', 'jupyterhub/k8s-secret-sync:4.4.0'],
  ['quay.io/jupyterhub/k8s-singleuser-sample:4.4.0', 'jupyterhub/k8s-singleuser-sample:4.4.0'],
  ['registry.k8s.io/kube-scheduler:v1.26.11', 'kube-scheduler:v1.26.11'],
  ['registry.k8s.io/kube-scheduler:v1.30.14', 'kube-scheduler:v1.30.14'],
  ['registry.k8s.io/pause:3.10.1', 'pause:3.10.1'],
  ['registry.k8s.io/pause:3.9', 'pause:3.9'],
];

describe('hubfleet images', () => {
  it('prints each source → mirror pair once, sorted, in aligned columns (only clusters with a mirror)', async () => {
    const r = await cli(['images']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const width = Math.max(...GCP_PAIRS.map(([s]) => s.length));
    expect(r.stdout).toBe(GCP_PAIRS.map(([s, m]) => `${s.padEnd(width)}  ${MIRROR}/${m}\n`).join(''));
  });

  it('--format json names the hubs that pull each image', async () => {
    const r = await cli(['images', '--cluster', 'pangeo-gcp', '--format', 'json']);
    expect(r.code).toBe(0);
    const pairs = JSON.parse(r.stdout) as { source: string; mirror: string; usedBy: string[] }[];
    expect(pairs.map((p) => [p.source, p.mirror])).toEqual(GCP_PAIRS.map(([s, m]) => [s, `${MIRROR}/${m}`]));
    expect(pairs.find((p) => p.source === 'ghcr.io/dask/dask-gateway:2024.1.0')?.usedBy).toEqual([
      'pangeo-gcp/ocean',
      'pangeo-gcp/ocean-staging',
    ]);
  });

  it('lists every mirrored cluster, each pair with its own mirror', async () => {
    setMirror('pangeo-aws', '111122223333.dkr.ecr.us-west-2.amazonaws.com/mirror');
    const r = await cli(['images', '--format', 'json']);
    const pairs = JSON.parse(r.stdout) as { source: string; mirror: string; usedBy: string[] }[];
    expect(pairs.filter((p) => p.source === 'quay.io/jupyterhub/k8s-hub:3.2.1')).toEqual([
      {
        source: 'quay.io/jupyterhub/k8s-hub:3.2.1',
        mirror: '111122223333.dkr.ecr.us-west-2.amazonaws.com/mirror/jupyterhub/k8s-hub:3.2.1',
        usedBy: ['pangeo-aws/glacier', 'pangeo-aws/glacier-staging'],
      },
      {
        source: 'quay.io/jupyterhub/k8s-hub:3.2.1',
        mirror: `${MIRROR}/jupyterhub/k8s-hub:3.2.1`,
        usedBy: ['pangeo-gcp/ocean', 'pangeo-gcp/ocean-staging'],
      },
    ]);
  });

  it('lists nothing for a cluster without images.mirror, saying so on stderr (exit 0)', async () => {
    const r = await cli(['images', '--cluster', 'pangeo-aws']);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      0,
      '',
      "hubfleet images: config/clusters/pangeo-aws/cluster.yaml sets no images.mirror; its hubs pull from the images' sources, nothing to copy\n",
    ]);
  });

  it.each([
    [['images', '--format', 'yaml'], '--format must be one of text, json, not "yaml"'],
    [['images', '--cluster', 'Pangeo'], '--cluster must be a DNS label'],
    [['images', '--cluster', 'pangeo-gpc'], 'no cluster named "pangeo-gpc"; did you mean pangeo-gcp?'],
    [['images', 'extra'], 'Unexpected argument'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('help images prints its usage', async () => {
    const r = await cli(['help', 'images']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('hubfleet images [--cluster C] [--config DIR] [--format text|json]');
  });
});
