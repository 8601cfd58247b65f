// Table-driven tests of the rules beyond the schema, through the pure loader.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleetFromSources, type ConfigSource } from './load.js';
import type { ConfigProblem } from './model.js';

const clusters = join(import.meta.dirname, '..', '..', 'config', 'clusters');
const read = (path: string): string => readFileSync(join(clusters, path), 'utf8');

const GCP_CLUSTER: ConfigSource = {
  path: 'config/clusters/pangeo-gcp/cluster.yaml',
  text: read('pangeo-gcp/cluster.yaml'),
};
const AWS_CLUSTER: ConfigSource = {
  path: 'config/clusters/pangeo-aws/cluster.yaml',
  text: read('pangeo-aws/cluster.yaml'),
};

/** The example GKE cluster.yaml with extra lines in its gcp: block. */
const gcpClusterWith = (lines: string): ConfigSource => ({
  ...GCP_CLUSTER,
  text: GCP_CLUSTER.text.replace('  dnsZone: hubs-example-org\n', `  dnsZone: hubs-example-org\n${lines}`),
});

const gcpHub = (extra: string, chart = 'basehub', domain = 'demo.hubs.example.org'): string =>
  `name: demo\nstage: staging\ndomain: ${domain}\nchart: {name: ${chart}, version: ${chart === 'daskhub' ? '2024.1.1' : '4.4.0'}}\n` +
  `iap: {members: ['group:demo@example.org'], oauthClient: google-managed}\n${extra}`;
const awsHub = (extra: string, chart = 'basehub', domain = 'demo.aws.example.org'): string =>
  `name: demo\nstage: staging\ndomain: ${domain}\nchart: {name: ${chart}, version: ${chart === 'daskhub' ? '2024.1.1' : '4.4.0'}}\n` +
  `auth: {github: {allowedOrganizations: [pangeo-data], secret: GITHUB_OAUTH_DEMO}}\n${extra}`;

const onGcp = (text: string): ConfigSource[] => [
  GCP_CLUSTER,
  { path: 'config/clusters/pangeo-gcp/hubs/demo.yaml', text },
];
const onAws = (text: string): ConfigSource[] => [
  AWS_CLUSTER,
  { path: 'config/clusters/pangeo-aws/hubs/demo.yaml', text },
];

function errors(sources: ConfigSource[]): ConfigProblem[] {
  const result = loadFleetFromSources(sources);
  return result.ok ? [] : result.problems.filter((p) => p.severity === 'error');
}

describe('accepted by the rules', () => {
  it.each<[string, ConfigSource[]]>([
    [
      'owned values stated exactly as hubfleet renders them (GKE basehub)',
      onGcp(
        gcpHub(
          'values:\n  proxy:\n    service:\n      type: NodePort\n      annotations:\n' +
            `        cloud.google.com/backend-config: '{"default":"demo-iap"}'\n` +
            '    https: {enabled: false}\n  singleuser: {serviceAccountName: user-sa}\n',
        ),
      ),
    ],
    [
      'owned values under jupyterhub in a daskhub',
      onGcp(gcpHub('values:\n  jupyterhub:\n    proxy: {service: {type: NodePort}}\n', 'daskhub')),
    ],
    [
      'master authorized networks and every created-cluster setting on a cluster hubfleet creates',
      [
        gcpClusterWith(
          '  createCluster: true\n  masterIpv4CidrBlock: 172.16.0.16/28\n  subnetwork: nodes\n  podsRangeName: pods\n  servicesRangeName: services\n  releaseChannel: STABLE\n  nodePool: {machineType: e2-standard-8, minNodeCount: 0, maxNodeCount: 6, diskSizeGb: 200}\n  masterAuthorizedNetworks:\n    - {cidrBlock: 10.20.0.0/16, displayName: runners}\n',
        ),
      ],
    ],
    [
      'the subnetwork of an adopted cluster (Terraform checks its Private Google Access)',
      [gcpClusterWith('  subnetwork: nodes\n')],
    ],
    ['ClusterIP on EKS', onAws(awsHub('values: {proxy: {service: {type: ClusterIP}}}\n'))],
    // Service annotations, global and the name overrides are privileged now (trust-rules.test.ts).
    [
      'allow-listed user settings in a daskhub',
      onGcp(
        gcpHub(
          'values: {jupyterhub: {singleuser: {image: {name: a/b, tag: "1"}, memory: {limit: 4G}}, cull: {timeout: 600}}, dask-gateway: {gateway: {backend: {worker: {cores: {limit: 2}}}}}}\n',
          'daskhub',
        ),
      ),
    ],
    [
      'baseline with blockWithIptables false (basehub)',
      onGcp(
        gcpHub('podSecurity: baseline\nvalues: {singleuser: {cloudMetadata: {blockWithIptables: false}}}\n'),
      ),
    ],
    [
      'restricted with blockWithIptables false (daskhub)',
      onGcp(
        gcpHub(
          'podSecurity: restricted\nvalues: {jupyterhub: {singleuser: {cloudMetadata: {blockWithIptables: false}}}}\n',
          'daskhub',
        ),
      ),
    ],
    ['privileged with the z2jh default', onGcp(gcpHub('podSecurity: privileged\n'))],
    [
      'baseline on GKE, where hubfleet renders blockWithIptables: false itself',
      onGcp(gcpHub('podSecurity: baseline\n')),
    ],
    [
      'restricted on EKS with blockWithIptables false',
      onAws(
        awsHub(
          'podSecurity: restricted\nvalues: {singleuser: {cloudMetadata: {blockWithIptables: false}}}\n',
        ),
      ),
    ],
    [
      'extraIamPolicy: null on GKE',
      onGcp(gcpHub('cloudPermissions: {extraIamPolicy: null, requestorPays: false}\n')),
    ],
    ['a 63-character domain on GKE', onGcp(gcpHub('', 'basehub', `${'a'.repeat(51)}.example.org`))],
    [
      'a 73-character domain on EKS (no ManagedCertificate)',
      onAws(awsHub('', 'basehub', `${'a'.repeat(30)}.${'b'.repeat(30)}.example.org`)),
    ],
    [
      'bucket references to defined buckets',
      onGcp(
        gcpHub(
          'cloudPermissions: {bucketAdminAccess: [scratch], bucketReadonlyAccess: [data]}\nbuckets: {scratch: {}, data: {deleteAfterDays: 3650}}\n',
        ),
      ),
    ],
  ])('%s', (_name, sources) => {
    expect(errors(sources)).toEqual([]);
  });
});

describe('rejected by the rules', () => {
  it.each<[string, ConfigSource[], string, string]>([
    [
      'requestorPays: false on EKS',
      onAws(awsHub('cloudPermissions: {requestorPays: false}\n')),
      'cloudPermissions.requestorPays',
      'GCP-only field on an AWS cluster',
    ],
    [
      'a JSON annotation naming another BackendConfig',
      onGcp(
        gcpHub(
          `values: {proxy: {service: {annotations: {cloud.google.com/backend-config: '{"default":"other"}'}}}}\n`,
        ),
      ),
      'values.proxy.service.annotations["cloud.google.com/backend-config"]',
      '{"default":"demo-iap"}',
    ],
    [
      'an annotation that is not JSON',
      onGcp(
        gcpHub(`values: {proxy: {service: {annotations: {cloud.google.com/backend-config: 'demo-iap'}}}}\n`),
      ),
      'values.proxy.service.annotations["cloud.google.com/backend-config"]',
      'set by hubfleet',
    ],
    [
      'https enabled as the string "false"',
      onGcp(gcpHub(`values: {proxy: {https: {enabled: 'false'}}}\n`)),
      'values.proxy.https.enabled',
      'set by hubfleet to false',
    ],
    [
      'baseline with blockWithIptables explicitly true (EKS)',
      onAws(
        awsHub('podSecurity: baseline\nvalues: {singleuser: {cloudMetadata: {blockWithIptables: true}}}\n'),
      ),
      'podSecurity',
      'blockWithIptables: false',
    ],
    [
      'restricted with the z2jh default (EKS)',
      onAws(awsHub('podSecurity: restricted\n')),
      'podSecurity',
      'values.singleuser.cloudMetadata.blockWithIptables: false',
    ],
    [
      'metadata blocking switched on under Workload Identity (GKE)',
      onGcp(gcpHub('values: {singleuser: {cloudMetadata: {blockWithIptables: true}}}\n')),
      'values.singleuser.cloudMetadata.blockWithIptables',
      "GKE's metadata server",
    ],
    [
      'a 64-character domain on GKE',
      onGcp(gcpHub('', 'basehub', `${'a'.repeat(52)}.example.org`)),
      'domain',
      'at most 63',
    ],
    [
      'values.singleuser that is a list',
      onGcp(gcpHub('values: {singleuser: [a]}\n')),
      'values.singleuser',
      'hubfleet sets values.singleuser.serviceAccountName, values.singleuser.cloudMetadata.blockWithIptables inside it',
    ],
    [
      'master authorized networks on an adopted cluster (they would do nothing)',
      [
        gcpClusterWith(
          '  masterAuthorizedNetworks:\n    - {cidrBlock: 10.20.0.0/16, displayName: runners}\n',
        ),
      ],
      'gcp.masterAuthorizedNetworks',
      'applies only to a cluster hubfleet creates (gcp.createCluster: true)',
    ],
    [
      'a master authorized network that is not a CIDR block',
      [
        gcpClusterWith(
          '  createCluster: true\n  masterAuthorizedNetworks:\n    - {cidrBlock: 10.20.0.0, displayName: runners}\n',
        ),
      ],
      'gcp.masterAuthorizedNetworks[0].cidrBlock',
      'must be an IPv4 CIDR block like 10.20.0.0/16 (address/prefix length) (got',
    ],
    [
      'a file outside the layout',
      [GCP_CLUSTER, { path: 'config/clusters/pangeo-gcp/notes.yaml', text: 'a: 1\n' }],
      '',
      'not a hubfleet config file',
    ],
  ])('%s', (_name, sources, field, message) => {
    expect(errors(sources)).toContainEqual(
      expect.objectContaining({ field, message: expect.stringContaining(message) }),
    );
  });
});

describe('staging before prod', () => {
  it('warns, without failing, about a prod hub on a cluster with no staging hub', () => {
    const result = loadFleetFromSources(onGcp(gcpHub('').replace('stage: staging', 'stage: prod')));
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.warnings).toEqual([
      {
        file: 'config/clusters/pangeo-gcp/hubs/demo.yaml',
        line: 2,
        col: 8,
        severity: 'warning',
        field: 'stage',
        message: expect.stringContaining('no staging hub') as unknown as string,
      },
    ]);
  });

  it('lists warnings among the problems when the load fails', () => {
    const prod = gcpHub('')
      .replace('stage: staging', 'stage: prod')
      .replace('version: 4.4.0', 'version: latest');
    const result = loadFleetFromSources(onGcp(prod));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.severity, p.field])).toEqual([
      ['warning', 'stage'],
      ['error', 'chart.version'],
    ]);
  });
});

describe('loadFleetFromSources', () => {
  it('returns problems of every file, sorted by file, line and column', () => {
    const result = loadFleetFromSources([
      { path: 'config/clusters/pangeo-gcp/hubs/b.yaml', text: 'name: b\nstage: x\n' },
      GCP_CLUSTER,
      { path: 'config/clusters/pangeo-gcp/hubs/a.yaml', text: 'name: a\nfoo: 1\nstage: y\n' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const positions = result.problems.map((p) => `${p.file.split('/').pop() ?? ''}:${p.line}:${p.col}`);
    expect(positions).toEqual([...positions].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })));
    expect(new Set(result.problems.map((p) => p.file))).toEqual(
      new Set(['config/clusters/pangeo-gcp/hubs/a.yaml', 'config/clusters/pangeo-gcp/hubs/b.yaml']),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'config/clusters/pangeo-gcp/hubs/a.yaml',
        line: 2,
        col: 1,
        field: 'foo',
      }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: 'config/clusters/pangeo-gcp/hubs/b.yaml',
        line: 2,
        col: 8,
        field: 'stage',
      }),
    );
  });

  it('loads an empty fleet', () => {
    expect(loadFleetFromSources([])).toEqual({ ok: true, fleet: { clusters: [] }, warnings: [] });
  });

  it('gives a cluster with no hubs an empty hub list', () => {
    const result = loadFleetFromSources([AWS_CLUSTER]);
    expect(result.ok && result.fleet.clusters.map((c) => [c.config.name, c.hubs])).toEqual([
      ['pangeo-aws', []],
    ]);
  });
});
