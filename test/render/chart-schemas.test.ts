// The rendered helm values of every example hub, checked against the charts' own values schemas
// (committed as test/fixtures/charts/*.values.schema.json, converted from z2jh 4.4.0 and
// dask-gateway 2026.3.0, the versions the daskhub chart depends on), as the provider schema is
// committed for the Terraform modules. helm validates the values merged with the chart's defaults,
// which supply every `required` key; hubfleet's values alone are checked for shape and for keys
// the charts do not know (z2jh and dask-gateway set additionalProperties: false almost everywhere).
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadFleet } from '../../src/config/load.js';
import type { LoadedCluster, LoadedHub } from '../../src/config/model.js';
import { renderManifests } from '../../src/render/manifests.js';
import { renderHelmValues } from '../../src/render/values.js';
import { repoRoot } from '../support/bundle-harness.js';

function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k]) => k !== 'required')
      .map(([k, v]) => [k, withoutRequired(v)]),
  );
}
function compile(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/charts', file), 'utf8')) as object;
  return new Ajv({ allErrors: true, strict: false }).compile(withoutRequired(schema) as object);
}
const z2jh = compile('z2jh.values.schema.json');
const daskGateway = compile('dask-gateway.values.schema.json');

const problems = (validate: ValidateFunction, values: unknown): string[] =>
  validate(values)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
      );

async function exampleHubs(): Promise<{ cluster: LoadedCluster; hub: LoadedHub }[]> {
  const loaded = await loadFleet(join(repoRoot, 'config'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.fleet.clusters.flatMap((cluster) => cluster.hubs.map((hub) => ({ cluster, hub })));
}
const get = (value: unknown, path: string[]): unknown =>
  path.reduce<unknown>(
    (at, k) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[k] : undefined),
    value,
  );

describe('rendered values against the charts’ values schemas', () => {
  it('every example hub’s values fit z2jh 4.4.0 and, for daskhub, dask-gateway 2026.3.0', async () => {
    const found: Record<string, string[]> = {};
    for (const { cluster, hub } of await exampleHubs()) {
      const values = renderHelmValues(cluster, hub, {
        iapAudience: '/projects/123456789012/global/backendServices/4155678901234567890',
      });
      const name = `${cluster.config.name}/${hub.config.name}`;
      found[name] =
        hub.config.chart.name === 'daskhub'
          ? [...problems(z2jh, values['jupyterhub']), ...problems(daskGateway, values['dask-gateway'])]
          : problems(z2jh, values);
    }
    expect(Object.keys(found).length).toBeGreaterThanOrEqual(4);
    expect(Object.values(found).flat()).toEqual([]);
  });

  it('GKE hubs: the proxy NetworkPolicy admits only Google’s load balancer ranges and the rollout check', async () => {
    const gke = (await exampleHubs()).filter((h) => h.cluster.config.provider === 'gcp');
    expect(gke.length).toBeGreaterThan(0);
    for (const { cluster, hub } of gke) {
      const values = renderHelmValues(cluster, hub);
      const root = hub.config.chart.name === 'daskhub' ? ['jupyterhub'] : [];
      expect(get(values, [...root, 'proxy', 'chp', 'networkPolicy'])).toEqual({
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
      });
      const backendConfig = renderManifests(cluster, hub).find((o) => o.kind === 'BackendConfig');
      expect(get(backendConfig, ['spec', 'healthCheck'])).toEqual({
        type: 'HTTP',
        requestPath: '/_chp_healthz',
        port: 8000,
      });
    }
  });

  it('GKE hubs of a cluster that names its control plane’s /28: that range is admitted on port 8000 only, and the values still fit z2jh', async () => {
    const gke = (await exampleHubs()).filter((h) => h.cluster.config.provider === 'gcp');
    for (const { cluster, hub } of gke) {
      const gcp = cluster.config.gcp;
      if (gcp === undefined) throw new Error('a GKE cluster without gcp');
      const withMaster = {
        ...cluster,
        config: { ...cluster.config, gcp: { ...gcp, masterIpv4CidrBlock: '172.16.0.32/28' } },
      };
      const values = renderHelmValues(withMaster, hub);
      const root = hub.config.chart.name === 'daskhub' ? ['jupyterhub'] : [];
      expect(get(values, [...root, 'proxy', 'chp', 'networkPolicy', 'ingress'])).toEqual([
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
        { from: [{ ipBlock: { cidr: '172.16.0.32/28' } }], ports: [{ port: 8000, protocol: 'TCP' }] },
      ]);
      expect(problems(z2jh, root.length === 0 ? values : values['jupyterhub'])).toEqual([]);
    }
  });

  it('daskhub: schedulers and workers run as the hub’s user service account', async () => {
    const dask = (await exampleHubs()).filter((h) => h.hub.config.chart.name === 'daskhub');
    expect(dask.length).toBeGreaterThan(0);
    for (const { cluster, hub } of dask) {
      const backend = get(renderHelmValues(cluster, hub), ['dask-gateway', 'gateway', 'backend']);
      expect(get(backend, ['scheduler', 'extraPodConfig'])).toEqual({ serviceAccountName: 'user-sa' });
      expect(get(backend, ['worker', 'extraPodConfig'])).toEqual({ serviceAccountName: 'user-sa' });
    }
  });

  it('the committed schemas are strict where these values live: a misspelt key is refused', () => {
    expect(problems(z2jh, { proxy: { chp: { networkPolicy: { allowedIngressPort: [] } } } })).toEqual([
      '/proxy/chp/networkPolicy must NOT have additional properties {"additionalProperty":"allowedIngressPort"}',
    ]);
    expect(problems(daskGateway, { gateway: { backend: { scheduler: { extraPodConfigs: {} } } } })).toEqual([
      '/gateway/backend/scheduler must NOT have additional properties {"additionalProperty":"extraPodConfigs"}',
    ]);
  });
});
