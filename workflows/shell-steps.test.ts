// The workflows' own shell steps, run with bash exactly as rendered, with their `env:` expressions
// resolved from a context the way the runner would. These are the glue between the actions: the
// plan artifact, the reviewed-plan gate, the per-cluster hand-over and the dispatch summaries.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  renderedStep,
  runShellStep,
  type RenderedStep,
  type StepResult,
} from '../test/support/workflow-steps.js';

// The steps use jq, as GitHub's runners and the hubfleet runner image provide it.
const hasJq = spawnSync('jq', ['--version']).status === 0;
if (!hasJq) {
  process.stderr.write(
    'workflows/shell-steps.test.ts: jq is not installed, so the shell steps were NOT run (apt-get install jq)\n',
  );
}
const describeWithJq = hasJq ? describe : describe.skip;

describe('system programs', () => {
  // Runs wherever jq is present or CI requires it, so CI never counts it as skipped.
  (hasJq || process.env.CI === 'true' ? it : it.skip)('jq is installed (CI installs it in .ci/run)', () => {
    expect(hasJq).toBe(true);
  });
});

let temp = '';

beforeEach(async () => {
  temp = await mkdtemp(join(tmpdir(), 'hubfleet-steps-'));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

async function runStep(
  s: RenderedStep,
  context: Record<string, string>,
  options: { cwd?: string; path?: string } = {},
): Promise<StepResult> {
  return runShellStep(s, context, { runnerTemp: temp, ...options });
}

const step = (workflow: string, job: string, name: string): RenderedStep => renderedStep(workflow, job, name);

const DIGEST = `sha256:${'1'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'2'.repeat(64)}`;
const PLAN_SHA = 'c'.repeat(64);

async function packedPlan(stepId: string, hasChanges = 'true'): Promise<Record<string, string>> {
  const out = join(temp, 'hubfleet-plan', 'pangeo-gcp');
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'plan.tfplan'), 'binary plan');
  await writeFile(join(out, 'plan.json'), '{"redacted": true}');
  return {
    'matrix.cluster': 'pangeo-gcp',
    [`steps.${stepId}.outputs.plan-path`]: join(out, 'plan.tfplan'),
    [`steps.${stepId}.outputs.plan-json-path`]: join(out, 'plan.json'),
    [`steps.${stepId}.outputs.plan-sha256`]: PLAN_SHA,
    [`steps.${stepId}.outputs.inputs-digest`]: DIGEST,
    [`steps.${stepId}.outputs.commit`]: 'd'.repeat(40),
    [`steps.${stepId}.outputs.has-changes`]: hasChanges,
  };
}

describeWithJq('the plan artifact', () => {
  it('holds the plan, its redacted JSON and the digests apply-iam checks', async () => {
    const r = await runStep(
      step('hub-pr', 'plan', 'Pack the plan and its digests'),
      await packedPlan('plan'),
    );
    expect(r.status).toBe(0);
    const dir = join(temp, 'hubfleet-plan-artifact');
    expect(JSON.parse(await readFile(join(dir, 'plan-meta.json'), 'utf8'))).toEqual({
      cluster: 'pangeo-gcp',
      planFile: 'plan.tfplan',
      planSha256: PLAN_SHA,
      inputsDigest: DIGEST,
      commit: 'd'.repeat(40),
      hasChanges: 'true',
    });
    expect(await readFile(join(dir, 'plan.tfplan'), 'utf8')).toBe('binary plan');
    expect(await readFile(join(dir, 'plan.redacted.json'), 'utf8')).toBe('{"redacted": true}');
  });
});

describeWithJq('the reviewed-plan gate of apply-iam', () => {
  const gate = step('deploy', 'apply-iam', 'Is the merged plan the reviewed one?');

  async function withReviewed(digest: string): Promise<void> {
    const dir = join(temp, 'reviewed-plan');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'plan.tfplan'), 'reviewed plan');
    await writeFile(
      join(dir, 'plan-meta.json'),
      JSON.stringify({ planFile: 'plan.tfplan', planSha256: 'a'.repeat(64), inputsDigest: digest }),
    );
  }

  async function merged(hasChanges: string): Promise<Record<string, string>> {
    const context = await packedPlan('replan', hasChanges);
    expect(
      (await runStep(step('deploy', 'apply-iam', 'Pack the plan and its digests'), context)).status,
    ).toBe(0);
    return context;
  }

  it('applies the reviewed plan when the merged tree has the reviewed digest', async () => {
    await withReviewed(DIGEST);
    const context = {
      ...(await merged('true')),
      'steps.reviewed-download.outcome': 'success',
      'steps.replan.outputs.inputs-digest': DIGEST,
    };
    const r = await runStep(gate, context);
    expect({ status: r.status, outputs: r.outputs }).toEqual({
      status: 0,
      outputs: {
        source: 'reviewed',
        'plan-path': join(temp, 'reviewed-plan', 'plan.tfplan'),
        'plan-sha256': 'a'.repeat(64),
        'inputs-digest': DIGEST,
      },
    });
    expect(r.summary).toBe('pangeo-gcp: applying the reviewed plan\n');
  });

  it('applies the merged no-change plan, not the reviewed one, when the reviewed plan was already applied', async () => {
    // A later run of the same merge (deploy-all by hand, a new run after a failed stage) finds the
    // PR's plan run again; Terraform refuses a saved plan once the state has moved ("Saved plan is
    // stale"), and the merged plan showing no change is what proves it was applied.
    await withReviewed(DIGEST);
    const context = {
      ...(await merged('false')),
      'steps.reviewed-download.outcome': 'success',
      'steps.replan.outputs.inputs-digest': DIGEST,
    };
    const r = await runStep(gate, context);
    expect({ status: r.status, outputs: r.outputs, summary: r.summary }).toEqual({
      status: 0,
      outputs: {
        source: 'no-changes',
        'plan-path': join(temp, 'hubfleet-plan-artifact', 'plan.tfplan'),
        'plan-sha256': PLAN_SHA,
        'inputs-digest': DIGEST,
      },
      summary: 'pangeo-gcp: applying the no-changes plan\n',
    });
  });

  it('stops for review when the merged digest differs and the merged plan changes something', async () => {
    await withReviewed(OTHER_DIGEST);
    const context = {
      ...(await merged('true')),
      'steps.reviewed-download.outcome': 'success',
    };
    const r = await runStep(gate, context);
    expect(r.outputs.source).toBe('stop');
    const stop = await runStep(step('deploy', 'apply-iam', 'Stop for review'), {
      'matrix.cluster': 'pangeo-gcp',
      'github.run_id': '4242',
    });
    expect(stop.status).toBe(1);
    expect(stop.stdout).toBe(
      '::error::pangeo-gcp: the merged tree differs from the reviewed plan (or none was found), so nothing was applied. ' +
        'Review the new plan (artifact plan-pangeo-gcp of run 4242, shown above), then run the deploy workflow by hand with plan-run-id=4242.\n',
    );
  });

  it('stops for review when no reviewed plan was found', async () => {
    const context = { ...(await merged('true')), 'steps.reviewed-download.outcome': 'failure' };
    expect((await runStep(gate, context)).outputs.source).toBe('stop');
  });

  it('applies the merged plan only when it changes nothing (the apply just reads the outputs)', async () => {
    const context = { ...(await merged('false')), 'steps.reviewed-download.outcome': 'skipped' };
    const r = await runStep(gate, context);
    expect(r.outputs).toEqual({
      source: 'no-changes',
      'plan-path': join(temp, 'hubfleet-plan-artifact', 'plan.tfplan'),
      'plan-sha256': PLAN_SHA,
      'inputs-digest': DIGEST,
    });
  });
});

describeWithJq('the per-cluster hand-over between jobs', () => {
  const annotations = { 'user-sa-ns': { 'iam.gke.io/gcp-service-account': 'sa@p.iam.gserviceaccount.com' } };

  it('passes apply-iam outputs to the stage jobs unchanged', async () => {
    const keep = await runStep(step('deploy', 'apply-iam', 'Keep the outputs for the deploy jobs'), {
      'steps.apply.outputs.sa-annotations': JSON.stringify(annotations),
      'steps.apply.outputs.hub-outputs': '{"ocean":{"static_ip_name":"ip"}}',
    });
    expect(keep.status).toBe(0);
    const read = await runStep(step('deploy', 'prod', 'Read the service-account annotations'), {});
    expect(read.outputs).toEqual({ 'sa-annotations': JSON.stringify(annotations) });
  });

  it.each([
    [
      'staging',
      'Check iam',
      'iam-artifact-download',
      'apply-iam did not pass for pangeo-gcp in this run: none of its hubs is deployed. Fix the apply and re-run the failed jobs.',
    ],
    [
      'prod',
      'Check staging-passed',
      'staging-gate-download',
      "pangeo-gcp's staging hubs did not pass in this run: its prod hubs are left untouched.",
    ],
  ])('%s: %s fails without the artifact, and passes with it', async (job, name, id, message) => {
    const s = step('deploy', job, name);
    const missing = await runStep(s, { 'matrix.cluster': 'pangeo-gcp', [`steps.${id}.outcome`]: 'failure' });
    expect({ status: missing.status, stdout: missing.stdout }).toEqual({
      status: 1,
      stdout: `::error::${message}\n`,
    });
    const present = await runStep(s, { 'matrix.cluster': 'pangeo-gcp', [`steps.${id}.outcome`]: 'success' });
    expect(present.status).toBe(0);
  });
});

describeWithJq("apply-iam: the run holding the cluster's reviewed plan", () => {
  it.each([
    ['pangeo-gcp', '{"pangeo-gcp":"1001","pangeo-aws":"1000"}', '1001'],
    ['pangeo-aws', '{"pangeo-gcp":"1001","pangeo-aws":"1000"}', '1000'],
    ['pangeo-gcp', '{"pangeo-aws":"1000"}', ''],
    ['pangeo-gcp', '', ''],
  ])('%s from %j', async (cluster, planRuns, runId) => {
    const r = await runStep(step('deploy', 'apply-iam', 'Which run holds the reviewed plan'), {
      'matrix.cluster': cluster,
      'needs.affected.outputs.plan-runs': planRuns,
    });
    expect({ status: r.status, outputs: r.outputs }).toEqual({ status: 0, outputs: { 'run-id': runId } });
  });
});

describeWithJq('the prod gate', () => {
  const gate = (): RenderedStep =>
    step('deploy', 'prod-gate', 'Prod rows of the clusters whose apply and staging passed');
  const row = (cluster: string, afterStaging: boolean): Record<string, unknown> => ({
    cluster,
    hubs: `${cluster}-hub`,
    afterStaging,
  });
  const PROD = { include: [row('a', true), row('b', true), row('c', false), row('d', true)] };

  it('passes the rows whose cluster applied and staged in this run, and holds the others without asking for approval', async () => {
    // The markers as download-artifact's `pattern` leaves them: one directory per artifact.
    for (const name of ['iam-a', 'staging-passed-a', 'iam-b', 'iam-c', 'staging-passed-d']) {
      await mkdir(join(temp, 'passed', name), { recursive: true });
    }
    const r = await runStep(gate(), { 'needs.affected.outputs.prod': JSON.stringify(PROD) });
    expect({ status: r.status, outputs: r.outputs, stdout: r.stdout, summary: r.summary }).toEqual({
      status: 0,
      outputs: { prod: JSON.stringify({ include: [row('a', true), row('c', false)] }), 'has-prod': 'true' },
      stdout: [
        '::warning::b: staging did not pass in this run: its prod hubs are left untouched and no approval is asked for.',
        '::warning::d: apply-iam did not pass in this run: its prod hubs are left untouched and no approval is asked for.',
        '',
      ].join('\n'),
      summary: [
        '### Prod',
        '- a: deploys a-hub',
        '- c: deploys c-hub',
        '- held: b: staging did not pass in this run',
        '- held: d: apply-iam did not pass in this run',
        '',
      ].join('\n'),
    });
  });

  it('creates no prod job when nothing passed (no marker was downloaded)', async () => {
    const r = await runStep(gate(), { 'needs.affected.outputs.prod': JSON.stringify(PROD) });
    expect({ status: r.status, outputs: r.outputs }).toEqual({
      status: 0,
      outputs: { prod: JSON.stringify({ include: [] }), 'has-prod': 'false' },
    });
  });
});

describeWithJq('dispatch summaries', () => {
  const hostile = 'broken `$(touch pwned)` $HOME "quoted"\nsecond line';

  it('writes who asked and why verbatim, without running any of it', async () => {
    const r = await runStep(step('rollback-hub', 'target', 'Who asked, and why'), {
      'inputs.cluster': 'pangeo-gcp',
      'inputs.hub': 'ocean',
      'inputs.reason': hostile,
      'github.triggering_actor': 'octocat',
    });
    expect(r.status).toBe(0);
    expect(r.summary).toBe(
      [
        '### Roll back a hub',
        '- hub: `pangeo-gcp/ocean`',
        '- requested by: @octocat',
        '- reason:',
        '',
        '> broken `$(touch pwned)` $HOME "quoted"',
        '> second line',
        '',
      ].join('\n'),
    );
    expect(spawnSync('test', ['-e', join(temp, 'pwned')]).status).toBe(1);
  });

  it('refuses a rollback without a reason', async () => {
    const r = await runStep(step('rollback-hub', 'target', 'Who asked, and why'), {
      'inputs.cluster': 'pangeo-gcp',
      'inputs.hub': 'ocean',
      'inputs.reason': '  ',
      'github.triggering_actor': 'octocat',
    });
    expect({ status: r.status, stdout: r.stdout, summary: r.summary }).toEqual({
      status: 1,
      stdout: '::error::a reason is required for a rollback\n',
      summary: '',
    });
  });

  it('records who recreated a certificate', async () => {
    const r = await runStep(step('recreate-cert', 'target', 'Who asked, and why'), {
      'inputs.cluster': 'pangeo-gcp',
      'inputs.hub': 'ocean',
      'github.triggering_actor': 'octocat',
    });
    expect(r.summary).toBe('### Recreate certificate\n- hub: `pangeo-gcp/ocean`\n- requested by: @octocat\n');
  });
});

describeWithJq(
  'the deploy source: what changed since the last good deploy, and the reviewed plan run',
  () => {
    const source = step('deploy', 'affected', 'Last deployed commit, merged PR and its plan run');
    let repo = '';
    let commits: string[] = [];

    /**
     * A `gh` on PATH that answers `gh api <endpoint> --jq <filter>` from a table, through real jq.
     * A `{sequence: [...]}` entry answers its items in turn (the last one from then on). A `sleep`
     * beside it records its argument instead of sleeping.
     */
    async function fakeGh(responses: Record<string, unknown>): Promise<string> {
      const bin = join(temp, 'bin');
      await mkdir(bin, { recursive: true });
      await writeFile(join(temp, 'gh-responses.json'), JSON.stringify(responses));
      await writeFile(
        join(bin, 'gh'),
        [
          '#!/usr/bin/env bash',
          'endpoint="$2"; filter="$4"',
          'echo "$endpoint" >> "$RUNNER_TEMP/gh-calls"',
          'n=$(grep -cxF -- "$endpoint" "$RUNNER_TEMP/gh-calls")',
          'body=$(jq -c --arg e "$endpoint" --argjson n "$n" \'.[$e] // empty | if type == "object" and has("sequence") then .sequence[([$n, (.sequence | length)] | min) - 1] else . end\' "$RUNNER_TEMP/gh-responses.json")',
          '[ -n "$body" ] || { echo "gh: no response for $endpoint" >&2; exit 1; }',
          'jq -r "$filter" <<<"$body"',
        ].join('\n'),
        { mode: 0o755 },
      );
      await writeFile(join(bin, 'sleep'), '#!/usr/bin/env bash\necho "$1" >> "$RUNNER_TEMP/sleeps"\n', {
        mode: 0o755,
      });
      return bin;
    }

    const HUB_PR_RUNS = (head: string): string =>
      `repos/example-org/fleet/actions/workflows/hub-pr.yml/runs?event=pull_request&head_sha=${head}&per_page=100`;
    /** A hub-pr run as the REST API lists it; `fork` runs come from another repository's branch. */
    const hubPrRun = (id: number, status: string, fork = false): Record<string, unknown> => ({
      id,
      run_number: id,
      status,
      head_repository: { full_name: fork ? 'someone/fleet' : 'example-org/fleet' },
      repository: { full_name: 'example-org/fleet' },
    });
    const artifacts = (run: number, names: string[]): Record<string, unknown> => ({
      [`repos/example-org/fleet/actions/runs/${run}/artifacts?per_page=100`]: {
        artifacts: names.map((name) => ({ name, expired: false })),
      },
    });

    beforeEach(async () => {
      repo = join(temp, 'repo');
      await mkdir(repo);
      const git = (...args: string[]): string =>
        spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout.trim();
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'ci@example.org');
      git('config', 'user.name', 'ci');
      commits = [];
      for (const n of [1, 2, 3]) {
        git('commit', '-q', '--allow-empty', '-m', `c${n}`);
        commits.push(git('rev-parse', 'HEAD'));
      }
    });

    const context = (overrides: Record<string, string> = {}): Record<string, string> => ({
      'github.token': 'token',
      'github.repository': 'example-org/fleet',
      'github.sha': commits[2] ?? '',
      'github.event.before': commits[1] ?? '',
      'inputs.plan-run-id': '',
      'inputs.deploy-all': '',
      ...overrides,
    });

    it('diffs from the last successful deploy and takes the merged PR labels and its plan run', async () => {
      const bin = await fakeGh({
        'repos/example-org/fleet/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1': {
          workflow_runs: [{ head_sha: commits[0] }],
        },
        [`repos/example-org/fleet/commits/${commits[2] ?? ''}/pulls`]: [
          { number: 6, merged_at: null, head: { sha: 'f'.repeat(40) }, labels: [] },
          {
            number: 7,
            merged_at: '2026-12-01T00:00:00Z',
            head: { sha: 'e'.repeat(40) },
            labels: [{ name: 'hubfleet:deploy-all' }],
          },
        ],
        [HUB_PR_RUNS('e'.repeat(40))]: { workflow_runs: [hubPrRun(999, 'completed')] },
        [`${HUB_PR_RUNS('e'.repeat(40))}&status=success`]: { workflow_runs: [hubPrRun(999, 'completed')] },
        ...artifacts(999, ['rendered-diff', 'plan-pangeo-gcp']),
      });
      const r = await runStep(source, context(), { cwd: repo, path: bin });
      expect({ status: r.status, outputs: r.outputs }).toEqual({
        status: 0,
        outputs: {
          base: commits[0],
          labels: 'hubfleet:deploy-all',
          'labels-since': commits[1],
          'pr-number': '7',
          'plan-runs': '{"pangeo-gcp":"999"}',
        },
      });
    });

    it('falls back to the pushed range, then to the parent, when there is no good deploy to diff from', async () => {
      const noRuns = {
        'repos/example-org/fleet/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1': {
          workflow_runs: [],
        },
        [`repos/example-org/fleet/commits/${commits[2] ?? ''}/pulls`]: [],
      };
      const bin = await fakeGh(noRuns);
      const pushed = await runStep(source, context(), { cwd: repo, path: bin });
      expect(pushed.outputs).toEqual({
        base: commits[1],
        labels: '',
        'labels-since': commits[1],
        'pr-number': '',
        'plan-runs': '{}',
      });
      const first = await runStep(source, context({ 'github.event.before': '0'.repeat(40) }), {
        cwd: repo,
        path: bin,
      });
      expect(first.outputs.base).toBe(commits[1]);
      // No pushed range (a first push, or a run by hand): the merge commit's first parent.
      expect(first.outputs['labels-since']).toBe(commits[1]);
    });

    it('deploys every hub when asked by hand, though the merged PR carries hubfleet:skip-deploy', async () => {
      // skip-deploy wins over deploy-all in the planner: kept, it would make the manual run a green no-op.
      const bin = await fakeGh({
        'repos/example-org/fleet/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1': {
          workflow_runs: [{ head_sha: commits[2] }],
        },
        [`repos/example-org/fleet/commits/${commits[2] ?? ''}/pulls`]: [
          {
            number: 8,
            merged_at: '2026-12-01T00:00:00Z',
            head: { sha: 'd'.repeat(40) },
            labels: [
              { name: 'hubfleet:skip-deploy' },
              { name: 'hubfleet:remove-hub' },
              { name: 'hubfleet:deploy-all' },
            ],
          },
        ],
        [HUB_PR_RUNS('d'.repeat(40))]: { workflow_runs: [hubPrRun(31, 'completed')] },
        [`${HUB_PR_RUNS('d'.repeat(40))}&status=success`]: { workflow_runs: [hubPrRun(31, 'completed')] },
        ...artifacts(31, ['plan-pangeo-aws']),
      });
      const manual = await runStep(source, context({ 'inputs.deploy-all': 'true' }), {
        cwd: repo,
        path: bin,
      });
      expect({ status: manual.status, outputs: manual.outputs }).toEqual({
        status: 0,
        outputs: {
          base: commits[2],
          labels: 'hubfleet:remove-hub,hubfleet:deploy-all',
          'labels-since': commits[1],
          'pr-number': '8',
          'plan-runs': '{"pangeo-aws":"31"}',
        },
      });
      // A push keeps the merged PR's labels as they are.
      const pushed = await runStep(source, context(), { cwd: repo, path: bin });
      expect(pushed.outputs.labels).toBe('hubfleet:skip-deploy,hubfleet:remove-hub,hubfleet:deploy-all');
    });

    it('takes a reviewed run id and deploy-all from a manual run, and refuses a run id that is not one', async () => {
      const bin = await fakeGh({
        'repos/example-org/fleet/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1': {
          workflow_runs: [],
        },
        [`repos/example-org/fleet/commits/${commits[2] ?? ''}/pulls`]: [],
        ...artifacts(4242, ['plan-pangeo-aws', 'plan-pangeo-gcp']),
      });
      const manual = await runStep(
        source,
        context({ 'inputs.plan-run-id': '4242', 'inputs.deploy-all': 'true' }),
        {
          cwd: repo,
          path: bin,
        },
      );
      expect(manual.outputs).toEqual({
        base: commits[1],
        labels: 'hubfleet:deploy-all',
        'labels-since': commits[1],
        'pr-number': '',
        'plan-runs': '{"pangeo-aws":"4242","pangeo-gcp":"4242"}',
      });
      const bad = await runStep(source, context({ 'inputs.plan-run-id': '1; rm -rf /' }), {
        cwd: repo,
        path: bin,
      });
      expect({ status: bad.status, stdout: bad.stdout }).toEqual({
        status: 1,
        stdout: '::error::plan-run-id must be a run id (digits)\n',
      });
    });

    it.each([
      ['active', 2, ''],
      ['active', 30, 'the scheduled checks have not succeeded for 30 hours'],
      ['disabled_inactivity', 2, 'the scheduled checks are disabled_inactivity'],
    ])('reports scheduled checks that are %s with a success %i hours ago', async (state, hours, warning) => {
      const last = new Date(Date.now() - hours * 3600_000 - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const bin = await fakeGh({
        'repos/example-org/fleet/actions/workflows/scheduled.yml': { state },
        'repos/example-org/fleet/actions/workflows/scheduled.yml/runs?status=success&per_page=1': {
          workflow_runs: [{ updated_at: last }],
        },
      });
      const r = await runStep(
        step('deploy', 'affected', 'Are the scheduled checks alive?'),
        { 'github.token': 't', 'github.repository': 'example-org/fleet' },
        { path: bin },
      );
      expect({
        status: r.status,
        warned: r.stdout.startsWith(`::warning::${warning}`),
        empty: r.stdout === '',
      }).toEqual({
        status: 0,
        warned: warning !== '',
        empty: warning === '',
      });
      expect(r.summary).toBe(`- scheduled checks: ${state}, last success ${last}\n`);
    });

    /** The merged PR #9 with head `c…c`. */
    const merged = (): Record<string, unknown> => ({
      'repos/example-org/fleet/actions/workflows/deploy.yml/runs?branch=main&status=success&per_page=1': {
        workflow_runs: [{ head_sha: commits[1] }],
      },
      [`repos/example-org/fleet/commits/${commits[2] ?? ''}/pulls`]: [
        { number: 9, merged_at: '2026-12-01T00:00:00Z', head: { sha: 'c'.repeat(40) }, labels: [] },
      ],
    });

    it('waits for a hub-pr run still in progress, then takes per cluster the newest successful same-repository run holding its plan', async () => {
      const head = 'c'.repeat(40);
      const bin = await fakeGh({
        ...merged(),
        [HUB_PR_RUNS(head)]: {
          sequence: [
            { workflow_runs: [hubPrRun(1001, 'in_progress'), hubPrRun(1000, 'completed')] },
            { workflow_runs: [hubPrRun(1001, 'completed'), hubPrRun(1000, 'completed')] },
          ],
        },
        // 1002 is newer but from a fork's branch; 1001 planned only pangeo-gcp (a labelled re-run).
        [`${HUB_PR_RUNS(head)}&status=success`]: {
          workflow_runs: [
            hubPrRun(1000, 'completed'),
            hubPrRun(1002, 'completed', true),
            hubPrRun(1001, 'completed'),
          ],
        },
        ...artifacts(1001, ['plan-pangeo-gcp', 'rendered-diff']),
        ...artifacts(1000, ['plan-pangeo-gcp', 'plan-pangeo-aws', 'rendered-diff']),
        ...artifacts(1002, ['plan-pangeo-gcp']),
      });
      const r = await runStep(source, context(), { cwd: repo, path: bin });
      expect({ status: r.status, planRuns: r.outputs['plan-runs'], stdout: r.stdout }).toEqual({
        status: 0,
        planRuns: '{"pangeo-gcp":"1001","pangeo-aws":"1000"}',
        stdout: '',
      });
      expect((await readFile(join(temp, 'sleeps'), 'utf8')).split('\n')).toEqual(['30', '']);
      expect(r.summary).toContain('- reviewed plans: pangeo-gcp from run 1001, pangeo-aws from run 1000\n');
    });

    it('waits at most ten minutes for a run that does not finish, and says so', async () => {
      const head = 'c'.repeat(40);
      const bin = await fakeGh({
        ...merged(),
        [HUB_PR_RUNS(head)]: { workflow_runs: [hubPrRun(1001, 'in_progress'), hubPrRun(1000, 'completed')] },
        [`${HUB_PR_RUNS(head)}&status=success`]: { workflow_runs: [hubPrRun(1000, 'completed')] },
        ...artifacts(1000, ['plan-pangeo-gcp']),
      });
      const r = await runStep(source, context(), { cwd: repo, path: bin });
      expect({ status: r.status, planRuns: r.outputs['plan-runs'], stdout: r.stdout }).toEqual({
        status: 0,
        planRuns: '{"pangeo-gcp":"1000"}',
        stdout: `::warning::a hub-pr run of ${head} is still running after 600s; taking the newest finished plans (a cluster whose merged plan differs stops for review)\n`,
      });
      expect((await readFile(join(temp, 'sleeps'), 'utf8')).trim().split('\n')).toEqual(Array(20).fill('30'));
    });
  },
);

describe('affected: a refused change fails the step after the matrices and annotations reach the log', () => {
  /** A `node` on PATH standing in for `node bin/hubfleet.js affected`: records its arguments. */
  async function fakeNode(status: number): Promise<string> {
    const bin = join(temp, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(
      join(bin, 'node'),
      [
        '#!/usr/bin/env bash',
        'printf "%s\\n" "$@" > "$RUNNER_TEMP/node-args"',
        'echo "has-clusters=true" >> "$GITHUB_OUTPUT"',
        `echo '{"clusters": {"include": []}}'`,
        ...(status === 0
          ? []
          : [
              "echo '::error file=config/clusters/c/hubs/h.yaml,title=hub removal refused::deleted without the label'",
              "echo 'config/clusters/c/hubs/h.yaml: deleted without the label' >&2",
            ]),
        `exit ${status}`,
      ].join('\n'),
      { mode: 0o755 },
    );
    return bin;
  }

  const cases = [
    {
      workflow: 'hub-pr',
      job: 'validate',
      context: {
        'github.event.pull_request.base.sha': 'b'.repeat(40),
        "join(github.event.pull_request.labels.*.name, ',')": 'other,hubfleet:skip-deploy',
      },
    },
    {
      workflow: 'deploy',
      job: 'affected',
      context: {
        'steps.source.outputs.base': 'b'.repeat(40),
        'steps.source.outputs.labels': 'other,hubfleet:skip-deploy',
        'steps.source.outputs.labels-since': 'c'.repeat(40),
      },
      since: ['--labels-since', 'c'.repeat(40)],
    },
  ];

  it.each<{ workflow: string; job: string; context: Record<string, string>; since?: string[] }>(cases)(
    '$workflow',
    async ({ workflow, job, context, since = [] }) => {
      const affected = step(workflow, job, 'Affected clusters and hubs');
      const args = [
        'bin/hubfleet.js',
        'affected',
        '--base',
        'b'.repeat(40),
        '--head',
        'HEAD',
        '--labels',
        'other,hubfleet:skip-deploy',
        ...since,
        '--github-output',
        '--refuse-unlabelled-removals',
      ];

      const refused = await runStep(affected, context, { path: await fakeNode(1) });
      expect(refused).toEqual({
        status: 1,
        stdout:
          '{"clusters": {"include": []}}\n' +
          '::error file=config/clusters/c/hubs/h.yaml,title=hub removal refused::deleted without the label\n',
        stderr: 'config/clusters/c/hubs/h.yaml: deleted without the label\n',
        outputs: { 'has-clusters': 'true' },
        summary: '',
      });
      expect((await readFile(join(temp, 'node-args'), 'utf8')).trim().split('\n')).toEqual(args);

      const passed = await runStep(affected, context, { path: await fakeNode(0) });
      expect({ status: passed.status, stdout: passed.stdout, stderr: passed.stderr }).toEqual({
        status: 0,
        stdout: '{"clusters": {"include": []}}\n',
        stderr: '',
      });
    },
  );
});
