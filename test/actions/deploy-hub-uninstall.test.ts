// End to end: deploy-hub `mode: uninstall`, the committed bundle run as a runner runs it, with the
// real kubectl against the Kubernetes API double and the fake helm first on PATH. A hub is deployed
// first (the same bundle, mode deploy), its file is deleted from the config, then it is uninstalled.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/render/manifests.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { createHelmClient } from '../../src/adapters/helm.js';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';

const CANARY_SECRET = 'CANARY-oauth-secret-uninstall-41f0';
const CLIMATE_SA = {
  climate: {
    'iam.gke.io/gcp-service-account': 'hubfleet-pangeo-gcp-climate@pangeo-prod.iam.gserviceaccount.com',
  },
};

describeWithKubectl('deploy-hub uninstall against the API double and the fake helm', () => {
  let api: KubeApiDouble;
  let helm: FakeHelm;
  let configDir: string;
  let cacheDir: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'uninstall-kube-cache-'));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeEach(async () => {
    api = await startKubeApiDouble();
    helm = createFakeHelm(api.url);
    configDir = mkdtempSync(join(tmpdir(), 'uninstall-config-'));
    cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  });
  afterEach(async () => {
    helm.close();
    await api.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  function run(inputs: Record<string, string>): Promise<BundleRun> {
    return runBundle('actions/deploy-hub', {
      inputs: { 'config-dir': configDir, ...inputs },
      env: { KUBECONFIG: api.kubeconfigPath, KUBECACHEDIR: cacheDir, ...helm.env() },
      timeoutMs: 120_000,
    });
  }
  function expectSuccess(r: BundleRun): void {
    if (r.exitCode !== 0) throw new Error(`bundle failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  }
  const deleteHubFile = (hub: string): void =>
    rmSync(join(configDir, 'clusters', 'pangeo-gcp', 'hubs', `${hub}.yaml`));
  const deletes = (): string[] => api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
  const names = (apiVersion: string, kind: string, ns: string): string[] =>
    api.listObjects(apiVersion, kind, ns).map((o) => o.metadata.name);
  const pvc = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'climate', labels: { app: 'jupyterhub', component: 'singleuser-storage' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  });

  /** climate deployed with its custom OAuth client Secret, user data and a foreign object beside it. */
  async function deployClimate(): Promise<void> {
    expectSuccess(
      await run({
        cluster: 'pangeo-gcp',
        hub: 'climate',
        'sa-annotations': JSON.stringify(CLIMATE_SA),
        'oauth-client-id': 'client-id-123.apps.googleusercontent.com',
        'oauth-client-secret': CANARY_SECRET,
      }),
    );
    api.put(pvc('claim-alice'));
    api.put(pvc('claim-bob'));
    // Not hubfleet's: a person's Secret, and one labelled for another hub.
    api.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'notes', namespace: 'climate' } });
    api.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'other-hub-leftover',
        namespace: 'climate',
        labels: { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'climate-staging' },
      },
    });
    api.requests.length = 0;
  }

  it('uninstalls the release and deletes exactly the objects hubfleet applied; keeps the namespace and user data', async () => {
    await deployClimate();
    const pods = names('v1', 'Pod', 'climate');
    expect(pods).toHaveLength(2);
    const [certificate] = names('networking.gke.io/v1', 'ManagedCertificate', 'climate');
    deleteHubFile('climate');

    const r = await run({ cluster: 'pangeo-gcp', hub: 'climate', mode: 'uninstall', timeout: '5m' });
    expectSuccess(r);

    expect(helm.calls().at(-1)?.args).toEqual([
      'uninstall',
      'climate',
      '--namespace',
      'climate',
      '--wait',
      '--timeout',
      '5m',
    ]);
    expect(helm.releases()).toEqual({});
    expect(deletes()).toEqual([
      // helm: the chart's objects
      '/api/v1/namespaces/climate/services/proxy-public',
      '/apis/apps/v1/namespaces/climate/deployments/hub',
      '/apis/apps/v1/namespaces/climate/deployments/proxy',
      ...pods.map((p) => `/api/v1/namespaces/climate/pods/${p}`),
      // hubfleet: the Ingress first, the ServiceAccount last, nothing else
      '/apis/networking.k8s.io/v1/namespaces/climate/ingresses/climate',
      `/apis/networking.gke.io/v1/namespaces/climate/managedcertificates/${certificate ?? ''}`,
      '/apis/cloud.google.com/v1/namespaces/climate/backendconfigs/climate-iap',
      '/apis/networking.gke.io/v1beta1/namespaces/climate/frontendconfigs/climate-frontend',
      '/api/v1/namespaces/climate/secrets/climate-iap-oauth',
      '/api/v1/namespaces/climate/secrets/hubfleet-health-token',
      '/api/v1/namespaces/climate/serviceaccounts/user-sa',
    ]);
    expect(api.getObject({ apiVersion: 'v1', kind: 'Namespace', name: 'climate' })).toBeDefined();
    expect(names('v1', 'PersistentVolumeClaim', 'climate')).toEqual(['claim-alice', 'claim-bob']);
    expect(names('v1', 'Secret', 'climate')).toEqual(['notes', 'other-hub-leftover']);
    expect(r.outputs).toEqual({
      url: '',
      certificate: '',
      ingress: '',
      namespace: 'climate',
      revision: '',
      'iap-audience': '',
    });
    expect(r.summary).toContain(
      '### ✅ 1 hub uninstalled: climate (namespaces and user data kept)\n\n| hub | namespace | helm | hubfleet objects deleted | kept | result |\n| --- | --- | --- | --- | --- | --- |\n| climate | climate | release climate uninstalled | 7 | Namespace climate, PersistentVolumeClaim claim-alice, PersistentVolumeClaim claim-bob | ok |',
    );
    expect(r.summary).toContain('```sh\n# first keep what users need');
    expect(r.summary).toContain('kubectl delete namespace climate\n```');
  });

  it('waits for the Ingress (its finalizer removes the load balancer holding the static IP) before the rest', async () => {
    helm.close();
    await api.close();
    api = await startKubeApiDouble({ finalizerDelayMs: 1500 });
    helm = createFakeHelm(api.url);
    await deployClimate();
    const ingress = api.getObject({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      name: 'climate',
      namespace: 'climate',
    });
    if (ingress === undefined) throw new Error('no Ingress');
    // As GKE's ingress controller marks it: deletion waits until the load balancer is gone.
    const metadata = { ...ingress.metadata, finalizers: ['networking.gke.io/ingress-finalizer-V2'] };
    api.put({ ...ingress, metadata });
    const ingressAtNextDelete: string[] = [];
    api.onRequest((req, double) => {
      if (req.method === 'DELETE' && req.path.includes('/managedcertificates/')) {
        const live = double.getObject({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          name: 'climate',
          namespace: 'climate',
        });
        ingressAtNextDelete.push(live === undefined ? 'gone' : 'still there');
      }
    });
    deleteHubFile('climate');
    expectSuccess(await run({ cluster: 'pangeo-gcp', hub: 'climate', mode: 'uninstall' }));
    expect(ingressAtNextDelete).toEqual(['gone']);
  });

  it('is a no-op success when run again (after a cancel or a retry)', async () => {
    await deployClimate();
    deleteHubFile('climate');
    expectSuccess(await run({ cluster: 'pangeo-gcp', hub: 'climate', mode: 'uninstall' }));
    api.requests.length = 0;

    const again = await run({ cluster: 'pangeo-gcp', hub: 'climate', mode: 'uninstall' });
    expectSuccess(again);
    expect(deletes()).toEqual([]);
    expect(helm.calls().at(-1)).toEqual({
      args: ['uninstall', 'climate', '--namespace', 'climate', '--wait', '--timeout', '10m'],
      exit: 1,
    });
    expect(again.summary).toContain(
      '| climate | climate | release climate was already gone | 0 | Namespace climate, PersistentVolumeClaim claim-alice, PersistentVolumeClaim claim-bob | ok |',
    );
    expect(again.summary).toContain('No hubfleet objects were left in the namespace.');
  });

  it('finishes the removal when an earlier run was cancelled after helm uninstall', async () => {
    await deployClimate();
    deleteHubFile('climate');
    // The cancelled run got as far as helm: the release is gone, hubfleet's objects are still there.
    await createHelmClient({ env: helm.env() }).uninstall('climate', 'climate', '5m');
    api.requests.length = 0;

    const r = await run({ cluster: 'pangeo-gcp', hub: 'climate', mode: 'uninstall' });
    expectSuccess(r);
    expect(deletes()).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/climate/ingresses/climate',
      expect.stringMatching(
        /^\/apis\/networking\.gke\.io\/v1\/namespaces\/climate\/managedcertificates\/climate-cert-[0-9a-f]{8}$/,
      ),
      '/apis/cloud.google.com/v1/namespaces/climate/backendconfigs/climate-iap',
      '/apis/networking.gke.io/v1beta1/namespaces/climate/frontendconfigs/climate-frontend',
      '/api/v1/namespaces/climate/secrets/climate-iap-oauth',
      '/api/v1/namespaces/climate/secrets/hubfleet-health-token',
      '/api/v1/namespaces/climate/serviceaccounts/user-sa',
    ]);
    expect(r.summary).toContain('| climate | climate | release climate was already gone | 7 |');
  });

  it('refuses a hub still in the config, a bad name and a system namespace before touching anything', async () => {
    const r = await run({
      cluster: 'pangeo-gcp',
      hubs: 'ocean,Ocean_2,kube-system',
      mode: 'uninstall',
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.map((a) => a.message)).toEqual([
      `uninstall refused for pangeo-gcp: hub "Ocean_2" is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63 characters); hub "kube-system" names a system namespace; hubfleet never uninstalls there; hub ocean is still in the config (${configDir}/clusters/pangeo-gcp/hubs/ocean.yaml); only a hub whose file was deleted is uninstalled; uninstall takes the cluster and the names of hubs whose files were deleted (the planner’s remove matrix); nothing was changed`,
    ]);
    expect(api.requests).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });

  it('refuses a cluster that is not in the config', async () => {
    const r = await run({ cluster: 'pangeo-old', hub: 'climate', mode: 'uninstall' });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.map((a) => a.message)).toEqual([
      'uninstall refused for pangeo-old: no cluster named pangeo-old in the config (clusters: pangeo-aws, pangeo-gcp); uninstall takes the cluster and the names of hubs whose files were deleted (the planner’s remove matrix); nothing was changed',
    ]);
    expect(api.requests).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });
});
