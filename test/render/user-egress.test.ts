// User pods' egress from cluster.yaml (gcp.restrictedGoogleApis, network.extraEgressCidrs): the
// exact singleuser.networkPolicy hubfleet renders, checked against z2jh 4.4.0's values schema as
// chart-schemas.test.ts does, and the pins a platform file may not undo.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { LoadedCluster, LoadedHub } from '../../src/config/model.js';
import { renderHelmValues } from '../../src/render/values.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster, gcpDaskhub } from '../fixtures/render/fleet.js';
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
const z2jhSchema = JSON.parse(
  readFileSync(join(repoRoot, 'test/fixtures/charts/z2jh.values.schema.json'), 'utf8'),
) as object;
const z2jh = new Ajv({ allErrors: true, strict: false }).compile(withoutRequired(z2jhSchema) as object);

function withNetwork(
  base: LoadedCluster,
  gcp: { restrictedGoogleApis?: boolean },
  network?: LoadedCluster['config']['network'],
): LoadedCluster {
  const config = { ...base.config, ...(network === undefined ? {} : { network }) };
  if (config.gcp !== undefined) config.gcp = { ...config.gcp, ...gcp };
  return { ...base, config };
}

const GKE_METADATA_EGRESS = {
  to: [{ ipBlock: { cidr: '169.254.169.252/32' } }],
  ports: [{ protocol: 'TCP', port: 988 }],
};
const RESTRICTED_VIP_EGRESS = {
  to: [{ ipBlock: { cidr: '199.36.153.4/30' } }],
  ports: [{ protocol: 'TCP', port: 443 }],
};
const PSC_ENDPOINT = { cidrBlock: '10.30.0.5/32', ports: [443], displayName: 'PSC endpoint for storage' };
const PROXY = { cidrBlock: '10.40.0.0/24', ports: [8080, 3128], displayName: 'package proxy' };

const restricted = withNetwork(
  gcpCluster,
  { restrictedGoogleApis: true },
  { extraEgressCidrs: [PSC_ENDPOINT] },
);

const policyOf = (values: Record<string, unknown>, daskhub = false): unknown => {
  const z = (daskhub ? values.jupyterhub : values) as { singleuser: { networkPolicy: unknown } };
  return z.singleuser.networkPolicy;
};

describe('user pods’ egress from cluster.yaml', () => {
  it('restricted GKE basehub: no internet, the restricted VIP on 443, the extra block, metadata server as before', () => {
    const values = renderHelmValues(restricted, gcpBasehub);
    expect(policyOf(values)).toEqual({
      enabled: true,
      // cloudMetadataServer stays as hubfleet renders it on GKE: Workload Identity's token comes
      // from GKE's metadata server, which hides the node's own credentials.
      egressAllowRules: { cloudMetadataServer: true, nonPrivateIPs: false },
      egress: [
        GKE_METADATA_EGRESS,
        RESTRICTED_VIP_EGRESS,
        { to: [{ ipBlock: { cidr: '10.30.0.5/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      ],
    });
    expect(z2jh(values) ? [] : z2jh.errors).toEqual([]);
  });

  it('restricted GKE daskhub: the same under jupyterhub, after the gateway rule', () => {
    const values = renderHelmValues(restricted, gcpDaskhub);
    const policy = policyOf(values, true) as {
      egress: unknown[];
      egressAllowRules: unknown;
      enabled: unknown;
    };
    expect(policy.enabled).toBe(true);
    expect(policy.egressAllowRules).toEqual({ cloudMetadataServer: true, nonPrivateIPs: false });
    expect(policy.egress.slice(1)).toEqual([
      GKE_METADATA_EGRESS,
      RESTRICTED_VIP_EGRESS,
      { to: [{ ipBlock: { cidr: '10.30.0.5/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(z2jh(values.jupyterhub) ? [] : z2jh.errors).toEqual([]);
  });

  it('EKS hub: extra blocks become rules (ports sorted), a block holding the link-local range keeps it closed, nothing else changes', () => {
    const cluster = withNetwork(
      awsCluster,
      {},
      {
        extraEgressCidrs: [PROXY, { cidrBlock: '128.0.0.0/1', ports: [443], displayName: 'upper half' }],
      },
    );
    const values = renderHelmValues(cluster, awsHub);
    expect(policyOf(values)).toEqual({
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.40.0.0/24' } }],
          ports: [
            { protocol: 'TCP', port: 3128 },
            { protocol: 'TCP', port: 8080 },
          ],
        },
        {
          to: [{ ipBlock: { cidr: '128.0.0.0/1', except: ['169.254.0.0/16'] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    });
    expect(z2jh(values) ? [] : z2jh.errors).toEqual([]);
  });

  it('without the options the user pods’ policy is what it was', () => {
    expect(policyOf(renderHelmValues(gcpCluster, gcpBasehub))).toEqual({
      egressAllowRules: { cloudMetadataServer: true },
      egress: [GKE_METADATA_EGRESS],
    });
    const explicitFalse = withNetwork(gcpCluster, { restrictedGoogleApis: false }, { extraEgressCidrs: [] });
    expect(policyOf(renderHelmValues(explicitFalse, gcpBasehub))).toEqual({
      egressAllowRules: { cloudMetadataServer: true },
      egress: [GKE_METADATA_EGRESS],
    });
  });

  it.each([
    [
      'nonPrivateIPs: true',
      { egressAllowRules: { nonPrivateIPs: true } },
      'egressAllowRules.nonPrivateIPs is true',
    ],
    ['egressAllowRules: null', { egressAllowRules: null }, 'egressAllowRules.nonPrivateIPs is unset'],
    [
      'enabled: false',
      { enabled: false },
      "enabled is false, but hubfleet renders true there (gcp.restrictedGoogleApis: the user pods' NetworkPolicy is what keeps them inside the perimeter)",
    ],
  ])('refuses a platform file undoing the restriction (%s), naming that file', (_, networkPolicy, said) => {
    const hub: LoadedHub = {
      ...gcpBasehub,
      platform: {
        file: 'config/clusters/pangeo-gcp/platform/staging.yaml',
        values: { singleuser: { networkPolicy } },
      },
    };
    expect(() => renderHelmValues(restricted, hub)).toThrow(
      `config/clusters/pangeo-gcp/platform/staging.yaml: values.singleuser.networkPolicy.${said}`,
    );
  });

  it('lets a platform file add its own egress rules and restate the pins', () => {
    const own = { to: [{ ipBlock: { cidr: '10.50.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] };
    const hub: LoadedHub = {
      ...gcpBasehub,
      platform: {
        file: 'config/clusters/pangeo-gcp/platform/staging.yaml',
        values: {
          singleuser: {
            networkPolicy: { enabled: true, egressAllowRules: { nonPrivateIPs: false }, egress: [own] },
          },
        },
      },
    };
    const policy = policyOf(renderHelmValues(restricted, hub)) as { egress: unknown[] };
    expect(policy.egress).toEqual([
      own,
      GKE_METADATA_EGRESS,
      RESTRICTED_VIP_EGRESS,
      { to: [{ ipBlock: { cidr: '10.30.0.5/32' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });
});
