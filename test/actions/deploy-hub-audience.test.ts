// deploy-hub and the IAP audience, against the GKE controllers double (ingress-gce writes the
// Ingress's backends annotation only after its load-balancer sync, pkg/loadbalancers/l7.go): the
// committed bundle, the real kubectl, the fake helm and the Compute double.
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { iapBackendAudience } from '../../src/render/iap-authenticator.js';
import { repoRoot, runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startComputeDouble, type ComputeDouble } from '../support/compute-double.js';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import { startGkeControllers, type GkeControllers } from '../support/gke-controllers-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';

const TOKEN = 'ya29.audience-test-token';
const OCEAN = {
  cluster: 'pangeo-gcp',
  hub: 'ocean',
  'sa-annotations': JSON.stringify({
    ocean: {
      'iam.gke.io/gcp-service-account': 'hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com',
    },
  }),
};

describeWithKubectl('deploy-hub keeps the IAP audience on the live backend service', () => {
  let api: KubeApiDouble;
  let helm: FakeHelm;
  let compute: ComputeDouble;
  let gke: GkeControllers | undefined;
  let configDir: string;
  let cacheDir: string;

  beforeEach(async () => {
    api = await startKubeApiDouble();
    helm = createFakeHelm(api.url);
    compute = await startComputeDouble({ token: TOKEN });
    configDir = mkdtempSync(join(tmpdir(), 'deploy-hub-audience-'));
    cacheDir = mkdtempSync(join(tmpdir(), 'deploy-hub-audience-cache-'));
    cpSync(join(repoRoot, 'config'), configDir, { recursive: true });
  });
  afterEach(async () => {
    gke?.close();
    gke = undefined;
    helm.close();
    await Promise.all([compute.close(), api.close()]);
    rmSync(configDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const deploy = (inputs: Record<string, string>): Promise<BundleRun> =>
    runBundle('actions/deploy-hub', {
      inputs: { 'config-dir': configDir, 'compute-api-url': compute.url, ...inputs },
      env: { KUBECONFIG: api.kubeconfigPath, KUBECACHEDIR: cacheDir, ...helm.env() },
      timeoutMs: 120_000,
    });
  const ok = (run: BundleRun): void => {
    if (run.exitCode !== 0) throw new Error(`bundle failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
  };
  const liveAudience = (): string => {
    const service = compute.backendService('pangeo-prod', gke?.backendServiceName('ocean') ?? '');
    if (service === undefined) throw new Error('no backend service for ocean');
    return iapBackendAudience('123456789012', service.id);
  };
  /** The audiences pinned by each helm revision of ocean, oldest first (undefined: project-wide). */
  const pinnedByRevision = (): (string | undefined)[] =>
    (helm.releases()['ocean/ocean'] ?? []).map((r) => {
      const values = parseYaml(r.values) as {
        jupyterhub?: { hub?: { config?: Record<string, { audience?: string }> } };
      };
      return values.jupyterhub?.hub?.config?.['HubfleetIAPAuthenticator']?.audience;
    });
  /** The hubfleet.io/iap-audience hub pod annotation of each revision (what the scheduled smoke check reads). */
  const annotatedByRevision = (): (string | undefined)[] =>
    (helm.releases()['ocean/ocean'] ?? []).map((r) => {
      const values = parseYaml(r.values) as {
        jupyterhub?: { hub?: { annotations?: Record<string, string> } };
      };
      return values.jupyterhub?.hub?.annotations?.['hubfleet.io/iap-audience'];
    });
  const warnings = (run: BundleRun): string[] =>
    run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);

  it('a first deploy whose backends annotation appears only after the rollout waits for it and ends pinned', async () => {
    // ingress-gce's first load-balancer sync ends well after helm and the rollout check are done.
    gke = startGkeControllers({ kube: api, compute, project: 'pangeo-prod', lbSyncMs: 6000 });
    const run = await deploy({ ...OCEAN, 'gcp-access-token': TOKEN });
    ok(run);
    expect(run.stdout).toContain(
      "ocean: waiting for ingress-gce's load-balancer sync (the ingress.kubernetes.io/backends annotation)",
    );
    const audience = liveAudience();
    expect(run.outputs['iap-audience']).toBe(audience);
    expect(pinnedByRevision()).toEqual([undefined, audience]);
    expect(run.summary).toContain(`IAP audience: ${audience} (hub rolled to pin it)`);
    expect(warnings(run)).toEqual([]);
  }, 120_000);

  it('a hub left on the project-wide audience is reported: output, warning annotation and summary', async () => {
    gke = startGkeControllers({ kube: api, compute, project: 'pangeo-prod', lbSyncMs: 200 });
    const run = await deploy(OCEAN);
    ok(run);
    expect(run.outputs['iap-audience']).toBe('project-wide');
    expect(warnings(run)).toEqual([
      'ocean: the hub accepts the project-wide IAP audience (no gcp-access-token given for the Compute API lookup); re-run deploy-hub with gcp-access-token once the load balancer exists to pin its own backend service',
    ]);
    expect(run.summary).toContain(
      'IAP audience: project-wide: no gcp-access-token given for the Compute API lookup',
    );
  }, 120_000);

  it('a rollback to a revision without the live audience puts the live one back', async () => {
    gke = startGkeControllers({ kube: api, compute, project: 'pangeo-prod', lbSyncMs: 200 });
    ok(await deploy(OCEAN)); // revision 1: project-wide (no token)
    ok(await deploy({ ...OCEAN, 'gcp-access-token': TOKEN })); // revision 2: pinned in its one helm run
    const audience = liveAudience();
    expect(pinnedByRevision()).toEqual([undefined, audience]);

    const run = await deploy({
      cluster: 'pangeo-gcp',
      hub: 'ocean',
      mode: 'rollback',
      'gcp-access-token': TOKEN,
    });
    ok(run);
    // helm rollback restored revision 1's values (revision 3); revision 4 pins the live audience again.
    expect(pinnedByRevision()).toEqual([undefined, audience, undefined, audience]);
    // The re-pin moves the annotation with the audience: the scheduled smoke check sees it pinned.
    expect(annotatedByRevision()).toEqual(['project-wide', audience, 'project-wide', audience]);
    expect(run.outputs).toMatchObject({ revision: '4', 'iap-audience': audience });
    expect(run.summary).toContain(
      'Left revision 2, restored revision 1 (helm recorded it as revision 3).\n\nThe restored values did not pin the live IAP audience: revision 4 puts it back.',
    );
    expect(run.summary).toContain(`IAP audience: ${audience} (hub rolled to pin it)`);
    expect(
      helm
        .calls()
        .map((c) => c.args.slice(0, 3).join(' '))
        .slice(-6),
    ).toEqual([
      'history ocean --namespace',
      'rollback ocean 1',
      'history ocean --namespace',
      'get values ocean',
      'history ocean --namespace',
      'upgrade --install ocean',
    ]);
  }, 120_000);

  it('fails, instead of reporting success, when ingress-gce reports a sync error on the Ingress', async () => {
    // What ingress-gce records when it cannot update the load balancer (controller.go: a Warning
    // event, reason Sync, "Error syncing to GCP: …"); the Ingress object itself looks applied.
    api.onRequest((r, double) => {
      if (r.query.fieldManager !== 'helm' || !r.path.endsWith('/deployments/hub')) return;
      double.put({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'ocean.sync-1', namespace: 'ocean' },
        involvedObject: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          name: 'ocean',
          namespace: 'ocean',
        },
        type: 'Warning',
        reason: 'Sync',
        lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        message:
          'Error syncing to GCP: error running load balancer syncing routine: loadbalancer does not exist',
      });
    });
    const run = await deploy(OCEAN);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'ocean: ingress-gce could not sync Ingress ocean/ocean: Error syncing to GCP: error running load balancer syncing routine: loadbalancer does not exist; the load balancer was not updated; look at kubectl -n ocean describe ingress ocean, fix the cause (BackendConfig, OAuth client Secret, static IP), then re-run deploy-hub',
    ]);
  }, 120_000);
});
