// Runs the rendered workflows' own steps in tests: a `run:` step with bash as the runner does
// (`bash -e {file}`, its `env:` expressions resolved from a context), and the `with:` of a `uses:`
// step resolved the same way, so a test passes outputs between steps exactly as the workflow
// expressions would. Expressions are plain context paths (`steps.plan.outputs.plan-path`,
// `matrix.cluster`); one the test gives no value for is an error, never an empty string.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderAll } from '../../workflows/index.js';

export interface RenderedStep {
  id?: string;
  name: string;
  if?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
}

/** A step of a set of workflows by workflow file (without `.yml`), job id and step name. */
export type StepLookup = (workflow: string, job: string, name: string) => RenderedStep;

/** The lookup over workflow files given as repository path and content. */
export function stepsOf(files: ReadonlyArray<{ path: string; content: string }>): StepLookup {
  const workflows = new Map(
    files.map((w) => [
      w.path.replace('.github/workflows/', '').replace('.yml', ''),
      parse(w.content) as { jobs: Record<string, { steps: RenderedStep[] }> },
    ]),
  );
  return (workflow, job, name) => {
    const found = workflows.get(workflow)?.jobs[job]?.steps.find((s) => s.name === name);
    if (found === undefined) throw new Error(`no step "${name}" in ${workflow}/${job}`);
    return found;
  };
}

/** The workflows a repository directory holds in .github/workflows, as written there. */
export function stepsIn(dir: string): StepLookup {
  const workflows = join(dir, '.github/workflows');
  return stepsOf(
    readdirSync(workflows)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => ({ path: `.github/workflows/${f}`, content: readFileSync(join(workflows, f), 'utf8') })),
  );
}

/** This repository's workflows as the workflow modules render them. */
export const renderedStep: StepLookup = stepsOf(renderAll());

export type ExpressionContext = Record<string, string>;

export function resolveExpressions(value: string, context: ExpressionContext): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const v = context[expr];
    if (v === undefined) throw new Error(`the test gives no value for \${{ ${expr} }}`);
    return v;
  });
}

/** A `uses:` step's inputs as the runner would pass them. */
export function resolvedWith(step: RenderedStep, context: ExpressionContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, resolveExpressions(String(v), context)]),
  );
}

export interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs a `run:` step; `runnerTemp` is the job's RUNNER_TEMP, shared by its steps. */
export async function runShellStep(
  step: RenderedStep,
  context: ExpressionContext,
  options: { runnerTemp: string; cwd?: string; path?: string },
): Promise<StepResult> {
  if (step.run === undefined) throw new Error(`step "${step.name}" is not a run step`);
  const output = join(options.runnerTemp, `.output-${process.pid}`);
  const summary = join(options.runnerTemp, `.summary-${process.pid}`);
  await writeFile(output, '');
  await writeFile(summary, '');
  const env: Record<string, string> = {
    PATH: `${options.path === undefined ? '' : `${options.path}:`}${process.env.PATH ?? '/usr/bin:/bin'}`,
    RUNNER_TEMP: options.runnerTemp,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
  };
  // `runner.temp` is the job's RUNNER_TEMP, as the runner gives it; a test may still name it.
  const withRunner = { 'runner.temp': options.runnerTemp, ...context };
  for (const [k, v] of Object.entries(step.env ?? {})) env[k] = resolveExpressions(v, withRunner);
  const script = join(options.runnerTemp, `.step-${process.pid}.sh`);
  await writeFile(script, step.run);
  const r = spawnSync('bash', ['-e', script], {
    env,
    encoding: 'utf8',
    cwd: options.cwd ?? options.runnerTemp,
  });
  const lines = (await readFile(output, 'utf8')).split('\n').filter((l) => l.includes('='));
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    summary: await readFile(summary, 'utf8'),
  };
}
