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
  | 'deploy-concurrency';

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
}

function stepsOf(job: Obj): StepView[] {
  const steps = Array.isArray(job.steps) ? job.steps : [];
  return steps.map((s, i) => {
    const step = obj(s);
    return {
      label: str(step.name) || str(step.id) || `#${i + 1}`,
      uses: str(step.uses),
      run: str(step.run),
      with: obj(step.with),
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
  'id-token': (steps) => steps.some((s) => CLOUD_LOGIN.test(s.uses)),
  'pull-requests': (steps, events) =>
    steps.some(
      (s) =>
        (s.uses === './actions/report' && str(s.with.mode) === 'comment') ||
        (s.uses === './actions/plan-cluster' &&
          events.some((e) => e.startsWith('pull_request')) &&
          (s.with.mode === undefined || str(s.with.mode) === 'plan')),
    ),
  issues: (steps) =>
    steps.some(
      (s) =>
        s.with['report-issues'] === true ||
        String(s.with['report-issues']) === 'true' ||
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
}

export function checkPolicy(files: readonly WorkflowFile[]): Violation[] {
  const out: Violation[] = [];
  for (const { file, workflow: parsed } of files) {
    const workflow = obj(parsed);
    const events = triggers(workflow);
    checkTopPermissions(file, workflow, out);
    const concurrency = obj(workflow.concurrency);
    for (const [id, job] of Object.entries(obj(workflow.jobs))) {
      checkJob(file, events, concurrency, id, obj(job), out);
    }
  }
  return out;
}
