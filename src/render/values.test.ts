import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedHub } from '../config/model.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster, gcpDaskhub } from '../../test/fixtures/render/fleet.js';
import { deepMerge } from './deep-merge.js';
import { healthServiceSnippet } from './health-service.js';
import { IAP_AUTHENTICATOR_SOURCE } from './iap-authenticator.js';
import { findSecretValues } from './secret-scan.js';
import { requireGcp } from './names.js';
import { renderHelmValues } from './values.js';

/** What every hub gets under hub: for the health check (see health-service.ts). */
const HEALTH_ENV = {
  HUBFLEET_HEALTH_API_TOKEN: {
    valueFrom: { secretKeyRef: { name: 'hubfleet-health-token', key: 'token', optional: true } },
  },
};
const HEALTH_CONFIG = { 'hubfleet-health-service': healthServiceSnippet() };

/** What every GKE hub gets under hub: (see iap-authenticator.ts and health-service.ts). */
const IAP_HUB = {
  config: {
    JupyterHub: { authenticator_class: 'hubfleet_iap.HubfleetIAPAuthenticator' },
    HubfleetIAPAuthenticator: {
      project_number: '123456789012',
      keys_url: 'https://www.gstatic.com/iap/verify/public_key-jwk',
    },
  },
  extraConfig: { 'hubfleet-iap-authenticator': IAP_AUTHENTICATOR_SOURCE, ...HEALTH_CONFIG },
  extraEnv: HEALTH_ENV,
  // What the scheduled smoke check reads: the values pin only the project number so far.
  annotations: { 'hubfleet.io/iap-audience': 'project-wide' },
};

/**
 * The rule a daskhub adds to z2jh's user-pod NetworkPolicy: the dask-gateway chart's traefik pods
 * (its matchLabels + component) on the container port of traefik's `web` entrypoint.
 */
// The GKE metadata server's Workload Identity port under Calico network policy (GKE docs).
const GKE_METADATA_EGRESS = {
  to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
  ports: [{ protocol: 'TCP', port: 988 }],
};

const TRAEFIK_EGRESS = (release: string): Record<string, unknown> => ({
  to: [
    {
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'dask-gateway',
          'app.kubernetes.io/instance': release,
          'app.kubernetes.io/component': 'traefik',
        },
      },
    },
  ],
  ports: [{ protocol: 'TCP', port: 8000 }],
});

const withValues = (hub: LoadedHub, values: Record<string, unknown>): LoadedHub => ({
  ...hub,
  config: { ...hub.config, values },
});

/** Only Google's load balancer, its health checks and the rollout check reach a GKE hub's proxy. */
const GKE_PROXY_NETWORK_POLICY = {
  networkPolicy: {
    enabled: true,
    interNamespaceAccessLabels: 'ignore',
    allowedIngressPorts: [],
    ingress: [
      {
        from: [{ ipBlock: { cidr: '130.211.0.0/22' } }, { ipBlock: { cidr: '35.191.0.0/16' } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'konnectivity-agent' } },
          },
        ],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ],
  },
};

describe('renderHelmValues', () => {
  it('renders a GKE basehub: NodePort proxy with the BackendConfig annotation, no TLS, Workload Identity, IAP login', () => {
    expect(renderHelmValues(gcpCluster, gcpBasehub)).toEqual({
      hub: IAP_HUB,
      proxy: {
        service: {
          type: 'NodePort',
          annotations: {
            'cloud.google.com/backend-config': '{"default":"staging-iap"}',
            'cloud.google.com/neg': '{"ingress":true}',
          },
        },
        https: { enabled: false },
        chp: GKE_PROXY_NETWORK_POLICY,
      },
      singleuser: {
        serviceAccountName: 'user-sa',
        extraEnv: { SCRATCH_BUCKET: 'gs://hubfleet-pangeo-gcp-staging-scratch-6b3a4312/$(JUPYTERHUB_USER)' },
        cloudMetadata: { blockWithIptables: false, ip: '169.254.169.254' },
        networkPolicy: { egressAllowRules: { cloudMetadataServer: true }, egress: [GKE_METADATA_EGRESS] },
        // from the hub's values, merged last
        image: { name: 'pangeo/base-notebook', tag: '2025.11.13' },
      },
    });
  });

  it('renders a GKE daskhub: z2jh under jupyterhub, internal gateway addresses, token from the hub Secret', () => {
    const values = renderHelmValues(gcpCluster, gcpDaskhub);
    expect(Object.keys(values).sort()).toEqual(['dask-gateway', 'jupyterhub']);
    expect(values['dask-gateway']).toEqual({
      gateway: {
        prefix: '/services/dask-gateway',
        auth: {
          type: 'jupyterhub',
          jupyterhub: {
            apiTokenFromSecretName: 'hub',
            apiTokenFromSecretKey: 'hub.services.dask-gateway.apiToken',
          },
        },
        backend: {
          scheduler: { extraPodConfig: { serviceAccountName: 'user-sa' } },
          // cores from the hub's values
          worker: { cores: { limit: 2 }, extraPodConfig: { serviceAccountName: 'user-sa' } },
        },
      },
      traefik: { service: { type: 'ClusterIP' } },
    });
    expect(values.jupyterhub).toEqual({
      hub: {
        // display: true comes from the hub's values; url is rendered; no apiToken anywhere
        services: { 'dask-gateway': { url: 'http://traefik-ocean-dask-gateway', display: true } },
        ...IAP_HUB,
      },
      proxy: {
        service: {
          type: 'NodePort',
          annotations: {
            'cloud.google.com/backend-config': '{"default":"ocean-iap"}',
            'cloud.google.com/neg': '{"ingress":true}',
          },
        },
        https: { enabled: false },
        chp: GKE_PROXY_NETWORK_POLICY,
      },
      singleuser: {
        serviceAccountName: 'user-sa',
        // the chart's same-namespace rule lets labelled pods reach proxy-public (the gateway API)
        extraLabels: { 'hub.jupyter.org/network-access-proxy-http': 'true' },
        defaultUrl: '/lab',
        extraEnv: {
          // the hub's own SCRATCH_BUCKET wins: values merge last
          SCRATCH_BUCKET: 'gs://override/$(JUPYTERHUB_USER)',
          PERSISTENT_BUCKET: 'gs://hubfleet-pangeo-gcp-ocean-persistent-67c9265c/$(JUPYTERHUB_USER)',
          DASK_GATEWAY__ADDRESS: 'http://proxy-public/services/dask-gateway',
          DASK_GATEWAY__PROXY_ADDRESS: 'gateway://traefik-ocean-dask-gateway.ocean:80',
          DASK_GATEWAY__PUBLIC_ADDRESS: '/services/dask-gateway/',
          DASK_GATEWAY__AUTH__TYPE: 'jupyterhub',
        },
        cloudMetadata: { blockWithIptables: false, ip: '169.254.169.254' },
        networkPolicy: {
          egressAllowRules: { cloudMetadataServer: true },
          egress: [TRAEFIK_EGRESS('ocean'), GKE_METADATA_EGRESS],
        },
      },
    });
    expect(JSON.stringify(values)).not.toContain('ocean.hubs.example.org');
  });

  it('lets an EKS daskhub user pod reach the gateway proxy through z2jh’s NetworkPolicy, and nothing more', () => {
    const hub: LoadedHub = {
      ...awsHub,
      config: { ...awsHub.config, chart: { name: 'daskhub', version: '2024.1.1' }, values: {} },
    };
    const values = renderHelmValues(awsCluster, hub) as { jupyterhub: { singleuser: unknown } };
    expect(values.jupyterhub.singleuser).toEqual({
      serviceAccountName: 'user-sa',
      extraEnv: {
        SCRATCH_BUCKET: 's3://hubfleet-pangeo-aws-climate-scratch-cdf54012/$(JUPYTERHUB_USER)',
        DASK_GATEWAY__ADDRESS: 'http://proxy-public/services/dask-gateway',
        DASK_GATEWAY__PROXY_ADDRESS: 'gateway://traefik-climate-dask-gateway.climate:80',
        DASK_GATEWAY__PUBLIC_ADDRESS: '/services/dask-gateway/',
        DASK_GATEWAY__AUTH__TYPE: 'jupyterhub',
      },
      // Only the egress rule: EKS keeps z2jh's metadata-server block and its egress defaults.
      networkPolicy: { egress: [TRAEFIK_EGRESS('climate')] },
    });
  });

  it('keeps hubfleet’s egress rules after a hub’s own list, once each', () => {
    const own = { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] };
    const hub: LoadedHub = {
      ...gcpDaskhub,
      config: {
        ...gcpDaskhub.config,
        values: { jupyterhub: { singleuser: { networkPolicy: { egress: [own, GKE_METADATA_EGRESS] } } } },
      },
    };
    const values = renderHelmValues(gcpCluster, hub) as {
      jupyterhub: { singleuser: { networkPolicy: unknown } };
    };
    expect(values.jupyterhub.singleuser.networkPolicy).toEqual({
      egressAllowRules: { cloudMetadataServer: true },
      egress: [own, GKE_METADATA_EGRESS, TRAEFIK_EGRESS('ocean')],
    });
  });

  it('renders an EKS hub: ClusterIP proxy, GitHub OAuth with the client from a Secret reference', () => {
    expect(renderHelmValues(awsCluster, awsHub)).toEqual({
      proxy: { service: { type: 'ClusterIP' }, https: { enabled: false } },
      hub: {
        config: {
          JupyterHub: { authenticator_class: 'github' },
          GitHubOAuthenticator: {
            allowed_organizations: ['climate-org', 'pangeo-data'],
            oauth_callback_url: 'https://climate.hubs.example.org/hub/oauth_callback',
          },
        },
        extraEnv: {
          OAUTH_CLIENT_ID: {
            valueFrom: { secretKeyRef: { name: 'climate-github-oauth', key: 'client_id' } },
          },
          OAUTH_CLIENT_SECRET: {
            valueFrom: { secretKeyRef: { name: 'climate-github-oauth', key: 'client_secret' } },
          },
          ...HEALTH_ENV,
        },
        extraConfig: HEALTH_CONFIG,
      },
      singleuser: {
        serviceAccountName: 'user-sa',
        extraEnv: { SCRATCH_BUCKET: 's3://hubfleet-pangeo-aws-climate-scratch-cdf54012/$(JUPYTERHUB_USER)' },
      },
    });
  });

  it('embeds the IAP authenticator source byte for byte and pins the cluster project number', () => {
    const py = readFileSync(join(process.cwd(), 'src/render/iap_authenticator.py'), 'utf8');
    const other = {
      ...gcpCluster,
      config: { ...gcpCluster.config, gcp: { ...requireGcp(gcpCluster), projectNumber: '987654321' } },
    };
    const values = renderHelmValues(other, gcpBasehub);
    expect(values).toMatchObject({
      hub: {
        extraConfig: { 'hubfleet-iap-authenticator': py },
        config: { HubfleetIAPAuthenticator: { project_number: '987654321' } },
      },
    });
    // EKS hubs authenticate with GitHub and never carry the IAP class.
    expect(JSON.stringify(renderHelmValues(awsCluster, awsHub))).not.toContain('IAP');
  });

  it('pins the audience of the hub’s own backend service once deploy-hub knows it', () => {
    const audience = '/projects/123456789012/global/backendServices/4155678901234567890';
    expect(renderHelmValues(gcpCluster, gcpBasehub, { iapAudience: audience }).hub).toEqual({
      ...IAP_HUB,
      config: {
        ...IAP_HUB.config,
        HubfleetIAPAuthenticator: { ...IAP_HUB.config.HubfleetIAPAuthenticator, audience },
      },
      annotations: { 'hubfleet.io/iap-audience': audience },
    });
    // The option changes nothing else, and an EKS hub has no IAP audience to pin.
    const { hub: _withAudience, ...rest } = renderHelmValues(gcpCluster, gcpBasehub, {
      iapAudience: audience,
    });
    const { hub: _without, ...restWithout } = renderHelmValues(gcpCluster, gcpBasehub);
    expect(rest).toEqual(restWithout);
    expect(renderHelmValues(awsCluster, awsHub, { iapAudience: audience })).toEqual(
      renderHelmValues(awsCluster, awsHub),
    );
  });

  it('puts the health token rotation time deploy-hub gives into the hub pod annotations, and nothing else', () => {
    const at = '2026-12-07T12:00:00Z';
    const { hub: hubWith, ...rest } = renderHelmValues(gcpCluster, gcpBasehub, { healthTokenRotatedAt: at });
    const { hub: hubWithout, ...restWithout } = renderHelmValues(gcpCluster, gcpBasehub);
    expect(hubWith).toEqual({
      ...(hubWithout as object),
      annotations: { 'hubfleet.io/iap-audience': 'project-wide', 'hubfleet.io/health-token-rotated-at': at },
    });
    expect(rest).toEqual(restWithout);
  });

  it('admits the control plane’s /28 on CHP’s port 8000 when the cluster names it (a control plane without Konnectivity), and owns that rule', () => {
    const cidr = '172.16.0.16/28';
    const cluster = {
      ...gcpCluster,
      config: { ...gcpCluster.config, gcp: { ...requireGcp(gcpCluster), masterIpv4CidrBlock: cidr } },
    };
    const proxy = renderHelmValues(cluster, gcpBasehub).proxy as Record<string, unknown>;
    expect(proxy.chp).toEqual({
      networkPolicy: {
        ...GKE_PROXY_NETWORK_POLICY.networkPolicy,
        ingress: [
          ...GKE_PROXY_NETWORK_POLICY.networkPolicy.ingress,
          { from: [{ ipBlock: { cidr } }], ports: [{ port: 8000, protocol: 'TCP' }] },
        ],
      },
    });
    // A hub's values restating the rules without it are refused: the rule is hubfleet's.
    const restated = withValues(gcpBasehub, { proxy: { chp: GKE_PROXY_NETWORK_POLICY } });
    expect(() => renderHelmValues(cluster, restated)).toThrow(
      /values\.proxy\.chp\.networkPolicy\.ingress is .*, but hubfleet renders .*"172\.16\.0\.16\/28".* there/,
    );
    expect(() => renderHelmValues(gcpCluster, restated)).not.toThrow();
  });

  it('refuses an EKS hub without GitHub auth', () => {
    const { auth: _auth, ...noAuth } = awsHub.config;
    expect(() => renderHelmValues(awsCluster, { ...awsHub, config: noAuth })).toThrow(/needs auth\.github/);
  });

  it('lets hub values override anything hubfleet does not own, including arrays (replaced, not appended)', () => {
    const hub = withValues(awsHub, {
      singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } },
      proxy: { service: { type: 'ClusterIP', labels: { a: 'b' } } },
    });
    const values = renderHelmValues(awsCluster, hub);
    expect(values).toMatchObject({
      singleuser: { networkPolicy: { egressAllowRules: { privateIPs: true } } },
      proxy: { service: { type: 'ClusterIP', labels: { a: 'b' } } },
    });
  });

  it('merges the platform values over the hub values (decision 0018)', () => {
    const hub: LoadedHub = {
      ...withValues(gcpBasehub, { singleuser: { defaultUrl: '/tree', startTimeout: 600 } }),
      platform: {
        file: 'config/clusters/pangeo-gcp/platform/climate.yaml',
        values: { singleuser: { defaultUrl: '/lab' }, hub: { extraConfig: { '10-x': 'c.A.b = 1' } } },
      },
    };
    const values = renderHelmValues(gcpCluster, hub);
    expect(values).toMatchObject({
      singleuser: { defaultUrl: '/lab', startTimeout: 600 },
      hub: { extraConfig: { '10-x': 'c.A.b = 1', ...IAP_HUB.extraConfig } },
    });
  });

  it.each([
    [
      gcpBasehub,
      { hub: { config: { HubfleetIAPAuthenticator: { keys_url: 'https://evil.example' } } } },
      'values.hub.config.HubfleetIAPAuthenticator',
    ],
    [
      gcpBasehub,
      { hub: { extraConfig: { 'hubfleet-iap-authenticator': 'class X: pass' } } },
      'values.hub.extraConfig.hubfleet-iap-authenticator',
    ],
    [
      awsHub,
      { hub: { config: { GitHubOAuthenticator: { allowed_organizations: ['other'] } } } },
      'values.hub.config.GitHubOAuthenticator',
    ],
    [awsHub, { hub: { extraEnv: { OAUTH_CLIENT_ID: 'x' } } }, 'values.hub.extraEnv.OAUTH_CLIENT_ID'],
  ])("refuses platform values that replace hubfleet's sign-in: %#", (base, values, field) => {
    const cluster = base === awsHub ? awsCluster : gcpCluster;
    const hub: LoadedHub = { ...base, platform: { file: 'p.yaml', values } };
    expect(() => renderHelmValues(cluster, hub)).toThrow(field);
    expect(() => renderHelmValues(cluster, withValues(base, values))).toThrow(field);
  });

  it.each([
    [gcpCluster, gcpBasehub, { proxy: { service: { type: 'LoadBalancer' } } }, 'values.proxy.service.type'],
    [gcpCluster, gcpBasehub, { proxy: { https: { enabled: true } } }, 'values.proxy.https.enabled'],
    [
      gcpCluster,
      gcpBasehub,
      { singleuser: { serviceAccountName: 'default' } },
      'values.singleuser.serviceAccountName',
    ],
    [
      gcpCluster,
      gcpBasehub,
      { proxy: { service: { annotations: { 'cloud.google.com/backend-config': '{"default":"other"}' } } } },
      'values.proxy.service.annotations.cloud.google.com/backend-config',
    ],
    [
      gcpCluster,
      gcpDaskhub,
      { jupyterhub: { proxy: { service: { type: 'LoadBalancer' } } } },
      'values.jupyterhub.proxy.service.type',
    ],
    [awsCluster, awsHub, { proxy: { service: { type: 'NodePort' } } }, 'values.proxy.service.type'],
    [
      awsCluster,
      awsHub,
      { hub: { config: { JupyterHub: { authenticator_class: 'dummy' } } } },
      'values.hub.config.JupyterHub.authenticator_class',
    ],
    // Removing hub.config would fall back to z2jh's default `dummy` authenticator.
    [awsCluster, awsHub, { hub: { config: null } }, 'values.hub.config.JupyterHub.authenticator_class'],
    [
      gcpCluster,
      gcpBasehub,
      { hub: { config: { JupyterHub: { authenticator_class: 'dummy' } } } },
      'values.hub.config.JupyterHub.authenticator_class',
    ],
    [
      gcpCluster,
      gcpDaskhub,
      { jupyterhub: { hub: { config: { JupyterHub: { authenticator_class: null } } } } },
      'values.jupyterhub.hub.config.JupyterHub.authenticator_class',
    ],
  ])('refuses hub values that override what hubfleet owns (%#)', (cluster, hub, values, path) => {
    expect(() => renderHelmValues(cluster, withValues(hub, values))).toThrow(path);
  });

  it('refuses an extraEnv that is not a mapping where hubfleet renders variables into it', () => {
    const eks = withValues(awsHub, { hub: { extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }] } });
    expect(() => renderHelmValues(awsCluster, eks)).toThrow(
      'config/clusters/pangeo-aws/hubs/climate.yaml: values.hub.extraEnv is a list, but hubfleet renders OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, HUBFLEET_HEALTH_API_TOKEN into it as a mapping',
    );
    const dask = withValues(gcpDaskhub, { jupyterhub: { singleuser: { extraEnv: null } } });
    expect(() => renderHelmValues(gcpCluster, dask)).toThrow(
      'config/clusters/pangeo-gcp/hubs/ocean.yaml: values.jupyterhub.singleuser.extraEnv is null, but hubfleet renders SCRATCH_BUCKET, PERSISTENT_BUCKET, DASK_GATEWAY__ADDRESS, DASK_GATEWAY__PROXY_ADDRESS, DASK_GATEWAY__PUBLIC_ADDRESS, DASK_GATEWAY__AUTH__TYPE into it as a mapping',
    );
    // A GKE hub's hub.extraEnv carries the health service token's reference: a list would drop it.
    const gke = withValues(gcpBasehub, { hub: { extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }] } });
    expect(() => renderHelmValues(gcpCluster, gke)).toThrow(
      'config/clusters/pangeo-gcp/hubs/staging.yaml: values.hub.extraEnv is a list, but hubfleet renders HUBFLEET_HEALTH_API_TOKEN into it as a mapping',
    );
  });

  it('accepts an owned value restated unchanged', () => {
    const hub = withValues(gcpBasehub, { proxy: { service: { type: 'NodePort' } } });
    expect(renderHelmValues(gcpCluster, hub)).toMatchObject({ proxy: { service: { type: 'NodePort' } } });
  });

  it('refuses literal secret values and names only their paths in the error', () => {
    const canary = 'canary-7f3c9a1e-secret-value';
    const hub = withValues(awsHub, { hub: { config: { GitHubOAuthenticator: { client_secret: canary } } } });
    let message = '';
    try {
      renderHelmValues(awsCluster, hub);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain('values.hub.config.GitHubOAuthenticator.client_secret');
    expect(message).not.toContain(canary);
  });
});

describe('findSecretValues', () => {
  it.each([
    [{ hub: { cookieSecret: 'x' } }, ['hub.cookieSecret']],
    [{ proxy: { secretToken: 'x' } }, ['proxy.secretToken']],
    [{ hub: { services: { s: { apiToken: 'x' } } } }, ['hub.services.s.apiToken']],
    [
      { 'dask-gateway': { gateway: { auth: { simple: { password: 'x' } } } } },
      ['dask-gateway.gateway.auth.simple.password'],
    ],
    [{ singleuser: { extraEnv: { GITHUB_TOKEN: 'ghp_x' } } }, ['singleuser.extraEnv.GITHUB_TOKEN']],
    [
      { singleuser: { extraEnv: { DB_PASSWORD: { value: 'x' } } } },
      ['singleuser.extraEnv.DB_PASSWORD.value'],
    ],
    [{ hub: { extraEnv: [{ name: 'API_SECRET', value: 'x' }] } }, ['hub.extraEnv.0.value']],
    [{ imagePullSecret: { username: 'u', password: 'p' } }, ['imagePullSecret.password']],
  ])('finds %j', (values, paths) => {
    expect(findSecretValues(values)).toEqual(paths);
  });

  it.each([
    [
      {
        hub: { extraEnv: { OAUTH_CLIENT_SECRET: { valueFrom: { secretKeyRef: { name: 'n', key: 'k' } } } } },
      },
    ],
    [{ hub: { existingSecret: 'my-secret' } }],
    [
      {
        'dask-gateway': {
          gateway: { auth: { jupyterhub: { apiTokenFromSecretName: 'hub', apiToken: null } } },
        },
      },
    ],
    [{ proxy: { secretToken: '' } }],
    [
      {
        hub: {
          config: { GenericOAuthenticator: { token_url: 'https://x/token', userdata_from_id_token: true } },
        },
      },
    ],
  ])('accepts references and empty values: %j', (values) => {
    expect(findSecretValues(values)).toEqual([]);
  });
});

describe('deepMerge', () => {
  it('merges objects, replaces arrays, scalars and null, and modifies neither input', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const override = { a: { c: [3] }, d: null, e: 'scalar', g: { h: true } };
    const before = JSON.stringify([base, override]);
    expect(deepMerge(base, override)).toEqual({ a: { b: 1, c: [3] }, d: null, e: 'scalar', g: { h: true } });
    expect(JSON.stringify([base, override])).toBe(before);
  });

  it('treats a "__proto__" key as data', () => {
    const override = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const merged = deepMerge({}, override);
    expect(Object.keys(merged)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((merged as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
