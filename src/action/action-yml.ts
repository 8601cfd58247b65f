import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { InputDecls } from './inputs.js';

/** The parts of action.yml that must agree with an action's TypeScript declarations. */
export interface ActionYml {
  name?: unknown;
  description?: unknown;
  inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown } | null>;
  outputs?: Record<string, { description?: unknown } | null>;
  runs?: { using?: unknown; main?: unknown };
}

export async function loadActionYml(path: string): Promise<ActionYml> {
  const parsed: unknown = parse(await readFile(path, 'utf8'));
  if (parsed === null || typeof parsed !== 'object') throw new Error(`${path}: not a YAML mapping`);
  return parsed;
}

/**
 * Every difference between action.yml and the declarations, as sentences; empty when they agree.
 * Checked: the same input and output names, each described; `required` and `default` the same;
 * runs on node24 from dist/index.js.
 */
export function compareActionYml(yml: ActionYml, inputs: InputDecls, outputs: readonly string[]): string[] {
  const problems: string[] = [];
  if (yml.runs?.using !== 'node24')
    problems.push(`runs.using is ${String(yml.runs?.using)}, expected node24`);
  if (yml.runs?.main !== 'dist/index.js')
    problems.push(`runs.main is ${String(yml.runs?.main)}, expected dist/index.js`);
  if (typeof yml.description !== 'string' || yml.description === '')
    problems.push('the action has no description');

  const ymlInputs = yml.inputs ?? {};
  for (const name of union(Object.keys(ymlInputs), Object.keys(inputs))) {
    const y = ymlInputs[name];
    const d = inputs[name];
    if (d === undefined) {
      problems.push(`input "${name}" is in action.yml but not in inputs.ts`);
      continue;
    }
    if (y === undefined) {
      problems.push(`input "${name}" is in inputs.ts but not in action.yml`);
      continue;
    }
    if (typeof y?.description !== 'string' || y.description === '') {
      problems.push(`input "${name}" has no description in action.yml`);
    }
    const ymlRequired = y?.required === true;
    if (ymlRequired !== (d.required === true)) {
      problems.push(
        `input "${name}": action.yml says required: ${ymlRequired}, inputs.ts ${d.required === true}`,
      );
    }
    const ymlDefault = scalarText(y?.default);
    if (ymlDefault !== d.default) {
      problems.push(
        `input "${name}": action.yml default ${JSON.stringify(ymlDefault)}, inputs.ts ${JSON.stringify(d.default)}`,
      );
    }
  }

  const ymlOutputs = yml.outputs ?? {};
  for (const name of union(Object.keys(ymlOutputs), outputs)) {
    if (!outputs.includes(name))
      problems.push(`output "${name}" is in action.yml but not declared in TypeScript`);
    else if (!(name in ymlOutputs))
      problems.push(`output "${name}" is declared in TypeScript but not in action.yml`);
    else if (typeof ymlOutputs[name]?.description !== 'string')
      problems.push(`output "${name}" has no description`);
  }
  return problems;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

// YAML may read `default: 3` or `default: true` as non-strings; the runner passes their text.
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? undefined : JSON.stringify(value);
}
