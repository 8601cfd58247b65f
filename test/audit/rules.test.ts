// One case per rule that trips it (the exact finding) and one that does not.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AuditContext, HubContext } from '../../src/audit/context.js';
import type { AuditRule, RuleFinding } from '../../src/audit/finding.js';
import { AUDIT_RULES } from '../../src/audit/rules.js';
import { ALL_RULES_FLEET, contextOf, exampleContext } from './support.js';

let example: AuditContext;
let tripped: AuditContext;

beforeAll(async () => {
  example = await exampleContext();
  tripped = await contextOf(ALL_RULES_FLEET);
});

function rule(id: string): AuditRule {
  const found = AUDIT_RULES.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

/** The example fleet with one hub's rendered values changed (a render or validator regression). */
function withRendered(hubName: string, change: (values: Record<string, unknown>) => void): AuditContext {
  const copy = structuredClone(example.hubs.map((h) => h.rendered));
  const hubs = example.hubs.map((h, i): HubContext => ({ ...h, rendered: copy[i] ?? {} }));
  const hub = hubs.find((h) => h.hub.config.name === hubName);
  if (hub === undefined) throw new Error(`no hub ${hubName}`);
  change(hub.rendered);
  return { ...example, hubs };
}

function at(value: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node = value;
  for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
  return node;
}

const CLIMATE = 'config/clusters/pangeo-gcp/hubs/climate.yaml';
const CLIMATE_VALUES_LINE = { file: CLIMATE, line: 25, col: 1 };

interface Case {
  id: string;
  trips: () => AuditContext;
  finding: RuleFinding;
  clean: () => AuditContext;
}

const only = (ctx: AuditContext, keep: (h: HubContext) => boolean): AuditContext => ({
  ...ctx,
  hubs: ctx.hubs.filter(keep),
});

const cases: Case[] = [
  {
    id: 'HF001',
    trips: () => withRendered('climate', (v) => (at(v, ['proxy', 'service']).type = 'LoadBalancer')),
    finding: {
      ...CLIMATE_VALUES_LINE,
      field: 'values.proxy.service.type',
      message: 'proxy-public is "LoadBalancer", not NodePort: the hub answers beside the IAP-guarded Ingress',
    },
    clean: () => example,
  },
  {
    id: 'HF001',
    trips: () => {
      const ctx = withRendered('climate', () => undefined);
      const hub = ctx.hubs.find((h) => h.hub.config.name === 'climate');
      if (hub === undefined) throw new Error('no climate');
      hub.manifests = structuredClone(hub.manifests).map((o) =>
        o.kind === 'BackendConfig' ? { ...o, spec: { iap: { enabled: false } } } : o,
      );
      return ctx;
    },
    finding: {
      file: CLIMATE,
      line: 8,
      col: 1,
      field: 'iap',
      message: 'the BackendConfig climate-iap does not turn IAP on (spec.iap.enabled)',
    },
    clean: () => example,
  },
  {
    id: 'HF002',
    trips: () => withRendered('climate', (v) => (at(v, ['ingress']).enabled = true)),
    finding: {
      ...CLIMATE_VALUES_LINE,
      field: 'values.ingress.enabled',
      message: "is true: hubfleet renders the hub's only Ingress, with its certificate and on GKE behind IAP",
    },
    clean: () => example,
  },
  {
    id: 'HF003',
    trips: () =>
      withRendered('climate', (v) => {
        const policy = at(v, ['proxy', 'chp', 'networkPolicy']);
        policy.ingress = [...(policy.ingress as unknown[]), { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }];
      }),
    finding: {
      ...CLIMATE_VALUES_LINE,
      field: 'values.proxy.chp.networkPolicy.ingress',
      message: "ingress[2]: an ingress rule admits 10.0.0.0/8, beside Google's load-balancer ranges",
    },
    clean: () => example,
  },
  {
    // hubfleet admits the cluster's control-plane /28 on port 8000 only (decision 0025): the
    // all-rules fleet's GKE cluster names one and is clean; the same block on 443 is an opening.
    id: 'HF003',
    trips: () => {
      const ctx = {
        ...tripped,
        hubs: tripped.hubs.map((h) => ({ ...h, rendered: structuredClone(h.rendered) })),
      };
      const lake = ctx.hubs.find((h) => h.hub.config.name === 'lake');
      if (lake === undefined) throw new Error('no lake');
      const policy = at(lake.rendered, [...lake.z2jhRoot, 'proxy', 'chp', 'networkPolicy']);
      policy.ingress = (policy.ingress as Record<string, unknown>[]).map((rule) =>
        JSON.stringify(rule.from) === JSON.stringify([{ ipBlock: { cidr: '172.16.0.0/28' } }])
          ? { ...rule, ports: [{ port: 443, protocol: 'TCP' }] }
          : rule,
      );
      return only(ctx, (h) => h.hub.config.name === 'lake');
    },
    finding: {
      file: 'config/clusters/tripped-gcp/hubs/lake.yaml',
      line: 17,
      col: 1,
      field: 'values.proxy.chp.networkPolicy.ingress',
      message: "ingress[2]: an ingress rule admits 172.16.0.0/28, beside Google's load-balancer ranges",
    },
    clean: () => only(tripped, (h) => h.hub.config.name === 'lake'),
  },
  {
    id: 'HF004',
    trips: () => ({ ...example, live: new Map([[CLIMATE, { state: 'project-wide' }]]) }),
    finding: {
      file: CLIMATE,
      line: 8,
      col: 1,
      field: 'iap',
      message:
        'the live release of climate pins no backend service audience: it accepts IAP assertions minted for any backend service of project 123456789012',
    },
    clean: () => ({
      ...example,
      live: new Map([
        [CLIMATE, { state: 'pinned', audience: '/projects/123456789012/global/backendServices/42' }],
      ]),
    }),
  },
  {
    id: 'HF017',
    trips: () => tripped,
    finding: {
      file: 'config/clusters/tripped-gcp/cluster.yaml',
      line: 24,
      col: 25,
      field: 'gcp.restrictedGoogleApis',
      message:
        "tripped-gcp reaches Google APIs, gcr.io and pkg.dev only through the restricted VIP but has no images.mirror: its hubs' images come from public registries its nodes cannot pull from",
    },
    // The same cluster with a mirror inside the perimeter.
    clean: () =>
      withCluster(tripped, 'tripped-gcp', { images: { mirror: 'us-docker.pkg.dev/tripped-prod/mirror' } }),
  },
];

/** `ctx` with one cluster's config changed (fields replaced at the top level). */
function withCluster(ctx: AuditContext, name: string, change: Record<string, unknown>): AuditContext {
  return {
    ...ctx,
    clusters: ctx.clusters.map((c) =>
      c.cluster.config.name !== name
        ? c
        : { ...c, cluster: { ...c.cluster, config: { ...c.cluster.config, ...change } } },
    ),
  };
}

/** Rules that trip once in the all-rules fleet; the example fleet (or the part named) is clean. */
const FROM_FLEET: Record<string, (() => AuditContext) | undefined> = {
  HF005: undefined,
  HF006: undefined,
  HF007: undefined,
  // privileged on EKS is needed (z2jh's iptables init container); climate is baseline.
  HF008: () => only(example, (h) => h.cluster.config.provider === 'aws' || h.hub.config.name === 'climate'),
  HF009: undefined,
  HF010: () => only(example, (h) => h.platform === undefined),
  HF011: undefined,
  HF012: undefined,
  HF013: undefined,
  HF014: undefined,
  HF015: undefined,
  HF016: undefined,
};

describe('audit rules', () => {
  it('every rule has a case here', () => {
    expect([...new Set([...cases.map((c) => c.id), ...Object.keys(FROM_FLEET)])].sort()).toEqual(
      AUDIT_RULES.map((r) => r.id),
    );
  });

  it.each(cases)('$id trips on its case, with file:line ($finding.field)', (c) => {
    expect(rule(c.id).check(c.trips())).toEqual([c.finding]);
  });

  it.each(cases)('$id does not trip on the clean case ($finding.field)', (c) => {
    expect(rule(c.id).check(c.clean())).toEqual([]);
  });

  it('HF017 names the perimeter of a cluster in one', () => {
    const gcp = tripped.clusters.find((c) => c.cluster.config.name === 'tripped-gcp')?.cluster.config.gcp;
    const inPerimeter = withCluster(tripped, 'tripped-gcp', {
      gcp: { ...gcp, vpcServiceControls: { perimeter: 'accessPolicies/123/servicePerimeters/hubs' } },
    });
    expect(
      rule('HF017')
        .check(inPerimeter)
        .map((f) => f.message),
    ).toEqual([
      "tripped-gcp is in the VPC Service Controls perimeter accessPolicies/123/servicePerimeters/hubs but has no images.mirror: its hubs' images come from public registries its nodes cannot pull from",
    ]);
  });

  it.each(Object.entries(FROM_FLEET))(
    '%s trips once in the all-rules fleet and not on the clean one',
    (id, clean) => {
      expect(rule(id).check(tripped)).toHaveLength(1);
      expect(rule(id).check(clean === undefined ? example : clean())).toEqual([]);
    },
  );
});
