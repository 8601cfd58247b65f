// The deploy chain's stage jobs end to end: deploy-hub → smoke-iap → the staging marker → the prod
// gate, and the rollback-hub workflow, with the committed bundles of deploy-hub and smoke-iap, the
// real kubectl against the Kubernetes API double, the fake helm, the Compute and IAP doubles.
// Every action input is the rendered workflow's own `with:` resolved from the planner's matrix row
// and the outputs of the steps before; every shell step is the rendered script run with bash. Only
// the network edges are pointed at the doubles (compute-api-url, connect-to, KUBECONFIG), as an
// operator points them at a bastion. The service-account annotations are the ones apply-iam
// outputs (test/chain/deploy-chain.test.ts runs that half with terraform): here they are rendered
// directly, so these cases need no terraform.
// The chain runs twice: on this repository's example fleet and its own workflows, and on a fleet
// repository `hubfleet init --local-tool` writes into a temp dir, with the workflows init wrote
// there (test/support/fleet-source.ts; docs/decisions/0075). Every `uses:` names the bundle run.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '../../src/config/model.js';
import { planChanges, toMatrices, type StageJob } from '../../src/plan/change-plan.js';
import { selectTargets } from '../../src/plan/targets.js';
import { expectedServiceAccountAnnotations } from '../../src/render/manifests.js';
import { WRONG_AUDIENCE } from '../../workflows/steps.js';
import { checkout, fleetOf, type Files } from '../actions/terraform-workspace.js';
import { runBundle, type BundleRun } from '../support/bundle-harness.js';
import { startComputeDouble, type ComputeDouble } from '../support/compute-double.js';
import { createFakeHelm, type FakeHelm } from '../support/fake-helm.js';
import { initFleetWithHub, thisRepository, type FleetSource } from '../support/fleet-source.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { startGkeControllers, type GkeControllers } from '../support/gke-controllers-double.js';
import { startIapDouble, type IapDouble } from '../support/iap-double.js';
import { startKubeApiDouble, type KubeApiDouble } from '../support/kube-api-double.js';
import { describeWithKubectl } from '../support/kubectl.js';
import { createTestCa, type TestCa } from '../support/openssl-certs.js';
import {
  resolvedWith,
  runShellStep,
  type ExpressionContext,
  type RenderedStep,
  type StepResult,
} from '../support/workflow-steps.js';

const REPOSITORY = 'hubfleet-org/fleet';
const GITHUB_TOKEN = 'ghs_stageChainToken0000000000000000000';
const ACCESS_TOKEN = 'ya29.stage-chain-access-token';
const ALLOWED = 'hubfleet-iap-prober@pangeo-prod.iam.gserviceaccount.com';
/** HUBFLEET_IAP_UNAUTHORIZED: an identity the double does not allow (no IAP role). */
const UNAUTHORIZED = 'hubfleet-iap-nobody@pangeo-prod.iam.gserviceaccount.com';
const CLUSTER = 'pangeo-gcp';

/** A fleet repository the stage jobs run on, and the hubs of CLUSTER its cases change. */
interface StageFleet {
  label: string;
  make: () => Promise<FleetSource>;
  /** The staging hub the cases change and roll back, and the prod hub whose staging fails. */
  stagingHub: string;
  prodHub: string;
  /** The chart-values change a case makes to a hub (`values: {}` becomes `values:` and this line). */
  valuesLine: string;
  /** The cluster's staging hubs, as the planner lists them in the staging row before a prod change. */
  stagingHubs: string;
  /** `${{ toJSON(secrets) }}` of the run: the custom IAP clients the fleet's hubs name. */
  runSecrets: string;
}

const FLEETS: StageFleet[] = [
  {
    label: 'this repository',
    make: () => Promise.resolve(thisRepository()),
    stagingHub: 'ocean-staging',
    prodHub: 'ocean',
    valuesLine: 'dask-gateway: {gateway: {loglevel: DEBUG}}',
    stagingHubs: 'climate-staging,ocean-staging',
    runSecrets: JSON.stringify({
      github_token: 'ghs_stageChainToken0000000000000000000',
      IAP_OAUTH_CLIMATE: JSON.stringify({
        client_id: 'climate.apps.example',
        client_secret: 'climate-secret-0001',
      }),
      IAP_OAUTH_CLIMATE_STAGING: JSON.stringify({
        client_id: 'climate-staging.apps.example',
        client_secret: 'climate-staging-secret-0001',
      }),
    }),
  },
  {
    label: 'a fleet made by hubfleet init --local-tool',
    // init writes one staging hub, `staging` (Google-managed IAP client, so no IAP secret); the
    // prod gate needs a prod hub behind it, which the set-up adds as a person would, with
    // `hubfleet new-hub --stage prod` in the fleet repository.
    make: () => initFleetWithHub('gcp', CLUSTER, { name: 'prod', stage: 'prod' }),
    stagingHub: 'staging',
    prodHub: 'prod',
    // init's hubs use basehub: z2jh values at the top (no dask-gateway, no jupyterhub: level).
    valuesLine: 'singleuser: {defaultUrl: /lab}',
    stagingHubs: 'staging',
    runSecrets: JSON.stringify({ github_token: 'ghs_stageChainToken0000000000000000000' }),
  },
];

for (const { label, make, stagingHub, prodHub, valuesLine, stagingHubs, runSecrets } of FLEETS) {
  describeWithKubectl(`deploy chain: stage jobs and rollback against the doubles, on ${label}`, () => {
    let source: FleetSource;
    let renderedStep: FleetSource['step'];
    /** The fleet's CLUSTER as its config/ has it: its project and the domains of its hubs. */
    let project: string;
    let projectNumber: string;
    let domains: Array<{ domain: string; namespace: string }>;
    let ca: TestCa;
    let gh: GitHubDouble;
    let api: KubeApiDouble;
    let helm: FakeHelm;
    let compute: ComputeDouble;
    let iap: IapDouble;
    let gke: GkeControllers;
    let jobs: string;

    beforeAll(async () => {
      source = await make();
      renderedStep = source.step;
      const cluster = fleetOf(checkout(source.root)).clusters.find((c) => c.config.name === CLUSTER);
      if (cluster?.config.gcp === undefined) throw new Error(`the fleet has no GKE cluster ${CLUSTER}`);
      project = cluster.config.gcp.project;
      projectNumber = cluster.config.gcp.projectNumber;
      domains = cluster.hubs.map((h) => ({ domain: h.config.domain, namespace: h.config.name }));
      ca = await createTestCa();
      gh = await startGitHubDouble({ repository: REPOSITORY, token: GITHUB_TOKEN });
    });
    afterAll(async () => {
      await gh.close();
      await ca.remove();
      await source.close();
    });
    beforeEach(async () => {
      api = await startKubeApiDouble();
      helm = createFakeHelm(api.url);
      compute = await startComputeDouble({ token: ACCESS_TOKEN });
      // ingress-gce builds each hub's load balancer and names its backend service, which deploy-hub
      // waits for to pin the IAP audience; gke-managed-certs issues the certificates.
      gke = startGkeControllers({ kube: api, compute, project, lbSyncMs: 200 });
      iap = await startIapDouble({
        ca,
        allowed: [ALLOWED],
        hubs: domains,
      });
      jobs = await mkdtemp(join(tmpdir(), 'hubfleet-stage-chain-'));
    });
    afterEach(async () => {
      gke.close();
      helm.close();
      await compute.close();
      await iap.close();
      await api.close();
      await rm(jobs, { recursive: true, force: true });
    });

    const jobTemp = async (name: string): Promise<string> => {
      const dir = join(jobs, name);
      await mkdir(dir, { recursive: true });
      return dir;
    };

    const asContext = (row: object): ExpressionContext =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          `matrix.${k}`,
          Array.isArray(v) ? JSON.stringify(v) : String(v),
        ]),
      );
    const outputsOf = (id: string, outputs: Record<string, string>): ExpressionContext =>
      Object.fromEntries(Object.entries(outputs).map(([k, v]) => [`steps.${id}.outputs.${k}`, v]));

    /** What apply-iam's job leaves as the iam-<cluster> artifact, downloaded into a stage job. */
    async function iamArtifact(fleet: Fleet, runnerTemp: string): Promise<void> {
      const cluster = fleet.clusters.find((c) => c.config.name === CLUSTER);
      if (cluster === undefined) throw new Error('no cluster');
      const annotations = Object.fromEntries(
        cluster.hubs.map((h) => [h.config.name, expectedServiceAccountAnnotations(cluster, h)]),
      );
      await mkdir(join(runnerTemp, 'iam'), { recursive: true });
      await writeFile(join(runnerTemp, 'iam', 'sa-annotations.json'), JSON.stringify(annotations));
    }

    /**
     * A `uses:` step of the fleet's workflow: the action it names, with its resolved `with:` and the
     * network edges (`edges`) pointed at the doubles.
     */
    async function bundle(
      step: RenderedStep,
      context: ExpressionContext,
      edges: Record<string, string>,
      files: Files,
      runnerTemp: string,
    ): Promise<BundleRun> {
      if (step.uses === undefined) throw new Error(`step "${step.name}" is not a uses step`);
      return runBundle(source.actionDir(step.uses), {
        githubToken: GITHUB_TOKEN,
        inputs: { ...resolvedWith(step, context), ...edges },
        files,
        env: {
          GITHUB_API_URL: gh.url,
          GITHUB_REPOSITORY: REPOSITORY,
          RUNNER_TEMP: runnerTemp,
          KUBECONFIG: api.kubeconfigPath,
          NODE_EXTRA_CA_CERTS: ca.caPath,
          ...helm.env(),
        },
        eventName: 'push',
        timeoutMs: 180_000,
      });
    }

    /**
     * The three ID tokens the workflows mint before smoke-iap (workflows/steps.ts iapIdTokens), from
     * the IAP double's key: the prober's (allowed), a second identity's with no IAP role (403) and the
     * prober's for another audience (401), so the smoke test runs every probe the README promises.
     */
    const iapTokens = (): ExpressionContext => ({
      'steps.iap-token.outputs.id_token': iap.mintIdToken(ALLOWED),
      'steps.iap-unauthorized-token.outputs.id_token': iap.mintIdToken(UNAUTHORIZED),
      'steps.iap-wrong-audience-token.outputs.id_token': iap.mintIdToken(ALLOWED, { aud: WRONG_AUDIENCE }),
    });

    const ok = (run: BundleRun | StepResult, what: string): void => {
      const code = 'exitCode' in run ? run.exitCode : run.status;
      if (code !== 0) throw new Error(`${what} failed (${String(code)}):\n${run.stdout}\n${run.stderr}`);
    };

    /** The deploy workflow's staging or prod job for one matrix row; returns its runner temp. */
    async function stageJob(
      job: 'staging' | 'prod',
      row: StageJob,
      files: Files,
      fleet: Fleet,
      upstream: { stagingPassed?: boolean } = {},
    ): Promise<{
      gate?: StepResult;
      deploy?: BundleRun;
      certificateWait?: BundleRun;
      smoke?: BundleRun;
      runnerTemp: string;
    }> {
      const runnerTemp = await jobTemp(`${job}-${row.cluster}`);
      const matrix = asContext(row);
      await iamArtifact(fleet, runnerTemp);
      ok(
        await runShellStep(
          renderedStep('deploy', job, 'Check iam'),
          { ...matrix, 'steps.iam-artifact-download.outcome': 'success' },
          { runnerTemp },
        ),
        'iam check',
      );
      if (job === 'prod' && row.afterStaging) {
        const gate = await runShellStep(
          renderedStep('deploy', 'prod', 'Check staging-passed'),
          {
            ...matrix,
            'steps.staging-gate-download.outcome': upstream.stagingPassed === true ? 'success' : 'failure',
          },
          { runnerTemp },
        );
        if (gate.status !== 0) return { gate, runnerTemp }; // the job stops here, as on GitHub
      }
      const iam = await runShellStep(
        renderedStep('deploy', job, 'Read the service-account annotations'),
        {},
        { runnerTemp },
      );
      ok(iam, 'reading the annotations');
      const stage = job === 'staging' ? 'staging' : 'prod';
      const context = {
        ...matrix,
        ...outputsOf('iam', iam.outputs),
        'steps.gcp-auth.outputs.access_token': ACCESS_TOKEN,
        ...iapTokens(),
        'toJSON(secrets)': runSecrets,
      };
      const deploy = await bundle(
        renderedStep('deploy', job, `Deploy the ${stage} hubs`),
        context,
        { 'compute-api-url': compute.url },
        files,
        runnerTemp,
      );
      if (deploy.exitCode !== 0) return { deploy, runnerTemp };
      // GKE provisions each hub's ManagedCertificate; the double's status stands in for it.
      for (const hub of row.hubs.split(',')) {
        for (const cert of api.listObjects('networking.gke.io/v1', 'ManagedCertificate', hub)) {
          api.setStatus(
            { apiVersion: cert.apiVersion, kind: cert.kind, name: cert.metadata.name, namespace: hub },
            {
              certificateStatus: 'Active',
              domainStatus: [{ domain: `${hub}.hubs.example.org`, status: 'Active' }],
            },
          );
        }
      }
      const certificateWait = await bundle(
        renderedStep('deploy', job, `Wait for the ${stage} hubs' certificates`),
        context,
        {},
        files,
        runnerTemp,
      );
      if (certificateWait.exitCode !== 0) return { deploy, certificateWait, runnerTemp };
      const smoke = await bundle(
        renderedStep('deploy', job, `Smoke-test the ${stage} hubs through IAP`),
        context,
        { 'connect-to': iap.connectTo },
        files,
        runnerTemp,
      );
      if (smoke.exitCode === 0) {
        ok(
          await runShellStep(
            renderedStep('deploy', job, `Record that ${stage} passed`),
            { 'github.sha': 'a'.repeat(40) },
            { runnerTemp },
          ),
          'marker',
        );
      }
      return { deploy, certificateWait, smoke, runnerTemp };
    }

    const withValue = (files: Files, hub: string, line: string): Files => {
      const path = `config/clusters/${CLUSTER}/hubs/${hub}.yaml`;
      return { ...files, [path]: (files[path] ?? '').replace('values: {}', `values:\n  ${line}`) };
    };

    it('takes a changed staging hub to a passing smoke test, and leaves the marker prod waits for', async () => {
      const files = withValue(checkout(source.root), stagingHub, valuesLine);
      const fleet = fleetOf(files);
      const plan = planChanges(
        [{ path: `config/clusters/${CLUSTER}/hubs/${stagingHub}.yaml`, status: 'modified' }],
        [],
        fleet,
      );
      const row = toMatrices(plan, fleet).staging.include[0];
      if (row === undefined) throw new Error('no staging row');
      expect(row.hubs).toBe(stagingHub);
      const job = await stageJob('staging', row, files, fleet);
      if (job.deploy === undefined || job.smoke === undefined) throw new Error('the job stopped early');
      ok(job.deploy, 'deploy-hub');
      ok(job.smoke, 'smoke-iap');
      // A list deploy's outputs are JSON maps by hub (CONTRACTS §3).
      expect(JSON.parse(job.deploy.outputs.url ?? '{}')).toEqual({
        [stagingHub]: `https://${stagingHub}.hubs.example.org/`,
      });
      // The certificate wait between them (GKE) saw the hub's certificate Active.
      expect({
        exit: job.certificateWait?.exitCode,
        verdict: job.certificateWait?.outputs.verdict,
        failing: job.certificateWait?.outputs['failing-hubs'],
      }).toEqual({ exit: 0, verdict: 'pass', failing: '[]' });
      expect(job.smoke.outputs.verdict).toBe('pass');
      expect(JSON.parse(job.smoke.outputs['exposed-hubs'] ?? 'null')).toEqual([]);
      // The 403 probe (an identity without IAP access) and the wrong-audience probe ran.
      expect(
        ['ID token of an identity without the IAP role', 'ID token for another audience'].map((probe) =>
          job.smoke?.summary.includes(probe),
        ),
      ).toEqual([true, true]);
      expect(await readFile(join(job.runnerTemp, 'staging-passed', 'commit'), 'utf8')).toBe(
        `${'a'.repeat(40)}\n`,
      );
    }, 600_000);

    it('leaves prod untouched when its cluster’s staging fails', async () => {
      const files = withValue(checkout(source.root), prodHub, valuesLine);
      const fleet = fleetOf(files);
      const m = toMatrices(
        planChanges(
          [{ path: `config/clusters/${CLUSTER}/hubs/${prodHub}.yaml`, status: 'modified' }],
          [],
          fleet,
        ),
        fleet,
      );
      const [staging] = m.staging.include;
      const [prod] = m.prod.include;
      if (staging === undefined || prod === undefined) throw new Error('rows missing');
      expect([staging.hubs, prod.hubs, prod.afterStaging]).toEqual([stagingHubs, prodHub, true]);
      helm.behave({
        upgrades: ['fail', 'fail'],
        failMessage: 'UPGRADE FAILED: timed out waiting for the condition',
      });
      const stagingJob = await stageJob('staging', staging, files, fleet);
      expect(stagingJob.deploy?.exitCode).toBe(1);
      expect(stagingJob.smoke).toBeUndefined();
      const before = api.requests.length;
      const callsBefore = helm.calls().length;
      const prodJob = await stageJob('prod', prod, files, fleet, { stagingPassed: false });
      expect({ status: prodJob.gate?.status, stdout: prodJob.gate?.stdout }).toEqual({
        status: 1,
        stdout:
          "::error::pangeo-gcp's staging hubs did not pass in this run: its prod hubs are left untouched.\n",
      });
      expect(prodJob.deploy).toBeUndefined();
      expect(api.requests.length).toBe(before);
      expect(helm.calls().length).toBe(callsBefore);
      expect(api.getObject({ apiVersion: 'v1', kind: 'Namespace', name: prodHub })).toBeUndefined();
    }, 600_000);

    it('rolls a hub back to its previous revision by workflow_dispatch, then smoke-tests it', async () => {
      const first = checkout(source.root);
      const second = withValue(first, stagingHub, valuesLine);
      const change = [
        { path: `config/clusters/${CLUSTER}/hubs/${stagingHub}.yaml`, status: 'modified' as const },
      ];
      for (const files of [first, second]) {
        const fleet = fleetOf(files);
        const row = toMatrices(planChanges(change, [], fleet), fleet).staging.include[0];
        if (row === undefined) throw new Error('no staging row');
        const job = await stageJob('staging', row, files, fleet);
        if (job.deploy === undefined) throw new Error('no deploy');
        ok(job.deploy, 'deploy-hub');
      }
      const history = (): Array<{ revision: number; values: string }> =>
        helm.releases()[`${stagingHub}/${stagingHub}`] ?? [];
      // The first deploy pins the IAP audience once ingress-gce names the backend service (revision
      // 2); the second pins it in its one helm run (revision 3).
      expect(history().map((r) => r.revision)).toEqual([1, 2, 3]);

      // rollback-hub: the target job's validated row, then the rollback job's own steps.
      const target = selectTargets(fleetOf(second), { cluster: CLUSTER, hub: stagingHub }).hub?.include[0];
      if (target === undefined) throw new Error('no target row');
      const runnerTemp = await jobTemp('rollback');
      const context = {
        ...asContext(target),
        'steps.gcp-auth.outputs.access_token': ACCESS_TOKEN,
        ...iapTokens(),
      };
      const rollback = await bundle(
        renderedStep('rollback-hub', 'rollback', 'Roll back to the previous revision'),
        context,
        { 'compute-api-url': compute.url },
        second,
        runnerTemp,
      );
      ok(rollback, 'rollback');
      const after = history();
      expect(after.map((r) => r.revision)).toEqual([1, 2, 3, 4]);
      // Revision 2 pinned the live audience already: the rollback keeps it, with no further upgrade.
      expect(after[3]?.values).toBe(after[1]?.values);
      expect(rollback.outputs.revision).toBe('4');
      expect(rollback.summary).toContain(`IAP audience: /projects/${projectNumber}/global/backendServices/`);
      const smoke = await bundle(
        renderedStep('rollback-hub', 'rollback', 'Smoke-test through IAP'),
        context,
        { 'connect-to': iap.connectTo },
        second,
        runnerTemp,
      );
      ok(smoke, 'smoke-iap after the rollback');
      expect(smoke.outputs.verdict).toBe('pass');
    }, 600_000);
  });
}
