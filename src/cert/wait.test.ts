import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import type { CertKube, CertKubeRef, CertWatchEvent } from './kube-port.js';
import { finishDomainChange, waitForCertificate } from './wait.js';
import { planRecreate, recreate } from './recreate.js';

const REF: CertKubeRef = {
  apiVersion: 'networking.gke.io/v1',
  kind: 'ManagedCertificate',
  name: 'ocean-cert-new',
  namespace: 'ocean',
};
const owned = { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'ocean' };
const hubfleetFields = [{ manager: 'hubfleet' }];
const cert = (
  name: string,
  status: string | undefined,
  rv = '1',
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'networking.gke.io/v1',
  kind: 'ManagedCertificate',
  metadata: {
    name,
    namespace: 'ocean',
    labels: owned,
    resourceVersion: rv,
    managedFields: hubfleetFields,
    ...extra,
  } as KubeObject['metadata'],
  spec: { domains: ['ocean.example.org'] },
  ...(status === undefined
    ? {}
    : { status: { certificateStatus: status, domainStatus: [{ domain: 'ocean.example.org', status }] } }),
});
const ingress = (certs: string, labels: Record<string, string> = owned): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'ocean',
    namespace: 'ocean',
    labels,
    annotations: { 'networking.gke.io/managed-certificates': certs },
    managedFields: hubfleetFields,
  } as KubeObject['metadata'],
});

/** An in-memory CertKube whose watch replays scripted connections (each a list of events, then it drops). */
function fakeKube(
  objects: KubeObject[],
  connections: CertWatchEvent[][] = [],
): CertKube & { calls: string[]; objects: KubeObject[] } {
  const calls: string[] = [];
  const find = (ref: CertKubeRef): KubeObject | undefined =>
    objects.find(
      (o) => o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === ref.namespace,
    );
  return {
    calls,
    objects,
    apply(object) {
      calls.push(`apply ${object.kind} ${object.metadata.name}`);
      const existing = find({
        ...object,
        name: object.metadata.name,
        namespace: object.metadata.namespace ?? '',
      });
      if (existing !== undefined) objects.splice(objects.indexOf(existing), 1);
      objects.push({
        ...object,
        metadata: { ...object.metadata, managedFields: hubfleetFields } as KubeObject['metadata'],
      });
      return Promise.resolve({ outcome: existing === undefined ? 'created' : 'configured' });
    },
    get(ref) {
      calls.push(`get ${ref.kind} ${ref.name}`);
      return Promise.resolve(find(ref));
    },
    list(_apiVersion, kind, _ns, selector) {
      calls.push(`list ${kind} ${selector ?? ''}`);
      return Promise.resolve(objects.filter((o) => o.kind === kind));
    },
    delete(ref, opts) {
      calls.push(`delete ${ref.kind} ${ref.name}${opts?.wait === true ? ' --wait' : ''}`);
      const existing = find(ref);
      if (existing === undefined) return Promise.resolve('absent');
      objects.splice(objects.indexOf(existing), 1);
      return Promise.resolve('deleted');
    },
    watch(ref, opts) {
      calls.push(`watch ${ref.name} rv=${opts?.resourceVersion ?? ''}`);
      const events = connections.shift() ?? [];
      return (async function* () {
        for (const e of events) yield await Promise.resolve(e);
      })();
    },
  };
}

describe('waitForCertificate', () => {
  const opts = { timeoutMs: 60_000, log: () => undefined, sleep: () => Promise.resolve() };

  it('reads once, then waits on the watch, resuming a dropped watch from the last resourceVersion', async () => {
    const kube = fakeKube(
      [cert('ocean-cert-new', 'Provisioning', '4')],
      [
        [{ type: 'MODIFIED', object: cert('ocean-cert-new', 'Provisioning', '5') }],
        [{ type: 'MODIFIED', object: cert('ocean-cert-new', 'Active', '9') }],
      ],
    );
    const lines: string[] = [];
    expect(await waitForCertificate(kube, REF, { ...opts, log: (l) => lines.push(l) })).toEqual({
      state: 'active',
      reconnects: 1,
    });
    expect(kube.calls).toEqual([
      'get ManagedCertificate ocean-cert-new',
      'watch ocean-cert-new rv=4',
      'watch ocean-cert-new rv=5',
    ]);
    expect(lines).toEqual([
      'ManagedCertificate ocean/ocean-cert-new: ocean-cert-new: Provisioning',
      'watch of ManagedCertificate ocean/ocean-cert-new ended; reconnecting from resourceVersion 5',
      'ManagedCertificate ocean/ocean-cert-new is Active',
    ]);
  });

  it('needs no watch when the certificate is already Active', async () => {
    const kube = fakeKube([cert('ocean-cert-new', 'Active')]);
    expect(await waitForCertificate(kube, REF, opts)).toEqual({ state: 'active', reconnects: 0 });
    expect(kube.calls).toEqual(['get ManagedCertificate ocean-cert-new']);
  });

  it('fails at once when the certificate does not exist', async () => {
    expect(await waitForCertificate(fakeKube([]), REF, opts)).toEqual({
      state: 'failed',
      cause: 'ManagedCertificate ocean/ocean-cert-new does not exist',
      todo: 'deploy the hub (deploy-hub) or run recreate-cert',
      reconnects: 0,
    });
  });

  it('fails early on FailedNotVisible', async () => {
    const kube = fakeKube(
      [cert('ocean-cert-new', 'Provisioning')],
      [[{ type: 'MODIFIED', object: cert('ocean-cert-new', 'FailedNotVisible') }]],
    );
    const outcome = await waitForCertificate(kube, REF, opts);
    expect(outcome.state === 'failed' ? outcome.cause : outcome).toBe(
      "ocean.example.org: FailedNotVisible — Google's CA cannot reach the domain through the load balancer",
    );
  });

  it('times out with the last status', async () => {
    let t = 0;
    const kube = fakeKube(
      [cert('ocean-cert-new', 'Provisioning')],
      [[{ type: 'MODIFIED', object: cert('ocean-cert-new', 'Provisioning', '2') }]],
    );
    const outcome = await waitForCertificate(kube, REF, { ...opts, timeoutMs: 1000, now: () => (t += 400) });
    expect(outcome).toEqual({ state: 'timeout', last: 'ocean-cert-new: Provisioning', reconnects: 0 });
  });
});

describe('finishDomainChange', () => {
  it('drops the old certificate from the Ingress and deletes it, leaving foreign ones alone', async () => {
    const foreign = cert('hand-made', 'Active', '1', {
      managedFields: [{ manager: 'kubectl-client-side-apply' }],
    });
    const kube = fakeKube([
      ingress('ocean-cert-new,ocean-cert'),
      cert('ocean-cert-new', 'Active'),
      cert('ocean-cert', 'Active'),
      foreign,
    ]);
    const result = await finishDomainChange(
      kube,
      'ocean',
      { certificate: cert('ocean-cert-new', undefined), ingress: ingress('ocean-cert-new') },
      () => undefined,
    );
    expect(result).toEqual({ ingressUpdated: true, deleted: ['ocean-cert'], keptForeign: ['hand-made'] });
    expect(kube.objects.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'Ingress ocean',
      'ManagedCertificate hand-made',
      'ManagedCertificate ocean-cert-new',
    ]);
  });
});

describe('recreate', () => {
  const rendered = { certificate: cert('ocean-cert-new', undefined), ingress: ingress('ocean-cert-new') };

  it('deletes the Ingress then the certificates (waiting for each), then applies certificate and Ingress', async () => {
    const kube = fakeKube([
      cert('ocean-cert-new', 'FailedNotVisible'),
      ingress('ocean-cert-new'),
      cert('ocean-cert', 'Active'),
    ]);
    const steps = await recreate(kube, 'ocean', rendered, { deletionTimeoutMs: 1000, log: () => undefined });
    expect(steps).toEqual([
      { step: 'delete', object: 'Ingress ocean/ocean', outcome: 'deleted' },
      { step: 'delete', object: 'ManagedCertificate ocean/ocean-cert-new', outcome: 'deleted' },
      { step: 'delete', object: 'ManagedCertificate ocean/ocean-cert', outcome: 'deleted' },
      { step: 'apply', object: 'ManagedCertificate ocean/ocean-cert-new', outcome: 'created' },
      { step: 'apply', object: 'Ingress ocean/ocean', outcome: 'created' },
    ]);
    expect(kube.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ManagedCertificate ocean-cert-new',
      'Ingress ocean',
    ]);
  });

  it('refuses, changing nothing, when the Ingress is not hubfleet’s', async () => {
    const kube = fakeKube([cert('ocean-cert-new', 'FailedNotVisible'), ingress('ocean-cert-new', {})]);
    await expect(planRecreate(kube, 'ocean', rendered)).rejects.toThrow(
      "recreate refused for hub ocean, nothing was changed: Ingress ocean/ocean is not hubfleet's (label app.kubernetes.io/managed-by=hubfleet is missing)",
    );
    expect(kube.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list'))).toEqual([]);
  });
});
