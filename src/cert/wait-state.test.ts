import { describe, expect, it } from '@jest/globals';
import { certificateState, ingressState, ownership, type CertificateState } from './certificate-status.js';
import { decideWait } from './wait-state.js';
import type { KubeObject } from '../render/manifests.js';

const cert = (
  certificateStatus: string | undefined,
  domains: [string, string][] = [],
  deleting = false,
): CertificateState => ({
  name: 'ocean-cert-1',
  certificateStatus,
  domainStatus: domains.map(([domain, status]) => ({ domain, status })),
  domains: domains.map(([d]) => d),
  expireTime: undefined,
  creationTimestamp: undefined,
  deleting,
});
const D = 'ocean.example.org';

describe('decideWait', () => {
  it.each([
    ['Active with every domain Active', cert('Active', [[D, 'Active']]), { state: 'active' }],
    ['Active before domainStatus is written', cert('Active'), { state: 'active' }],
    ['no status yet', cert(undefined), { state: 'waiting', note: 'ocean-cert-1: no status yet' }],
    [
      'Provisioning',
      cert('Provisioning', [[D, 'Provisioning']]),
      { state: 'waiting', note: 'ocean-cert-1: Provisioning' },
    ],
    [
      'FailedRateLimited waits',
      cert('Provisioning', [[D, 'FailedRateLimited']]),
      {
        state: 'waiting',
        note: `${D}: FailedRateLimited — the CA is rate-limiting issuance; the controller retries, waiting`,
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(decideWait(input)).toEqual(expected);
  });

  it.each([
    [
      'FailedNotVisible',
      "Google's CA cannot reach the domain through the load balancer yet (it retries while the load balancer is built and DNS propagates)",
    ],
    ['FailedCaaChecking', 'the CAA records of the domain could not be checked yet (Google retries)'],
  ])('%s waits: Google retries it while the load balancer is built', (status, meaning) => {
    expect(decideWait(cert('Provisioning', [[D, status]]))).toEqual({
      state: 'waiting',
      note: `${D}: ${status} — ${meaning}, waiting`,
    });
  });

  it('ProvisioningFailed waits, then Active ends the wait', () => {
    expect(decideWait(cert('ProvisioningFailed', [[D, 'Provisioning']]))).toEqual({
      state: 'waiting',
      note: 'ocean-cert-1: ProvisioningFailed for now — Google retries until it succeeds or the status becomes ProvisioningFailedPermanently, waiting',
    });
    expect(decideWait(cert('Active', [[D, 'Active']]))).toEqual({ state: 'active' });
  });

  it('FailedCaaForbidden fails early with its cause', () => {
    const decision = decideWait(cert('Provisioning', [[D, 'FailedCaaForbidden']]));
    expect(decision).toEqual({
      state: 'failed',
      cause: `${D}: FailedCaaForbidden — a CAA record forbids Google's CA`,
      todo: `add a CAA record allowing pki.goog (and letsencrypt.org) for ${D} or remove the restrictive one, then run recreate-cert`,
    });
  });

  it.each([
    ['ProvisioningFailedPermanently', 'provisioning failed permanently (ProvisioningFailedPermanently)'],
    ['RenewalFailed', 'the certificate could not be renewed (RenewalFailed)'],
  ])('%s fails at once', (status, cause) => {
    expect(decideWait(cert(status, [[D, 'Provisioning']]))).toEqual({
      state: 'failed',
      cause: `ocean-cert-1: ${cause}`,
      todo: 'fix the domain (A record on the static IP, no AAAA, CAA allows pki.goog), then run recreate-cert',
    });
  });

  it('fails for a missing or deleting certificate', () => {
    expect(decideWait(undefined)).toEqual({
      state: 'failed',
      cause: 'the ManagedCertificate does not exist',
      todo: 'deploy the hub (deploy-hub) or run recreate-cert',
    });
    expect(decideWait(cert('Active', [[D, 'Active']], true)).state).toBe('failed');
  });
});

describe('reading objects', () => {
  it('reads a ManagedCertificate status', () => {
    expect(
      certificateState({
        apiVersion: 'networking.gke.io/v1',
        kind: 'ManagedCertificate',
        metadata: { name: 'c', namespace: 'ocean', creationTimestamp: '2026-01-01T00:00:00Z' } as never,
        spec: { domains: [D] },
        status: {
          certificateStatus: 'Active',
          domainStatus: [{ domain: D, status: 'Active' }],
          expireTime: '2026-04-01T00:00:00Z',
        },
      }),
    ).toEqual({
      name: 'c',
      certificateStatus: 'Active',
      domainStatus: [{ domain: D, status: 'Active' }],
      domains: [D],
      expireTime: '2026-04-01T00:00:00Z',
      creationTimestamp: '2026-01-01T00:00:00Z',
      deleting: false,
    });
  });

  it('reads the Ingress address and certificate list', () => {
    expect(
      ingressState({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'ocean', annotations: { 'networking.gke.io/managed-certificates': 'new, old' } },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
      }),
    ).toEqual({ name: 'ocean', addresses: ['203.0.113.10'], certificates: ['new', 'old'] });
  });

  const owned: KubeObject = {
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: {
      name: 'c',
      labels: { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'ocean' },
      managedFields: [{ manager: 'kubectl' }, { manager: 'hubfleet' }],
    } as KubeObject['metadata'],
  };
  it.each([
    ['label and field manager', owned, 'ocean', { owned: true }],
    [
      'no managed-by label',
      { ...owned, metadata: { ...owned.metadata, labels: {} } },
      'ocean',
      { owned: false, why: 'label app.kubernetes.io/managed-by=hubfleet is missing' },
    ],
    ['another hub', owned, 'land', { owned: false, why: 'label hubfleet.dev/hub is ocean, not land' }],
    [
      'label copied by hand, never applied by hubfleet',
      {
        ...owned,
        metadata: { ...owned.metadata, managedFields: [{ manager: 'kubectl-client-side-apply' }] },
      },
      'ocean',
      { owned: false, why: 'field manager hubfleet is not among its managedFields' },
    ],
  ])('ownership: %s', (_n, object, hub, expected) => {
    expect(ownership(object, hub)).toEqual(expected);
  });
});
