// The double's own contract, checked with the real kubectl (not through hubfleet's adapter, so a
// bug in the adapter cannot hide one in the double) and with plain fetch for the merge rules.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/render/manifests.js';
import { RESOURCE_TYPES, startKubeApiDouble, type KubeApiDouble } from './kube-api-double.js';
import { KUBECTL, describeWithKubectl } from './kubectl.js';

let api: KubeApiDouble;
let cacheDir: string;

/** Runs kubectl asynchronously: the double answers from this same process. */
function kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(KUBECTL, [`--kubeconfig=${api.kubeconfigPath}`, ...args], {
    env: { ...process.env, KUBECACHEDIR: cacheDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}
const applyArgs = [
  'apply',
  '--server-side',
  '--field-manager=hubfleet',
  '--validate=false',
  '-f',
  '-',
  '-o',
  'json',
];

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'kube-cache-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
beforeEach(async () => {
  api = await startKubeApiDouble({ finalizerDelayMs: 200 });
});
afterEach(async () => api.close());

it('listens on 127.0.0.1 and writes a kubeconfig for it', () => {
  expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});

it('serves discovery for every kind hubfleet uses', async () => {
  const groups = (await call('GET', '/apis')).json.groups as { name: string }[];
  expect(groups.map((g) => g.name)).toEqual([
    'apps',
    'rbac.authorization.k8s.io',
    'networking.k8s.io',
    'cloud.google.com',
    'networking.gke.io',
  ]);
  const kinds: string[] = [];
  for (const path of [
    '/api/v1',
    '/apis/apps/v1',
    '/apis/rbac.authorization.k8s.io/v1',
    '/apis/networking.k8s.io/v1',
    '/apis/cloud.google.com/v1',
    '/apis/networking.gke.io/v1',
    '/apis/networking.gke.io/v1beta1',
  ]) {
    const list = (await call('GET', path)).json.resources as { name: string; kind: string }[];
    kinds.push(...list.filter((r) => !r.name.includes('/')).map((r) => r.kind));
  }
  expect(kinds.sort()).toEqual(RESOURCE_TYPES.map((t) => t.kind).sort());
  expect(kinds.sort()).toEqual([
    'BackendConfig',
    // recreate-cert remembers the SslCertificates it waits for in one (src/cert/recreate.ts).
    'ConfigMap',
    'Deployment',
    // deploy-hub reads ingress-gce's Warning Sync events on the Ingress (src/deploy/ingress-sync.ts).
    'Event',
    'FrontendConfig',
    'Ingress',
    'ManagedCertificate',
    'Namespace',
    'PersistentVolumeClaim',
    'Pod',
    // deploy-hub's health token reader (src/render/health-reader.ts).
    'Role',
    'RoleBinding',
    'Secret',
    'Service',
    'ServiceAccount',
  ]);
});

it('records every request', async () => {
  await call(
    'PATCH',
    '/api/v1/namespaces/x?fieldManager=m',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
    'application/apply-patch+yaml',
  );
  expect(api.requests).toEqual([
    {
      method: 'PATCH',
      path: '/api/v1/namespaces/x',
      query: { fieldManager: 'm' },
      contentType: 'application/apply-patch+yaml',
      body: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}',
    },
  ]);
});

it('merges server-side applies by field manager (the documented rules)', async () => {
  const path = '/api/v1/namespaces/x';
  const applyAs = (manager: string, labels: Record<string, string>, force = false) =>
    call(
      'PATCH',
      `${path}?fieldManager=${manager}${force ? '&force=true' : ''}`,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', labels } },
      'application/apply-patch+yaml',
    );
  expect((await applyAs('hubfleet', { a: '1', b: '1' })).status).toBe(201);
  expect((await applyAs('other', { c: '1' })).status).toBe(200);
  // hubfleet drops b: removed; c stays (owned by other).
  await applyAs('hubfleet', { a: '1' });
  const ref = { apiVersion: 'v1', kind: 'Namespace', name: 'x' };
  expect(api.getObject(ref)?.metadata.labels).toEqual({ a: '1', c: '1' });
  // Same value on another manager's field: shared; different value: 409 unless forced.
  const conflict = await applyAs('hubfleet', { a: '1', c: '2' });
  expect(conflict.status).toBe(409);
  expect(conflict.json).toMatchObject({
    reason: 'Conflict',
    details: { causes: [{ type: 'FieldManagerConflict', field: '.metadata.labels.c' }] },
  });
  expect((await applyAs('hubfleet', { a: '1', c: '2' }, true)).status).toBe(200);
  const managed = (
    api.getObject(ref)?.metadata as unknown as { managedFields: { manager: string; fieldsV1: unknown }[] }
  ).managedFields;
  expect(managed.map((m) => [m.manager, m.fieldsV1])).toEqual([
    ['hubfleet', { 'f:metadata': { 'f:labels': { 'f:a': {}, 'f:c': {} }, 'f:name': {} } }],
    ['other', { 'f:metadata': { 'f:name': {} } }],
  ]);
});

it('keeps the resourceVersion for a no-op write; generation follows the spec', () => {
  const dep: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'hub', namespace: 'n' },
    spec: { replicas: 1 },
  };
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  api.put(dep);
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hub', namespace: 'n' };
  const rv = (api.getObject(ref)?.metadata as unknown as { resourceVersion: string }).resourceVersion;
  api.put(dep);
  expect(api.getObject(ref)?.metadata).toMatchObject({ resourceVersion: rv, generation: 1 });
  api.setStatus(ref, { replicas: 1 });
  expect(api.getObject(ref)?.metadata).toMatchObject({ generation: 1 });
  api.put({ ...dep, spec: { replicas: 2 } });
  expect(api.getObject(ref)?.metadata).toMatchObject({ generation: 2 });
});

describeWithKubectl('the real kubectl against the double', () => {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ocean' } };
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ocean' },
    stringData: { client_id: 'id' },
  };

  it('accepts kubectl apply --server-side: discovery, then PATCH ?fieldManager=hubfleet with apply-patch+yaml', async () => {
    const out = await kubectl(applyArgs, JSON.stringify(ns));
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(api.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /api',
        'GET /api/v1',
        'GET /apis',
        'GET /apis/apps/v1',
        'GET /apis/cloud.google.com/v1',
        'GET /apis/networking.gke.io/v1',
        'GET /apis/networking.gke.io/v1beta1',
        'GET /apis/networking.k8s.io/v1',
        'GET /apis/rbac.authorization.k8s.io/v1',
        'GET /version',
        'PATCH /api/v1/namespaces/ocean',
      ].sort(),
    );
    const patch = api.requests.find((r) => r.method === 'PATCH');
    expect(patch?.query).toEqual({ fieldManager: 'hubfleet', fieldValidation: 'Ignore', force: 'false' });
    expect(patch?.contentType).toBe('application/apply-patch+yaml');
    expect(JSON.parse(out.stdout)).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'ocean', generation: 1 },
    });
  });

  it('needs the OpenAPI document only when client-side validation is on', async () => {
    const out = await kubectl(
      ['apply', '--server-side', '--field-manager=hubfleet', '-f', '-'],
      JSON.stringify(ns),
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('failed to download openapi');
  });

  it('gets, lists with a label selector and deletes; Secrets fold stringData into data', async () => {
    await kubectl(applyArgs, JSON.stringify(ns));
    await kubectl(applyArgs, JSON.stringify(secret));
    const got = JSON.parse(
      (await kubectl(['get', 'secret', 's', '-n', 'ocean', '-o', 'json'])).stdout,
    ) as KubeObject;
    expect(got.data).toEqual({ client_id: Buffer.from('id').toString('base64') });
    expect((await kubectl(['get', 'secrets', '-n', 'ocean', '-l', 'x=y', '-o', 'name'])).stdout).toBe('');
    expect((await kubectl(['get', 'secrets', '-n', 'ocean', '-o', 'name'])).stdout).toBe('secret/s\n');
    expect((await kubectl(['delete', 'secret', 's', '-n', 'ocean', '--wait=false'])).stdout).toBe(
      'secret "s" deleted\n',
    );
    const missing = await kubectl(['get', 'secret', 's', '-n', 'ocean']);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      1,
      'Error from server (NotFound): secrets "s" not found',
    ]);
  });

  it('soft-deletes an object with finalizers for finalizerDelayMs', async () => {
    await kubectl(applyArgs, JSON.stringify(ns));
    api.put({
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      metadata: { name: 'c', namespace: 'ocean', finalizers: ['x'] } as KubeObject['metadata'],
      spec: { domains: ['a.example.org'] },
    });
    const ref = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      name: 'c',
      namespace: 'ocean',
    };
    expect((await kubectl(['delete', 'managedcertificate', 'c', '-n', 'ocean', '--wait=false'])).code).toBe(
      0,
    );
    expect(api.getObject(ref)?.metadata).toHaveProperty('deletionTimestamp');
    await new Promise((r) => setTimeout(r, 300));
    expect(api.getObject(ref)).toBeUndefined();
  });

  it('streams watch events with resourceVersions through kubectl get --watch, and drops watches on request', async () => {
    await kubectl(applyArgs, JSON.stringify(ns));
    api.inject({ dropWatchAfterEvents: 3 });
    const ref = { apiVersion: 'v1', kind: 'Namespace', name: 'ocean' };
    const child = spawn(
      KUBECTL,
      [
        `--kubeconfig=${api.kubeconfigPath}`,
        'get',
        'namespace',
        'ocean',
        '--watch',
        '-o',
        'json',
        '--output-watch-events',
      ],
      {
        env: { ...process.env, KUBECACHEDIR: cacheDir },
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let i = 0; i < 100 && !api.requests.some((r) => r.query.watch === 'true'); i++)
      await new Promise((r) => setTimeout(r, 20));
    api.setStatus(ref, { phase: 'Active' });
    api.put({ ...ns, metadata: { name: 'ocean', labels: { a: 'b' } } });
    await closed;
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { resourceVersion: string } } });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
  });

  it('injects 429/500/403 and slow answers', async () => {
    api.inject({ status: 500, times: 1, match: { method: 'GET', pathIncludes: '/namespaces/ocean' } });
    expect((await kubectl(['get', 'namespace', 'ocean'])).stderr.trim()).toBe(
      'Error from server (InternalError): injected 500 InternalError',
    );
    api.inject({ status: 403, times: 1, match: { pathIncludes: '/namespaces/ocean' } });
    expect((await kubectl(['get', 'namespace', 'ocean'])).stderr.trim()).toBe(
      'Error from server (Forbidden): injected 403 Forbidden',
    );
    api.inject({ delayMs: 1500, times: 1, match: { pathIncludes: '/namespaces/ocean' } });
    expect((await kubectl(['get', 'namespace', 'ocean', '--request-timeout=200ms'])).stderr).toMatch(
      /Client\.Timeout|context deadline exceeded|timeout/i,
    );
  });

  it('answers the Service proxy from Ready Pods; Deployment and Pod status are settable', async () => {
    await kubectl(applyArgs, JSON.stringify(ns));
    api.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'proxy-public', namespace: 'ocean' },
      spec: { selector: { component: 'proxy' } },
    });
    const health = async (): Promise<string> => {
      const out = await kubectl([
        'get',
        '--raw',
        '/api/v1/namespaces/ocean/services/proxy-public:http/proxy/hub/health',
      ]);
      return out.code === 0 ? 'ok' : out.stderr.trim();
    };
    expect(await health()).toBe(
      'Error from server (ServiceUnavailable): the server is currently unable to handle the request',
    );
    for (const component of ['proxy', 'hub']) {
      api.put({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: component, namespace: 'ocean', labels: { component } },
      });
      api.setStatus(
        { apiVersion: 'v1', kind: 'Pod', name: component, namespace: 'ocean' },
        { conditions: [{ type: 'Ready', status: 'True' }] },
      );
    }
    expect(await health()).toBe('ok');
    api.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'hub', namespace: 'ocean' },
      spec: { replicas: 1 },
    });
    api.setStatus(
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'hub', namespace: 'ocean' },
      { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
    );
    const rollout = await kubectl(['rollout', 'status', 'deployment/hub', '-n', 'ocean', '--timeout=5s']);
    expect(rollout.stdout.trim()).toBe('deployment "hub" successfully rolled out');
  });
});
