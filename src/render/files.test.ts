import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { Fleet, LoadedCluster, LoadedHub } from '../config/model.js';
import {
  awsCluster,
  awsHub,
  fleet,
  gcpBasehub,
  gcpCluster,
  gcpDaskhub,
} from '../../test/fixtures/render/fleet.js';
import { renderFleetFiles } from './files.js';
import { renderHelmValues } from './values.js';

// Expected files, reviewed by hand. After an intended change: UPDATE_GOLDEN=1 npm test -- src/render/files
const GOLDEN = join(process.cwd(), 'test/fixtures/render/expected');

/** The same data with every object's keys in reverse order, recursively. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

describe('renderFleetFiles', () => {
  const files = renderFleetFiles(fleet);

  it('renders tfvars per cluster and values + manifests per hub, sorted', () => {
    expect(files.map((f) => [f.path, f.cluster, f.hub ?? '-'])).toEqual([
      ['pangeo-aws/terraform.tfvars.json', 'pangeo-aws', '-'],
      ['pangeo-aws/hubs/climate/values.yaml', 'pangeo-aws', 'climate'],
      ['pangeo-aws/hubs/climate/manifests.yaml', 'pangeo-aws', 'climate'],
      ['pangeo-gcp/terraform.tfvars.json', 'pangeo-gcp', '-'],
      ['pangeo-gcp/hubs/ocean/values.yaml', 'pangeo-gcp', 'ocean'],
      ['pangeo-gcp/hubs/ocean/manifests.yaml', 'pangeo-gcp', 'ocean'],
      ['pangeo-gcp/hubs/staging/values.yaml', 'pangeo-gcp', 'staging'],
      ['pangeo-gcp/hubs/staging/manifests.yaml', 'pangeo-gcp', 'staging'],
    ]);
  });

  it.each(renderFleetFiles(fleet).map((f) => [f.path, f.content]))(
    '%s matches the reviewed file',
    (path, content) => {
      const file = join(GOLDEN, path);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      expect(content).toBe(readFileSync(file, 'utf8'));
    },
  );

  it('writes files that parse back to what was rendered', () => {
    const values = files.find((f) => f.path === 'pangeo-gcp/hubs/ocean/values.yaml');
    expect(parse(values?.content ?? '', { version: '1.1' })).toEqual(
      renderHelmValues(gcpCluster, gcpDaskhub),
    );
    const manifests = files.find((f) => f.path === 'pangeo-gcp/hubs/ocean/manifests.yaml');
    expect(
      parseAllDocuments(manifests?.content ?? '').map((d) => (d.toJS() as { kind: string }).kind),
    ).toEqual([
      'Namespace',
      'ServiceAccount',
      'BackendConfig',
      'FrontendConfig',
      'ManagedCertificate',
      'Ingress',
    ]);
  });

  it('is byte-identical for the same fleet, however its clusters, hubs and keys are ordered', () => {
    const reordered: Fleet = reverseKeys({
      clusters: [...fleet.clusters].reverse().map((c) => ({ ...c, hubs: [...c.hubs].reverse() })),
    });
    expect(renderFleetFiles(reordered)).toEqual(files);
    expect(renderFleetFiles(fleet)).toEqual(files);
  });

  it('filters by cluster and by hub (a hub alone leaves out the cluster tfvars)', () => {
    expect(renderFleetFiles(fleet, { cluster: 'pangeo-aws' }).map((f) => f.path)).toEqual([
      'pangeo-aws/terraform.tfvars.json',
      'pangeo-aws/hubs/climate/values.yaml',
      'pangeo-aws/hubs/climate/manifests.yaml',
    ]);
    expect(renderFleetFiles(fleet, { cluster: 'pangeo-gcp', hub: 'staging' }).map((f) => f.path)).toEqual([
      'pangeo-gcp/hubs/staging/values.yaml',
      'pangeo-gcp/hubs/staging/manifests.yaml',
    ]);
  });

  it.each([
    [{ cluster: 'nope' }, 'no cluster named nope in the fleet'],
    [{ hub: 'nope' }, 'no hub named nope'],
    [{ cluster: 'pangeo-aws', hub: 'ocean' }, 'no hub named ocean in cluster pangeo-aws'],
  ])('refuses a filter that matches nothing (%j)', (filter, message) => {
    expect(() => renderFleetFiles(fleet, filter)).toThrow(message);
  });

  it('refuses a fleet whose derived cloud names collide', () => {
    const twin = (cluster: string, hub: string): LoadedCluster => ({
      ...gcpCluster,
      config: { ...gcpCluster.config, name: cluster },
      hubs: [
        {
          ...gcpBasehub,
          cluster,
          config: { ...gcpBasehub.config, name: hub, domain: `${hub}.${cluster}.org` },
        },
      ],
    });
    expect(() => renderFleetFiles({ clusters: [twin('a-b', 'c'), twin('a', 'b-c')] })).toThrow(
      'gcp-static-ip name hubfleet-a-b-c is derived for both a-b/c and a/b-c',
    );
  });

  it('contains no secret value: a canary in hub values stops the render and is not echoed', () => {
    const canary = 'canary-2b1f0d7e';
    const leaky: LoadedHub = {
      ...awsHub,
      config: { ...awsHub.config, values: { singleuser: { extraEnv: { AWS_SECRET_ACCESS_KEY: canary } } } },
    };
    let message = '';
    try {
      renderFleetFiles({ clusters: [{ ...awsCluster, hubs: [leaky] }] });
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain('values.singleuser.extraEnv.AWS_SECRET_ACCESS_KEY');
    expect(message).not.toContain(canary);
    // and the fixture fleet's GitHub secret names never reach a rendered file
    for (const f of files) expect(f.content).not.toMatch(/IAP_OAUTH_OCEAN|GITHUB_OAUTH_CLIMATE/);
  });

  it('renders 1,000 hubs, one tfvars file per cluster and two files per hub', () => {
    const clusters: LoadedCluster[] = [];
    for (let c = 0; c < 100; c++) {
      const base = c % 2 === 0 ? gcpCluster : awsCluster;
      const name = `c${c}`;
      const hubs: LoadedHub[] = [];
      for (let h = 0; h < 10; h++) {
        const src = c % 2 === 0 ? (h % 2 === 0 ? gcpBasehub : gcpDaskhub) : awsHub;
        hubs.push({
          ...src,
          cluster: name,
          config: { ...src.config, name: `hub${h}`, domain: `hub${h}.${name}.org` },
        });
      }
      clusters.push({ ...base, config: { ...base.config, name }, hubs });
    }
    // Speed is measured by `npm run bench` (whole processes, next to a baseline), not here.
    const out = renderFleetFiles({ clusters });
    expect(out).toHaveLength(100 + 2 * 1000);
    expect(new Set(out.map((f) => f.path)).size).toBe(out.length);
  });
});
