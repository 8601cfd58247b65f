// Renders the typed workflows to the YAML GitHub reads. Deterministic: same sources, same bytes, so
// a test can compare the committed files with a fresh render.
import { Document, isMap, isScalar, visit } from 'yaml';
import type { Job, Step, Workflow } from './model.js';
import { pinnedVersion } from './pinned-actions.js';

export const WORKFLOWS_DIR = '.github/workflows';

export interface RenderedWorkflow {
  /** `.github/workflows/<file>.yml` */
  path: string;
  content: string;
}

function header(workflow: Workflow): string {
  return [
    ` GENERATED FILE — do not edit. Source: workflows/${workflow.source}`,
    ' Change the TypeScript source and run `npm run workflows`; a test fails when this file differs.',
  ].join('\n');
}

function stepObject(step: Step): Record<string, unknown> {
  // Keys in the order a reader scans a step: what it is, when, then how.
  const { id, name, if: condition, ...rest } = step;
  return {
    ...(id === undefined ? {} : { id }),
    name,
    ...(condition === undefined ? {} : { if: condition }),
    ...rest,
  };
}

function jobObject(job: Job): Record<string, unknown> {
  const { strategy, steps, ...rest } = job;
  const ordered: Record<string, unknown> = {};
  const order: Array<keyof typeof rest> = [
    'name',
    'needs',
    'if',
    'runs-on',
    'environment',
    'permissions',
    'timeout-minutes',
    'concurrency',
  ];
  for (const key of order) if (rest[key] !== undefined) ordered[key] = rest[key];
  if (strategy !== undefined) {
    ordered.strategy = {
      'fail-fast': strategy['fail-fast'],
      ...(strategy['max-parallel'] === undefined ? {} : { 'max-parallel': strategy['max-parallel'] }),
      matrix: strategy.expression,
    };
  }
  if (rest.outputs !== undefined) ordered.outputs = rest.outputs;
  if (rest.env !== undefined) ordered.env = rest.env;
  ordered.steps = steps.map(stepObject);
  return ordered;
}

export function workflowObject(workflow: Workflow): Record<string, unknown> {
  const jobs: Record<string, unknown> = {};
  for (const [id, job] of Object.entries(workflow.jobs)) jobs[id] = jobObject(job);
  return {
    name: workflow.name,
    ...(workflow['run-name'] === undefined ? {} : { 'run-name': workflow['run-name'] }),
    on: workflow.on,
    permissions: workflow.permissions,
    ...(workflow.concurrency === undefined ? {} : { concurrency: workflow.concurrency }),
    ...(workflow.env === undefined ? {} : { env: workflow.env }),
    jobs,
  };
}

export interface RenderOptions {
  /** The header comment (without `#`), instead of this repository's "GENERATED FILE" one. */
  header?: string;
  /** The version comment of a `uses:` the pin table does not hold (a hubfleet release's actions). */
  versionOf?: (uses: string) => string | undefined;
}

export function renderWorkflow(workflow: Workflow, options: RenderOptions = {}): RenderedWorkflow {
  // No anchors: a shared object (a concurrency block) is written out in full where it is used.
  const doc = new Document(workflowObject(workflow), { aliasDuplicateObjects: false });
  doc.commentBefore = options.header ?? header(workflow);
  // `uses: owner/repo@<sha> # vX.Y.Z`: the version a pinned SHA stands for, beside it.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'uses' && isScalar(pair.value)) {
        const uses = String(pair.value.value);
        const version = pinnedVersion(uses) ?? options.versionOf?.(uses);
        if (version !== undefined) pair.value.comment = ` ${version}`;
      }
    },
  });
  // An empty `permissions: {}` must stay a flow map (`{}`), which is what the yaml library prints.
  visit(doc, {
    Map(_, node) {
      if (isMap(node) && node.items.length === 0) node.flow = true;
    },
  });
  const content = doc.toString({ lineWidth: 0, minContentWidth: 0 });
  return { path: `${WORKFLOWS_DIR}/${workflow.file}.yml`, content };
}
