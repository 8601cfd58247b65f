import { describe, expect, it } from '@jest/globals';
import { checkPolicy, type Violation } from './policy.js';

const SHA = 'a'.repeat(40);
const CHECKOUT = `actions/checkout@${SHA}`;
const GUARD = 'github.event.pull_request.head.repo.full_name == github.repository';

type Obj = Record<string, unknown>;

/** A small workflow that passes every rule; each case below breaks one thing. */
function good(): Obj {
  return {
    name: 'ok',
    on: { pull_request: {} },
    permissions: {},
    jobs: {
      plan: {
        if: GUARD,
        'runs-on': '${{ matrix.runner }}',
        permissions: { contents: 'read', 'id-token': 'write', 'pull-requests': 'write' },
        'timeout-minutes': 30,
        steps: [
          { name: 'Check out', uses: CHECKOUT, with: { 'persist-credentials': false } },
          { name: 'Login', uses: `google-github-actions/auth@${SHA}` },
          { name: 'Plan', uses: './actions/plan-cluster', with: { mode: 'plan' } },
          { name: 'Show', env: { TITLE: '${{ github.event.pull_request.title }}' }, run: 'echo "$TITLE"' },
        ],
      },
    },
  };
}

const FRESHNESS = {
  name: 'Fresh',
  env: { SHA: '${{ github.sha }}' },
  run: 'curl -fsSL "$API_URL/repos/$REPO/compare/$SHA...main"',
};

function deployWorkflow(): Obj {
  return {
    name: 'deploy',
    on: { push: { branches: ['main'] } },
    permissions: { contents: 'read' },
    concurrency: { group: 'hubfleet-deploy', 'cancel-in-progress': false },
    jobs: {
      uninstall: {
        'runs-on': '${{ matrix.runner }}',
        environment: '${{ matrix.environment }}',
        permissions: { contents: 'read', 'id-token': 'write' },
        'timeout-minutes': 60,
        concurrency: { group: 'hubfleet-deploy-${{ matrix.cluster }}', 'cancel-in-progress': false },
        steps: [
          { name: 'Check out', uses: CHECKOUT },
          {
            name: 'Login',
            uses: `aws-actions/configure-aws-credentials@${SHA}`,
            with: { 'role-to-assume': '${{ matrix.awsRoleArn }}' },
          },
          { name: 'Uninstall', uses: './actions/deploy-hub', with: { mode: 'uninstall' } },
        ],
      },
      deploy: {
        needs: ['uninstall'],
        if: "${{ !cancelled() && (needs.uninstall.result == 'success' || needs.uninstall.result == 'skipped') }}",
        'runs-on': '${{ matrix.runner }}',
        environment: '${{ matrix.environment }}',
        permissions: { contents: 'read', 'id-token': 'write' },
        'timeout-minutes': 60,
        concurrency: { group: 'hubfleet-deploy-${{ matrix.cluster }}', 'cancel-in-progress': false },
        strategy: { matrix: '${{ fromJSON(needs.affected.outputs.staging) }}' },
        steps: [
          { name: 'Check out', uses: CHECKOUT },
          FRESHNESS,
          {
            name: 'Login',
            uses: `aws-actions/configure-aws-credentials@${SHA}`,
            with: { 'role-to-assume': '${{ matrix.awsRoleArn }}' },
          },
          { name: 'Deploy', uses: './actions/deploy-hub' },
        ],
      },
    },
  };
}

function scheduledWorkflow(): Obj {
  return {
    name: 'scheduled',
    on: { schedule: [{ cron: '7 * * * *' }] },
    permissions: {},
    jobs: {
      iap: {
        'runs-on': '${{ matrix.runner }}',
        permissions: { contents: 'read', 'id-token': 'write', issues: 'write' },
        'timeout-minutes': 20,
        steps: [
          { name: 'Check out', uses: CHECKOUT },
          {
            name: 'Login',
            uses: `google-github-actions/auth@${SHA}`,
            with: { workload_identity_provider: 'p' },
          },
          {
            name: 'Smoke',
            uses: './actions/smoke-iap',
            with: { 'report-issues': "${{ needs.targets.outputs.deploying != 'true' }}" },
          },
        ],
      },
      keepalive: {
        'runs-on': 'ubuntu-latest',
        permissions: { actions: 'write' },
        'timeout-minutes': 5,
        steps: [
          { name: 'Enable', run: 'gh api -X PUT "repos/$REPO/actions/workflows/scheduled.yml/enable"' },
        ],
      },
    },
  };
}

function edit(base: Obj, change: (w: Obj & { jobs: Record<string, Obj & { steps: Obj[] }> }) => void): Obj {
  const copy = structuredClone(base) as Obj & { jobs: Record<string, Obj & { steps: Obj[] }> };
  change(copy);
  return copy;
}

const job = (w: { jobs: Record<string, Obj & { steps: Obj[] }> }, id = 'plan'): Obj & { steps: Obj[] } => {
  const j = w.jobs[id];
  if (j === undefined) throw new Error(`no job ${id}`);
  return j;
};

const check = (workflow: Obj): Violation[] => checkPolicy([{ file: 'w.yml', workflow }]);

describe('policy', () => {
  it('accepts the good examples', () => {
    expect(check(good())).toEqual([]);
    expect(check(deployWorkflow())).toEqual([]);
    expect(check(scheduledWorkflow())).toEqual([]);
  });

  it.each<[string, Obj, Violation[]]>([
    [
      'a tag instead of a SHA',
      edit(good(), (w) => (job(w).steps[0] = { name: 'Check out', uses: 'actions/checkout@v4' })),
      [
        {
          rule: 'pinned-uses',
          file: 'w.yml',
          job: 'plan',
          step: 'Check out',
          message: 'uses actions/checkout@v4 is not pinned to a full 40-hex commit SHA',
        },
      ],
    ],
    [
      'a short SHA',
      edit(good(), (w) => (job(w).steps[1] = { name: 'Login', uses: 'google-github-actions/auth@7c6bc77' })),
      [
        {
          rule: 'pinned-uses',
          file: 'w.yml',
          job: 'plan',
          step: 'Login',
          message: 'uses google-github-actions/auth@7c6bc77 is not pinned to a full 40-hex commit SHA',
        },
      ],
    ],
    [
      'a reusable workflow on a branch',
      edit(
        good(),
        (w) =>
          (w.jobs.other = {
            if: GUARD,
            uses: 'org/repo/.github/workflows/x.yml@main',
            permissions: {},
            'timeout-minutes': 5,
            steps: [],
          }),
      ),
      [
        {
          rule: 'pinned-uses',
          file: 'w.yml',
          job: 'other',
          message: 'uses org/repo/.github/workflows/x.yml@main is not pinned to a full 40-hex commit SHA',
        },
      ],
    ],
    [
      'no top-level permissions',
      edit(good(), (w) => delete w.permissions),
      [
        {
          rule: 'top-level-permissions',
          file: 'w.yml',
          message:
            'no top-level permissions: the token gets the repository default (possibly write-all); set permissions: {}',
        },
      ],
    ],
    [
      'a top-level write',
      edit(good(), (w) => (w.permissions = { contents: 'read', issues: 'write' })),
      [
        {
          rule: 'top-level-permissions',
          file: 'w.yml',
          message: 'top-level permissions grant issues: write; grant writes per job',
        },
      ],
    ],
    [
      'write-all at the top',
      edit(good(), (w) => (w.permissions = 'write-all')),
      [
        {
          rule: 'top-level-permissions',
          file: 'w.yml',
          message: 'top-level permissions "write-all" is not {} or read-only',
        },
      ],
    ],
    [
      'a job without permissions',
      edit(good(), (w) => delete job(w).permissions),
      [
        {
          rule: 'job-permissions',
          file: 'w.yml',
          job: 'plan',
          message: 'no job-level permissions map: say exactly what this job may do',
        },
      ],
    ],
    [
      'id-token without a cloud login',
      edit(good(), (w) => job(w).steps.splice(1, 1)),
      [
        {
          rule: 'least-privilege',
          file: 'w.yml',
          job: 'plan',
          message: 'id-token: write but no step uses it',
        },
      ],
    ],
    [
      'pull-requests: write without a comment',
      edit(good(), (w) => job(w).steps.splice(2, 1)),
      [
        {
          rule: 'least-privilege',
          file: 'w.yml',
          job: 'plan',
          message: 'pull-requests: write but no step uses it',
        },
      ],
    ],
    [
      'issues: write where nothing reports issues',
      edit(
        good(),
        (w) =>
          (job(w).permissions = {
            contents: 'read',
            'id-token': 'write',
            'pull-requests': 'write',
            issues: 'write',
          }),
      ),
      [{ rule: 'least-privilege', file: 'w.yml', job: 'plan', message: 'issues: write but no step uses it' }],
    ],
    [
      'contents: write',
      edit(
        good(),
        (w) => (job(w).permissions = { contents: 'write', 'id-token': 'write', 'pull-requests': 'write' }),
      ),
      [
        {
          rule: 'least-privilege',
          file: 'w.yml',
          job: 'plan',
          // Only the release job writes contents (gh release create, workflows/release.ts).
          message: 'contents: write but no step uses it',
        },
      ],
    ],
    [
      'no timeout',
      edit(good(), (w) => delete job(w)['timeout-minutes']),
      [
        {
          rule: 'timeout',
          file: 'w.yml',
          job: 'plan',
          message: 'no timeout-minutes: a hung step would hold the runner for 6 hours (self-hosted: days)',
        },
      ],
    ],
    [
      'a timeout taken from a dispatch input',
      edit(good(), (w) => (job(w)['timeout-minutes'] = '${{ inputs.minutes }}')),
      [
        {
          rule: 'timeout',
          file: 'w.yml',
          job: 'plan',
          message: 'no timeout-minutes: a hung step would hold the runner for 6 hours (self-hosted: days)',
        },
      ],
    ],
    [
      'PR text inside run',
      edit(
        good(),
        (w) => (job(w).steps[3] = { name: 'Show', run: 'echo "${{ github.event.pull_request.title }}"' }),
      ),
      [
        {
          rule: 'expression-in-run',
          file: 'w.yml',
          job: 'plan',
          step: 'Show',
          message: 'run: holds a ${{ }} expression; pass the value through env: and quote "$VAR"',
        },
      ],
    ],
    [
      'a dispatch input inside run',
      edit(good(), (w) => (job(w).steps[3] = { name: 'Show', run: 'echo ${{ inputs.reason }}' })),
      [
        {
          rule: 'expression-in-run',
          file: 'w.yml',
          job: 'plan',
          step: 'Show',
          message: 'run: holds a ${{ }} expression; pass the value through env: and quote "$VAR"',
        },
      ],
    ],
    [
      'a self-hosted job with no fork guard',
      edit(good(), (w) => delete job(w).if),
      [
        {
          rule: 'fork-on-self-hosted',
          file: 'w.yml',
          job: 'plan',
          message: `self-hosted job can run for a fork PR: its if: must require ${GUARD} (joined with &&)`,
        },
      ],
    ],
    [
      'a fork guard that an || defeats',
      edit(good(), (w) => (job(w).if = `${GUARD} || github.event_name == 'pull_request'`)),
      [
        {
          rule: 'fork-on-self-hosted',
          file: 'w.yml',
          job: 'plan',
          message: `self-hosted job can run for a fork PR: its if: must require ${GUARD} (joined with &&)`,
        },
      ],
    ],
    [
      'a self-hosted label list without a guard',
      edit(good(), (w) => {
        delete job(w).if;
        job(w)['runs-on'] = ['self-hosted', 'pangeo-gcp'];
      }),
      [
        {
          rule: 'fork-on-self-hosted',
          file: 'w.yml',
          job: 'plan',
          message: `self-hosted job can run for a fork PR: its if: must require ${GUARD} (joined with &&)`,
        },
      ],
    ],
    [
      'pull_request_target checking out the head',
      edit(good(), (w) => {
        w.on = { pull_request_target: {} };
        job(w).steps[0] = {
          name: 'Check out',
          uses: CHECKOUT,
          with: { ref: '${{ github.event.pull_request.head.sha }}' },
        };
      }),
      [
        {
          rule: 'pull-request-target-checkout',
          file: 'w.yml',
          job: 'plan',
          step: 'Check out',
          message:
            "pull_request_target checks out ref ${{ github.event.pull_request.head.sha }}: the PR head would run with the base's token and secrets",
        },
      ],
    ],
    [
      'a deploy that cancels in progress',
      edit(
        deployWorkflow(),
        (w) =>
          (job(w, 'deploy').concurrency = {
            group: 'hubfleet-deploy-${{ matrix.cluster }}',
            'cancel-in-progress': true,
          }),
      ),
      [
        {
          rule: 'deploy-concurrency',
          file: 'w.yml',
          job: 'deploy',
          message:
            'concurrency must set cancel-in-progress: false: a cancelled apply or helm upgrade leaves the cluster half-changed',
        },
      ],
    ],
    [
      'a deploy without a concurrency group',
      edit(deployWorkflow(), (w) => delete job(w, 'deploy').concurrency),
      [
        {
          rule: 'deploy-concurrency',
          file: 'w.yml',
          job: 'deploy',
          message: 'changes a cluster without a per-cluster concurrency group (cancel-in-progress: false)',
        },
      ],
    ],
    [
      'a deploy group shared by every cluster',
      edit(
        deployWorkflow(),
        (w) => (job(w, 'deploy').concurrency = { group: 'deploy', 'cancel-in-progress': false }),
      ),
      [
        {
          rule: 'deploy-concurrency',
          file: 'w.yml',
          job: 'deploy',
          message: 'concurrency group "deploy" is not per cluster',
        },
      ],
    ],
    [
      'a workflow-level group that cancels deploys',
      edit(deployWorkflow(), (w) => (w.concurrency = { group: 'deploy', 'cancel-in-progress': true })),
      [
        {
          rule: 'deploy-ordering',
          file: 'w.yml',
          message:
            'a deploy on push needs one workflow-level concurrency group (a constant) with cancel-in-progress: false, so runs deploy in order',
        },
        ...['uninstall', 'deploy'].map((id) => ({
          rule: 'deploy-concurrency' as const,
          file: 'w.yml',
          job: id,
          message:
            'the workflow-level concurrency cancels in progress, which would cancel this job mid-change',
        })),
      ],
    ],
    [
      'the applier identity in a pull_request workflow',
      edit(
        good(),
        (w) =>
          (job(w).steps[1] = {
            name: 'Login',
            uses: `google-github-actions/auth@${SHA}`,
            with: { service_account: '${{ matrix.gcpServiceAccount }}' },
          }),
      ),
      [
        {
          rule: 'applier-in-environment',
          file: 'w.yml',
          job: 'plan',
          step: 'Login',
          message:
            'a pull_request workflow logs in as the applier: PR code would act with write access; use the planner identity',
        },
      ],
    ],
    [
      'the applier identity in a job without an environment',
      edit(deployWorkflow(), (w) => {
        delete job(w, 'deploy').environment;
        job(w, 'deploy').steps[3] = { name: 'Plan', uses: './actions/plan-cluster', with: { mode: 'plan' } };
      }),
      [
        {
          rule: 'applier-in-environment',
          file: 'w.yml',
          job: 'deploy',
          step: 'Login',
          message:
            'logs in as the applier without an environment: the applier trusts only the OIDC sub of Environments that allow main',
        },
      ],
    ],
    [
      'a cluster change outside an Environment',
      edit(deployWorkflow(), (w) => {
        delete job(w, 'deploy').environment;
        job(w, 'deploy').steps[2] = { name: 'Login', uses: `aws-actions/configure-aws-credentials@${SHA}` };
      }),
      [
        {
          rule: 'cluster-change-in-environment',
          file: 'w.yml',
          job: 'deploy',
          message:
            'changes a cluster outside an Environment: a dispatch from any branch could run it (Environments allow only main)',
        },
      ],
    ],
    [
      'an apply that runs after a cancelled uninstall',
      edit(
        deployWorkflow(),
        (w) => (job(w, 'deploy').if = "${{ !cancelled() && needs.uninstall.result != 'failure' }}"),
      ),
      [
        {
          rule: 'uninstall-gate',
          file: 'w.yml',
          job: 'deploy',
          message:
            "runs after uninstall without requiring (needs.uninstall.result == 'success' || needs.uninstall.result == 'skipped'): a cancelled or failed uninstall would let it strip a running hub",
        },
      ],
    ],
    [
      'a deploy without the freshness check',
      edit(deployWorkflow(), (w) => job(w, 'deploy').steps.splice(1, 1)),
      [
        {
          rule: 'rerun-freshness',
          file: 'w.yml',
          job: 'deploy',
          step: 'Deploy',
          message:
            'deploys hubs without first comparing github.sha with main: a re-run of an older run would roll hubs back',
        },
      ],
    ],
    [
      'prod rows taken straight from affected',
      edit(
        deployWorkflow(),
        (w) => (job(w, 'deploy').strategy = { matrix: '${{ fromJSON(needs.affected.outputs.prod) }}' }),
      ),
      [
        {
          rule: 'prod-after-gate',
          file: 'w.yml',
          job: 'deploy',
          message:
            "prod rows must come from a gate job's output and the job must not run after a failure: reviewers would be asked to approve a job that can only fail",
        },
      ],
    ],
    [
      'deploy runs without a workflow-level group',
      edit(deployWorkflow(), (w) => delete w.concurrency),
      [
        {
          rule: 'deploy-ordering',
          file: 'w.yml',
          message:
            'a deploy on push needs one workflow-level concurrency group (a constant) with cancel-in-progress: false, so runs deploy in order',
        },
      ],
    ],
    [
      'deploy runs grouped per commit',
      edit(
        deployWorkflow(),
        (w) => (w.concurrency = { group: 'deploy-${{ github.sha }}', 'cancel-in-progress': false }),
      ),
      [
        {
          rule: 'deploy-ordering',
          file: 'w.yml',
          message:
            'a deploy on push needs one workflow-level concurrency group (a constant) with cancel-in-progress: false, so runs deploy in order',
        },
      ],
    ],
    [
      'a scheduled IAP check that reports issues during a deploy',
      edit(scheduledWorkflow(), (w) => {
        const smoke = job(w, 'iap').steps[2];
        if (smoke !== undefined) smoke.with = { 'report-issues': true };
      }),
      [
        {
          rule: 'scheduled-sees-deploy',
          file: 'w.yml',
          job: 'iap',
          message:
            'iap: reports IAP issues whatever a deploy is doing: a hub a deploy is rolling would get a down: issue',
        },
      ],
    ],
    [
      'a schedule that does not keep itself alive',
      edit(scheduledWorkflow(), (w) => delete w.jobs.keepalive),
      [
        {
          rule: 'schedule-alive',
          file: 'w.yml',
          message:
            'a scheduled workflow must re-enable itself (GitHub disables schedules of public repositories after 60 days without activity)',
        },
      ],
    ],
  ])('rejects %s', (_, workflow, expected) => {
    expect(check(workflow)).toEqual(expected);
  });

  it('allows a GitHub-hosted job on a fork PR and local actions without a SHA', () => {
    const w = edit(good(), (x) => {
      delete job(x).if;
      job(x)['runs-on'] = 'ubuntu-latest';
    });
    expect(check(w)).toEqual([]);
  });
});
