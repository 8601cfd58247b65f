// Typed shape of a GitHub Actions workflow, as much of it as hubfleet's workflows use. The types
// make the policy visible where it is written: a job cannot be declared without a timeout or
// without its own permissions, and a step is either `run` or `uses`, never both.
// Reference: https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax

/** A `${{ … }}` expression or plain text. */
export type Text = string;

export type PermissionScope =
  | 'actions'
  | 'attestations'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'discussions'
  | 'id-token'
  | 'issues'
  | 'packages'
  | 'pages'
  | 'pull-requests'
  | 'security-events'
  | 'statuses';
export type PermissionLevel = 'read' | 'write' | 'none';
export type Permissions = Partial<Record<PermissionScope, PermissionLevel>>;

export interface Concurrency {
  group: Text;
  'cancel-in-progress': boolean;
}

export type StepEnv = Record<string, Text>;

interface StepCommon {
  id?: string;
  name: string;
  if?: Text;
  env?: StepEnv;
  'continue-on-error'?: boolean;
  'timeout-minutes'?: number;
}

export interface RunStep extends StepCommon {
  /** Shell script. Never interpolate `${{ }}` here: pass values through `env` (see policy.ts). */
  run: string;
  shell?: 'bash';
  'working-directory'?: string;
}

export interface UsesStep extends StepCommon {
  /** `./actions/<name>` or a pinned `owner/repo@<40-hex sha>` from pinned-actions.ts. */
  uses: string;
  with?: Record<string, Text | number | boolean>;
}

export type Step = RunStep | UsesStep;

export interface Matrix {
  /** `${{ fromJSON(needs.x.outputs.y) }}`: the planner's `{include: [...]}` object. */
  expression: Text;
  'fail-fast': boolean;
  'max-parallel'?: number;
}

export interface Job {
  name?: Text;
  /** GitHub-hosted label or an expression giving the cluster's self-hosted labels. */
  'runs-on': Text | string[];
  needs?: string[];
  if?: Text;
  permissions: Permissions;
  /** Minutes, or a `${{ matrix.… }}` expression when the planner sizes it per row. */
  'timeout-minutes': number | Text;
  environment?: Text;
  concurrency?: Concurrency;
  strategy?: Matrix;
  outputs?: Record<string, Text>;
  env?: StepEnv;
  steps: Step[];
}

export interface WorkflowDispatchInput {
  description: string;
  required: boolean;
  type: 'string' | 'choice' | 'boolean';
  default?: string | boolean;
  options?: string[];
}

export interface Triggers {
  pull_request?: { paths?: string[]; types?: string[]; branches?: string[] };
  push?: { branches?: string[]; tags?: string[]; paths?: string[]; 'paths-ignore'?: string[] };
  schedule?: Array<{ cron: string }>;
  workflow_dispatch?: { inputs?: Record<string, WorkflowDispatchInput> };
}

export interface Workflow {
  /** File name under .github/workflows, without `.yml`. */
  file: string;
  /** Module under workflows/ that declares it, for the generated header. */
  source: string;
  name: string;
  'run-name'?: Text;
  on: Triggers;
  /** Top level: `{}` or read-only; jobs ask for what they use. */
  permissions: Permissions;
  concurrency?: Concurrency;
  env?: StepEnv;
  jobs: Record<string, Job>;
}
