// The deploy workflow's order of jobs and runs, from the rendered deploy.yml: which jobs GitHub
// starts after a cancelled uninstall or a failed staging row (test/support/job-graph.ts evaluates
// the rendered `if:`s), what prod-gate hands the prod job (its rendered script, with the markers as
// download-artifact leaves them), and the stage jobs' freshness check run with bash against a
// Compare API double over a real git history, as "Re-run jobs" on an older run would meet it.
// The cases run twice: on this repository's example fleet and its own workflows, and on a fleet
// repository `hubfleet init --local-tool` writes into a temp dir, with the workflows and config/
// init wrote there (test/support/fleet-source.ts; docs/decisions/0075).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LABEL_DEPLOY_ALL, planChanges, toMatrices } from '../../src/plan/change-plan.js';
import { FRESHNESS_STEP } from '../../workflows/freshness.js';
import { checkout, fleetOf } from '../actions/terraform-workspace.js';
import { startCompareDouble, type CompareDouble } from '../support/compare-double.js';
import { initFleetWithHub, thisRepository, type FleetSource } from '../support/fleet-source.js';
import { walkJobs, type JobResult } from '../support/job-graph.js';
import { runShellStep } from '../support/workflow-steps.js';

const hasTools = ['jq', 'curl', 'git'].every((t) => spawnSync(t, ['--version']).status === 0);
const describeWithTools = hasTools ? describe : describe.skip;
if (!hasTools) {
  process.stderr.write(
    'test/chain/run-order-chain.test.ts: jq, curl or git is missing; the shell steps were NOT run\n',
  );
}

let temp = '';
beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'hubfleet-run-order-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

const ALL_RAN = (): JobResult => 'success';
const AFFECTED = {
  'has-uninstall': 'true',
  'has-clusters': 'true',
  'has-staging': 'true',
  'has-prod': 'true',
};

/**
 * A fleet repository the cases run on, and what its own config/ makes of a failed staging row on
 * pangeo-gcp in a deploy-all run: both fleets have that GKE cluster with a staging and a prod hub.
 */
interface RunOrderFleet {
  label: string;
  make: () => Promise<FleetSource>;
  /** The prod rows the planner gives a deploy-all run: [cluster, afterStaging]. */
  prodRows: Array<[string, boolean]>;
  /** The artifacts the run left: every cluster's apply passed, every staging but pangeo-gcp's. */
  markers: string[];
  /** The prod rows prod-gate lets through: [cluster, hubs]. */
  gatedRows: Array<[string, string]>;
  /** prod-gate's has-prod, and how the prod job ends: it runs on the gate's rows, skipped when none. */
  hasProd: 'true' | 'false';
  prod: JobResult;
}

const FLEETS: RunOrderFleet[] = [
  {
    label: 'this repository',
    make: () => Promise.resolve(thisRepository()),
    prodRows: [
      ['pangeo-aws', true],
      ['pangeo-gcp', true],
    ],
    // Both applies passed; pangeo-gcp's staging row failed, so only pangeo-aws left its marker.
    markers: ['iam-pangeo-aws', 'iam-pangeo-gcp', 'staging-passed-pangeo-aws'],
    gatedRows: [['pangeo-aws', 'glacier']],
    hasProd: 'true',
    prod: 'success',
  },
  {
    label: 'a fleet made by hubfleet init --local-tool',
    // init writes one GKE cluster, pangeo-gcp, with one staging hub; the set-up adds its prod hub
    // with `hubfleet new-hub --stage prod`, as a person would. With one cluster there is no other
    // cluster's prod to leave deploying: the failed staging leaves the gate no row at all.
    make: () => initFleetWithHub('gcp', 'pangeo-gcp', { name: 'prod', stage: 'prod' }),
    prodRows: [['pangeo-gcp', true]],
    markers: ['iam-pangeo-gcp'],
    gatedRows: [],
    hasProd: 'false',
    prod: 'skipped',
  },
];

for (const fleet of FLEETS) {
  describe(`deploy run order on ${fleet.label}`, () => {
    let source: FleetSource;
    beforeAll(async () => {
      source = await fleet.make();
    });
    afterAll(async () => {
      await source.close();
    });

    describe('a cancelled uninstall holds the apply', () => {
      it.each<[JobResult, Record<string, JobResult>]>([
        // A pending uninstall replaced in the cluster's concurrency group, or cancelled by hand, ends
        // `cancelled` while the run goes on: nothing after it may strip the still-running hub.
        [
          'cancelled',
          { 'apply-iam': 'skipped', staging: 'skipped', 'prod-gate': 'skipped', prod: 'skipped' },
        ],
        ['failure', { 'apply-iam': 'skipped', staging: 'skipped', 'prod-gate': 'skipped', prod: 'skipped' }],
        ['success', { 'apply-iam': 'success', staging: 'success', 'prod-gate': 'success', prod: 'success' }],
      ])('uninstall %s', (uninstall, expected) => {
        const results = walkJobs(
          'deploy',
          (job) => (job === 'uninstall' ? uninstall : 'success'),
          {
            affected: AFFECTED,
            'prod-gate': { 'has-prod': 'true' },
          },
          source.root,
        );
        expect(results).toEqual({ affected: 'success', uninstall, ...expected });
      });

      it('a run that removes nothing (uninstall skipped) applies', () => {
        const results = walkJobs(
          'deploy',
          ALL_RAN,
          {
            affected: { ...AFFECTED, 'has-uninstall': 'false' },
            'prod-gate': { 'has-prod': 'true' },
          },
          source.root,
        );
        expect(results).toEqual({
          affected: 'success',
          uninstall: 'skipped',
          'apply-iam': 'success',
          staging: 'success',
          'prod-gate': 'success',
          prod: 'success',
        });
      });
    });

    describeWithTools('a failed staging on one cluster', () => {
      it("creates no prod job for the failed one and leaves any other cluster's prod deploying", async () => {
        const loadedFleet = fleetOf(checkout(source.root));
        const m = toMatrices(planChanges([], [LABEL_DEPLOY_ALL], loadedFleet), loadedFleet);
        expect(m.prod.include.map((r) => [r.cluster, r.afterStaging])).toEqual(fleet.prodRows);
        for (const name of fleet.markers) {
          await mkdir(join(temp, 'passed', name), { recursive: true });
        }
        const gate = await runShellStep(
          source.step('deploy', 'prod-gate', 'Prod rows of the clusters whose apply and staging passed'),
          { 'needs.affected.outputs.prod': JSON.stringify(m.prod) },
          { runnerTemp: temp },
        );
        expect(gate.status).toBe(0);
        const prod = JSON.parse(gate.outputs.prod ?? '{}') as {
          include: Array<{ cluster: string; hubs: string }>;
        };
        expect(prod.include.map((r) => [r.cluster, r.hubs])).toEqual(fleet.gatedRows);
        expect(gate.outputs['has-prod']).toBe(fleet.hasProd);
        expect(gate.stdout).toBe(
          '::warning::pangeo-gcp: staging did not pass in this run: its prod hubs are left untouched and no approval is asked for.\n',
        );
        // The staging matrix job ends `failure` (one row failed); the gate still runs, and the prod
        // job runs on the gate's rows (and is skipped when the gate lets none through).
        const results = walkJobs(
          'deploy',
          (job) => (job === 'staging' ? 'failure' : 'success'),
          {
            affected: { ...AFFECTED, 'has-uninstall': 'false' },
            'prod-gate': { 'has-prod': gate.outputs['has-prod'] ?? '' },
          },
          source.root,
        );
        expect(results).toEqual({
          affected: 'success',
          uninstall: 'skipped',
          'apply-iam': 'success',
          staging: 'failure',
          'prod-gate': 'success',
          prod: fleet.prod,
        });
      });
    });

    describeWithTools('a re-run of an older deploy run', () => {
      const TOKEN = 'ghs_runOrderToken000000000000000000000';
      let repo = '';
      let api: CompareDouble;
      const commits: Record<string, string> = {};
      const git = (...args: string[]): string => {
        const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
        return r.stdout.trim();
      };
      const commit = async (name: string, files: Record<string, string>): Promise<void> => {
        for (const [path, text] of Object.entries(files)) {
          await mkdir(join(repo, path, '..'), { recursive: true });
          await writeFile(join(repo, path), text);
        }
        git('add', '-A');
        git('commit', '-q', '-m', name);
        commits[name] = git('rev-parse', 'HEAD');
      };

      beforeEach(async () => {
        repo = join(temp, 'fleet');
        await mkdir(repo);
        git('init', '-q', '-b', 'main');
        git('config', 'user.email', 'ci@example.org');
        git('config', 'user.name', 'ci');
        await commit('first', {
          'config/clusters/pangeo-gcp/cluster.yaml': 'name: pangeo-gcp\n',
          'config/clusters/pangeo-gcp/hubs/ocean.yaml': 'name: ocean\nvalues: {}\n',
          'config/clusters/pangeo-gcp/hubs/climate.yaml': 'name: climate\nvalues: {}\n',
        });
        // A newer merge changes ocean; its deploy run deployed it.
        await commit('ocean-change', {
          'config/clusters/pangeo-gcp/hubs/ocean.yaml': 'name: ocean\nvalues: {a: 1}\n',
        });
        git('checkout', '-q', '-b', 'topic', commits.first ?? '');
        await commit('topic', {
          'config/clusters/pangeo-gcp/hubs/ocean.yaml': 'name: ocean\nvalues: {b: 2}\n',
        });
        git('checkout', '-q', 'main');
        api = await startCompareDouble({ repo, token: TOKEN });
      });
      afterEach(async () => {
        await api.close();
      });

      const freshness = (sha: string, hubs: string): ReturnType<typeof runShellStep> =>
        runShellStep(
          source.step('deploy', 'prod', FRESHNESS_STEP),
          {
            'github.token': TOKEN,
            'github.api_url': api.url,
            'github.repository': 'example-org/fleet',
            'github.sha': sha,
            'matrix.cluster': 'pangeo-gcp',
            'matrix.hubs': hubs,
          },
          { runnerTemp: temp },
        );

      it('refuses to deploy a hub main has changed since the run, saying what to do', async () => {
        const r = await freshness(commits.first ?? '', 'climate,ocean');
        const msg = `pangeo-gcp: main has changed these hubs since this run's commit ${commits.first ?? ''} (config/clusters/pangeo-gcp/hubs/ocean.yaml); deploying them from this run would roll them back.`;
        const next =
          'The deploy run of main deploys the newer config (a re-run of an older run never does). To go back on purpose, revert the change in a pull request or run rollback-hub.';
        expect({ status: r.status, stdout: r.stdout, summary: r.summary }).toEqual({
          status: 1,
          stdout: `::error::${msg} ${next}\n`,
          summary: `**${msg}**\n\n${next}\n`,
        });
        expect(api.requests).toEqual([`GET /repos/example-org/fleet/compare/${commits.first ?? ''}...main`]);
      });

      it('the same re-run of the staging or uninstall job is refused too (each checks first)', () => {
        for (const job of ['staging', 'uninstall']) {
          expect(source.step('deploy', job, FRESHNESS_STEP)).toEqual(
            source.step('deploy', 'prod', FRESHNESS_STEP),
          );
        }
      });

      it('deploys hubs main has not changed since, and the newest commit itself', async () => {
        expect((await freshness(commits.first ?? '', 'climate')).status).toBe(0);
        expect((await freshness(commits['ocean-change'] ?? '', 'climate,ocean')).status).toBe(0);
      });

      it('refuses a commit that is not on main (a dispatch from another branch)', async () => {
        const r = await freshness(commits.topic ?? '', 'climate');
        expect({ status: r.status, stdout: r.stdout }).toEqual({
          status: 1,
          stdout: `::error::pangeo-gcp: this run's commit ${commits.topic ?? ''} is not on main (compare status: diverged), so nothing is deployed from it. Deploys come from main; to go back, revert in a pull request or run rollback-hub.\n`,
        });
      });

      it('refuses every hub when main changed what renders every hub (the renderer, the schema)', async () => {
        await commit('renderer', { 'src/render/values.ts': 'export {};\n' });
        const r = await freshness(commits['ocean-change'] ?? '', 'climate');
        expect(r.status).toBe(1);
        expect(r.stdout).toContain('(src/render/values.ts)');
      });
    });
  });
}
