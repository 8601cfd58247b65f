// The root modules take exactly the variables JSON `hubfleet render` writes: every emitted variable
// (and every attribute inside it) is declared with a matching type, and every variable without a
// default is emitted. Checked on the example fleet, the render fixtures and a synthetic fleet.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { loadFleet } from '../../src/config/load.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { renderTfvars } from '../../src/render/tfvars.js';
import { cluster as syntheticCluster } from '../support/fleet.js';
import { awsCluster, gcpCluster } from '../fixtures/render/fleet.js';
import { declaredVariables, loadModule, variableProblems, type DeclaredVariable } from './module-check.js';

const root = join(import.meta.dirname, '..', '..');
const modules = {
  gcp: declaredVariables(loadModule(root, 'terraform/gcp')),
  aws: declaredVariables(loadModule(root, 'terraform/aws')),
};

let example: LoadedCluster[] = [];
beforeAll(async () => {
  const result = await loadFleet(join(root, 'config'), { displayRoot: root });
  if (!result.ok) throw new Error(`example fleet does not load: ${JSON.stringify(result.problems)}`);
  example = result.fleet.clusters;
});

const synthetic = (provider: 'gcp' | 'aws'): LoadedCluster =>
  syntheticCluster(`synthetic-${provider}`, provider, [
    { name: 'alpha', stage: 'staging' },
    { name: 'beta', stage: 'prod', chart: 'daskhub' },
    { name: 'a-hub-with-a-rather-long-name-for-hashing', stage: 'prod' },
  ]);

const withDnsDomain = (c: LoadedCluster): LoadedCluster => ({
  ...c,
  config: { ...c.config, dnsDomain: 'hubs.example.org' },
});

const largeCluster = (provider: 'gcp' | 'aws'): LoadedCluster =>
  syntheticCluster(
    `large-${provider}`,
    provider,
    Array.from(
      { length: 1000 },
      (_, i) => ({ name: `hub-${i}`, stage: i % 10 === 0 ? 'staging' : 'prod' }) as const,
    ),
  );

const createdGkeCluster: LoadedCluster = {
  ...gcpCluster,
  config: {
    ...gcpCluster.config,
    gcp: {
      ...(gcpCluster.config.gcp as NonNullable<LoadedCluster['config']['gcp']>),
      createCluster: true,
      masterIpv4CidrBlock: '172.16.0.32/28',
      subnetwork: 'pangeo-nodes',
      podsRangeName: 'pangeo-pods',
      servicesRangeName: 'pangeo-services',
      releaseChannel: 'STABLE',
      nodePool: { machineType: 'e2-standard-8', minNodeCount: 0, maxNodeCount: 10, diskSizeGb: 200 },
      masterAuthorizedNetworks: [
        { cidrBlock: '10.20.0.0/16', displayName: 'runners' },
        { cidrBlock: '192.168.4.0/24', displayName: 'bastion' },
      ],
    },
  },
};

const variablesFor = (cluster: LoadedCluster): Map<string, DeclaredVariable> =>
  modules[cluster.config.provider];

describe('root module variables match the rendered variables JSON', () => {
  it('the example fleet has a GKE and an EKS cluster', () => {
    expect(example.map((c) => `${c.config.name}:${c.config.provider}`)).toEqual([
      'pangeo-aws:aws',
      'pangeo-gcp:gcp',
    ]);
  });

  it.each([
    ['example pangeo-gcp', () => example.find((c) => c.config.name === 'pangeo-gcp')],
    ['example pangeo-aws', () => example.find((c) => c.config.name === 'pangeo-aws')],
    ['render fixture GKE cluster (buckets, requester pays, readonly grants)', () => gcpCluster],
    ['render fixture EKS cluster (extra IAM policy)', () => awsCluster],
    ['synthetic GKE cluster', () => synthetic('gcp')],
    ['GKE cluster created by hubfleet with master authorized networks', () => createdGkeCluster],
    ['a GKE cluster of 1,000 hubs', () => largeCluster('gcp')],
    ['an EKS cluster of 1,000 hubs', () => largeCluster('aws')],
    ['synthetic EKS cluster', () => synthetic('aws')],
    ["synthetic GKE cluster stating its zone's DNS name", () => withDnsDomain(synthetic('gcp'))],
    ["synthetic EKS cluster stating its zone's DNS name", () => withDnsDomain(synthetic('aws'))],
  ])('%s: no problems', (_name, get) => {
    const cluster = get();
    if (cluster === undefined) throw new Error('cluster missing from the example fleet');
    const tfvars = renderTfvars(cluster) as unknown as Record<string, unknown>;
    expect(variableProblems(variablesFor(cluster), tfvars)).toEqual([]);
  });

  it.each(['gcp', 'aws'] as const)(
    '%s: the variables without a default are exactly the ones the renderer emits',
    (provider) => {
      const emitted = Object.keys(renderTfvars(synthetic(provider))).sort();
      const required = [...modules[provider].values()]
        .filter((v) => !v.hasDefault)
        .map((v) => v.name)
        .sort();
      expect(required).toEqual(emitted);
    },
  );

  it("leaves nothing but dns_domain to module defaults: every setting, a created cluster's too, comes from cluster.yaml", () => {
    const extra = (provider: 'gcp' | 'aws'): string[] =>
      [...modules[provider].values()].filter((v) => v.hasDefault).map((v) => v.name);
    // dns_domain alone is optional: emitted only when cluster.yaml states dnsDomain (the zone's DNS name).
    expect(extra('gcp')).toEqual(['dns_domain']);
    expect(extra('aws')).toEqual(['dns_domain']);
  });

  it('reports every disagreement: undeclared, missing, wrong type, undeclared attribute, null where not nullable', () => {
    const tfvars = renderTfvars(synthetic('gcp')) as unknown as Record<string, unknown>;
    const hubs = tfvars.hubs as Record<string, Record<string, unknown>>;
    const alpha = hubs.alpha as Record<string, unknown>;
    const broken: Record<string, unknown> = {
      ...tfvars,
      new_setting: 1,
      private_endpoint: 'yes',
      project: null,
      hubs: { alpha: { ...alpha, iap_members: 'group:x@example.org', surprise: true } },
    };
    delete broken.dns_zone;
    delete (broken.hubs as Record<string, Record<string, unknown>>).alpha?.stage;
    expect(variableProblems(modules.gcp, broken)).toEqual([
      'project: emitted as null, terraform/gcp/variables.tf:16 has nullable = false',
      'private_endpoint: expected bool, got string (terraform/gcp/variables.tf:56)',
      'hubs["alpha"].stage: required by the module, not emitted (terraform/gcp/variables.tf:88)',
      'hubs["alpha"].iap_members: expected list, got string (terraform/gcp/variables.tf:88)',
      'hubs["alpha"].surprise: emitted, not declared by the module (terraform/gcp/variables.tf:88)',
      'new_setting: emitted by the renderer, no variable declares it',
      'dns_zone: required by terraform/gcp/variables.tf:62, not emitted',
    ]);
  });
});
