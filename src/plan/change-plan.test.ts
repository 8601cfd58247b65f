import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import {
  classifyPath,
  LABEL_DEPLOY_ALL,
  LABEL_REMOVE_HUB,
  LABEL_SKIP_DEPLOY,
  planChanges,
  stageTimeoutMinutes,
  toMatrices,
  type ChangedFile,
  type ChangePlan,
} from './change-plan.js';

const gcp = cluster('pangeo-gcp', 'gcp', [
  { name: 'ocean', stage: 'prod', chart: 'daskhub' },
  { name: 'ocean-staging', stage: 'staging' },
  { name: 'climate', stage: 'prod' },
  { name: 'climate-staging', stage: 'staging' },
]);
const gcp2 = cluster('other-gcp', 'gcp', [{ name: 'lab', stage: 'staging' }]);
const aws = cluster('pangeo-aws', 'aws', [
  { name: 'ice', stage: 'prod' },
  { name: 'ice-staging', stage: 'staging' },
]);
const theFleet = fleet(gcp, gcp2, aws);

const modified = (path: string): ChangedFile => ({ path, status: 'modified' });
const added = (path: string): ChangedFile => ({ path, status: 'added' });
const deleted = (path: string): ChangedFile => ({ path, status: 'deleted' });

interface Summary {
  clusters: string[];
  staging: string[];
  prod: string[];
  removals: string[];
}

function summarise(plan: ChangePlan): Summary {
  return {
    clusters: plan.clusters.map((c) => c.cluster),
    staging: plan.staging.map((j) => `${j.cluster}/${j.hub}`),
    prod: plan.prod.map((j) => `${j.cluster}/${j.hub}`),
    removals: plan.removals.map((r) => `${r.cluster}/${r.hub}:${r.action}`),
  };
}

const allGcpStaging = ['pangeo-gcp/climate-staging', 'pangeo-gcp/ocean-staging'];

// One row per line of the table in design §4.
const table: Array<{ name: string; changes: ChangedFile[]; labels?: string[]; expected: Summary }> = [
  {
    name: 'cluster.yaml changed → plan that cluster, deploy every hub of it (staging first)',
    changes: [modified('config/clusters/pangeo-gcp/cluster.yaml')],
    expected: {
      clusters: ['pangeo-gcp'],
      staging: allGcpStaging,
      prod: ['pangeo-gcp/climate', 'pangeo-gcp/ocean'],
      removals: [],
    },
  },
  {
    name: 'a staging hub file changed → plan its cluster, deploy only that hub',
    changes: [modified('config/clusters/pangeo-gcp/hubs/ocean-staging.yaml')],
    expected: { clusters: ['pangeo-gcp'], staging: ['pangeo-gcp/ocean-staging'], prod: [], removals: [] },
  },
  {
    name: 'a prod hub file added → plan its cluster, deploy it after every staging hub of the cluster',
    changes: [added('config/clusters/pangeo-gcp/hubs/ocean.yaml')],
    expected: { clusters: ['pangeo-gcp'], staging: allGcpStaging, prod: ['pangeo-gcp/ocean'], removals: [] },
  },
  {
    name: 'a hub file deleted without the label → plan shows removal, hub and data kept',
    changes: [deleted('config/clusters/pangeo-gcp/hubs/gone.yaml')],
    expected: { clusters: ['pangeo-gcp'], staging: [], prod: [], removals: ['pangeo-gcp/gone:keep'] },
  },
  {
    name: 'a hub file deleted with hubfleet:remove-hub → uninstall that hub only',
    changes: [deleted('config/clusters/pangeo-gcp/hubs/gone.yaml')],
    labels: [LABEL_REMOVE_HUB],
    expected: { clusters: ['pangeo-gcp'], staging: [], prod: [], removals: ['pangeo-gcp/gone:uninstall'] },
  },
  {
    name: 'terraform/gcp changed → plan every GCP cluster, deploy nothing',
    changes: [modified('terraform/gcp/main.tf')],
    expected: { clusters: ['other-gcp', 'pangeo-gcp'], staging: [], prod: [], removals: [] },
  },
  {
    name: 'terraform/aws changed → plan every AWS cluster, deploy nothing',
    changes: [modified('terraform/aws/modules/hub/iam.tf')],
    expected: { clusters: ['pangeo-aws'], staging: [], prod: [], removals: [] },
  },
  {
    name: 'config/schema changed → deploy every hub, plan nothing',
    changes: [modified('config/schema/hub.schema.json')],
    expected: {
      clusters: [],
      staging: ['other-gcp/lab', 'pangeo-aws/ice-staging', ...allGcpStaging],
      prod: ['pangeo-aws/ice', 'pangeo-gcp/climate', 'pangeo-gcp/ocean'],
      removals: [],
    },
  },
  {
    name: "a fleet repository's move to another hubfleet (.hubfleet/owned.json) → plan every cluster, deploy every hub",
    changes: [modified('.hubfleet/owned.json'), modified('.github/workflows/deploy.yml')],
    expected: {
      clusters: ['other-gcp', 'pangeo-aws', 'pangeo-gcp'],
      staging: ['other-gcp/lab', 'pangeo-aws/ice-staging', ...allGcpStaging],
      prod: ['pangeo-aws/ice', 'pangeo-gcp/climate', 'pangeo-gcp/ocean'],
      removals: [],
    },
  },
  {
    name: 'chart defaults changed → deploy every hub',
    changes: [modified('config/charts/daskhub.yaml')],
    expected: {
      clusters: [],
      staging: ['other-gcp/lab', 'pangeo-aws/ice-staging', ...allGcpStaging],
      prod: ['pangeo-aws/ice', 'pangeo-gcp/climate', 'pangeo-gcp/ocean'],
      removals: [],
    },
  },
  {
    name: 'actions/, workflows/ and src/ outside the renderer → CI only',
    changes: [
      modified('actions/deploy-hub/main.ts'),
      modified('workflows/deploy.ts'),
      modified('src/plan/change-plan.ts'),
      modified('src/config/chart-versions.ts'),
    ],
    expected: { clusters: [], staging: [], prod: [], removals: [] },
  },
  {
    name: 'hubfleet:skip-deploy keeps the plans and drops every deploy job',
    changes: [modified('config/clusters/pangeo-gcp/cluster.yaml')],
    labels: [LABEL_SKIP_DEPLOY],
    expected: { clusters: ['pangeo-gcp'], staging: [], prod: [], removals: [] },
  },
  {
    name: 'hubfleet:deploy-all deploys every hub even for a CI-only change',
    changes: [modified('README.md')],
    labels: [LABEL_DEPLOY_ALL],
    expected: {
      clusters: [],
      staging: ['other-gcp/lab', 'pangeo-aws/ice-staging', ...allGcpStaging],
      prod: ['pangeo-aws/ice', 'pangeo-gcp/climate', 'pangeo-gcp/ocean'],
      removals: [],
    },
  },
  {
    name: 'a prod hub on another cluster brings only that cluster’s staging hubs',
    changes: [modified('config/clusters/pangeo-aws/hubs/ice.yaml')],
    expected: {
      clusters: ['pangeo-aws'],
      staging: ['pangeo-aws/ice-staging'],
      prod: ['pangeo-aws/ice'],
      removals: [],
    },
  },
  {
    name: 'a renamed hub file is planned as one removal and one addition',
    changes: [
      deleted('config/clusters/pangeo-gcp/hubs/old-name.yaml'),
      added('config/clusters/pangeo-gcp/hubs/ocean.yaml'),
    ],
    expected: {
      clusters: ['pangeo-gcp'],
      staging: allGcpStaging,
      prod: ['pangeo-gcp/ocean'],
      removals: ['pangeo-gcp/old-name:keep'],
    },
  },
  {
    name: 'no changes → nothing to do',
    changes: [],
    expected: { clusters: [], staging: [], prod: [], removals: [] },
  },
];

describe('planChanges', () => {
  it.each(table)('$name', ({ changes, labels, expected }) => {
    expect(summarise(planChanges(changes, labels ?? [], theFleet))).toEqual(expected);
  });

  it('gives each hub job its cluster’s runner labels and a per-stage environment', () => {
    const plan = planChanges([modified('config/clusters/pangeo-gcp/hubs/ocean.yaml')], [], theFleet);
    expect(plan.prod).toEqual([
      {
        cluster: 'pangeo-gcp',
        hub: 'ocean',
        stage: 'prod',
        provider: 'gcp',
        domain: 'ocean.pangeo-gcp.example.org',
        runner: ['self-hosted', 'pangeo-gcp'],
        environment: 'pangeo-gcp-prod',
      },
    ]);
    expect(plan.clusters).toEqual([
      { cluster: 'pangeo-gcp', provider: 'gcp', runner: ['self-hosted', 'pangeo-gcp'] },
    ]);
  });

  it('reports a deleted cluster.yaml instead of planning or destroying it', () => {
    const plan = planChanges([deleted('config/clusters/retired/cluster.yaml')], [], theFleet);
    expect(plan.clusters).toEqual([]);
    expect(plan.removedClusters).toEqual(['retired']);
    expect(plan.reasons[0]?.effect).toMatch(/destroy it by hand/);
  });

  it('lists each hub once however many of its files changed', () => {
    const plan = planChanges(
      [
        modified('config/clusters/pangeo-gcp/cluster.yaml'),
        modified('config/clusters/pangeo-gcp/hubs/ocean.yaml'),
      ],
      [LABEL_DEPLOY_ALL],
      theFleet,
    );
    const ids = [...plan.staging, ...plan.prod].map((j) => `${j.cluster}/${j.hub}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('deploys the hub whose platform file changed, without a Terraform plan', () => {
    const plan = planChanges(
      [
        modified('config/clusters/pangeo-gcp/platform/ocean.yaml'),
        added('config/clusters/pangeo-gcp/platform/gone.yaml'),
      ],
      [],
      theFleet,
    );
    expect(summarise(plan)).toEqual({
      clusters: [],
      staging: allGcpStaging,
      prod: ['pangeo-gcp/ocean'],
      removals: [],
    });
    expect(plan.reasons).toEqual([
      { path: 'config/clusters/pangeo-gcp/platform/ocean.yaml', effect: 'deploy ocean (platform values)' },
      {
        path: 'config/clusters/pangeo-gcp/platform/gone.yaml',
        effect: 'no effect: hub pangeo-gcp/gone is not in the fleet',
      },
    ]);
  });

  it('explains every path in the reasons', () => {
    const plan = planChanges([modified('docs/x.md'), modified('terraform/gcp/main.tf')], [], theFleet);
    expect(plan.reasons).toEqual([
      { path: 'docs/x.md', effect: 'no effect on the fleet' },
      { path: 'terraform/gcp/main.tf', effect: 'plan every gcp cluster (2); no deploy' },
    ]);
  });
});

describe('classifyPath', () => {
  it.each([
    ['config/clusters/a/cluster.yaml', { kind: 'cluster-file', cluster: 'a' }],
    ['config/clusters/a/hubs/b.yaml', { kind: 'hub-file', cluster: 'a', hub: 'b' }],
    ['config/clusters/a/hubs/nested/b.yaml', { kind: 'other' }],
    ['config/clusters/a/hubs/b.yml', { kind: 'other' }],
    ['config/clusters/a/platform/b.yaml', { kind: 'platform-file', cluster: 'a', hub: 'b' }],
    ['config/clusters/a/platform/b.yml', { kind: 'other' }],
    ['terraform/gcp/x.tf', { kind: 'terraform', provider: 'gcp' }],
    ['terraform/azure/x.tf', { kind: 'other' }],
    ['config/schema/hub.schema.json', { kind: 'every-hub' }],
    ['src/render/values.ts', { kind: 'every-hub' }],
    ['src/render/iap_authenticator.py', { kind: 'every-hub' }],
    ['src/config/charts.ts', { kind: 'every-hub' }],
    ['.hubfleet/owned.json', { kind: 'tool-version' }],
    ['.hubfleet/other.json', { kind: 'other' }],
    ['src/config/chart-versions.ts', { kind: 'ci-only' }],
    ['src/renderer.ts', { kind: 'ci-only' }],
    ['src/cli.ts', { kind: 'ci-only' }],
  ])('%s', (path, expected) => {
    expect(classifyPath(path)).toEqual(expected);
  });
});

const awsTarget = {
  cluster: 'pangeo-aws',
  provider: 'aws',
  runner: ['self-hosted', 'pangeo-aws'],
  gcpProject: '',
  gcpLocation: '',
  gcpClusterName: '',
  gcpWorkloadIdentityProvider: '',
  gcpServiceAccount: '',
  awsRoleArn: 'arn:aws:iam::111122223333:role/hubfleet-deployer',
  awsRegion: 'us-west-2',
  awsClusterName: 'pangeo-aws',
};
const gcpTarget = {
  cluster: 'pangeo-gcp',
  provider: 'gcp',
  runner: ['self-hosted', 'pangeo-gcp'],
  gcpProject: 'pangeo-gcp-prod',
  gcpLocation: 'us-central1',
  gcpClusterName: 'pangeo-gcp',
  gcpWorkloadIdentityProvider:
    'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github',
  gcpServiceAccount: 'deployer@pangeo-gcp-prod.iam.gserviceaccount.com',
  awsRoleArn: '',
  awsRegion: '',
  awsClusterName: '',
};

describe('toMatrices', () => {
  it('gives one row per cluster and stage, with the login parameters and the hub list', () => {
    const plan = planChanges([modified('config/clusters/pangeo-aws/hubs/ice-staging.yaml')], [], theFleet);
    expect(toMatrices(plan, theFleet)).toEqual({
      clusters: { include: [awsTarget] },
      staging: {
        include: [
          {
            ...awsTarget,
            stage: 'staging',
            environment: 'pangeo-aws-staging',
            hubs: 'ice-staging',
            hubCount: 1,
            concurrency: 4,
            timeoutMinutes: 148,
            afterStaging: false,
            // Nothing waits for a new EKS hub's ALB before the smoke test: more retries.
            smokeAttempts: 40,
            smokeRetryBudget: '15m',
          },
        ],
      },
      prod: { include: [] },
      // EKS hubs have no ManagedCertificate to wait for (their load balancer serves ACM's).
      certificates: { include: [] },
      remove: { include: [] },
      uninstall: { include: [] },
    });
  });

  it('gates prod rows on the cluster staging row and lists every deployed hub for certificates', () => {
    const plan = planChanges([modified('config/clusters/pangeo-gcp/cluster.yaml')], [], theFleet);
    const m = toMatrices(plan, theFleet);
    expect(m.staging.include).toEqual([
      {
        ...gcpTarget,
        stage: 'staging',
        environment: 'pangeo-gcp-staging',
        hubs: 'climate-staging,ocean-staging',
        hubCount: 2,
        concurrency: 4,
        timeoutMinutes: 148,
        afterStaging: false,
        smokeAttempts: 5,
        smokeRetryBudget: '5m',
      },
    ]);
    expect(m.prod.include).toEqual([
      {
        ...gcpTarget,
        stage: 'prod',
        environment: 'pangeo-gcp-prod',
        hubs: 'climate,ocean',
        hubCount: 2,
        concurrency: 4,
        timeoutMinutes: 148,
        afterStaging: true,
        smokeAttempts: 5,
        smokeRetryBudget: '5m',
      },
    ]);
    expect(m.certificates.include).toEqual([
      {
        ...gcpTarget,
        hubs: 'climate-staging,ocean-staging,climate,ocean',
        hubCount: 4,
        stagingHubs: 'climate-staging,ocean-staging',
        prodHubs: 'climate,ocean',
      },
    ]);
  });

  it('adds a cluster that deploys without a terraform change to the clusters matrix (apply-iam gives its outputs)', () => {
    const plan = planChanges([modified('config/schema/hub.schema.json')], [], theFleet);
    expect(plan.clusters).toEqual([]);
    expect(toMatrices(plan, theFleet).clusters.include.map((r) => r.cluster)).toEqual([
      'other-gcp',
      'pangeo-aws',
      'pangeo-gcp',
    ]);
  });

  it('groups removals per cluster and action', () => {
    const plan = planChanges(
      [
        deleted('config/clusters/pangeo-aws/hubs/old-a.yaml'),
        deleted('config/clusters/pangeo-aws/hubs/old-b.yaml'),
      ],
      [LABEL_REMOVE_HUB],
      theFleet,
    );
    expect(toMatrices(plan, theFleet).remove).toEqual({
      include: [{ ...awsTarget, action: 'uninstall', hubs: 'old-a,old-b' }],
    });
  });

  it('gives the uninstall job only the uninstall rows, with a timeout for every hub in turn', () => {
    const changes = [
      deleted('config/clusters/pangeo-aws/hubs/old-a.yaml'),
      deleted('config/clusters/pangeo-aws/hubs/old-b.yaml'),
    ];
    expect(toMatrices(planChanges(changes, [LABEL_REMOVE_HUB], theFleet), theFleet).uninstall).toEqual({
      include: [
        {
          ...awsTarget,
          action: 'uninstall',
          hubs: 'old-a,old-b',
          hubCount: 2,
          helmTimeout: '10m',
          timeoutMinutes: 57,
          environment: 'pangeo-aws-prod',
        },
      ],
    });
    // Without the label the hubs are kept: a remove row, but no uninstall job.
    const kept = toMatrices(planChanges(changes, [], theFleet), theFleet);
    expect(kept.remove.include.map((r) => r.action)).toEqual(['keep']);
    expect(kept.uninstall).toEqual({ include: [] });
  });

  it.each([
    // 90 overhead + 12 per wave of 4 deployed hubs + 46 per wave of 4 health-checked hubs.
    [1, 148],
    [4, 148],
    [5, 206],
    [40, 670],
    [100, 1440], // 1540, capped at a day
    [10_000, 1440],
  ])('gives a stage job of %i hubs a timeout of %i minutes', (hubs, minutes) => {
    expect(stageTimeoutMinutes(hubs)).toBe(minutes);
  });

  it('refuses a matrix over 256 jobs with a message that says what to do', () => {
    const many = fleet(
      ...Array.from({ length: 257 }, (_, i) =>
        cluster(`c${String(i).padStart(3, '0')}`, 'gcp', [{ name: 'h', stage: 'staging' }]),
      ),
    );
    const plan = planChanges([], [LABEL_DEPLOY_ALL], many);
    expect(() => toMatrices(plan, many)).toThrow(
      'the clusters matrix would hold 257 jobs; GitHub runs at most 256 per matrix',
    );
  });
});
