// The deploy workflow's uninstall job end to end: a PR labelled hubfleet:remove-hub deletes a hub's
// file; the planner's `uninstall` row, resolved through the rendered job's own `with:`, drives the
// committed deploy-hub bundle against the Kubernetes API double (real kubectl) and the fake helm.
// The hub was deployed before by the same bundle from the tree before the PR. The job runs on this
// repository and on a fleet written by `hubfleet init --local-tool` (docs/decisions/0075).
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Fleet } from '../../src/config/model.js';
import { LABEL_REMOVE_HUB, planChanges, toMatrices } from '../../src/plan/change-plan.js';
import { unlabelledRemovals } from '../../src/plan/removal-gate.js';
import { expectedServiceAccountAnnotations } from '../../src/render/manifests.js';
import { renderAll } from '../../workflows/index.js';
import { checkout, fleetOf, type Files } from '../actions/terraform-workspace.js';
import { runBundle, type BundleRun } from '../support/bundle-harness.js';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { initFleetSource, thisRepository, type FleetSource } from '../support/fleet-source.js';
import { describeWithKubectl } from '../support/kubectl.js';
import { resolvedWith, type ExpressionContext } from '../support/workflow-steps.js';

const CLUSTER = 'pangeo-gcp';
const HUB = 'climate-staging';
const HUB_FILE = `config/clusters/${CLUSTER}/hubs/${HUB}.yaml`;

const deployYml = parse(renderAll().find((w) => w.path.endsWith('/deploy.yml'))?.content ?? '') as {
  jobs: Record<string, Record<string, unknown>>;
};

it('the uninstall job runs before apply-iam (which frees the static IP Terraform then releases), in the cluster group, with least privilege, after the prod reviewers approve', () => {
  const { steps: _steps, ...job } = deployYml.jobs.uninstall ?? {};
  expect(job).toEqual({
    name: 'uninstall ${{ matrix.cluster }}',
    needs: ['affected'],
    if: "needs.affected.outputs.has-uninstall == 'true'",
    'runs-on': '${{ matrix.runner }}',
    environment: '${{ matrix.environment }}',
    permissions: { contents: 'read', 'id-token': 'write' },
    'timeout-minutes': '${{ matrix.timeoutMinutes }}',
    concurrency: { group: 'hubfleet-deploy-${{ matrix.cluster }}', 'cancel-in-progress': false },
    strategy: { 'fail-fast': false, matrix: '${{ fromJSON(needs.affected.outputs.uninstall) }}' },
  });
  // apply-iam waits for it (one job of a cluster at a time) and runs only when the uninstall passed
  // or had nothing to do (never after a failed or cancelled one: test/chain/run-order-chain.test.ts)
  // and affected passed (it refuses a hub file deleted without the label).
  expect(deployYml.jobs['apply-iam']?.needs).toEqual(['affected', 'uninstall']);
  expect(deployYml.jobs['apply-iam']?.if).toBe(
    "${{ !cancelled() && needs.affected.result == 'success' && (needs.uninstall.result == 'success' || needs.uninstall.result == 'skipped') && needs.affected.outputs.has-clusters == 'true' }}",
  );
  expect(deployYml.jobs.staging?.needs).toEqual(['affected', 'apply-iam']);
  expect(deployYml.jobs.uninstall?.steps).toEqual([
    expect.objectContaining({ name: 'Check out' }),
    expect.objectContaining({ name: 'Refuse to deploy older config than main' }),
    expect.objectContaining({ name: 'Log in to Google Cloud as the applier (OIDC)' }),
    expect.objectContaining({ name: 'Log in to AWS as the applier (OIDC)' }),
    expect.objectContaining({ name: 'Get GKE credentials (internal endpoint)' }),
    expect.objectContaining({ name: 'Get EKS credentials' }),
    expect.objectContaining({ name: 'Uninstall the removed hubs', uses: './actions/deploy-hub' }),
  ]);
  expect(deployYml.jobs.affected?.outputs).toMatchObject({
    uninstall: '${{ steps.affected.outputs.uninstall }}',
    'has-uninstall': '${{ steps.affected.outputs.has-uninstall }}',
  });
});

it('the same deletion without the label uninstalls nothing and is refused, naming the file, before any job', () => {
  const { [HUB_FILE]: _removed, ...after } = checkout();
  const fleet = fleetOf(after);
  const plan = planChanges([{ path: HUB_FILE, status: 'deleted' }], [], fleet);
  expect(toMatrices(plan, fleet).uninstall.include).toEqual([]);
  // affected --refuse-unlabelled-removals fails on it; apply-iam and the stages need affected to pass.
  expect(unlabelledRemovals(plan, fleet).map((r) => r.path)).toEqual([HUB_FILE]);
});

const FLEETS: Array<{
  label: string;
  make: () => Promise<FleetSource>;
  hub: string;
  /** deploy-hub's OAuth client inputs for the hub: its custom IAP client, or none (Google-managed). */
  oauth: Record<string, string>;
}> = [
  {
    label: 'this repository',
    make: () => Promise.resolve(thisRepository()),
    hub: HUB,
    oauth: {
      'oauth-client-id': 'climate-staging.apps.example',
      'oauth-client-secret': 'climate-staging-secret-0001',
    },
  },
  {
    label: 'a fleet made by hubfleet init --local-tool',
    make: () => initFleetSource('gcp', CLUSTER),
    hub: 'staging',
    oauth: {},
  },
];

// HUB and HUB_FILE below are the fleet's own hub (the module-level ones name this repository's).
for (const { label, make, hub: HUB, oauth } of FLEETS) {
  describeWithKubectl(`deploy workflow: the uninstall job against the doubles, on ${label}`, () => {
    const HUB_FILE = `config/clusters/${CLUSTER}/hubs/${HUB}.yaml`;
    let source: FleetSource;
    let api: KubeApiDouble;
    let helm: FakeHelm;
    let runnerTemp: string;

    beforeAll(async () => {
      source = await make();
    });
    afterAll(async () => {
      await source.close();
    });
    beforeEach(async () => {
      api = await startKubeApiDouble();
      helm = createFakeHelm(api.url);
      runnerTemp = await mkdtemp(join(tmpdir(), 'hubfleet-uninstall-chain-'));
    });
    afterEach(async () => {
      helm.close();
      await api.close();
      await rm(runnerTemp, { recursive: true, force: true });
    });

    /** What apply-iam outputs for the cluster (test/chain/deploy-chain.test.ts runs it with terraform). */
    function annotationsOf(fleet: Fleet): Record<string, Record<string, string>> {
      const cluster = fleet.clusters.find((c) => c.config.name === CLUSTER);
      if (cluster === undefined) throw new Error('no cluster');
      return Object.fromEntries(
        cluster.hubs.map((h) => [h.config.name, expectedServiceAccountAnnotations(cluster, h)]),
      );
    }
    const asContext = (row: object): ExpressionContext =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          `matrix.${k}`,
          Array.isArray(v) ? JSON.stringify(v) : String(v),
        ]),
      );
    const uninstallStep = () => source.step('deploy', 'uninstall', 'Uninstall the removed hubs');
    /** The action the uninstall step's `uses:` names (deploy-hub), which deployed the hub before too. */
    const deployHub = (inputs: Record<string, string>, files: Files): Promise<BundleRun> =>
      runBundle(source.actionDir(uninstallStep().uses ?? ''), {
        inputs,
        files,
        env: { RUNNER_TEMP: runnerTemp, KUBECONFIG: api.kubeconfigPath, ...helm.env() },
        eventName: 'push',
        timeoutMs: 180_000,
      });
    const ok = (run: BundleRun): void => {
      if (run.exitCode !== 0)
        throw new Error(`deploy-hub failed (${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
    };

    it('passes the planner row to deploy-hub mode uninstall, which removes the hub and keeps its namespace', async () => {
      const before = checkout(source.root);
      ok(
        await deployHub(
          {
            cluster: CLUSTER,
            hub: HUB,
            'sa-annotations': JSON.stringify(annotationsOf(fleetOf(before))),
            ...oauth,
          },
          before,
        ),
      );
      expect(Object.keys(helm.releases())).toEqual([`${HUB}/${HUB}`]);

      const { [HUB_FILE]: _removed, ...after } = before;
      const fleet = fleetOf(after);
      const plan = planChanges([{ path: HUB_FILE, status: 'deleted' }], [LABEL_REMOVE_HUB], fleet);
      const [row] = toMatrices(plan, fleet).uninstall.include;
      if (row === undefined) throw new Error('no uninstall row');
      const matrix = asContext(row);

      const inputs = resolvedWith(uninstallStep(), matrix);
      expect(inputs).toEqual({ cluster: CLUSTER, hubs: HUB, mode: 'uninstall', timeout: '10m' });
      const run = await deployHub(inputs, after);
      ok(run);
      expect(helm.releases()).toEqual({});
      expect(api.listObjects('networking.k8s.io/v1', 'Ingress', HUB)).toEqual([]);
      expect(api.listObjects('v1', 'Secret', HUB)).toEqual([]);
      expect(api.getObject({ apiVersion: 'v1', kind: 'Namespace', name: HUB })).toBeDefined();
      // A list of hubs (`hubs`) gives JSON maps by hub.
      expect(run.outputs).toEqual({
        url: JSON.stringify({ [HUB]: '' }),
        certificate: JSON.stringify({ [HUB]: '' }),
        ingress: JSON.stringify({ [HUB]: '' }),
        namespace: JSON.stringify({ [HUB]: HUB }),
        revision: JSON.stringify({ [HUB]: '' }),
        'iap-audience': JSON.stringify({ [HUB]: '' }),
      });
    });
  });
}
