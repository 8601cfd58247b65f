// When waiting for a ManagedCertificate is over, from its status alone (design §6). Provisioning
// takes up to ~60 min; a Failed* domain state will not fix itself, so waiting on is pointless.
import type { CertificateState } from './certificate-status.js';

export type WaitDecision =
  { state: 'active' } | { state: 'failed'; cause: string; todo: string } | { state: 'waiting'; note: string };

const CERT_FAILED: Record<string, string> = {
  ProvisioningFailed: 'the certificate could not be provisioned (ProvisioningFailed)',
  ProvisioningFailedPermanently: 'provisioning failed permanently (ProvisioningFailedPermanently)',
  RenewalFailed: 'the certificate could not be renewed (RenewalFailed)',
};

/** The cause and fix for each failed domain state, per GKE's managed-certificate troubleshooting. */
export function domainFailure(status: string, domain: string): { cause: string; todo: string } | undefined {
  switch (status) {
    case 'FailedNotVisible':
      return {
        cause: `${domain}: FailedNotVisible — Google's CA cannot reach the domain through the load balancer`,
        todo: `point the A record of ${domain} at the hub's static IP (no AAAA record, no proxy in front) and make sure the hub's Ingress exists and names this certificate, then run recreate-cert`,
      };
    case 'FailedCaaChecking':
      return {
        cause: `${domain}: FailedCaaChecking — the CAA records of the domain could not be checked`,
        todo: `fix the DNS servers answering CAA queries for ${domain} (they must answer, even if empty), then run recreate-cert`,
      };
    case 'FailedCaaForbidden':
      return {
        cause: `${domain}: FailedCaaForbidden — a CAA record forbids Google's CA`,
        todo: `add a CAA record allowing pki.goog (and letsencrypt.org) for ${domain} or remove the restrictive one, then run recreate-cert`,
      };
    case 'FailedRateLimited':
      return undefined; // transient: the CA rate-limits issuance; the controller retries
    default:
      return status.startsWith('Failed')
        ? {
            cause: `${domain}: ${status}`,
            todo: 'check the ManagedCertificate events (kubectl describe), then run recreate-cert',
          }
        : undefined;
  }
}

export function decideWait(cert: CertificateState | undefined): WaitDecision {
  if (cert === undefined) {
    return {
      state: 'failed',
      cause: 'the ManagedCertificate does not exist',
      todo: 'deploy the hub (deploy-hub) or run recreate-cert',
    };
  }
  if (cert.deleting) {
    return {
      state: 'failed',
      cause: `ManagedCertificate ${cert.name} is being deleted`,
      todo: 'run recreate-cert, which waits for the deletion and creates it again',
    };
  }
  for (const d of cert.domainStatus) {
    const failure = domainFailure(d.status, d.domain);
    if (failure !== undefined) return { state: 'failed', ...failure };
  }
  const certFailure = cert.certificateStatus === undefined ? undefined : CERT_FAILED[cert.certificateStatus];
  if (certFailure !== undefined) {
    return {
      state: 'failed',
      cause: `${cert.name}: ${certFailure}`,
      todo: 'fix the domain (A record on the static IP, no AAAA, CAA allows pki.goog), then run recreate-cert',
    };
  }
  const allDomainsActive =
    cert.domainStatus.length > 0 && cert.domainStatus.every((d) => d.status === 'Active');
  if (cert.certificateStatus === 'Active' && (allDomainsActive || cert.domainStatus.length === 0)) {
    return { state: 'active' };
  }
  const limited = cert.domainStatus.filter((d) => d.status === 'FailedRateLimited').map((d) => d.domain);
  if (limited.length > 0) {
    return {
      state: 'waiting',
      note: `${limited.join(', ')}: FailedRateLimited — the CA is rate-limiting issuance; the controller retries, waiting`,
    };
  }
  return { state: 'waiting', note: `${cert.name}: ${cert.certificateStatus ?? 'no status yet'}` };
}
