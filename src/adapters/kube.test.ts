// The adapter drives the real kubectl against the Kubernetes API double.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiDouble, type KubeApiDouble } from '../../test/support/kube-api-double.js';
import { KUBECTL, describeWithKubectl } from '../../test/support/kubectl.js';
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import {
  collectionPath,
  createKubeClient,
  pluralOf,
  resourceVersionOf,
  typeArg,
  type KubeClient,
  type WatchEvent,
} from './kube.js';

const ns: KubeObject = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'ocean', labels: { team: 'a' } },
};
const cert: KubeObject = {
  apiVersion: 'networking.gke.io/v1',
  kind: 'ManagedCertificate',
  metadata: { name: 'ocean-cert', namespace: 'ocean' },
  spec: { domains: ['ocean.hubs.example.org'] },
};
const certRef = {
  apiVersion: 'networking.gke.io/v1',
  kind: 'ManagedCertificate',
  name: 'ocean-cert',
  namespace: 'ocean',
};

it('names types and paths as kubectl and the API expect', () => {
  expect(typeArg('v1', 'Secret')).toBe('Secret.v1.');
  expect(typeArg('networking.gke.io/v1', 'ManagedCertificate')).toBe(
    'ManagedCertificate.v1.networking.gke.io',
  );
  expect(['Ingress', 'Policy', 'Gateway', 'Namespace', 'Service', 'Mesh'].map(pluralOf)).toEqual([
    'ingresses',
    'policies',
    'gateways',
    'namespaces',
    'services',
    'meshes',
  ]);
  expect(collectionPath('apps/v1', 'Deployment', 'ocean')).toBe('/apis/apps/v1/namespaces/ocean/deployments');
  expect(collectionPath('v1', 'Namespace')).toBe('/api/v1/namespaces');
});

it('says clearly when kubectl is missing', async () => {
  const kube = createKubeClient({ kubectl: '/nonexistent/kubectl' });
  await expect(kube.preflight()).rejects.toThrow("kubectl not found: cannot run '/nonexistent/kubectl'");
  await expect(kube.get(certRef)).rejects.toMatchObject({
    hint: expect.stringContaining('apt-get install kubernetes-client'),
  });
});

describeWithKubectl('kube adapter against the API double (real kubectl)', () => {
  let api: KubeApiDouble;
  let kube: KubeClient;
  let logs: string[];
  let sleeps: number[];
  let cacheDir: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'kube-cache-'));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeEach(async () => {
    api = await startKubeApiDouble({ finalizerDelayMs: 300 });
    logs = [];
    sleeps = [];
    kube = createKubeClient({
      kubectl: KUBECTL,
      kubeconfig: api.kubeconfigPath,
      env: { KUBECACHEDIR: cacheDir },
      retry: { budgetMs: 10_000, baseMs: 100, maxMs: 1000 },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      log: (line) => logs.push(line),
    });
  });
  afterEach(async () => api.close());

  const patches = (): string[] =>
    api.requests
      .filter((r) => r.method === 'PATCH')
      .map((r) => `${r.path}?${new URLSearchParams(r.query).toString()} ${r.contentType}`);

  it('preflight reaches the API server', async () => {
    await kube.preflight();
    expect(logs).toEqual(['kubectl reaches the API server (Kubernetes v1.32.0-kube-api-double)']);
  });

  it('applies server-side as hubfleet: created, then unchanged, then configured', async () => {
    const first = await kube.apply(ns);
    const second = await kube.apply(ns);
    const third = await kube.apply({ ...ns, metadata: { name: 'ocean', labels: { team: 'b' } } });
    expect([first.outcome, second.outcome, third.outcome]).toEqual(['created', 'unchanged', 'configured']);
    expect(third.object.metadata.labels).toEqual({ team: 'b' });
    expect(patches()).toEqual(
      Array(3).fill(
        '/api/v1/namespaces/ocean?fieldManager=hubfleet&fieldValidation=Ignore&force=true&timeout=1m0s application/apply-patch+yaml',
      ),
    );
    expect(api.getObject({ apiVersion: 'v1', kind: 'Namespace', name: 'ocean' })?.metadata).toMatchObject({
      managedFields: [expect.objectContaining({ manager: 'hubfleet', operation: 'Apply' })],
    });
    expect(logs).toEqual([
      'apply Namespace ocean: created',
      'apply Namespace ocean: unchanged',
      'apply Namespace ocean: configured',
    ]);
  });

  it('applies a Secret through stdin and never shows its data', async () => {
    await kube.apply(ns);
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'oauth', namespace: 'ocean' },
      type: 'Opaque',
      data: { client_secret: Buffer.from('CANARY-s3cr3t').toString('base64') },
    };
    const result = await kube.applySecret(secret);
    expect(result.outcome).toBe('created');
    expect(result.object).not.toHaveProperty('data');
    expect(JSON.stringify(result)).not.toContain('CANARY');
    expect(logs.join('\n')).not.toMatch(/CANARY|Q0FOQVJZ/);
    const stored = api.getObject({ apiVersion: 'v1', kind: 'Secret', name: 'oauth', namespace: 'ocean' });
    expect(stored?.data).toEqual({ client_secret: Buffer.from('CANARY-s3cr3t').toString('base64') });
    await expect(kube.applySecret(ns)).rejects.toThrow('applySecret was given a Namespace, not a Secret');
  });

  it('retries 409, 429, 500 and connection resets with jittered backoff, then succeeds', async () => {
    await kube.apply(ns);
    api.inject({ status: 409, times: 1, match: { method: 'PATCH' } });
    api.inject({ status: 429, times: 1, match: { method: 'PATCH' } });
    api.inject({ status: 500, times: 1, match: { method: 'PATCH' } });
    api.inject({ resetConnection: true, times: 1, match: { method: 'PATCH' } });
    const result = await kube.apply(cert);
    expect(result.outcome).toBe('created');
    // random() = 0.5 of min(max, base·2^(attempt-1)): 50, 100, 200, 400 ms.
    expect(sleeps).toEqual([50, 100, 200, 400]);
    expect(logs.filter((l) => l.includes('retrying')).map((l) => l.replace(/ \(.*\);/, ';'))).toEqual([
      'kubectl apply ManagedCertificate ocean/ocean-cert: conflict; retrying in 0.1s (attempt 2)',
      'kubectl apply ManagedCertificate ocean/ocean-cert: throttled; retrying in 0.1s (attempt 3)',
      'kubectl apply ManagedCertificate ocean/ocean-cert: server; retrying in 0.2s (attempt 4)',
      'kubectl apply ManagedCertificate ocean/ocean-cert: connection; retrying in 0.4s (attempt 5)',
    ]);
  });

  it('fails a permanent 403 at once with the verb, the object and what to do', async () => {
    api.inject({
      status: 403,
      times: 1,
      match: { method: 'PATCH' },
      message:
        'managedcertificates.networking.gke.io "ocean-cert" is forbidden: User "deployer" cannot patch resource',
    });
    const error = await kube.apply(cert).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HubfleetError);
    expect((error as HubfleetError).message).toBe(
      'kubectl apply ManagedCertificate ocean/ocean-cert failed: Error from server (Forbidden): managedcertificates.networking.gke.io "ocean-cert" is forbidden: User "deployer" cannot patch resource',
    );
    expect((error as HubfleetError).hint).toBe(
      'grant the deployer identity RBAC to apply ManagedCertificate objects (GKE: roles/container.developer or a RoleBinding; EKS: an access entry), then re-run',
    );
    expect(sleeps).toEqual([]);
  });

  it('gives up when the retry budget is spent', async () => {
    api.inject({ status: 503, times: 100, match: { method: 'GET', pathIncludes: 'managedcertificates' } });
    await expect(kube.get(certRef)).rejects.toThrow(
      /^kubectl get ManagedCertificate ocean\/ocean-cert failed after \d+ attempts: Error from server \(ServiceUnavailable\)/,
    );
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
  });

  it('gets, lists and deletes', async () => {
    expect(await kube.get(certRef)).toBeUndefined();
    await kube.apply(ns);
    await kube.apply(cert);
    expect((await kube.get(certRef))?.spec).toEqual({ domains: ['ocean.hubs.example.org'] });
    const listed = await kube.list('networking.gke.io/v1', 'ManagedCertificate', 'ocean');
    expect(listed.map((o) => [o.apiVersion, o.kind, o.metadata.name])).toEqual([
      ['networking.gke.io/v1', 'ManagedCertificate', 'ocean-cert'],
    ]);
    expect(await kube.list('networking.gke.io/v1', 'ManagedCertificate', undefined, 'team=x')).toEqual([]);
    expect(await kube.delete(certRef)).toBe('deleted');
    expect(await kube.delete(certRef)).toBe('absent');
    expect(api.getObject(certRef)).toBeUndefined();
  });

  it('waits for finalizers only when asked', async () => {
    await kube.apply(ns);
    api.put({
      ...cert,
      metadata: {
        ...cert.metadata,
        finalizers: ['networking.gke.io/managed-certificate'],
      } as KubeObject['metadata'],
    });
    expect(await kube.delete(certRef)).toBe('deleted');
    expect(api.getObject(certRef)?.metadata).toHaveProperty('deletionTimestamp');
    await new Promise((r) => setTimeout(r, 400));
    expect(api.getObject(certRef)).toBeUndefined();
    api.put({
      ...cert,
      metadata: {
        ...cert.metadata,
        finalizers: ['networking.gke.io/managed-certificate'],
      } as KubeObject['metadata'],
    });
    expect(await kube.delete(certRef, { wait: true, timeoutMs: 10_000 })).toBe('deleted');
    expect(api.getObject(certRef)).toBeUndefined();
  });

  it('watches one object as a stream of events, ends on a dropped connection and resumes', async () => {
    await kube.apply(ns);
    await kube.apply(cert);
    api.inject({ dropWatchAfterEvents: 2, times: 1 });
    const seen: WatchEvent[] = [];
    const done = (async () => {
      for await (const ev of kube.watch(certRef)) seen.push(ev);
    })();
    await waitFor(() => seen.length === 1);
    api.setStatus(certRef, { certificateStatus: 'Provisioning' });
    await done; // the double cut the connection after two events
    expect(
      seen.map((e) => [
        e.type,
        (e.object.status as { certificateStatus?: string } | undefined)?.certificateStatus,
      ]),
    ).toEqual([
      ['ADDED', undefined],
      ['MODIFIED', 'Provisioning'],
    ]);
    // Resume from the last resourceVersion: only what happened since.
    api.setStatus(certRef, { certificateStatus: 'Active' });
    const controller = new AbortController();
    const resumed: WatchEvent[] = [];
    for await (const ev of kube.watch(certRef, {
      signal: controller.signal,
      resourceVersion: resourceVersionOf(seen[1]?.object as KubeObject) as string,
    })) {
      resumed.push(ev);
      controller.abort();
    }
    expect(
      resumed.map((e) => [e.type, (e.object.status as { certificateStatus: string }).certificateStatus]),
    ).toEqual([['MODIFIED', 'Active']]);
    expect(api.requests.filter((r) => r.query.watch === 'true').map((r) => r.query)).toEqual([
      { watch: 'true', fieldSelector: 'metadata.name=ocean-cert', allowWatchBookmarks: 'true' },
      {
        watch: 'true',
        fieldSelector: 'metadata.name=ocean-cert',
        allowWatchBookmarks: 'true',
        resourceVersion: resourceVersionOf(seen[1]?.object as KubeObject),
      },
    ]);
  });

  it('reads a Service proxy path through the API server', async () => {
    await kube.apply(ns);
    api.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'proxy-public', namespace: 'ocean' },
      spec: { selector: { component: 'proxy' } },
    });
    const path = '/api/v1/namespaces/ocean/services/proxy-public:http/proxy/hub/health';
    expect(await kube.getRaw(path)).toMatchObject({ ok: false, kind: 'server' });
    for (const component of ['proxy', 'hub']) {
      api.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: component, namespace: 'ocean', labels: { component } },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
    expect(await kube.getRaw(path)).toEqual({ ok: true, body: '' });
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error('condition not reached');
}
