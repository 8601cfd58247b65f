// Where the workflows take hubfleet from (docs/decisions/0050):
// - `local`: this repository is the tool. Its actions are `./actions/<name>` after the checkout, the
//   CLI is `npm ci` + `node bin/hubfleet.js`, the Terraform modules are `terraform/<provider>`. This
//   repository's own workflows, exactly as the workflow modules declare them.
// - `release`: a fleet repository made by `hubfleet init`. Every hubfleet action is
//   `<repository>/actions/<name>@<40-hex sha> # vX.Y.Z`, and the CLI and the Terraform modules come
//   from the same commit through `<repository>/actions/setup@<sha>`, so the sha in the `uses:` lines
//   is the only hubfleet version in the fleet's workflows (Dependabot's github-actions updater moves
//   every one of them, with the version comment, and there is no second version to drift).
// The release form is a transform of the local one: the workflow modules stay written once.
import type { Job, Step, Triggers, UsesStep, Workflow } from './model.js';
import type { HubfleetAction } from './pinned-actions.js';

export type ToolSource =
  | { kind: 'local' }
  | {
      kind: 'release';
      /** `owner/hubfleet`. */
      repository: string;
      /** `1.2.3` (no leading v). */
      version: string;
      /** The full commit sha the version's tag points to. */
      sha: string;
    };

export const LOCAL_TOOL: ToolSource = { kind: 'local' };

/** The composite action that puts a release's CLI and Terraform modules on the runner. */
export const SETUP_ACTION = 'setup';

export const HUBFLEET_ACTIONS: readonly HubfleetAction[] = [
  'plan-cluster',
  'apply-iam',
  'deploy-hub',
  'verify-cert',
  'smoke-iap',
  'hub-health',
  'report',
];

/** The actions that run Terraform and take the root modules' directory (`terraform-dir`). */
const TERRAFORM_ACTIONS = new Set(['plan-cluster', 'apply-iam']);

/** Set by the setup action: the release's checkout (its bin/, lib/ and terraform/). */
export const TOOL_DIR_ENV = 'HUBFLEET_TOOL_DIR';

const SHA = /^[0-9a-f]{40}$/;
const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function checkToolSource(source: ToolSource): void {
  if (source.kind === 'local') return;
  if (!REPOSITORY.test(source.repository))
    throw new Error(`tool repository must be owner/name, not "${source.repository}"`);
  if (!VERSION.test(source.version))
    throw new Error(`tool version must be semver X.Y.Z, not "${source.version}"`);
  if (!SHA.test(source.sha))
    throw new Error(`tool sha must be a full 40-hex commit sha, not "${source.sha}"`);
}

/** `uses:` of a hubfleet action for a release. */
export function releaseUses(source: Extract<ToolSource, { kind: 'release' }>, name: string): string {
  return `${source.repository}/actions/${name}@${source.sha}`;
}

/** The `# vX.Y.Z` comment beside a release's `uses:` line, or undefined for anything else. */
export function toolVersion(source: ToolSource, uses: string): string | undefined {
  if (source.kind === 'local') return undefined;
  const prefix = `${source.repository}/actions/`;
  return uses.startsWith(prefix) && uses.endsWith(`@${source.sha}`) ? `v${source.version}` : undefined;
}

const LOCAL_CLI = 'node bin/hubfleet.js';
const RELEASE_CLI = `node "$${TOOL_DIR_ENV}/bin/hubfleet.js"`;
const LOCAL_INSTALL = 'npm ci --no-audit --no-fund';
const LOCAL_LOCK_MODULE = 'module="terraform/$PROVIDER"';
const RELEASE_LOCK_MODULE = `module="$${TOOL_DIR_ENV}/terraform/$PROVIDER"`;

/**
 * In a fleet the renderer and the Terraform modules change only with the hubfleet version, which
 * `hubfleet upgrade` records in .hubfleet/ (and writes into the workflows).
 */
function fleetPaths(paths: string[] | undefined): string[] | undefined {
  if (paths === undefined) return undefined;
  const kept = paths.filter((p) => p.startsWith('config/'));
  return [...kept, '.hubfleet/**'];
}

function triggers(on: Triggers): Triggers {
  const out: Triggers = { ...on };
  if (on.pull_request !== undefined) {
    const paths = fleetPaths(on.pull_request.paths);
    out.pull_request = { ...on.pull_request, ...(paths === undefined ? {} : { paths }) };
  }
  if (on.push !== undefined) {
    const paths = fleetPaths(on.push.paths);
    out.push = { ...on.push, ...(paths === undefined ? {} : { paths }) };
  }
  return out;
}

function releaseStep(source: Extract<ToolSource, { kind: 'release' }>, step: Step): Step {
  if ('run' in step) {
    if (step.run === LOCAL_INSTALL) {
      const { run: _run, shell: _shell, 'working-directory': _wd, ...common } = step;
      return { ...common, uses: releaseUses(source, SETUP_ACTION) };
    }
    return {
      ...step,
      run: step.run.replaceAll(LOCAL_CLI, RELEASE_CLI).replaceAll(LOCAL_LOCK_MODULE, RELEASE_LOCK_MODULE),
    };
  }
  const local = /^\.\/actions\/([a-z-]+)$/.exec(step.uses);
  if (local === null) return step;
  const name = local[1] ?? '';
  const uses: UsesStep = { ...step, uses: releaseUses(source, name) };
  if (TERRAFORM_ACTIONS.has(name)) {
    uses.with = { ...step.with, 'terraform-dir': `\${{ env.${TOOL_DIR_ENV} }}/terraform` };
  }
  return uses;
}

/** A job that runs Terraform but installs no CLI still needs the release's modules. */
function needsModulesOnly(steps: readonly Step[]): boolean {
  const installs = steps.some((s) => 'run' in s && s.run === LOCAL_INSTALL);
  const terraform = steps.some((s) => 'uses' in s && /^\.\/actions\/(plan-cluster|apply-iam)$/.test(s.uses));
  return terraform && !installs;
}

function releaseJob(source: Extract<ToolSource, { kind: 'release' }>, job: Job): Job {
  let steps = job.steps.map((s) => releaseStep(source, s));
  if (needsModulesOnly(job.steps)) {
    // Right after the checkout: the reviewed plan's lock file is copied into the modules before the plan.
    const at = steps.findIndex((s) => 'uses' in s && s.uses.startsWith('actions/checkout@')) + 1;
    const setup: UsesStep = {
      name: 'hubfleet Terraform modules',
      uses: releaseUses(source, SETUP_ACTION),
      with: { cli: false },
    };
    steps = [...steps.slice(0, at), setup, ...steps.slice(at)];
  }
  return { ...job, steps };
}

/** Whatever the release form must not keep from the local one (a change the transform missed). */
function leftovers(workflow: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(workflow.jobs)) {
    for (const step of job.steps) {
      const text = 'run' in step ? step.run : step.uses;
      for (const local of ['./actions/', LOCAL_INSTALL, LOCAL_LOCK_MODULE]) {
        if (text.includes(local)) found.push(`${workflow.file}.${id} "${step.name}": ${local}`);
      }
      if ('run' in step && /(^|[^/"])bin\/hubfleet\.js/.test(step.run.replaceAll(RELEASE_CLI, ''))) {
        found.push(`${workflow.file}.${id} "${step.name}": bin/hubfleet.js`);
      }
    }
  }
  return found;
}

/** The workflow as `source` runs it (the workflow itself for `local`). */
export function forTool(workflow: Workflow, source: ToolSource): Workflow {
  if (source.kind === 'local') return workflow;
  checkToolSource(source);
  const jobs: Record<string, Job> = {};
  for (const [id, job] of Object.entries(workflow.jobs)) jobs[id] = releaseJob(source, job);
  const out: Workflow = { ...workflow, on: triggers(workflow.on), jobs };
  const missed = leftovers(out);
  if (missed.length > 0) {
    throw new Error(
      `the release form of ${workflow.file} still refers to this repository: ${missed.join('; ')} (workflows/tool-source.ts)`,
    );
  }
  return out;
}
