// recreate-cert end to end against doubles that behave as GKE's controllers do
// (test/support/gke-controllers-double.ts: gke-managed-certs keeps its state by namespace/name and
// deletes the SslCertificate only after the object, once no target proxy uses it; ingress-gce
// garbage-collects the backend service of a deleted Ingress). The hub is deployed by the deploy-hub
// bundle, then repaired by the verify-cert bundle in mode recreate, as the recreate-cert workflow
// runs them: the real kubectl, the fake helm, the Compute double.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { loadFleet } from '../../src/config/load.js';
import type { LoadedCluster } from '../../src/config/model.js';
import { iapBackendAudience } from '../../src/render/iap-authenticator.js';
import { expectedServiceAccountAnnotations } from '../../src/render/manifests.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startComputeDouble, type ComputeDouble } from '../support/compute-double.js';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import {
  activeAfter,
  certRef,
  startGkeControllers,
  type GkeControllers,
} from '../support/gke-controllers-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';

const FIXTURE = join(repoRoot, 'test/fixtures/verify-cert/config');
const TOKEN = 'ya29.recreate-cert-access-token';
const PROJECT = 'pangeo-prod';
const PROJECT_NUMBER = '123456789012';

function configFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[join('config', relative(FIXTURE, path))] = readFileSync(path, 'utf8');
    }
  };
  walk(FIXTURE);
  return files;
}

describeWithKubectl('recreate-cert against the GKE controllers double', () => {
  let api: KubeApiDouble;
  let compute: ComputeDouble;
  let helm: FakeHelm;
  let gke: GkeControllers;
  let cluster: LoadedCluster;
  let home: string;

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'recreate-cert-home-'));
    const loaded = await loadFleet(FIXTURE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    cluster = loaded.fleet.clusters[0] as LoadedCluster;
    api = await startKubeApiDouble();
    compute = await startComputeDouble({ token: TOKEN });
    helm = createFakeHelm(api.url);
  });
  afterEach(async () => {
    gke.close();
    helm.close();
    await Promise.all([api.close(), compute.close()]);
    rmSync(home, { recursive: true, force: true });
  });

  function run(action: 'deploy-hub' | 'verify-cert', inputs: Record<string, string>): Promise<BundleRun> {
    return runBundle(`actions/${action}`, {
      githubToken: 'ghs_recreateCertTestToken00000000000000',
      files: configFiles(),
      inputs: { cluster: 'pangeo-gcp', 'compute-api-url': compute.url, 'gcp-access-token': TOKEN, ...inputs },
      env: { KUBECONFIG: api.kubeconfigPath, KUBECACHEDIR: api.cacheDir, HOME: home, ...helm.env() },
      timeoutMs: 120_000,
    });
  }
  const ok = (r: BundleRun): void => {
    if (r.exitCode !== 0) throw new Error(`bundle failed (${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  };
  const seaSa = (): string => {
    const hub = cluster.hubs.find((h) => h.config.name === 'sea');
    if (hub === undefined) throw new Error('no sea');
    return JSON.stringify({ sea: expectedServiceAccountAnnotations(cluster, hub) });
  };
  const certificate = (): Record<string, unknown> | undefined => {
    const [only] = api.listObjects('networking.gke.io/v1', 'ManagedCertificate', 'sea');
    return only?.['status'] as Record<string, unknown> | undefined;
  };
  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  /** The audience the live helm release pins for sea, as the hub's authenticator reads it. */
  const pinned = (): unknown => {
    const values = helm.releases()['sea/sea']?.at(-1)?.values ?? '';
    const parsed = parseYaml(values) as { hub?: { config?: Record<string, { audience?: string }> } };
    return parsed.hub?.config?.['HubfleetIAPAuthenticator']?.audience;
  };
  /** What IAP signs into x-goog-iap-jwt-assertion for sea now: its live backend service's audience. */
  const iapSigns = (): string => {
    const service = compute.backendService(PROJECT, gke.backendServiceName('sea'));
    if (service === undefined) throw new Error('sea has no backend service');
    return iapBackendAudience(PROJECT_NUMBER, service.id);
  };

  it('after a failed certificate: a new SslCertificate becomes Active, and the hub follows the new backend service so logins keep working', async () => {
    // Google's CA fails the first certificate for good; any later one becomes Active.
    let first: string | undefined;
    const ca = activeAfter(300);
    gke = startGkeControllers({
      kube: api,
      compute,
      project: PROJECT,
      lbSyncMs: 200,
      // The old target proxy keeps using the SslCertificate for a while after the Ingress is
      // deleted; Compute refuses its deletion meanwhile.
      lbTeardownMs: 1500,
      ca: (cert, age) => {
        first ??= cert.name;
        return cert.name === first
          ? {
              status: 'PROVISIONING_FAILED',
              domainStatus: Object.fromEntries(cert.domains.map((d) => [d, 'FAILED_NOT_VISIBLE'])),
            }
          : ca(cert, age);
      },
    });
    ok(await run('deploy-hub', { hub: 'sea', 'sa-annotations': seaSa() }));
    const before = iapSigns();
    expect(pinned()).toBe(before);
    await until(
      () => certificate()?.['certificateStatus'] === 'ProvisioningFailed',
      'the failed certificate',
    );
    const failed = certificate()?.['certificateName'];
    expect(failed).toBe(first);

    const recreated = await run('verify-cert', { hubs: 'sea', mode: 'recreate', 'wait-timeout': '2m' });
    ok(recreated);
    expect(recreated.outputs).toEqual({ 'failing-hubs': '[]', verdict: 'pass' });
    // A new SslCertificate under a new name, Active; the failed one is gone from Compute.
    expect(gke.created).toHaveLength(2);
    expect(certificate()).toMatchObject({ certificateStatus: 'Active', certificateName: gke.created[1] });
    expect(compute.sslCertificate(PROJECT, String(failed))).toBeUndefined();
    expect(recreated.stdout).toContain(`sea: waiting for Google to delete SslCertificate ${String(failed)}`);
    // The new Ingress got a new backend service (the old one was garbage-collected): the hub pins it.
    const after = iapSigns();
    expect(after).not.toBe(before);
    expect(pinned()).toBe(after);
    expect(recreated.summary).toContain(
      `IAP audience: re-pinned to ${after} (backend service ${gke.backendServiceName('sea')}; was ${before}), helm revision 3`,
    );
    expect(api.listObjects('v1', 'ConfigMap', 'sea')).toEqual([]);
  }, 120_000);
});

it('the controllers double restores a failed certificate re-applied under the same name before Google deleted it (sync.go createSslCertificate)', async () => {
  const api = await startKubeApiDouble();
  const compute = await startComputeDouble({ token: TOKEN });
  const gke = startGkeControllers({
    kube: api,
    compute,
    project: PROJECT,
    lbTeardownMs: 60_000,
    ca: (cert) => ({
      status: 'PROVISIONING_FAILED',
      domainStatus: Object.fromEntries(cert.domains.map((d) => [d, 'FAILED_NOT_VISIBLE'])),
    }),
  });
  try {
    const object = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      metadata: { name: 'sea-cert', namespace: 'sea' },
      spec: { domains: ['sea.hubs.example.org'] },
    };
    api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sea' } });
    api.put({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'sea',
        namespace: 'sea',
        annotations: {
          'kubernetes.io/ingress.class': 'gce',
          'networking.gke.io/managed-certificates': 'sea-cert',
        },
      },
    });
    api.put(object);
    const status = (): Record<string, unknown> | undefined =>
      api.getObject(certRef('sea', 'sea-cert'))?.['status'] as Record<string, unknown> | undefined;
    // Until the load balancer is built (its backends annotation written) and the certificate failed.
    const built = (): boolean =>
      api.getObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'sea', namespace: 'sea' })
        ?.metadata.annotations?.['ingress.kubernetes.io/backends'] !== undefined;
    for (let i = 0; i < 100 && (!built() || status()?.['certificateStatus'] !== 'ProvisioningFailed'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const name = status()?.['certificateName'];
    // No finalizer: the object is gone at once; the Ingress (and its target proxy) go too.
    api.remove(certRef('sea', 'sea-cert'));
    api.remove({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'sea', namespace: 'sea' });
    expect(api.getObject(certRef('sea', 'sea-cert'))).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(gke.stateEntry('sea', 'sea-cert')).toEqual({ sslCertificateName: name, softDeleted: true });
    api.put(object);
    for (let i = 0; i < 100 && status()?.['certificateName'] === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status()).toMatchObject({ certificateName: name, certificateStatus: 'ProvisioningFailed' });
    expect(gke.created).toEqual([name]);
  } finally {
    gke.close();
    await Promise.all([api.close(), compute.close()]);
  }
});
