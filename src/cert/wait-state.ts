// When waiting for a ManagedCertificate is over, from its status alone (design §6). Provisioning
// takes up to ~60 min. Google retries ProvisioningFailed and the domain states FailedNotVisible,
// FailedCaaChecking and FailedRateLimited while a new load balancer is built (Google Cloud, "Troubleshoot
// SSL certificates": "You might briefly see PROVISIONING_FAILED even when your certificate is actually
// ACTIVE … retries provisioning until successful or the status changes to
// PROVISIONING_FAILED_PERMANENTLY"), so they are waiting, not failure; `check` calls a certificate
// stuck only after STUCK_PROVISIONING_MINUTES. Only ProvisioningFailedPermanently, RenewalFailed and
// FailedCaaForbidden (and Failed* states this code does not know) end a wait at once.
import type { CertificateState } from './certificate-status.js';

export type WaitDecision =
  { state: 'active' } | { state: 'failed'; cause: string; todo: string } | { state: 'waiting'; note: string };

const CERT_FAILED: Record<string, string> = {
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

/** Domain states Google retries by itself: what each means while it lasts. */
const DOMAIN_RETRIED: Record<string, string> = {
  FailedNotVisible:
    "Google's CA cannot reach the domain through the load balancer yet (it retries while the load balancer is built and DNS propagates)",
  FailedCaaChecking: 'the CAA records of the domain could not be checked yet (Google retries)',
  FailedRateLimited: 'the CA is rate-limiting issuance; the controller retries',
};

/** Certificate states Google retries by itself. */
const CERT_RETRIED: Record<string, string> = {
  ProvisioningFailed:
    'ProvisioningFailed for now — Google retries until it succeeds or the status becomes ProvisioningFailedPermanently',
};

/** Whether Google keeps retrying a domain or certificate status (waiting, not failure). */
export function isRetried(status: string): boolean {
  return status in DOMAIN_RETRIED || status in CERT_RETRIED;
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
    if (d.status in DOMAIN_RETRIED) continue;
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
  const retried = cert.domainStatus.filter((d) => d.status in DOMAIN_RETRIED);
  if (retried.length > 0) {
    return {
      state: 'waiting',
      note:
        retried.map((d) => `${d.domain}: ${d.status} — ${DOMAIN_RETRIED[d.status] ?? ''}`).join('; ') +
        ', waiting',
    };
  }
  const certRetried = cert.certificateStatus === undefined ? undefined : CERT_RETRIED[cert.certificateStatus];
  if (certRetried !== undefined) return { state: 'waiting', note: `${cert.name}: ${certRetried}, waiting` };
  return { state: 'waiting', note: `${cert.name}: ${cert.certificateStatus ?? 'no status yet'}` };
}
