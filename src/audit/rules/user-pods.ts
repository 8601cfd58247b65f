// What user pods may reach and use: the cloud metadata server, privileged pod security, and
// resources large enough to mine on (the crypto-mining pattern on public hubs).
// z2jh defaults (jupyterhub/zero-to-jupyterhub-k8s `jupyterhub/values.yaml`):
// singleuser.cloudMetadata.blockWithIptables: true ("will append a privileged initContainer using
// the iptables to block the sensitive metadata server") and
// singleuser.networkPolicy.egressAllowRules.cloudMetadataServer: false.
import { formatPath, isRecord, valueAt, type PathSegment } from '../../config/field-path.js';
import { BLOCK_WITH_IPTABLES_PATH } from '../../config/owned-values.js';
import { locateRendered, type HubContext } from '../context.js';
import type { AuditRule, RuleFinding } from '../finding.js';

function at(hub: HubContext, path: readonly PathSegment[], message: string): RuleFinding {
  return { ...locateRendered(hub, path), field: `values.${formatPath(path)}`, message };
}

const METADATA_EGRESS = ['singleuser', 'networkPolicy', 'egressAllowRules', 'cloudMetadataServer'];

export const cloudMetadataReachable: AuditRule = {
  id: 'HF007',
  name: 'cloud-metadata-reachable',
  severity: 'error',
  securitySeverity: 8.8,
  summary: "User pods on EKS can reach the node's cloud metadata server.",
  description:
    "On EKS the instance metadata server hands out the node role's credentials. z2jh blocks it with an iptables init container (singleuser.cloudMetadata.blockWithIptables, default true) and its network policy (egressAllowRules.cloudMetadataServer, default false); turning either off gives every user the node's identity. On GKE hubfleet opens it on purpose: the GKE metadata server serves only the hub's own Workload Identity.",
  fix: 'Remove singleuser.cloudMetadata.blockWithIptables: false and egressAllowRules.cloudMetadataServer: true from the hub and platform values of EKS hubs.',
  check: (ctx) =>
    ctx.hubs
      .filter((hub) => hub.cluster.config.provider === 'aws')
      .flatMap((hub) => {
        const out: RuleFinding[] = [];
        const egress = [...hub.z2jhRoot, ...METADATA_EGRESS];
        if (valueAt(hub.rendered, egress) === true)
          out.push(at(hub, egress, "user pods' network policy lets them reach the EC2 metadata server"));
        const block = [...hub.z2jhRoot, ...BLOCK_WITH_IPTABLES_PATH];
        if (valueAt(hub.rendered, block) === false)
          out.push(
            at(
              hub,
              block,
              "no iptables block of the EC2 metadata server: only a network policy, where one is enforced, keeps the node's credentials from user pods",
            ),
          );
        return out;
      }),
};

/** Containers the rendered user pods get beside the user's own, which may need privilege. */
function privilegedUserContainers(hub: HubContext): boolean {
  return ['initContainers', 'extraContainers'].some((key) => {
    const list = valueAt(hub.rendered, [...hub.z2jhRoot, 'singleuser', key]);
    return (
      Array.isArray(list) &&
      list.some(
        (c) =>
          isRecord(c) &&
          isRecord(c.securityContext) &&
          (c.securityContext.privileged === true || c.securityContext.allowPrivilegeEscalation === true),
      )
    );
  });
}

export const podSecurityPrivileged: AuditRule = {
  id: 'HF008',
  name: 'pod-security-privileged-unneeded',
  severity: 'warning',
  securitySeverity: 5.3,
  summary: "A hub's namespace admits privileged pods although nothing it runs needs that.",
  description:
    "podSecurity: privileged (the default) lets any pod in the hub's namespace run privileged; z2jh needs it only for the iptables init container that blocks the cloud metadata server, which hubfleet turns off on GKE (Workload Identity). Without that need, baseline keeps a compromised user pod from taking the node.",
  fix: 'Set podSecurity: baseline in the hub file.',
  check: (ctx) =>
    ctx.hubs.flatMap((hub): RuleFinding[] => {
      const level = hub.hub.config.podSecurity ?? 'privileged';
      if (level !== 'privileged') return [];
      const blocks = valueAt(hub.rendered, [...hub.z2jhRoot, ...BLOCK_WITH_IPTABLES_PATH]) !== false;
      if (blocks || privilegedUserContainers(hub)) return [];
      const set = hub.source.data.podSecurity !== undefined;
      return [
        {
          ...hub.source.locate(set ? ['podSecurity'] : ['name'], set ? 'value' : 'key'),
          field: 'podSecurity',
          message: `${set ? 'is' : 'defaults to'} privileged, but no container of ${hub.hub.config.name} needs it (no metadata-blocking init container, no privileged user containers)`,
        },
      ];
    }),
};

/** Kubernetes CPU quantity in cores ("500m", "2", 2.5); undefined when not a quantity. */
export function cpuCores(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(value.trim());
  if (m === null) return undefined;
  return Number(m[1]) / (m[2] === 'm' ? 1000 : 1);
}

const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu'];

interface Quantity {
  path: PathSegment[];
  kind: 'cpu' | 'gpu';
  value: unknown;
}

/** Every CPU and GPU limit or guarantee in a KubeSpawner override (profileList, its options' choices). */
function overrideQuantities(override: unknown, path: PathSegment[]): Quantity[] {
  if (!isRecord(override)) return [];
  const out: Quantity[] = [];
  for (const key of ['cpu_limit', 'cpu_guarantee'])
    if (override[key] !== undefined) out.push({ path: [...path, key], kind: 'cpu', value: override[key] });
  for (const key of ['extra_resource_limits', 'extra_resource_guarantees']) {
    const resources = override[key];
    if (!isRecord(resources)) continue;
    for (const gpu of GPU_RESOURCES)
      if (resources[gpu] !== undefined)
        out.push({ path: [...path, key, gpu], kind: 'gpu', value: resources[gpu] });
  }
  return out;
}

function quantities(hub: HubContext): Quantity[] {
  const user = [...hub.z2jhRoot, 'singleuser'];
  const out: Quantity[] = [];
  for (const key of ['limit', 'guarantee']) {
    const path = [...user, 'cpu', key];
    out.push({ path, kind: 'cpu', value: valueAt(hub.rendered, path) });
  }
  for (const key of ['limits', 'guarantees'])
    for (const gpu of GPU_RESOURCES) {
      const path = [...user, 'extraResource', key, gpu];
      out.push({ path, kind: 'gpu', value: valueAt(hub.rendered, path) });
    }
  const profiles = valueAt(hub.rendered, [...user, 'profileList']);
  (Array.isArray(profiles) ? profiles : []).forEach((profile, i) => {
    if (!isRecord(profile)) return;
    const base: PathSegment[] = [...user, 'profileList', i];
    out.push(...overrideQuantities(profile.kubespawner_override, [...base, 'kubespawner_override']));
    const options = isRecord(profile.profile_options) ? profile.profile_options : {};
    for (const [name, option] of Object.entries(options)) {
      const choices = isRecord(option) && isRecord(option.choices) ? option.choices : {};
      for (const [choice, value] of Object.entries(choices))
        if (isRecord(value))
          out.push(
            ...overrideQuantities(value.kubespawner_override, [
              ...base,
              'profile_options',
              name,
              'choices',
              choice,
              'kubespawner_override',
            ]),
          );
    }
  });
  if (hub.hub.config.chart.name === 'daskhub')
    for (const role of ['worker', 'scheduler']) {
      const path = ['dask-gateway', 'gateway', 'backend', role, 'cores', 'limit'];
      out.push({ path, kind: 'cpu', value: valueAt(hub.rendered, path) });
    }
  return out.filter((q) => q.value !== undefined && q.value !== null);
}

export const resourceCeiling: AuditRule = {
  id: 'HF009',
  name: 'resource-above-ceiling',
  severity: 'warning',
  securitySeverity: 5.0,
  summary: 'A user server or Dask pod may take more CPU or GPU than the fleet ceiling.',
  description:
    'Large CPU and GPU allowances are what crypto-miners look for in a hub: every account that signs in, or is phished, gets them. The ceiling (config/fleet.yaml audit.maxCpu and audit.maxGpu, default 8 cores and 1 GPU; hubfleet audit --max-cpu, --max-gpu override them) is what the fleet owner considers a normal interactive session.',
  fix: 'Lower the limit, or raise the fleet ceiling on purpose (audit: {maxCpu: N, maxGpu: N} in config/fleet.yaml) where the hubs really need it.',
  check: (ctx) =>
    ctx.hubs.flatMap((hub) =>
      quantities(hub).flatMap((q): RuleFinding[] => {
        const ceiling = q.kind === 'cpu' ? ctx.ceilings.cpu : ctx.ceilings.gpu;
        const amount =
          q.kind === 'cpu' ? cpuCores(q.value) : typeof q.value === 'number' ? q.value : Number(q.value);
        if (amount === undefined || !Number.isFinite(amount) || amount <= ceiling) return [];
        const unit = q.kind === 'cpu' ? 'CPU cores' : 'GPUs';
        return [
          at(hub, q.path, `${JSON.stringify(q.value)} is ${amount} ${unit}, above the ceiling of ${ceiling}`),
        ];
      }),
    ),
};
