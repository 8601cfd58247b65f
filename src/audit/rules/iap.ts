// IAP off or bypassable, read from the rendered values (what helm would get), so the check holds
// whatever path a value took (hub file, platform file, hubfleet's own render). validate refuses
// these in hub and platform files (owned-values.ts); the audit checks the result again, so a
// renderer or validator regression, or a fleet rendered by another version, still shows.
import { formatPath, isRecord, valueAt } from '../../config/field-path.js';
import {
  BACKEND_CONFIG_ANNOTATION,
  backendConfigAnnotationValue,
  ENTRY_POINT_GUARDS,
  GOOGLE_LB_SOURCE_RANGES,
  PROXY_SERVICE_TYPE,
} from '../../config/owned-values.js';
import { backendConfigName } from '../../render/names.js';
import { locateRendered, type HubContext } from '../context.js';
import type { AuditRule, RuleFinding } from '../finding.js';

function at(hub: HubContext, path: readonly string[], message: string): RuleFinding {
  return { ...locateRendered(hub, path), field: `values.${formatPath(path)}`, message };
}

/** Whether hubfleet's BackendConfig for the hub is rendered with IAP on (ingress-gce BackendConfig v1 `spec.iap.enabled`). */
function iapEnabled(hub: HubContext): boolean {
  const config = hub.manifests.find(
    (o) => o.kind === 'BackendConfig' && o.metadata.name === backendConfigName(hub.hub.config.name),
  );
  const spec = config?.spec;
  return isRecord(spec) && isRecord(spec.iap) && spec.iap.enabled === true;
}

export const proxyServiceExposed: AuditRule = {
  id: 'HF001',
  name: 'iap-off-or-bypassed',
  severity: 'error',
  securitySeverity: 9.1,
  summary: 'The hub is reachable without IAP: IAP off on its backend, or proxy-public exposed beside it.',
  description:
    "A GKE hub's BackendConfig without spec.iap.enabled, or a proxy-public without hubfleet's BackendConfig annotation, puts the hub behind a load balancer with IAP off; a LoadBalancer (or any type but the one hubfleet renders) gives proxy-public its own address outside the Ingress. Either way anyone who reaches it reaches the hub's sign-in, which trusts the IAP header.",
  fix: 'Remove proxy.service.type and the backend-config annotation from the hub and platform values; hubfleet renders NodePort (GKE) or ClusterIP (EKS) and its BackendConfig with IAP on.',
  check: (ctx) =>
    ctx.hubs.flatMap((hub) => {
      const provider = hub.cluster.config.provider;
      const typePath = [...hub.z2jhRoot, 'proxy', 'service', 'type'];
      const type = valueAt(hub.rendered, typePath);
      const out: RuleFinding[] = [];
      if (type !== PROXY_SERVICE_TYPE[provider])
        out.push(
          at(
            hub,
            typePath,
            `proxy-public is ${JSON.stringify(type) ?? 'unset'}, not ${PROXY_SERVICE_TYPE[provider]}: the hub answers beside the ${provider === 'gcp' ? 'IAP-guarded Ingress' : 'load balancer'}`,
          ),
        );
      if (provider === 'gcp' && !iapEnabled(hub))
        out.push({
          ...hub.source.locate(hub.source.data.iap === undefined ? ['name'] : ['iap'], 'key'),
          field: 'iap',
          message: `the BackendConfig ${backendConfigName(hub.hub.config.name)} does not turn IAP on (spec.iap.enabled)`,
        });
      if (provider === 'gcp') {
        const annotationPath = [
          ...hub.z2jhRoot,
          'proxy',
          'service',
          'annotations',
          BACKEND_CONFIG_ANNOTATION,
        ];
        const annotation = valueAt(hub.rendered, annotationPath);
        if (annotation !== backendConfigAnnotationValue(hub.hub.config.name))
          out.push(
            at(
              hub,
              annotationPath,
              `proxy-public does not carry hubfleet's BackendConfig (${backendConfigAnnotationValue(hub.hub.config.name)}), so its load balancer backend has IAP off`,
            ),
          );
      }
      return out;
    }),
};

export const entryPointBesideIngress: AuditRule = {
  id: 'HF002',
  name: 'entry-point-beside-ingress',
  severity: 'error',
  securitySeverity: 8.6,
  summary: 'A chart value opens a second way into the hub beside the Ingress hubfleet renders.',
  description:
    "The chart's own Ingress or Gateway route, a hub Service of another type than ClusterIP, or an exposed Dask Gateway traefik is a way in that IAP (or the EKS load balancer's TLS) does not guard, and that smoke-iap, which probes only the hub's domain, never sees.",
  fix: 'Remove the value from the hub and platform files; hubfleet renders the only Ingress, with its certificate and on GKE behind IAP.',
  check: (ctx) =>
    ctx.hubs.flatMap((hub) =>
      ENTRY_POINT_GUARDS.flatMap((guard) => {
        if (guard.within === 'dask-gateway' && hub.hub.config.chart.name !== 'daskhub') return [];
        const path = [...(guard.within === 'dask-gateway' ? ['dask-gateway'] : hub.z2jhRoot), ...guard.path];
        const value = valueAt(hub.rendered, path);
        if (value === undefined || guard.allowed.includes(value as string | boolean)) return [];
        return [at(hub, path, `is ${JSON.stringify(value)}: ${guard.why}`)];
      }),
    ),
};

const GOOGLE_RANGES = new Set(GOOGLE_LB_SOURCE_RANGES);

/** Why one proxy ingress rule admits more than Google's load balancer and hubfleet's rollout check. */
/** Every port of `rule` is CHP's 8000 (the rollout check's path through the API server). */
function onlyChpPort(rule: Record<string, unknown>): boolean {
  const ports = rule.ports;
  return (
    Array.isArray(ports) &&
    ports.length > 0 &&
    ports.every((p) => isRecord(p) && p.port === 8000 && (p.protocol ?? 'TCP') === 'TCP')
  );
}

/**
 * Why `rule` opens the proxy beyond what hubfleet renders, if it does. `masterCidr`: the cluster's
 * control-plane /28, which hubfleet admits on port 8000 only (owned-values.ts proxyIngressRules,
 * decision 0025): the same block on any other port is an opening.
 */
function openRule(rule: unknown, masterCidr: string | undefined): string | undefined {
  if (!isRecord(rule)) return undefined;
  const from = rule.from;
  if (!Array.isArray(from) || from.length === 0) return 'an ingress rule without from: admits every source';
  for (const peer of from) {
    if (!isRecord(peer)) continue;
    const block = peer.ipBlock;
    const owned = (cidr: string): boolean =>
      GOOGLE_RANGES.has(cidr) || (cidr === masterCidr && onlyChpPort(rule));
    if (isRecord(block) && typeof block.cidr === 'string' && !owned(block.cidr))
      return `an ingress rule admits ${block.cidr}, beside Google's load-balancer ranges`;
    if (isRecord(peer.namespaceSelector) && Object.keys(peer.namespaceSelector).length === 0)
      return 'an ingress rule admits every namespace';
  }
  return undefined;
}

export const proxyNetworkPolicyOpen: AuditRule = {
  id: 'HF003',
  name: 'proxy-network-policy-open',
  severity: 'error',
  securitySeverity: 8.1,
  summary: "A GKE hub's proxy takes traffic from inside the VPC, not only from Google's load balancer.",
  description:
    "CHP forwards every header, so a user server sees its user's IAP assertion; a proxy port open to the VPC (the policy off, allowedIngressPorts, inter-namespace labels, or an ingress rule beyond 130.211.0.0/22 and 35.191.0.0/16 and, on port 8000 only, the cluster's control-plane range) lets that assertion be replayed to another hub from a pod (docs/decisions/0024).",
  fix: "Remove proxy.chp.networkPolicy from the hub and platform values; hubfleet renders the policy that admits only Google's load balancer, its health checks and its rollout check.",
  check: (ctx) =>
    ctx.hubs
      .filter((hub) => hub.cluster.config.provider === 'gcp')
      .flatMap((hub) => {
        const base = [...hub.z2jhRoot, 'proxy', 'chp', 'networkPolicy'];
        const value = (key: string): unknown => valueAt(hub.rendered, [...base, key]);
        const out: RuleFinding[] = [];
        if (value('enabled') !== true)
          out.push(
            at(
              hub,
              [...base, 'enabled'],
              "the proxy's network policy is off: every pod in the VPC reaches it",
            ),
          );
        const ports = value('allowedIngressPorts');
        if (Array.isArray(ports) && ports.length > 0)
          out.push(
            at(
              hub,
              [...base, 'allowedIngressPorts'],
              `ports ${JSON.stringify(ports)} are open to every source`,
            ),
          );
        const labels = value('interNamespaceAccessLabels');
        if (labels !== undefined && labels !== 'ignore')
          out.push(
            at(
              hub,
              [...base, 'interNamespaceAccessLabels'],
              `is ${JSON.stringify(labels)}: pods of other namespaces may come in by label`,
            ),
          );
        const rules = value('ingress');
        (Array.isArray(rules) ? rules : []).forEach((rule, i) => {
          const why = openRule(rule, hub.cluster.config.gcp?.masterIpv4CidrBlock);
          if (why !== undefined) out.push(at(hub, [...base, 'ingress'], `ingress[${i}]: ${why}`));
        });
        return out;
      }),
};

export const projectWideAudience: AuditRule = {
  id: 'HF004',
  name: 'project-wide-iap-audience',
  severity: 'error',
  securitySeverity: 7.5,
  summary: "(--live) A GKE hub's release accepts IAP assertions for any backend service of the project.",
  description:
    "Until deploy-hub pins the hub's own backend service as the audience (decision 0023), the hub accepts an IAP assertion minted for any hub of the project: a user of another hub, replaying their assertion from a user pod, is taken for a user of this one.",
  fix: 'Run deploy-hub for the hub with its gcp-access-token (or recreate-cert when the Ingress was recreated); its summary says why an audience could not be pinned.',
  check: (ctx) =>
    ctx.live === undefined
      ? []
      : ctx.hubs.flatMap((hub) => {
          const live = ctx.live?.get(hub.hub.file);
          if (live?.state !== 'project-wide') return [];
          const path = hub.source.data.iap === undefined ? ['name'] : ['iap'];
          return [
            {
              ...hub.source.locate(path, 'key'),
              field: 'iap',
              message: `the live release of ${hub.hub.config.name} pins no backend service audience: it accepts IAP assertions minted for any backend service of project ${hub.cluster.config.gcp?.projectNumber ?? '?'}`,
            },
          ];
        }),
};
