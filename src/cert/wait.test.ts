import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import type { CertKube, CertKubeRef, CertWatchEvent } from './kube-port.js';
import { finishDomainChange, waitForCertificate } from './wait.js';
import { RECREATE_PENDING_CONFIGMAP, planRecreate, recreate } from './recreate.js';

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

  it('waits through FailedNotVisible (Google retries it) and ends at Active', async () => {
    const kube = fakeKube(
      [cert('ocean-cert-new', 'Provisioning')],
      [
        [
          { type: 'MODIFIED', object: cert('ocean-cert-new', 'FailedNotVisible', '2') },
          { type: 'MODIFIED', object: cert('ocean-cert-new', 'Active', '3') },
        ],
      ],
    );
    const lines: string[] = [];
    const outcome = await waitForCertificate(kube, REF, { ...opts, log: (l) => lines.push(l) });
    expect(outcome).toEqual({ state: 'active', reconnects: 0 });
    expect(lines).toEqual([
      'ManagedCertificate ocean/ocean-cert-new: ocean-cert-new: Provisioning',
      "ManagedCertificate ocean/ocean-cert-new: ocean.example.org: FailedNotVisible — Google's CA cannot reach the domain through the load balancer yet (it retries while the load balancer is built and DNS propagates), waiting",
      'ManagedCertificate ocean/ocean-cert-new is Active',
    ]);
  });

  it('ends at once on FailedCaaForbidden', async () => {
    const kube = fakeKube(
      [cert('ocean-cert-new', 'Provisioning')],
      [[{ type: 'MODIFIED', object: cert('ocean-cert-new', 'FailedCaaForbidden') }]],
    );
    const outcome = await waitForCertificate(kube, REF, opts);
    expect(outcome.state === 'failed' ? outcome.cause : outcome).toBe(
      "ocean.example.org: FailedCaaForbidden — a CAA record forbids Google's CA",
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

  /** A ManagedCertificate whose controller named its Google SslCertificate (status.certificateName). */
  const issued = (name: string, status: string, sslName: string): KubeObject => {
    const c = cert(name, status);
    return { ...c, status: { ...(c['status'] as object), certificateName: sslName } };
  };
  /** Compute: each SslCertificate answers 200 `polls` more times, then 404 (gke-managed-certs deleted it). */
  const compute = (present: Record<string, number>) => {
    const asked: string[] = [];
    return {
      asked,
      getSslCertificate(project: string, name: string) {
        asked.push(`${project}/${name}`);
        const left = present[name] ?? 0;
        present[name] = left - 1;
        return Promise.resolve(left > 0 ? { name } : undefined);
      },
    };
  };
  const options = (sleeps: number[], clock = { t: 0 }) => ({
    deletionTimeoutMs: 60_000,
    log: () => undefined,
    project: 'pangeo-prod',
    pollMs: 5000,
    now: () => clock.t,
    sleep: (ms: number) => {
      sleeps.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
  });

  it('remembers the old SslCertificates, deletes Ingress then certificates, waits for Compute 404s, then applies', async () => {
    const kube = fakeKube([
      issued('ocean-cert-new', 'ProvisioningFailed', 'mcrt-failed'),
      ingress('ocean-cert-new'),
      issued('ocean-cert', 'Active', 'mcrt-old'),
    ]);
    const google = compute({ 'mcrt-failed': 2 });
    const sleeps: number[] = [];
    const steps = await recreate(kube, google, 'ocean', rendered, options(sleeps));
    expect(steps).toEqual([
      { step: 'delete', object: 'Ingress ocean/ocean', outcome: 'deleted' },
      { step: 'delete', object: 'ManagedCertificate ocean/ocean-cert-new', outcome: 'deleted' },
      { step: 'delete', object: 'ManagedCertificate ocean/ocean-cert', outcome: 'deleted' },
      { step: 'wait', object: 'SslCertificate mcrt-failed', outcome: 'gone' },
      { step: 'wait', object: 'SslCertificate mcrt-old', outcome: 'gone' },
      { step: 'apply', object: 'ManagedCertificate ocean/ocean-cert-new', outcome: 'created' },
      { step: 'apply', object: 'Ingress ocean/ocean', outcome: 'created' },
    ]);
    expect(google.asked).toEqual([
      'pangeo-prod/mcrt-failed',
      'pangeo-prod/mcrt-failed',
      'pangeo-prod/mcrt-failed',
      'pangeo-prod/mcrt-old',
    ]);
    expect(sleeps).toEqual([5000, 5000]);
    // The names are written down before anything is deleted, and dropped once the apply is done.
    expect(kube.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list'))).toEqual([
      `apply ConfigMap ${RECREATE_PENDING_CONFIGMAP}`,
      'delete Ingress ocean --wait',
      'delete ManagedCertificate ocean-cert-new --wait',
      'delete ManagedCertificate ocean-cert --wait',
      'apply ManagedCertificate ocean-cert-new',
      'apply Ingress ocean',
      `delete ConfigMap ${RECREATE_PENDING_CONFIGMAP}`,
    ]);
    expect(kube.objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ManagedCertificate ocean-cert-new',
      'Ingress ocean',
    ]);
  });

  it('a rerun after a cancel during the wait still waits for the SslCertificate the first run deleted', async () => {
    const pending: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: RECREATE_PENDING_CONFIGMAP, namespace: 'ocean', labels: owned },
      data: { sslCertificates: 'mcrt-failed' },
    };
    const kube = fakeKube([pending]);
    const google = compute({ 'mcrt-failed': 1 });
    const steps = await recreate(kube, google, 'ocean', rendered, options([]));
    expect(steps.map((x) => `${x.step} ${x.object}`)).toEqual([
      'wait SslCertificate mcrt-failed',
      'apply ManagedCertificate ocean/ocean-cert-new',
      'apply Ingress ocean/ocean',
    ]);
    expect(kube.objects.map((o) => o.kind)).toEqual(['ManagedCertificate', 'Ingress']);
  });

  it('stops before applying when Google keeps the old SslCertificate past the timeout, saying to run again', async () => {
    const kube = fakeKube([
      issued('ocean-cert-new', 'ProvisioningFailed', 'mcrt-failed'),
      ingress('ocean-cert-new'),
    ]);
    await expect(
      recreate(kube, compute({ 'mcrt-failed': 100 }), 'ocean', rendered, {
        ...options([]),
        deletionTimeoutMs: 12_000,
      }),
    ).rejects.toThrow(
      "the previous certificate's SslCertificate mcrt-failed still exists in project pangeo-prod: gke-managed-certs deletes it only after the load balancer stops using it, and a certificate applied before that would bring the failed one back",
    );
    expect(kube.calls.filter((c) => c.startsWith('apply'))).toEqual([
      `apply ConfigMap ${RECREATE_PENDING_CONFIGMAP}`,
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
