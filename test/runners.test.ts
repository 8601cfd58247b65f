// The in-VPC runner scale sets: one per cluster, in the shape of the gha-runner-scale-set chart's
// values, ephemeral from zero, no Docker-in-Docker or privileged pod, and a service account with no
// cloud identity (every job logs in through OIDC: README "Security model").
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadFleet } from '../src/config/load.js';
import type { ClusterConfig } from '../src/config/model.js';
import { checkRunnerScaleSet } from '../src/config/runner-values.js';

const root = join(import.meta.dirname, '..');
const read = (path: string): unknown => parse(readFileSync(join(root, path), 'utf8'));

async function clusters(): Promise<ClusterConfig[]> {
  const result = await loadFleet(join(root, 'config'), { displayRoot: root });
  if (!result.ok) throw new Error('the example fleet must load');
  return result.fleet.clusters.map((c) => c.config);
}

function inputs(cluster: ClusterConfig): Parameters<typeof checkRunnerScaleSet>[0] {
  const valuesFile = `config/runners/${cluster.name}.yaml`;
  const serviceAccountFile = `config/runners/${cluster.name}.service-account.yaml`;
  return {
    cluster,
    valuesFile,
    values: read(valuesFile),
    serviceAccountFile,
    serviceAccount: read(serviceAccountFile),
  };
}

describe('config/runners', () => {
  it('has a scale set for every cluster, and each passes every check', async () => {
    const all = await clusters();
    expect(all.map((c) => c.name)).toEqual(['pangeo-aws', 'pangeo-gcp']);
    for (const cluster of all) {
      expect(existsSync(join(root, `config/runners/${cluster.name}.yaml`))).toBe(true);
      expect(checkRunnerScaleSet(inputs(cluster))).toEqual([]);
    }
  });

  it('pins every tool of the runner image', () => {
    const dockerfile = readFileSync(join(root, 'config/runners/image/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM ghcr\.io\/actions\/actions-runner:\d+\.\d+\.\d+$/m);
    const args = new Map([...dockerfile.matchAll(/^ARG (\w+)=(.+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    expect([...args.keys()].sort()).toEqual(
      [
        'AWSCLI_VERSION',
        'GCLOUD_VERSION',
        'HELM_VERSION',
        'KUBECTL_VERSION',
        'NODE_VERSION',
        'TERRAFORM_VERSION',
      ].sort(),
    );
    for (const version of args.values()) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(dockerfile).toContain('google-cloud-cli-gke-gcloud-auth-plugin=${GCLOUD_VERSION}-0');
    expect(dockerfile).toMatch(/^USER runner$/m);
  });
});

describe('checkRunnerScaleSet', () => {
  interface Container {
    name: string;
    image?: string;
    securityContext?: { privileged?: boolean; allowPrivilegeEscalation?: boolean };
  }
  interface Values {
    [key: string]: unknown;
    template: {
      spec: {
        serviceAccountName?: string;
        automountServiceAccountToken?: boolean;
        containers: Container[];
        volumes?: unknown[];
      };
    };
  }
  interface ServiceAccount {
    metadata: { name: string; annotations?: Record<string, string> };
  }
  type Edit = (values: Values, sa: ServiceAccount) => void;

  async function problems(
    clusterName: string,
    edit: Edit,
  ): Promise<Array<{ field: string; message: string; file: string }>> {
    const cluster = (await clusters()).find((c) => c.name === clusterName);
    if (cluster === undefined) throw new Error(clusterName);
    const base = inputs(cluster);
    const values = structuredClone(base.values) as Values;
    const sa = structuredClone(base.serviceAccount) as ServiceAccount;
    edit(values, sa);
    return checkRunnerScaleSet({ ...base, values, serviceAccount: sa });
  }

  const V = 'config/runners/pangeo-gcp.yaml';
  const S = 'config/runners/pangeo-gcp.service-account.yaml';

  it.each<[string, Edit, Array<{ file: string; field: string; message: string }>]>([
    [
      'a warm pool',
      (v) => (v.minRunners = 2),
      [{ file: V, field: 'minRunners', message: 'must be 0: idle clusters run no runner pods' }],
    ],
    [
      'a typo in a chart key',
      (v) => {
        v.maxRunner = 3;
      },
      [{ file: V, field: 'maxRunner', message: 'not a value of the gha-runner-scale-set chart' }],
    ],
    [
      'labels that differ from the cluster',
      (v) => (v.scaleSetLabels = ['self-hosted']),
      [
        {
          file: V,
          field: 'scaleSetLabels',
          message:
            "must equal the cluster's runner.labels [self-hosted, pangeo-gcp], which every job asks for",
        },
      ],
    ],
    [
      'Docker-in-Docker',
      (v) => (v.containerMode = { type: 'dind' }),
      [
        {
          file: V,
          field: 'containerMode.type',
          message: 'Docker-in-Docker needs a privileged container; hubfleet jobs need no Docker',
        },
      ],
    ],
    [
      'a privileged runner',
      (v) => {
        const runner = v.template.spec.containers[0];
        if (runner !== undefined) runner.securityContext = { ...runner.securityContext, privileged: true };
      },
      [
        {
          file: V,
          field: 'template.spec.containers[runner].securityContext.privileged',
          message: 'no privileged runner pods',
        },
      ],
    ],
    [
      'a dind side-car and the node Docker socket',
      (v) => {
        v.template.spec.containers.push({
          name: 'dind',
          image: 'docker:27-dind',
          securityContext: { allowPrivilegeEscalation: false },
        });
        v.template.spec.volumes = [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }];
      },
      [
        {
          file: V,
          field: 'template.spec.containers[dind]',
          message: 'no Docker daemon side-car (Docker-in-Docker)',
        },
        {
          file: V,
          field: 'template.spec.volumes[sock].hostPath',
          message: 'no hostPath volumes (the node, or its Docker socket)',
        },
      ],
    ],
    [
      'an unpinned image',
      (v) => {
        const runner = v.template.spec.containers[0];
        if (runner !== undefined) runner.image = 'ghcr.io/actions/actions-runner:latest';
      },
      [
        {
          file: V,
          field: 'template.spec.containers[runner].image',
          message: 'ghcr.io/actions/actions-runner:latest is not pinned to a version or digest',
        },
      ],
    ],
    [
      'no service account',
      (v) => delete v.template.spec.serviceAccountName,
      [
        {
          file: V,
          field: 'template.spec.serviceAccountName',
          message: "must name the runners' own service account (one with no cloud identity)",
        },
      ],
    ],
    [
      'a service account bound to the deployer through Workload Identity',
      (_, sa) =>
        (sa.metadata.annotations = {
          'iam.gke.io/gcp-service-account': 'deployer@pangeo-prod.iam.gserviceaccount.com',
        }),
      [
        {
          file: S,
          field: 'metadata.annotations.iam.gke.io/gcp-service-account',
          message:
            'must not be set: runner pods carry no cloud identity (Workload Identity); jobs log in through OIDC as the planner or the applier',
        },
      ],
    ],
    [
      "the runner pod mounting its service account's token",
      (v) => (v.template.spec.automountServiceAccountToken = true),
      [
        {
          file: V,
          field: 'template.spec.automountServiceAccountToken',
          message:
            'must be false: a job needs no Kubernetes identity of its own (the runner, without containerMode, never calls the API)',
        },
      ],
    ],
    [
      'a service account of another name',
      (_, sa) => (sa.metadata.name = 'runner'),
      [
        {
          file: S,
          field: 'metadata.name',
          message: 'must be a ServiceAccount named hubfleet-runner, as template.spec.serviceAccountName says',
        },
      ],
    ],
  ])('rejects %s', async (_, edit, expected) => {
    expect(await problems('pangeo-gcp', edit)).toEqual(expected);
  });

  it('refuses an IRSA role on an EKS runner service account', async () => {
    expect(
      await problems(
        'pangeo-aws',
        (_, sa) =>
          (sa.metadata.annotations = {
            'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/hubfleet-deployer',
          }),
      ),
    ).toEqual([
      {
        file: 'config/runners/pangeo-aws.service-account.yaml',
        field: 'metadata.annotations.eks.amazonaws.com/role-arn',
        message:
          'must not be set: runner pods carry no cloud identity (IRSA); jobs log in through OIDC as the planner or the applier',
      },
    ]);
  });
});
