// Typed fleets for tests of pure functions that take an already-loaded Fleet.
import type {
  ClusterConfig,
  Fleet,
  HubConfig,
  LoadedCluster,
  Provider,
  Stage,
} from '../../src/config/model.js';
import { latestChartVersion } from '../../src/config/charts.js';

export interface HubSpec {
  name: string;
  stage: Stage;
  chart?: 'basehub' | 'daskhub';
}

export function clusterConfig(name: string, provider: Provider): ClusterConfig {
  const base = {
    name,
    provider,
    runner: { labels: ['self-hosted', name] },
    terraform: { backend: { bucket: `${name}-tfstate`, prefix: `clusters/${name}` } },
  };
  return provider === 'gcp'
    ? {
        ...base,
        gcp: {
          project: `${name}-prod`,
          projectNumber: '123456789012',
          region: 'us-central1',
          clusterName: name,
          network: `${name}-vpc`,
          privateEndpoint: true,
          dnsZone: `${name}-zone`,
          workloadIdentityProvider:
            'projects/123456789012/locations/global/workloadIdentityPools/github/providers/github',
          deployerServiceAccount: `deployer@${name}-prod.iam.gserviceaccount.com`,
        },
      }
    : {
        ...base,
        aws: {
          account: '111122223333',
          region: 'us-west-2',
          clusterName: name,
          roleArn: 'arn:aws:iam::111122223333:role/hubfleet-deployer',
          hostedZoneId: 'Z0123456789ABC',
        },
      };
}

export function hubConfig(cluster: string, provider: Provider, spec: HubSpec): HubConfig {
  const hub: HubConfig = {
    name: spec.name,
    stage: spec.stage,
    domain: `${spec.name}.${cluster}.example.org`,
    chart: { name: spec.chart ?? 'basehub', version: latestChartVersion(spec.chart ?? 'basehub') },
  };
  if (provider === 'gcp') {
    hub.iap = { members: [`group:${spec.name}@example.org`], oauthClient: 'google-managed' };
  } else {
    hub.auth = { github: { allowedOrganizations: ['example-org'], secret: 'GITHUB_OAUTH_HUBS' } };
  }
  return hub;
}

export function cluster(name: string, provider: Provider, hubs: HubSpec[]): LoadedCluster {
  return {
    file: `config/clusters/${name}/cluster.yaml`,
    config: clusterConfig(name, provider),
    hubs: [...hubs]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((h) => ({
        file: `config/clusters/${name}/hubs/${h.name}.yaml`,
        cluster: name,
        config: hubConfig(name, provider, h),
      })),
  };
}

export function fleet(...clusters: LoadedCluster[]): Fleet {
  return { clusters: [...clusters].sort((a, b) => (a.config.name < b.config.name ? -1 : 1)) };
}
