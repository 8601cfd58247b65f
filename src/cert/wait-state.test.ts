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
      /^point the A record of ocean.example.org at the hub's static IP .*and make sure the hub's Ingress exists/,
    ],
    ['FailedCaaChecking', /^fix the DNS servers answering CAA queries/],
    ['FailedCaaForbidden', /^add a CAA record allowing pki.goog/],
  ])('%s fails early with its cause', (status, todo) => {
    const decision = decideWait(cert('Provisioning', [[D, status]]));
    expect(decision.state).toBe('failed');
    expect(
      decision.state === 'failed' ? [decision.cause.startsWith(`${D}: ${status} — `), decision.todo] : [],
    ).toEqual([true, expect.stringMatching(todo)]);
  });

  it.each(['ProvisioningFailed', 'ProvisioningFailedPermanently', 'RenewalFailed'])('%s fails', (status) => {
    expect(decideWait(cert(status, [[D, 'Provisioning']])).state).toBe('failed');
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
