// What a ManagedCertificate's status says, read from the object as the API server returns it
// (gke-managed-certs CRD networking.gke.io/v1: status.certificateStatus, status.domainStatus[],
// status.expireTime). Unknown values are kept as text, never guessed into a known state.
import type { KubeObject } from '../render/manifests.js';
import { MANAGED_BY_LABELS } from '../render/names.js';

export interface DomainStatus {
  domain: string;
  status: string;
}

export interface CertificateState {
  name: string;
  /** Undefined until the controller has written a status. */
  certificateStatus: string | undefined;
  domainStatus: DomainStatus[];
  domains: string[];
  expireTime: string | undefined;
  creationTimestamp: string | undefined;
  /** Being deleted (a finalizer still holds it). */
  deleting: boolean;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function certificateState(object: KubeObject): CertificateState {
  const status = record(object['status']);
  const spec = record(object['spec']);
  const meta = record(object.metadata);
  const domainStatus = Array.isArray(status['domainStatus'])
    ? status['domainStatus'].map((entry) => {
        const e = record(entry);
        return { domain: text(e['domain']) ?? '', status: text(e['status']) ?? '' };
      })
    : [];
  const domains = Array.isArray(spec['domains'])
    ? spec['domains'].filter((d): d is string => typeof d === 'string')
    : [];
  return {
    name: object.metadata.name,
    certificateStatus: text(status['certificateStatus']),
    domainStatus,
    domains,
    expireTime: text(status['expireTime']),
    creationTimestamp: text(meta['creationTimestamp']),
    deleting: text(meta['deletionTimestamp']) !== undefined,
  };
}

/** The Ingress facts verify-cert needs: its address and the certificates it names. */
export interface IngressState {
  name: string;
  /** status.loadBalancer.ingress[].ip: the global static IP GKE bound to the load balancer. */
  addresses: string[];
  certificates: string[];
}

export function ingressState(object: KubeObject): IngressState {
  const lb = record(record(object['status'])['loadBalancer']);
  const addresses = Array.isArray(lb['ingress'])
    ? lb['ingress'].map((e) => text(record(e)['ip'])).filter((ip): ip is string => ip !== undefined)
    : [];
  const annotation = object.metadata.annotations?.['networking.gke.io/managed-certificates'];
  return {
    name: object.metadata.name,
    addresses,
    certificates: (annotation ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  };
}

/** The field manager hubfleet applies with (server-side apply, CONTRACTS §1). */
export const FIELD_MANAGER = 'hubfleet';

/**
 * hubfleet owns an object when it carries hubfleet's managed-by label (and the hub label, when a
 * hub is given) AND hubfleet's field manager appears in managedFields: a label alone can be
 * copied by hand, and a field manager alone can come from a one-off apply.
 */
export function ownership(object: KubeObject, hub?: string): { owned: true } | { owned: false; why: string } {
  const labels = object.metadata.labels ?? {};
  for (const [key, value] of Object.entries(MANAGED_BY_LABELS)) {
    if (labels[key] !== value) return { owned: false, why: `label ${key}=${value} is missing` };
  }
  if (hub !== undefined && labels['hubfleet.dev/hub'] !== hub) {
    return {
      owned: false,
      why: `label hubfleet.dev/hub is ${labels['hubfleet.dev/hub'] ?? 'missing'}, not ${hub}`,
    };
  }
  const managed = record(object.metadata)['managedFields'];
  const managers = Array.isArray(managed) ? managed.map((m) => text(record(m)['manager'])) : [];
  if (!managers.includes(FIELD_MANAGER)) {
    return { owned: false, why: `field manager ${FIELD_MANAGER} is not among its managedFields` };
  }
  return { owned: true };
}
