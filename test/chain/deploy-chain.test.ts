// The deploy chain end to end, as far as the action bundles exist on this branch: plan-cluster on
// the pull request, the plan artifact, plan-cluster on the merged tree, the reviewed-plan gate,
// apply-iam, and the hand-over of its service-account annotations to the stage jobs, which
// deploy-hub takes. Every action input is the rendered workflow's own `with:` resolved from the
// outputs of the steps before, and every shell step is the rendered script run with bash. Real
// terraform on the fixture modules with a local state; the GitHub API is the double.
// deploy-hub, smoke-iap and verify-cert join the chain when their bundles are merged.
// The chain runs twice: on this repository's example fleet and its own workflows, and on a fleet
// repository `hubfleet init --local-tool` writes into a temp dir, with the workflows init wrote
// there (test/support/fleet-source.ts; docs/decisions/0075). Every `uses:` names the bundle run.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedCluster } from '../../src/config/model.js';
import { clusterTarget } from '../../src/plan/change-plan.js';
import { expectedServiceAccountAnnotations } from '../../src/render/manifests.js';
import {
  checkout,
  loadExampleCluster,
  scratch,
  type Files,
  type Scratch,
} from '../actions/terraform-workspace.js';
import { runBundle, type BundleRun } from '../support/bundle-harness.js';
import { initFleetSource, thisRepository, type FleetSource } from '../support/fleet-source.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { terraformAvailable } from '../support/terraform-binary.js';
import {
  resolvedWith,
  runShellStep,
  type ExpressionContext,
  type RenderedStep,
  type StepResult,
} from '../support/workflow-steps.js';

const REPOSITORY = 'hubfleet-org/fleet';
const TOKEN = 'ghs_chainTestToken000000000000000000000';
const CLUSTER = 'pangeo-gcp';
const PR = 12;
const NEW_HUB = 'tides-staging';
const describeTf = terraformAvailable() ? describe : describe.skip;

interface Fleet {
  make(): Promise<FleetSource>;
  /** The staging hub file the PR copies, and how the copy becomes the new hub. */
  template: string;
  rename(text: string): string;
}

const FLEETS: Array<{ label: string; fleet: Fleet }> = [
  {
    label: 'this repository',
    fleet: {
      make: () => Promise.resolve(thisRepository()),
      template: 'climate-staging',
      rename: (text) =>
        text
          .replace('name: climate-staging', `name: ${NEW_HUB}`)
          .replace('climate-staging.hubs.example.org', `${NEW_HUB}.hubs.example.org`)
          .replace('IAP_OAUTH_CLIMATE_STAGING', 'IAP_OAUTH_TIDES_STAGING'),
    },
  },
  {
    label: 'a fleet made by hubfleet init --local-tool',
    fleet: {
      make: () => initFleetSource('gcp', CLUSTER),
      // init's hub: `name: staging`, `domain: staging.hubs.example.org`, a Google-managed IAP client.
      template: 'staging',
      rename: (text) =>
        text
          .replace(/^name: staging$/m, `name: ${NEW_HUB}`)
          .replace(/^domain: staging\.hubs\.example\.org$/m, `domain: ${NEW_HUB}.hubs.example.org`),
    },
  },
];

describeTf.each(FLEETS)('deploy chain on $label', ({ fleet }) => {
  let source: FleetSource;
  let renderedStep: FleetSource['step'];
  let gh: GitHubDouble;
  let s: Scratch;
  let gcp: LoadedCluster;
  let jobs: string;
  /** Each test starts from an empty Terraform state of its own. */
  let stateKey = '';
  let tests = 0;

  beforeAll(async () => {
    source = await fleet.make();
    renderedStep = source.step;
    gh = await startGitHubDouble({ repository: REPOSITORY, token: TOKEN });
    s = await scratch();
    gcp = await loadExampleCluster(CLUSTER, source.root);
  });
  afterAll(async () => {
    await gh.close();
    await s.close();
    await source.close();
  });
  beforeEach(async () => {
    jobs = await mkdtemp(join(tmpdir(), 'hubfleet-chain-'));
    tests += 1;
    stateKey = `${CLUSTER}-${tests}`;
  });
  afterEach(async () => {
    await rm(jobs, { recursive: true, force: true });
  });

  /** The fleet's checkout: its config/ and the fixture Terraform modules. */
  const checkoutOfFleet = (): Files => checkout(source.root);

  /** The PR's change: a new staging hub on pangeo-gcp, written as a person would. */
  function withNewHub(files: Files): Files {
    const template = files[`config/clusters/${CLUSTER}/hubs/${fleet.template}.yaml`];
    if (template === undefined) throw new Error(`the fleet has no hub ${fleet.template} on ${CLUSTER}`);
    const hub = fleet.rename(template);
    if (!hub.includes(`name: ${NEW_HUB}\n`) || !hub.includes(`domain: ${NEW_HUB}.hubs.example.org\n`))
      throw new Error(`the copy of ${fleet.template} is not renamed:\n${hub}`);
    return { ...files, [`config/clusters/${CLUSTER}/hubs/${NEW_HUB}.yaml`]: hub };
  }

  /** The staging hubs the planner gives the cluster's staging job once the new hub is merged. */
  const stagingHubs = (): string =>
    [...gcp.hubs.filter((h) => h.config.stage === 'staging').map((h) => h.config.name), NEW_HUB].join(',');

  async function jobTemp(name: string): Promise<string> {
    const dir = join(jobs, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** The matrix row the planner gives this cluster's jobs. */
  const matrix = (): ExpressionContext =>
    Object.fromEntries(Object.entries(clusterTarget(gcp.config)).map(([k, v]) => [`matrix.${k}`, String(v)]));

  const outputsOf = (id: string, outputs: Record<string, string>): ExpressionContext =>
    Object.fromEntries(Object.entries(outputs).map(([k, v]) => [`steps.${id}.outputs.${k}`, v]));

  function expectOk(run: BundleRun | StepResult, what: string): void {
    const code = 'exitCode' in run ? run.exitCode : run.status;
    if (code !== 0) throw new Error(`${what} failed (${String(code)}):\n${run.stdout}\n${run.stderr}`);
  }

  /** A `uses:` step of the fleet's workflow: the action it names, with its resolved `with:`. */
  async function runAction(
    step: RenderedStep,
    context: ExpressionContext,
    options: { runnerTemp: string; files: Files; pr?: number },
  ): Promise<BundleRun> {
    if (step.uses === undefined) throw new Error(`step "${step.name}" is not a uses step`);
    if (options.pr !== undefined && !gh.state.pullFiles.has(options.pr)) gh.seedPullFiles(options.pr, []);
    return runBundle(source.actionDir(step.uses), {
      githubToken: TOKEN,
      inputs: resolvedWith(step, context),
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_REPOSITORY: REPOSITORY,
        RUNNER_TEMP: options.runnerTemp,
        ...s.env(stateKey),
      },
      files: options.files,
      ...(options.pr === undefined
        ? { eventName: 'push' }
        : { event: { pull_request: { number: options.pr } }, eventName: 'pull_request' }),
      timeoutMs: 180_000,
    });
  }

  /** hub-pr's plan job for the cluster: plan-cluster, then the artifact it uploads (its directory). */
  async function reviewedOnPullRequest(files: Files): Promise<string> {
    const runnerTemp = await jobTemp('hub-pr-plan');
    const context = { ...matrix(), 'github.event.pull_request.number': String(PR) };
    const plan = await runAction(renderedStep('hub-pr', 'plan', 'Plan'), context, {
      runnerTemp,
      files,
      pr: PR,
    });
    expectOk(plan, 'plan-cluster on the PR');
    expect(plan.outputs['has-changes']).toBe('true');
    const pack = await runShellStep(
      renderedStep('hub-pr', 'plan', 'Pack the plan and its digests'),
      { ...context, ...outputsOf('plan', plan.outputs) },
      { runnerTemp },
    );
    expectOk(pack, 'packing the plan');
    return join(runnerTemp, 'hubfleet-plan-artifact');
  }

  interface ApplyJob {
    gate: StepResult;
    apply?: BundleRun;
    stop?: StepResult;
    runnerTemp: string;
  }

  /** deploy's apply-iam job for the cluster, on the merged tree, with the PR's artifact downloaded. */
  async function applyOnMerge(files: Files, reviewedArtifact: string): Promise<ApplyJob> {
    const runnerTemp = await jobTemp('deploy-apply-iam');
    await cp(reviewedArtifact, join(runnerTemp, 'reviewed-plan'), { recursive: true }); // download-artifact
    const base: ExpressionContext = {
      ...matrix(),
      'steps.reviewed-download.outcome': 'success',
      'github.run_id': '5005',
    };
    const replan = await runAction(renderedStep('deploy', 'apply-iam', 'Plan the merged tree'), base, {
      runnerTemp,
      files,
    });
    expectOk(replan, 'plan-cluster on the merged tree');
    const context = { ...base, ...outputsOf('replan', replan.outputs) };
    expectOk(
      await runShellStep(renderedStep('deploy', 'apply-iam', 'Pack the plan and its digests'), context, {
        runnerTemp,
      }),
      'packing the merged plan',
    );
    const gate = await runShellStep(
      renderedStep('deploy', 'apply-iam', 'Is the merged plan the reviewed one?'),
      context,
      {
        runnerTemp,
      },
    );
    expectOk(gate, 'the gate');
    const withGate = { ...context, ...outputsOf('gate', gate.outputs) };
    if (gate.outputs.source === 'stop') {
      const stop = await runShellStep(renderedStep('deploy', 'apply-iam', 'Stop for review'), withGate, {
        runnerTemp,
      });
      return { gate, stop, runnerTemp };
    }
    const apply = await runAction(renderedStep('deploy', 'apply-iam', 'Apply IAM'), withGate, {
      runnerTemp,
      files,
    });
    return { gate, apply, runnerTemp };
  }

  describe('PR plan → merge → apply-iam → stage jobs', () => {
    it('applies exactly the reviewed plan of a new hub and hands its identity to the staging job', async () => {
      const files = withNewHub(checkoutOfFleet());
      const artifact = await reviewedOnPullRequest(files);
      const job = await applyOnMerge(files, artifact);
      expect(job.gate.outputs.source).toBe('reviewed');
      const meta = JSON.parse(await readFile(join(artifact, 'plan-meta.json'), 'utf8')) as {
        planFile: string;
      };
      expect(job.gate.outputs['plan-path']).toBe(join(job.runnerTemp, 'reviewed-plan', meta.planFile));
      if (job.apply === undefined) throw new Error('apply-iam did not run');
      expectOk(job.apply, 'apply-iam');
      expect(job.apply.outputs['plan-sha256']).toBe(job.gate.outputs['plan-sha256']);

      // apply-iam job → artifact iam-<cluster> → staging job → deploy-hub's sa-annotations input.
      const keep = await runShellStep(
        renderedStep('deploy', 'apply-iam', 'Keep the outputs for the deploy jobs'),
        outputsOf('apply', job.apply.outputs),
        { runnerTemp: job.runnerTemp },
      );
      expectOk(keep, 'keeping the outputs');
      const staging = await jobTemp('deploy-staging');
      await cp(join(job.runnerTemp, 'iam'), join(staging, 'iam'), { recursive: true }); // download-artifact
      const check = await runShellStep(
        renderedStep('deploy', 'staging', 'Check iam'),
        { ...matrix(), 'steps.iam-artifact-download.outcome': 'success' },
        { runnerTemp: staging },
      );
      expectOk(check, 'the iam check');
      const read = await runShellStep(
        renderedStep('deploy', 'staging', 'Read the service-account annotations'),
        {},
        {
          runnerTemp: staging,
        },
      );
      const deployInputs = resolvedWith(renderedStep('deploy', 'staging', 'Deploy the staging hubs'), {
        ...matrix(),
        'matrix.hubs': stagingHubs(),
        'matrix.concurrency': '4',
        ...outputsOf('iam', read.outputs),
        'steps.gcp-auth.outputs.access_token': 'ya29.test-token',
        'toJSON(secrets)': '{}',
      });
      const annotations = JSON.parse(deployInputs['sa-annotations'] ?? '{}') as Record<
        string,
        Record<string, string>
      >;
      const hub = gcp.hubs[0];
      if (hub === undefined) throw new Error('the fleet has no hub on its cluster');
      // The new hub's namespace carries exactly the annotation deploy-hub renders for it.
      const newHub = { ...hub, config: { ...hub.config, name: NEW_HUB } };
      expect(annotations[NEW_HUB]).toEqual(expectedServiceAccountAnnotations(gcp, newHub));
      expect(deployInputs).toMatchObject({
        cluster: CLUSTER,
        hubs: stagingHubs(),
        mode: 'deploy',
      });
    }, 600_000);

    it('a later run of the same merge (deploy-all by hand) applies the no-change plan, not the stale reviewed one', async () => {
      const files = withNewHub(checkoutOfFleet());
      const artifact = await reviewedOnPullRequest(files);
      const first = await applyOnMerge(files, artifact);
      expect(first.gate.outputs.source).toBe('reviewed');
      if (first.apply === undefined) throw new Error('apply-iam did not run');
      expectOk(first.apply, 'the first apply-iam');

      // The same merged commit finds the same PR and its plan run again; its plan is now applied,
      // and Terraform would refuse it as stale.
      const again = await applyOnMerge(files, artifact);
      expect(again.gate.outputs.source).toBe('no-changes');
      expect(again.gate.outputs['plan-path']).not.toBe(first.gate.outputs['plan-path']);
      if (again.apply === undefined) throw new Error('apply-iam did not run the second time');
      expectOk(again.apply, 'the second apply-iam');
      expect(JSON.parse(again.apply.outputs['sa-annotations'] ?? '')).toEqual(
        JSON.parse(first.apply.outputs['sa-annotations'] ?? ''),
      );
    }, 600_000);

    it('stops for review, applying nothing, when the merged tree is not the reviewed one', async () => {
      const reviewed = withNewHub(checkoutOfFleet());
      const artifact = await reviewedOnPullRequest(reviewed);
      const state = s.statePath(stateKey);
      const before = await stat(state).then(
        async () => readFile(state, 'utf8'),
        () => 'absent',
      );
      // Merged later with another change the reviewer never saw.
      const merged = {
        ...reviewed,
        [`config/clusters/${CLUSTER}/hubs/${NEW_HUB}.yaml`]: (
          reviewed[`config/clusters/${CLUSTER}/hubs/${NEW_HUB}.yaml`] ?? ''
        ).replace(`${NEW_HUB}.hubs.example.org`, `tides-next.hubs.example.org`),
      };
      const job = await applyOnMerge(merged, artifact);
      expect(job.gate.outputs.source).toBe('stop');
      expect(job.apply).toBeUndefined();
      expect(job.stop?.status).toBe(1);
      expect(job.stop?.stdout).toContain(
        '::error::pangeo-gcp: the merged tree differs from the reviewed plan',
      );
      const after = await stat(state).then(
        async () => readFile(state, 'utf8'),
        () => 'absent',
      );
      expect(after).toBe(before);
    }, 600_000);
  });
});
