// Security policy over rendered workflow files (design §8). Reads the YAML GitHub reads, not the
// TypeScript sources, so a hand edit or a generator bug is caught the same way. Each rule returns
// every violation with the file, job and step it concerns.

export type PolicyRule =
  | 'pinned-uses'
  | 'top-level-permissions'
  | 'job-permissions'
  | 'least-privilege'
  | 'timeout'
  | 'expression-in-run'
  | 'fork-on-self-hosted'
  | 'pull-request-target-checkout'
  | 'deploy-concurrency'
  | 'applier-in-environment'
  | 'cluster-change-in-environment'
  | 'uninstall-gate'
  | 'rerun-freshness'
  | 'prod-after-gate'
  | 'deploy-ordering'
  | 'scheduled-sees-deploy'
  | 'schedule-alive';

export interface Violation {
  rule: PolicyRule;
  file: string;
  job?: string;
  step?: string;
  message: string;
}

export interface WorkflowFile {
  file: string;
  /** The parsed YAML document. */
  workflow: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@]+)?@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@]+@sha256:[0-9a-f]{64}$/;
const GITHUB_HOSTED = /^(ubuntu|windows|macos)-(latest|[0-9][0-9.]*)(-[a-z0-9-]+)?$/;
const CLOUD_LOGIN = /^(google-github-actions\/auth|aws-actions\/configure-aws-credentials)@/;
/** The one fork guard the policy accepts: the PR's head repository is this repository. */
const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';
const DEPLOYING_ACTIONS = new Set(['./actions/apply-iam', './actions/deploy-hub']);

interface StepView {
  label: string;
  uses: string;
  run: string;
  with: Obj;
  env: Obj;
}

/**
 * A login as the applier identity (README "Security model"): the cluster's deployer service
 * account or role. The planner logs in without a service account (GCP direct Workload Identity
 * Federation) or as `<roleArn>-planner`; the IAP probers impersonate service accounts from secrets.
 */
const isApplierLogin = (s: StepView): boolean =>
  (s.uses.startsWith('google-github-actions/auth@') &&
    str(s.with.service_account).includes('matrix.gcpServiceAccount')) ||
  (s.uses.startsWith('aws-actions/configure-aws-credentials@') &&
    /^\$\{\{\s*matrix\.awsRoleArn\s*\}\}$/.test(str(s.with['role-to-assume'])));

/** A status function in `if:` lets a job run after a job it needs failed or was cancelled. */
const STATUS_FUNCTION = /!\s*cancelled\(\)|always\(\)|failure\(\)/;

const uninstalls = (steps: readonly StepView[]): boolean =>
  steps.some((s) => s.uses === './actions/deploy-hub' && str(s.with.mode) === 'uninstall');

/** deploy-hub deploying hub config of this run's commit (not a rollback or an uninstall). */
const deploysHubs = (steps: readonly StepView[]): number =>
  steps.findIndex(
    (s) => s.uses === './actions/deploy-hub' && (s.with.mode === undefined || str(s.with.mode) === 'deploy'),
  );

/** The freshness check (workflows/freshness.ts): compares this run's commit with main. */
const isFreshnessCheck = (s: StepView): boolean =>
  /\/compare\/\$SHA\.\.\.main/.test(s.run) && /github\.sha/.test(str(s.env.SHA));

/**
 * A fleet repository uses hubfleet's actions from a release (`<owner>/<repo>/actions/<name>@<sha>`,
 * workflows/tool-source.ts): the rules read them as the same actions as `./actions/<name>`. The pin
 * rule has already seen the full reference (pinned-uses checks `uses` before this view).
 */
const RELEASED_HUBFLEET_ACTION =
  /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/actions\/(plan-cluster|apply-iam|deploy-hub|verify-cert|smoke-iap|hub-health|report)@[0-9a-f]{40}$/;

const actionOf = (uses: string): string => {
  const released = RELEASED_HUBFLEET_ACTION.exec(uses);
  return released === null ? uses : `./actions/${released[1] ?? ''}`;
};

function stepsOf(job: Obj): StepView[] {
  const steps = Array.isArray(job.steps) ? job.steps : [];
  return steps.map((s, i) => {
    const step = obj(s);
    return {
      label: str(step.name) || str(step.id) || `#${i + 1}`,
      uses: actionOf(str(step.uses)),
      run: str(step.run),
      with: obj(step.with),
      env: obj(step.env),
    };
  });
}

function triggers(workflow: Obj): string[] {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(str);
  return Object.keys(obj(on));
}

const stripExpression = (condition: string): string => {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return (m?.[1] ?? condition).trim();
};

/** The `&&`-joined terms at the top level of an expression, or undefined when an `||` is there. */
function conjuncts(expression: string): string[] | undefined {
  const terms: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && expression.startsWith('||', i)) return undefined;
    if (depth === 0 && expression.startsWith('&&', i)) {
      terms.push(expression.slice(start, i).trim());
      start = i + 2;
    }
  }
  terms.push(expression.slice(start).trim());
  return terms.map((t) => t.replace(/\s+/g, ' '));
}

function isSelfHosted(runsOn: unknown): boolean {
  if (typeof runsOn === 'string') return !GITHUB_HOSTED.test(runsOn);
  if (Array.isArray(runsOn)) return !(runsOn.length === 1 && GITHUB_HOSTED.test(str(runsOn[0])));
  // `group:`/`labels:` objects select self-hosted runner groups; a reusable-workflow call (no
  // runs-on here) may run anywhere, so it needs the guard too.
  return true;
}

/** Steps that change a cluster: a cancel part-way leaves it half-changed. */
const isDeploying = (steps: readonly StepView[]): boolean =>
  steps.some(
    (s) =>
      DEPLOYING_ACTIONS.has(s.uses) ||
      (s.uses === './actions/verify-cert' && str(s.with.mode) === 'recreate'),
  );

/** What each write permission is for: the steps that use it. */
const WRITE_USES: Partial<
  Record<string, (steps: readonly StepView[], events: readonly string[]) => boolean>
> = {
  // npm publish with provenance: npm's trusted publishing exchanges the job's OIDC token (release.ts).
  'id-token': (steps) =>
    steps.some((s) => CLOUD_LOGIN.test(s.uses) || /(^|\n)npm publish .*--provenance/.test(s.run)),
  // The release job creates the GitHub release of a tag (release.ts).
  contents: (steps) => steps.some((s) => /(^|\s)gh release create /.test(s.run)),
  'pull-requests': (steps, events) =>
    steps.some(
      (s) =>
        (s.uses === './actions/report' && str(s.with.mode) === 'comment') ||
        (s.uses === './actions/plan-cluster' &&
          events.some((e) => e.startsWith('pull_request')) &&
          (s.with.mode === undefined || str(s.with.mode) === 'plan')),
    ),
  // Code scanning: hub-pr's audit job uploads its SARIF (github/codeql-action/upload-sarif).
  'security-events': (steps) => steps.some((s) => s.uses.startsWith('github/codeql-action/upload-sarif@')),
  // The keepalive job re-enables its own scheduled workflow (PUT …/actions/workflows/<file>/enable).
  actions: (steps) => steps.some((s) => /actions\/workflows\/[^ ]+\/enable/.test(s.run)),
  issues: (steps) =>
    steps.some(
      (s) =>
        // true, or an expression that decides per run (scheduled: not while a deploy runs).
        s.with['report-issues'] === true ||
        String(s.with['report-issues']) === 'true' ||
        str(s.with['report-issues']).startsWith('${{') ||
        (s.uses === './actions/report' && str(s.with.mode) === 'issue') ||
        (s.uses === './actions/plan-cluster' && str(s.with.mode) === 'drift'),
    ),
};

function checkTopPermissions(file: string, workflow: Obj, out: Violation[]): void {
  const permissions = workflow.permissions;
  if (permissions === undefined) {
    out.push({
      rule: 'top-level-permissions',
      file,
      message:
        'no top-level permissions: the token gets the repository default (possibly write-all); set permissions: {}',
    });
    return;
  }
  if (permissions === 'read-all' || (isObj(permissions) && Object.keys(permissions).length === 0)) return;
  if (!isObj(permissions)) {
    out.push({
      rule: 'top-level-permissions',
      file,
      message: `top-level permissions "${str(permissions)}" is not {} or read-only`,
    });
    return;
  }
  for (const [scope, level] of Object.entries(permissions)) {
    if (level !== 'read' && level !== 'none') {
      out.push({
        rule: 'top-level-permissions',
        file,
        message: `top-level permissions grant ${scope}: ${str(level)}; grant writes per job`,
      });
    }
  }
}

function checkJob(
  file: string,
  events: readonly string[],
  workflowConcurrency: Obj,
  id: string,
  job: Obj,
  jobs: Obj,
  out: Violation[],
): void {
  const steps = stepsOf(job);
  const v = (rule: PolicyRule, message: string, step?: string): void => {
    out.push({ rule, file, job: id, ...(step === undefined ? {} : { step }), message });
  };

  for (const step of steps) {
    if (
      step.uses !== '' &&
      !step.uses.startsWith('./') &&
      !PINNED.test(step.uses) &&
      !DOCKER_DIGEST.test(step.uses)
    ) {
      v('pinned-uses', `uses ${step.uses} is not pinned to a full 40-hex commit SHA`, step.label);
    }
    if (step.run.includes('${{')) {
      v(
        'expression-in-run',
        'run: holds a ${{ }} expression; pass the value through env: and quote "$VAR"',
        step.label,
      );
    }
  }
  const reusable = str(job.uses);
  if (reusable !== '' && !reusable.startsWith('./') && !PINNED.test(reusable)) {
    v('pinned-uses', `uses ${reusable} is not pinned to a full 40-hex commit SHA`);
  }

  const timeout = job['timeout-minutes'];
  // A number, or the planner's per-row value (`${{ matrix.timeoutMinutes }}`, bounded in src/plan).
  const timeoutOk =
    (typeof timeout === 'number' && timeout > 0) ||
    (typeof timeout === 'string' && /^\$\{\{\s*matrix\.[A-Za-z]+\s*\}\}$/.test(timeout));
  if (!timeoutOk) {
    v('timeout', 'no timeout-minutes: a hung step would hold the runner for 6 hours (self-hosted: days)');
  }

  const permissions = job.permissions;
  if (!isObj(permissions)) {
    v('job-permissions', 'no job-level permissions map: say exactly what this job may do');
  } else {
    for (const [scope, level] of Object.entries(permissions)) {
      if (level !== 'write') continue;
      const used = WRITE_USES[scope];
      if (used === undefined) v('least-privilege', `${scope}: write is never needed by hubfleet's jobs`);
      else if (!used(steps, events)) v('least-privilege', `${scope}: write but no step uses it`);
    }
  }

  const prEvents = events.filter((e) => e === 'pull_request' || e === 'pull_request_target');
  if (prEvents.length > 0 && isSelfHosted(job['runs-on'])) {
    const terms = conjuncts(stripExpression(str(job.if)));
    if (terms === undefined || !terms.includes(SAME_REPOSITORY)) {
      v(
        'fork-on-self-hosted',
        `self-hosted job can run for a fork PR: its if: must require ${SAME_REPOSITORY} (joined with &&)`,
      );
    }
  }

  if (events.includes('pull_request_target')) {
    for (const step of steps) {
      if (step.uses.startsWith('actions/checkout@') && step.with.ref !== undefined) {
        v(
          'pull-request-target-checkout',
          `pull_request_target checks out ref ${str(step.with.ref)}: the PR head would run with the base's token and secrets`,
          step.label,
        );
      }
    }
  }

  if (isDeploying(steps)) {
    const concurrency = job.concurrency;
    if (!isObj(concurrency)) {
      v(
        'deploy-concurrency',
        'changes a cluster without a per-cluster concurrency group (cancel-in-progress: false)',
      );
    } else if (concurrency['cancel-in-progress'] !== false) {
      v(
        'deploy-concurrency',
        'concurrency must set cancel-in-progress: false: a cancelled apply or helm upgrade leaves the cluster half-changed',
      );
    } else if (!str(concurrency.group).includes('matrix.cluster')) {
      v('deploy-concurrency', `concurrency group "${str(concurrency.group)}" is not per cluster`);
    }
    if (workflowConcurrency['cancel-in-progress'] === true) {
      v(
        'deploy-concurrency',
        'the workflow-level concurrency cancels in progress, which would cancel this job mid-change',
      );
    }
  }
  checkIdentityAndOrder(events, id, job, jobs, steps, v);
}

/** Rules of issue 19: who acts as the applier, and in which order deploys may act. */
function checkIdentityAndOrder(
  events: readonly string[],
  id: string,
  job: Obj,
  jobs: Obj,
  steps: readonly StepView[],
  v: (rule: PolicyRule, message: string, step?: string) => void,
): void {
  const environment = str(job.environment) || str(obj(job.environment).name);
  const condition = str(job.if);
  for (const step of steps.filter(isApplierLogin)) {
    if (events.some((e) => e.startsWith('pull_request'))) {
      v(
        'applier-in-environment',
        'a pull_request workflow logs in as the applier: PR code would act with write access; use the planner identity',
        step.label,
      );
    } else if (environment === '') {
      v(
        'applier-in-environment',
        'logs in as the applier without an environment: the applier trusts only the OIDC sub of Environments that allow main',
        step.label,
      );
    }
  }
  if (isDeploying(steps) && environment === '') {
    v(
      'cluster-change-in-environment',
      'changes a cluster outside an Environment: a dispatch from any branch could run it (Environments allow only main)',
    );
  }
  const needs = Array.isArray(job.needs)
    ? job.needs.map(str)
    : typeof job.needs === 'string'
      ? [job.needs]
      : [];
  for (const need of needs) {
    if (!uninstalls(stepsOf(obj(jobs[need])))) continue;
    const gate = `(needs.${need}.result == 'success' || needs.${need}.result == 'skipped')`;
    if (STATUS_FUNCTION.test(condition) && !condition.replace(/\s+/g, ' ').includes(gate)) {
      v(
        'uninstall-gate',
        `runs after ${need} without requiring ${gate}: a cancelled or failed uninstall would let it strip a running hub`,
      );
    }
  }
  const deployAt = deploysHubs(steps);
  if (deployAt >= 0 && !steps.slice(0, deployAt).some(isFreshnessCheck)) {
    v(
      'rerun-freshness',
      'deploys hubs without first comparing github.sha with main: a re-run of an older run would roll hubs back',
      steps[deployAt]?.label,
    );
  }
  const matrix = str(obj(job.strategy).matrix);
  if (
    /\.outputs\.prod\b/.test(matrix) &&
    (STATUS_FUNCTION.test(condition) || /needs\.affected\.outputs\.prod/.test(matrix))
  ) {
    v(
      'prod-after-gate',
      "prod rows must come from a gate job's output and the job must not run after a failure: reviewers would be asked to approve a job that can only fail",
    );
  }
  if (
    events.includes('schedule') &&
    steps.some((s) => s.uses === './actions/smoke-iap' && s.with['report-issues'] !== undefined) &&
    !steps.some((s) => s.uses === './actions/smoke-iap' && /deploying/.test(str(s.with['report-issues'])))
  ) {
    v(
      'scheduled-sees-deploy',
      `${id}: reports IAP issues whatever a deploy is doing: a hub a deploy is rolling would get a down: issue`,
    );
  }
}

/** Whole-workflow rules: deploy runs are serialised; a schedule keeps itself alive. */
function checkWorkflow(file: string, workflow: Obj, events: readonly string[], out: Violation[]): void {
  const jobs = obj(workflow.jobs);
  const deploys = Object.values(jobs).some((j) => isDeploying(stepsOf(obj(j))));
  if (events.includes('push') && deploys) {
    const c = obj(workflow.concurrency);
    if (c['cancel-in-progress'] !== false || str(c.group) === '' || str(c.group).includes('${{')) {
      out.push({
        rule: 'deploy-ordering',
        file,
        message:
          'a deploy on push needs one workflow-level concurrency group (a constant) with cancel-in-progress: false, so runs deploy in order',
      });
    }
  }
  if (events.includes('schedule')) {
    const alive = Object.values(jobs).some((j) =>
      stepsOf(obj(j)).some((s) => /actions\/workflows\/[^ ]+\/enable/.test(s.run)),
    );
    if (!alive) {
      out.push({
        rule: 'schedule-alive',
        file,
        message:
          'a scheduled workflow must re-enable itself (GitHub disables schedules of public repositories after 60 days without activity)',
      });
    }
  }
}

export function checkPolicy(files: readonly WorkflowFile[]): Violation[] {
  const out: Violation[] = [];
  for (const { file, workflow: parsed } of files) {
    const workflow = obj(parsed);
    const events = triggers(workflow);
    checkTopPermissions(file, workflow, out);
    checkWorkflow(file, workflow, events, out);
    const concurrency = obj(workflow.concurrency);
    const jobs = obj(workflow.jobs);
    for (const [id, job] of Object.entries(jobs)) {
      checkJob(file, events, concurrency, id, obj(job), jobs, out);
    }
  }
  return out;
}
