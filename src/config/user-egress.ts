// What user pods may reach beyond z2jh's own user-pod NetworkPolicy, from cluster.yaml
// (gcp.restrictedGoogleApis, network.extraEgressCidrs). One place for the facts, so the renderer
// (src/render/values.ts) and the validator (network-rules.ts) cannot disagree.
//
// z2jh renders the singleuser NetworkPolicy's egress from `egressAllowRules` flags and then appends
// `singleuser.networkPolicy.egress` as written (jupyterhub/templates/_helpers-netpol.tpl,
// "jupyterhub.networkPolicy.renderEgressRules"): `nonPrivateIPs: true` (the chart's default) is one
// rule to 0.0.0.0/0 except 10/8, 172.16/12, 192.168/16 and, unless cloudMetadataServer, the
// metadata IP; `privateIPs: false` (the default) leaves those ranges closed, which is why a Private
// Service Connect or VPC interface endpoint needs an explicit rule. NetworkPolicy rules only add:
// a rule here can open a destination, never close one another rule opened.
import type { ClusterConfig } from './model.js';
import { canonicalCidr, cidrContains, parseCidr, type CidrRange } from './cidr.js';

/**
 * restricted.googleapis.com: the VIP that serves only the Google APIs VPC Service Controls
 * protects (cloud.google.com/vpc-service-controls/docs/set-up-private-connectivity); reached on 443.
 */
export const RESTRICTED_VIP_CIDR = '199.36.153.4/30';
export const RESTRICTED_VIP_ADDRESSES: readonly string[] = [
  '199.36.153.4',
  '199.36.153.5',
  '199.36.153.6',
  '199.36.153.7',
];
export const RESTRICTED_VIP_HOST = 'restricted.googleapis.com';
export const HTTPS_PORT = 443;

/**
 * Link-local addresses: the cloud metadata server (169.254.169.254: the node's own credentials on
 * EKS) and GKE's metadata server (169.254.169.252). A cluster.yaml egress rule never opens them;
 * what Workload Identity needs on GKE the renderer opens itself (values.ts).
 */
export const LINK_LOCAL_CIDR = '169.254.0.0/16';

export interface EgressRule {
  to: { ipBlock: { cidr: string; except?: string[] } }[];
  ports: { protocol: 'TCP'; port: number }[];
}

/** A value of the z2jh values that a restricted cluster pins, and why. */
export interface EgressPin {
  /** Inside the z2jh values (prefix with Z2JH_VALUES_ROOT for the chart). */
  path: readonly string[];
  value: boolean;
  why: string;
}

/**
 * With restrictedGoogleApis the user pods' only way out of the VPC is the restricted VIP (and
 * whatever network.extraEgressCidrs names): a NetworkPolicy left off, or z2jh's rule to every
 * non-private address, would let a notebook send a bucket's data to any host outside the perimeter.
 */
export const RESTRICTED_EGRESS_PINS: readonly EgressPin[] = [
  {
    path: ['singleuser', 'networkPolicy', 'enabled'],
    value: true,
    why: "gcp.restrictedGoogleApis: the user pods' NetworkPolicy is what keeps them inside the perimeter",
  },
  {
    path: ['singleuser', 'networkPolicy', 'egressAllowRules', 'nonPrivateIPs'],
    value: false,
    why: 'gcp.restrictedGoogleApis: user pods reach Google only through restricted.googleapis.com, and no other address outside the VPC unless network.extraEgressCidrs lists it',
  },
];

export function restrictsGoogleApis(cluster: ClusterConfig): boolean {
  return cluster.provider === 'gcp' && cluster.gcp?.restrictedGoogleApis === true;
}

const LINK_LOCAL = parseCidr(LINK_LOCAL_CIDR) as CidrRange;

/** `except` for a block that holds the link-local range, so the metadata servers stay closed. */
function exceptLinkLocal(range: CidrRange): { except?: string[] } {
  return cidrContains(range, LINK_LOCAL) ? { except: [LINK_LOCAL_CIDR] } : {};
}

/** True for a block inside the link-local range, which no egress rule may open (network-rules.ts). */
export function insideLinkLocal(range: CidrRange): boolean {
  return cidrContains(LINK_LOCAL, range);
}

export interface UserEgress {
  /** z2jh `singleuser.networkPolicy` keys hubfleet sets for the cluster (RESTRICTED_EGRESS_PINS). */
  pins: readonly EgressPin[];
  /** Appended to `singleuser.networkPolicy.egress`: the restricted VIP, then cluster.yaml's blocks in order. */
  rules: EgressRule[];
}

export function userEgress(cluster: ClusterConfig): UserEgress {
  const restricted = restrictsGoogleApis(cluster);
  const rules: EgressRule[] = [];
  if (restricted) {
    rules.push({
      to: [{ ipBlock: { cidr: RESTRICTED_VIP_CIDR } }],
      ports: [{ protocol: 'TCP', port: HTTPS_PORT }],
    });
  }
  for (const entry of cluster.network?.extraEgressCidrs ?? []) {
    // The validator refuses malformed, non-canonical and link-local blocks first (network-rules.ts).
    const range = parseCidr(entry.cidrBlock);
    if (range === undefined) continue;
    rules.push({
      to: [{ ipBlock: { cidr: canonicalCidr(range), ...exceptLinkLocal(range) } }],
      ports: [...entry.ports].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port })),
    });
  }
  return { pins: restricted ? RESTRICTED_EGRESS_PINS : [], rules };
}
