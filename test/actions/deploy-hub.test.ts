// End to end: the committed deploy-hub bundle, run as a runner runs it, with the real kubectl
// against the Kubernetes API double, the fake helm first on PATH and the Compute API double.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import { compareActionYml, loadActionYml } from '../../src/action/action-yml.js';
import { loadFleet } from '../../src/config/load.js';
import { renderFleetFiles, renderHubFiles } from '../../src/render/files.js';
import { rotatedAtOf } from '../../src/deploy/health-token.js';
import { HEALTH_TOKEN_SECRET } from '../../src/render/health-service.js';
import type { KubeObject } from '../../src/render/manifests.js';
import { deployHubInputs, deployHubOutputs } from '../../actions/deploy-hub/inputs.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startComputeDouble, type ComputeDouble } from '../support/compute-double.js';
import { createFakeHelm, type FakeHelm, type FakeHelmCall } from '../support/fake-helm.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';

const OCEAN_SA = {
  'iam.gke.io/gcp-service-account': 'hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com',
};
const TOKEN = 'ya29.compute-token-for-tests';
const CANARY_SECRET = 'CANARY-oauth-secret-7c1d9e';

describe('deploy-hub action declarations', () => {
  it('action.yml and inputs.ts declare the same inputs and outputs', async () => {
    const yml = await loadActionYml(`${repoRoot}/actions/deploy-hub/action.yml`);
    expect(compareActionYml(yml, deployHubInputs, deployHubOutputs)).toEqual([]);
  });
});

describeWithKubectl('deploy-hub bundle against the API double and the fake helm', () => {
  let api: KubeApiDouble;
  let helm: FakeHelm;
  let compute: ComputeDouble;
  let configDir: string;
  let cacheDir: string;

  beforeAll(() => {
    cacheDir = mkdtempSync(join(tmpdir(), 'deploy-hub-kube-cache-'));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  beforeEach(async () => {
    api = await startKubeApiDouble();
    helm = createFakeHelm(api.url);
    compute = await startComputeDouble({ token: TOKEN });
    configDir = mkdtempSync(join(tmpdir(), 'deploy-hub-config-'));
    cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  });
  afterEach(async () => {
    helm.close();
    await compute.close();
    await api.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  function deploy(inputs: Record<string, string>): Promise<BundleRun> {
    return runBundle('actions/deploy-hub', {
      inputs: { 'config-dir': configDir, 'compute-api-url': compute.url, ...inputs },
      env: { KUBECONFIG: api.kubeconfigPath, KUBECACHEDIR: cacheDir, ...helm.env() },
      timeoutMs: 120_000,
    });
  }
  const oceanInputs = {
    cluster: 'pangeo-gcp',
    hub: 'ocean',
    'sa-annotations': JSON.stringify({ ocean: OCEAN_SA }),
  };

  function expectSuccess(run: BundleRun): void {
    if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  }
  function failure(run: BundleRun): string {
    expect(run.exitCode).toBe(1);
    return (
      run.annotations
        .filter((a) => a.level === 'error')
        .map((a) => a.message)
        .pop() ?? ''
    );
  }
  /**
   * The GKE controller: once helm installs the hub, the load balancer exists and the ocean Ingress
   * names its backends (the annotation deploy-hub reads the backend service from).
   */
  const gkeCreatesBackendsOnInstall = (backends: Record<string, string>): void => {
    api.onRequest((r, double) => {
      if (r.query.fieldManager !== 'helm' || !r.path.endsWith('/deployments/hub')) return;
      const ingress = double.getObject({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        name: 'ocean',
        namespace: 'ocean',
      });
      if (
        ingress === undefined ||
        ingress.metadata.annotations?.['ingress.kubernetes.io/backends'] !== undefined
      )
        return;
      const annotations = {
        ...ingress.metadata.annotations,
        'ingress.kubernetes.io/backends': JSON.stringify(backends),
      };
      double.put({ ...ingress, metadata: { ...ingress.metadata, annotations } });
    });
  };

  const upgrades = (): FakeHelmCall[] => helm.calls().filter((c) => c.args[0] === 'upgrade');
  const hubfleetPatches = (): string[] =>
    api.requests
      .filter((r) => r.method === 'PATCH' && r.query.fieldManager === 'hubfleet')
      .map((r) => r.path);
  const editHub = (cluster: string, hub: string, edit: (doc: Record<string, unknown>) => void): void => {
    const file = join(configDir, 'clusters', cluster, 'hubs', `${hub}.yaml`);
    const doc = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(doc);
    writeFileSync(file, stringify(doc));
  };
  async function rendered(
    cluster: string,
    hub: string,
  ): Promise<{ values: string; manifests: KubeObject[] }> {
    const loaded = await loadFleet(configDir);
    if (!loaded.ok) throw new Error('config does not load');
    const c = loaded.fleet.clusters.find((x) => x.config.name === cluster);
    const h = c?.hubs.find((x) => x.config.name === hub);
    if (c === undefined || h === undefined) throw new Error('no such hub');
    // deploy-hub renders the health token's rotation time from the Secret it made.
    const files = renderFleetFiles(loaded.fleet, { cluster, hub }).map((f) =>
      f.path.endsWith('values.yaml') ? { ...f, content: renderHubFiles(c, h, rotation(hub)).values } : f,
    );
    const text = (suffix: string): string => files.find((f) => f.path.endsWith(suffix))?.content ?? '';
    return {
      values: text('values.yaml'),
      manifests: parseAllDocuments(text('manifests.yaml')).map((d) => d.toJSON() as KubeObject),
    };
  }
  async function renderedWithAudience(cluster: string, hub: string, iapAudience: string): Promise<string> {
    const loaded = await loadFleet(configDir);
    if (!loaded.ok) throw new Error('config does not load');
    const c = loaded.fleet.clusters.find((x) => x.config.name === cluster);
    const h = c?.hubs.find((x) => x.config.name === hub);
    if (c === undefined || h === undefined) throw new Error('no such hub');
    return renderHubFiles(c, h, { iapAudience, ...rotation(hub) }).values;
  }
  const rotation = (hub: string): { healthTokenRotatedAt?: string } => {
    const at = rotatedAtOf(get('v1', 'Secret', HEALTH_TOKEN_SECRET, hub));
    return at === undefined ? {} : { healthTokenRotatedAt: at };
  };
  const get = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined =>
    api.getObject({ apiVersion, kind, name, ...(namespace === undefined ? {} : { namespace }) });

  it('deploys a new GKE hub: every object, in order, the annotations of design §6, then helm with the rendered values', async () => {
    const run = await deploy(oceanInputs);
    expectSuccess(run);
    expect(hubfleetPatches()).toEqual([
      '/api/v1/namespaces/ocean',
      '/api/v1/namespaces/ocean/serviceaccounts/user-sa',
      '/api/v1/namespaces/ocean/secrets/hubfleet-health-token',
      '/apis/cloud.google.com/v1/namespaces/ocean/backendconfigs/ocean-iap',
      '/apis/networking.gke.io/v1beta1/namespaces/ocean/frontendconfigs/ocean-frontend',
      '/apis/networking.gke.io/v1/namespaces/ocean/managedcertificates/ocean-cert-3d34d558',
      '/apis/networking.k8s.io/v1/namespaces/ocean/ingresses/ocean',
    ]);
    // BackendConfig before the Ingress; everything hubfleet applies before helm's first write.
    const firstHelmWrite = api.requests.findIndex((r) => r.query.fieldManager === 'helm');
    const ingressAt = api.requests.findIndex(
      (r) => r.path.endsWith('/ingresses/ocean') && r.method === 'PATCH',
    );
    expect(ingressAt).toBeLessThan(firstHelmWrite);

    expect(get('v1', 'ServiceAccount', 'user-sa', 'ocean')?.metadata.annotations).toEqual(OCEAN_SA);
    expect(get('v1', 'Namespace', 'ocean')?.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged',
      'pod-security.kubernetes.io/audit': 'privileged',
      'pod-security.kubernetes.io/warn': 'privileged',
    });
    expect(get('networking.k8s.io/v1', 'Ingress', 'ocean', 'ocean')?.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce',
      'kubernetes.io/ingress.global-static-ip-name': 'hubfleet-pangeo-gcp-ocean',
      'networking.gke.io/managed-certificates': 'ocean-cert-3d34d558',
      'networking.gke.io/v1beta1.FrontendConfig': 'ocean-frontend',
    });
    expect(get('cloud.google.com/v1', 'BackendConfig', 'ocean-iap', 'ocean')?.spec).toEqual({
      iap: { enabled: true },
      healthCheck: { type: 'HTTP', requestPath: '/_chp_healthz', port: 8000 },
      timeoutSec: 86400,
    });
    const service = get('v1', 'Service', 'proxy-public', 'ocean');
    expect(service?.spec).toMatchObject({ type: 'NodePort' });
    expect(service?.metadata.annotations?.['cloud.google.com/backend-config']).toBe(
      '{"default":"ocean-iap"}',
    );

    // One code path: helm got exactly `hubfleet render`'s values; the cluster has its manifests.
    const expected = await rendered('pangeo-gcp', 'ocean');
    const [call] = upgrades();
    expect(call?.values).toBe(expected.values);
    expect(call?.valuesMode).toBe('600');
    expect(call?.args.slice(0, 10)).toEqual([
      'upgrade',
      '--install',
      'ocean',
      'daskhub',
      '--repo',
      'https://helm.dask.org/',
      '--namespace',
      'ocean',
      '--version',
      '2024.1.1',
    ]);
    for (const object of expected.manifests) {
      const live = get(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
      const { metadata, ...rest } = object;
      expect(live).toMatchObject({
        ...rest,
        metadata: {
          labels: metadata.labels ?? {},
          ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
        },
      });
    }

    expect(run.outputs).toEqual({
      url: 'https://ocean.hubs.example.org/',
      certificate: 'Provisioning (no status yet)',
      // No gcp-access-token: the audience is not looked up (a warning says so).
      'iap-audience': 'project-wide',
      ingress: 'ocean/ocean',
      namespace: 'ocean',
      revision: '1',
    });
    expect(run.summary).toContain('### ✅ 1 hub deployed: ocean');
    expect(run.summary).toContain(
      '| ocean | ocean.hubs.example.org | daskhub (daskhub from https://helm.dask.org/) | 2024.1.1 | 7 created | hubfleet-pangeo-gcp-ocean | Provisioning (no status yet) | 1 | ok |',
    );
    expect(run.summary).toMatch(/\| helm upgrade --install \| \d+\.\d s \|/);

    // Applying twice changes nothing.
    const before = api
      .listObjects('v1', 'Namespace')
      .map((o) => (o.metadata as { resourceVersion?: string }).resourceVersion);
    const again = await deploy(oceanInputs);
    expectSuccess(again);
    expect(again.summary).toContain('| 6 unchanged |');
    expect(
      api
        .listObjects('v1', 'Namespace')
        .map((o) => (o.metadata as { resourceVersion?: string }).resourceVersion),
    ).toEqual(before);
  });

  it('updates only the changed fields', async () => {
    expectSuccess(await deploy(oceanInputs));
    const ingressBefore = get('networking.k8s.io/v1', 'Ingress', 'ocean', 'ocean');
    editHub('pangeo-gcp', 'ocean', (doc) => {
      doc.podSecurity = 'baseline';
      // baseline forbids z2jh's privileged iptables init container (GKE hubs render false anyway).
      const values = doc.values as { jupyterhub: { singleuser: Record<string, unknown> } };
      values.jupyterhub.singleuser.cloudMetadata = { blockWithIptables: false };
    });
    const run = await deploy(oceanInputs);
    expectSuccess(run);
    expect(run.summary).toContain('| 1 configured, 5 unchanged |');
    expect(run.summary).toContain('| Namespace | ocean | configured |');
    expect(get('v1', 'Namespace', 'ocean')?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe(
      'baseline',
    );
    expect(get('networking.k8s.io/v1', 'Ingress', 'ocean', 'ocean')).toEqual(ingressBefore);
  });

  /** deploy-hub's inputs for the EKS hub glacier: its IRSA role, its GitHub OAuth client. */
  const EKS_GLACIER = {
    cluster: 'pangeo-aws',
    hub: 'glacier',
    'sa-annotations': JSON.stringify({
      glacier: {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/hubfleet-pangeo-aws-glacier',
      },
    }),
    'oauth-client-id': 'gh-client-id',
    'oauth-client-secret': CANARY_SECRET,
  };

  it('deploys an EKS hub with its IRSA annotation and GitHub OAuth Secret', async () => {
    const run = await deploy(EKS_GLACIER);
    expectSuccess(run);
    expect(hubfleetPatches()).toEqual([
      '/api/v1/namespaces/glacier',
      '/api/v1/namespaces/glacier/serviceaccounts/user-sa',
      '/api/v1/namespaces/glacier/secrets/glacier-github-oauth',
      '/api/v1/namespaces/glacier/secrets/hubfleet-health-token',
      '/apis/networking.k8s.io/v1/namespaces/glacier/ingresses/glacier',
    ]);
    expect(get('v1', 'ServiceAccount', 'user-sa', 'glacier')?.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/hubfleet-pangeo-aws-glacier',
    });
    expect(upgrades()[0]?.args.slice(2, 6)).toEqual([
      'glacier',
      'daskhub',
      '--repo',
      'https://helm.dask.org/',
    ]);
    expect(upgrades()[0]?.values).toBe((await rendered('pangeo-aws', 'glacier')).values);
    expect(run.outputs.certificate).toBe('ACM (ALB)');
  });

  it('lets the planner named in the cluster file get the health token Secret, and nothing else: a Role and a RoleBinding, idempotently', async () => {
    const clusterFile = join(configDir, 'clusters', 'pangeo-aws', 'cluster.yaml');
    const original = readFileSync(clusterFile, 'utf8');
    // EKS: an assumed role's user name carries its session name, so the access entry maps the
    // planner role to a group, and that group is bound.
    writeFileSync(
      clusterFile,
      `${original}planner:\n  kubernetesSubjects:\n    - {kind: Group, name: hubfleet-planner}\n`,
    );
    try {
      const inputs = EKS_GLACIER;
      expectSuccess(await deploy(inputs));
      expect(hubfleetPatches()).toEqual([
        '/api/v1/namespaces/glacier',
        '/api/v1/namespaces/glacier/serviceaccounts/user-sa',
        '/api/v1/namespaces/glacier/secrets/glacier-github-oauth',
        '/api/v1/namespaces/glacier/secrets/hubfleet-health-token',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/glacier/roles/hubfleet-health-token-reader',
        '/apis/rbac.authorization.k8s.io/v1/namespaces/glacier/rolebindings/hubfleet-health-token-reader',
        '/apis/networking.k8s.io/v1/namespaces/glacier/ingresses/glacier',
      ]);
      const labels = { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'glacier' };
      const role = get('rbac.authorization.k8s.io/v1', 'Role', 'hubfleet-health-token-reader', 'glacier');
      expect([role?.metadata.labels, (role as { rules?: unknown } | undefined)?.rules]).toEqual([
        labels,
        [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: ['hubfleet-health-token'],
            verbs: ['get'],
          },
        ],
      ]);
      const binding = get(
        'rbac.authorization.k8s.io/v1',
        'RoleBinding',
        'hubfleet-health-token-reader',
        'glacier',
      ) as (KubeObject & { roleRef?: unknown; subjects?: unknown }) | undefined;
      expect([binding?.metadata.labels, binding?.roleRef, binding?.subjects]).toEqual([
        labels,
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'hubfleet-health-token-reader' },
        [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'hubfleet-planner' }],
      ]);
      // A second deploy applies the same objects again and changes neither.
      const versionOf = (o: KubeObject | undefined): unknown =>
        (o?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
      const versions = [role, binding].map(versionOf);
      expect(versions.map((v) => typeof v)).toEqual(['string', 'string']);
      expectSuccess(await deploy(inputs));
      expect(
        ['Role', 'RoleBinding'].map((kind) =>
          versionOf(get('rbac.authorization.k8s.io/v1', kind, 'hubfleet-health-token-reader', 'glacier')),
        ),
      ).toEqual(versions);
    } finally {
      writeFileSync(clusterFile, original);
    }
  });

  it('applies a custom OAuth client Secret and never prints it', async () => {
    const run = await deploy({
      cluster: 'pangeo-gcp',
      hub: 'climate',
      'sa-annotations': JSON.stringify({
        climate: {
          'iam.gke.io/gcp-service-account': 'hubfleet-pangeo-gcp-climate@pangeo-prod.iam.gserviceaccount.com',
        },
      }),
      'oauth-client-id': 'client-id-123.apps.googleusercontent.com',
      'oauth-client-secret': CANARY_SECRET,
    });
    expectSuccess(run);
    const secret = get('v1', 'Secret', 'climate-iap-oauth', 'climate');
    expect(secret?.data).toEqual({
      client_id: Buffer.from('client-id-123.apps.googleusercontent.com').toString('base64'),
      client_secret: Buffer.from(CANARY_SECRET).toString('base64'),
    });
    expect(run.masks).toEqual(
      expect.arrayContaining([CANARY_SECRET, Buffer.from(CANARY_SECRET).toString('base64')]),
    );
    const b64 = Buffer.from(CANARY_SECRET).toString('base64');
    for (const channel of [
      run.stdout,
      run.stderr.replace(/::add-mask::.*/g, ''),
      run.summary,
      JSON.stringify(run.outputs),
      JSON.stringify(helm.calls()),
    ]) {
      const withoutMaskCommands = channel.replace(/::add-mask::.*\n/g, '');
      expect(withoutMaskCommands).not.toContain(CANARY_SECRET);
      expect(withoutMaskCommands).not.toContain(b64);
    }
    expect(get('cloud.google.com/v1', 'BackendConfig', 'climate-iap', 'climate')?.spec).toMatchObject({
      iap: { enabled: true, oauthclientCredentials: { secretName: 'climate-iap-oauth' } },
    });
  });

  it('fails a helm failure naming the release and reports the objects applied before it', async () => {
    helm.behave({ upgrades: ['fail'], failMessage: 'timed out waiting for the condition' });
    const run = await deploy(oceanInputs);
    const message = failure(run);
    expect(message).toContain(
      'helm upgrade --install of release ocean (namespace ocean, chart daskhub 2024.1.1) failed while installing (uninstalled by --atomic):',
    );
    expect(message).toContain(
      'Error: INSTALLATION FAILED: release ocean failed, and has been uninstalled due to atomic being set: timed out waiting for the condition',
    );
    expect(run.summary).toContain('| 7 created |');
    expect(run.summary).toContain('failed at helm upgrade --install');
    for (const line of ['| Namespace | ocean | created |', '| Ingress | ocean/ocean | created |'])
      expect(run.summary).toContain(line);
  });

  it('converges on a rerun after a helm failure and after a run cancelled during helm', async () => {
    helm.behave({ upgrades: ['fail'] });
    expect((await deploy(oceanInputs)).exitCode).toBe(1);
    helm.behave({ upgrades: ['succeed'] });
    const rerun = await deploy(oceanInputs);
    expectSuccess(rerun);
    expect(rerun.summary).toContain('| 6 unchanged |');

    // A cancel while helm ran leaves the release pending; the next run rolls it back, then upgrades.
    const releasesFile = join(helm.stateDir, 'releases.json');
    const releases = JSON.parse(readFileSync(releasesFile, 'utf8')) as Record<
      string,
      Record<string, unknown>[]
    >;
    const history = releases['ocean/ocean'] ?? [];
    history.push({
      ...history[history.length - 1],
      revision: 2,
      status: 'pending-upgrade',
      description: 'Preparing upgrade',
    });
    writeFileSync(releasesFile, JSON.stringify(releases));
    const afterCancel = await deploy(oceanInputs);
    expectSuccess(afterCancel);
    expect(afterCancel.stdout).toContain(
      'ocean: release ocean revision 2 is pending-upgrade (an interrupted run); rolling back to revision 1 first',
    );
    expect(helm.releases()['ocean/ocean']?.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'superseded'],
      [4, 'deployed'],
    ]);
    expect(afterCancel.outputs.revision).toBe('4');
  });

  it('finishes a first install that a cancel left pending-install: uninstalls that release, installs again', async () => {
    expectSuccess(await deploy(oceanInputs));
    // What a cancel during the first `helm upgrade --install` leaves: one pending-install revision.
    const releasesFile = join(helm.stateDir, 'releases.json');
    const releases = JSON.parse(readFileSync(releasesFile, 'utf8')) as Record<
      string,
      Record<string, unknown>[]
    >;
    const [first] = releases['ocean/ocean'] ?? [];
    releases['ocean/ocean'] = [
      { ...first, revision: 1, status: 'pending-install', description: 'Initial install underway' },
    ];
    writeFileSync(releasesFile, JSON.stringify(releases));
    const rerun = await deploy(oceanInputs);
    expectSuccess(rerun);
    expect(rerun.stdout).toContain(
      'ocean: release ocean revision 1 is pending-install (a first install that was interrupted and never served); uninstalling it before installing again',
    );
    expect(
      helm
        .calls()
        .map((c) => c.args.slice(0, 2).join(' '))
        .slice(-3),
    ).toEqual(['history ocean', 'uninstall ocean', 'upgrade --install']);
    expect(helm.releases()['ocean/ocean']?.map((r) => [r.revision, r.status])).toEqual([[1, 'deployed']]);
    expect(rerun.outputs.revision).toBe('1');
  });

  it('refuses a bad config with file:line annotations before anything is applied', async () => {
    editHub('pangeo-gcp', 'ocean', (doc) => {
      doc.stage = 'production';
    });
    const run = await deploy(oceanInputs);
    expect(run.exitCode).toBe(1);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.properties.title)).toEqual(['hubfleet config: stage', undefined]);
    expect(errors[0]?.properties.file).toMatch(/clusters\/pangeo-gcp\/hubs\/ocean\.yaml$/);
    expect(errors[0]?.properties.line).toBe('2');
    expect(errors[1]?.message).toMatch(/^the fleet config in .* has 1 error: .*ocean\.yaml:2:8: stage: /);
    expect(hubfleetPatches()).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });

  it('refuses unknown hubs, each with a guess, before anything is applied', async () => {
    const run = await deploy({
      cluster: 'pangeo-gcp',
      hubs: 'ocean,ocaen,climat-staging,nope',
      'sa-annotations': JSON.stringify({}),
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      'cluster pangeo-gcp has no hub named ocaen (did you mean ocean?), climat-staging (did you mean climate-staging?), nope; hubs of pangeo-gcp: climate, climate-staging, ocean, ocean-staging',
    ]);
    expect(hubfleetPatches()).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });

  it('catches helm "success" without a hub pod in its own rollout check', async () => {
    helm.behave({ upgrades: ['no-hub'] });
    const run = await deploy({ ...oceanInputs, timeout: '4s' });
    expect(failure(run)).toBe(
      'ocean: rollout check of hub ocean failed (helm reported success): Deployment ocean/hub does not exist; no hub pod exists; /hub/health through proxy-public failed: Error from server (ServiceUnavailable): the server is currently unable to handle the request; look at the hub: kubectl -n ocean get deploy,pods and kubectl -n ocean get events; fix and re-run deploy-hub, or roll back (mode rollback)',
    );
    expect(run.summary).toContain('failed at rollout check');
  });

  it('retries 409, 429 and 500 until they succeed', async () => {
    api.inject({ status: 409, times: 1, match: { method: 'PATCH', pathIncludes: 'serviceaccounts' } });
    api.inject({ status: 429, times: 1, match: { method: 'PATCH', pathIncludes: 'backendconfigs' } });
    api.inject({ status: 500, times: 1, match: { method: 'PATCH', pathIncludes: 'ingresses' } });
    const run = await deploy(oceanInputs);
    expectSuccess(run);
    const retries = run.stdout.split('\n').filter((l) => l.includes('retrying in'));
    expect(retries.map((l) => l.replace(/ \(.*$/, ''))).toEqual([
      'kubectl apply ServiceAccount ocean/user-sa: conflict',
      'kubectl apply BackendConfig ocean/ocean-iap: throttled',
      'kubectl apply Ingress ocean/ocean: server',
    ]);
  });

  it('fails a permanent 403 with a clear message and applies nothing after it', async () => {
    api.inject({
      status: 403,
      times: 100,
      match: { method: 'PATCH', pathIncludes: 'backendconfigs' },
      message:
        'backendconfigs.cloud.google.com "ocean-iap" is forbidden: User "deployer" cannot patch resource "backendconfigs"',
    });
    const run = await deploy(oceanInputs);
    expect(failure(run)).toBe(
      'ocean: kubectl apply BackendConfig ocean/ocean-iap failed: Error from server (Forbidden): backendconfigs.cloud.google.com "ocean-iap" is forbidden: User "deployer" cannot patch resource "backendconfigs"; grant the deployer identity RBAC to apply BackendConfig objects (GKE: roles/container.developer or a RoleBinding; EKS: an access entry), then re-run',
    );
    expect(hubfleetPatches().filter((p) => p.includes('ingresses'))).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });

  it('refuses an annotation mismatch before anything is applied', async () => {
    const run = await deploy({
      ...oceanInputs,
      'sa-annotations': JSON.stringify({
        ocean: { 'iam.gke.io/gcp-service-account': 'someone-else@pangeo-prod.iam.gserviceaccount.com' },
      }),
    });
    expect(failure(run)).toBe(
      "ocean: pangeo-gcp/ocean: Terraform output annotates user-sa with iam.gke.io/gcp-service-account=someone-else@pangeo-prod.iam.gserviceaccount.com, hubfleet expects hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com; apply the cluster's Terraform plan (apply-iam) before deploying, then re-run deploy-hub",
    );
    expect(api.requests).toEqual([]);
    expect(helm.calls()).toEqual([]);
  });

  it('discovers the IAP audience once GKE made the backend service, and rolls the hub only then', async () => {
    compute.setBackendService(
      'pangeo-prod',
      'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8',
      '4155678901234567890',
    );
    gkeCreatesBackendsOnInstall({
      'k8s1-a1b2c3d4-kube-system-default-http-backend-80-11111111': 'HEALTHY',
      'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8': 'HEALTHY',
    });
    const run = await deploy({ ...oceanInputs, 'gcp-access-token': TOKEN });
    expectSuccess(run);
    const audience = '/projects/123456789012/global/backendServices/4155678901234567890';
    const calls = upgrades();
    expect(calls.map((c) => c.values?.includes(`audience: ${audience}`))).toEqual([false, true]);
    expect(calls[1]?.values).toBe(await renderedWithAudience('pangeo-gcp', 'ocean', audience));
    // The pin changes exactly the audience and the hub pod annotation that records it (decision 0035).
    expect(
      (calls[1]?.values ?? '')
        .replace(`        audience: ${audience}\n`, '')
        .replace(`hubfleet.io/iap-audience: ${audience}`, 'hubfleet.io/iap-audience: project-wide'),
    ).toBe(calls[0]?.values);
    expect(run.summary).toContain(`IAP audience: ${audience} (hub rolled to pin it)`);
    expect(compute.requests).toEqual([
      {
        method: 'GET',
        path: '/compute/v1/projects/pangeo-prod/global/backendServices/k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8',
        authorization: '[present]',
      },
    ]);
    const hubPods = (): string[] =>
      api
        .listObjects('v1', 'Pod', 'ocean')
        .filter((p) => p.metadata.labels?.component === 'hub')
        .map((p) => p.metadata.name);
    const rolledPods = hubPods();

    // A rerun pins the known audience in its one helm run: same values, no roll.
    const rerun = await deploy({ ...oceanInputs, 'gcp-access-token': TOKEN });
    expectSuccess(rerun);
    expect(
      upgrades()
        .slice(2)
        .map((c) => c.values),
    ).toEqual([calls[1]?.values]);
    expect(hubPods()).toEqual(rolledPods);
    expect(rerun.summary).toContain(`IAP audience: ${audience}`);
    expect(rerun.summary).not.toContain('hub rolled');
  });

  it('keeps a deployed hub on the project-wide audience when the access token has expired meanwhile', async () => {
    compute.setBackendService(
      'pangeo-prod',
      'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8',
      '4155678901234567890',
    );
    gkeCreatesBackendsOnInstall({ 'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8': 'HEALTHY' });
    // The double accepts only TOKEN: this one stands for a token that expired during a long job.
    const run = await deploy({ ...oceanInputs, 'gcp-access-token': 'ya29.expired-meanwhile' });
    expectSuccess(run);
    expect(upgrades()).toHaveLength(1);
    expect(upgrades()[0]?.values).not.toContain('audience: /projects/');
    expect(run.summary).toContain(
      'IAP audience: project-wide: the Compute API rejected the access token (expired or invalid), so the audience was not looked up; the next deploy pins it',
    );
    expect(compute.requests.map((r) => r.path)).toEqual([
      '/compute/v1/projects/pangeo-prod/global/backendServices/k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8',
    ]);
  });

  it('rolls back to the previous successful revision and verifies the rollout', async () => {
    expectSuccess(await deploy(oceanInputs));
    editHub('pangeo-gcp', 'ocean', (doc) => {
      (
        doc.values as { jupyterhub: { singleuser: { memory: { limit: string } } } }
      ).jupyterhub.singleuser.memory.limit = '16G';
    });
    expectSuccess(await deploy(oceanInputs));
    const run = await deploy({ cluster: 'pangeo-gcp', hub: 'ocean', mode: 'rollback' });
    expectSuccess(run);
    expect(helm.calls().map((c) => c.args.slice(0, 3).join(' '))).toEqual([
      'history ocean --namespace',
      'upgrade --install ocean',
      'history ocean --namespace',
      'upgrade --install ocean',
      'history ocean --namespace',
      'rollback ocean 1',
      'history ocean --namespace',
    ]);
    expect(run.summary).toContain('Left revision 2, restored revision 1 (helm recorded it as revision 3).');
    expect(run.outputs.revision).toBe('3');
    expect(helm.releases()['ocean/ocean']?.map((r) => [r.revision, r.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);
  });

  it('deploys a list of hubs with bounded concurrency; outputs are maps by hub', async () => {
    const run = await deploy({
      cluster: 'pangeo-gcp',
      hubs: 'ocean, ocean-staging',
      concurrency: '2',
      'sa-annotations': JSON.stringify({
        ocean: OCEAN_SA,
        'ocean-staging': {
          'iam.gke.io/gcp-service-account':
            'hubfleet-pangeo-gcp-o-68e447b9@pangeo-prod.iam.gserviceaccount.com',
        },
      }),
    });
    expectSuccess(run);
    expect(JSON.parse(run.outputs.namespace ?? '')).toEqual({
      ocean: 'ocean',
      'ocean-staging': 'ocean-staging',
    });
    expect(JSON.parse(run.outputs.revision ?? '')).toEqual({ ocean: '1', 'ocean-staging': '1' });
    expect(run.summary).toContain('### ✅ 2 hubs deployed: ocean, ocean-staging');
  });

  it('deploys a list of EKS hubs, each with the GitHub OAuth secret its file names, from the secrets object', async () => {
    const irsa = (hub: string): Record<string, string> => ({
      'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/hubfleet-pangeo-aws-${hub}`,
    });
    const secrets = {
      github_token: 'ghs_not-used-by-deploy-hub',
      GITHUB_OAUTH_GLACIER: JSON.stringify({ client_id: 'prod-client', client_secret: CANARY_SECRET }),
      GITHUB_OAUTH_GLACIER_STAGING: JSON.stringify({
        client_id: 'staging-client',
        client_secret: `${CANARY_SECRET}-2`,
      }),
    };
    const run = await deploy({
      cluster: 'pangeo-aws',
      hubs: 'glacier-staging,glacier',
      'sa-annotations': JSON.stringify({
        glacier: irsa('glacier'),
        'glacier-staging': irsa('glacier-staging'),
      }),
      'oauth-client-secrets': JSON.stringify(secrets),
    });
    expectSuccess(run);
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    expect(get('v1', 'Secret', 'glacier-github-oauth', 'glacier')?.data).toEqual({
      client_id: b64('prod-client'),
      client_secret: b64(CANARY_SECRET),
    });
    expect(get('v1', 'Secret', 'glacier-staging-github-oauth', 'glacier-staging')?.data).toEqual({
      client_id: b64('staging-client'),
      client_secret: b64(`${CANARY_SECRET}-2`),
    });
    for (const channel of [
      run.stdout.replace(/::add-mask::.*\n/g, ''),
      run.summary,
      JSON.stringify(run.outputs),
    ]) {
      for (const value of [CANARY_SECRET, b64(CANARY_SECRET), b64(`${CANARY_SECRET}-2`)]) {
        expect(channel).not.toContain(value);
      }
    }
  });

  it('refuses, before anything is applied, a hub whose OAuth secret the run does not have', async () => {
    const run = await deploy({
      cluster: 'pangeo-aws',
      hubs: 'glacier-staging,glacier',
      'sa-annotations': JSON.stringify({}),
      'oauth-client-secrets': JSON.stringify({
        GITHUB_OAUTH_GLACIER: JSON.stringify({ client_id: 'prod-client', client_secret: CANARY_SECRET }),
      }),
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.map((a) => a.message)).toEqual([
      `missing OAuth client credentials: ${configDir}/clusters/pangeo-aws/hubs/glacier-staging.yaml: hub glacier-staging needs the GitHub secret GITHUB_OAUTH_GLACIER_STAGING, which this workflow run does not have; create each secret (repository or the environment the job runs in) holding {"client_id": "…", "client_secret": "…"}, and pass oauth-client-secrets: \${{ toJSON(secrets) }}; nothing was applied`,
    ]);
    expect(hubfleetPatches()).toEqual([]);
  });
});
