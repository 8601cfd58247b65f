import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/bundle-harness.js';
import { loadExampleCluster, tfvarsOf } from './terraform-workspace.js';

// The fixture modules stand in for terraform/gcp and terraform/aws in the plan/apply tests, so
// they must take the same variables and give the same outputs (CONTRACTS §4).

interface Declared {
  variables: Map<string, { hasDefault: boolean }>;
  outputs: string[];
}

/** Top-level `variable` and `output` blocks of a module's .tf files (formatted by terraform fmt). */
function declared(dir: string): Declared {
  const variables = new Map<string, { hasDefault: boolean }>();
  const outputs: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const block of text.split(
      /^(?=variable |output |resource |data |locals |terraform |provider |module )/m,
    )) {
      const variable = /^variable "([^"]+)"/.exec(block);
      if (variable?.[1] !== undefined)
        variables.set(variable[1], { hasDefault: /^\s{2}default\s*=/m.test(block) });
      const output = /^output "([^"]+)"/.exec(block);
      if (output?.[1] !== undefined) outputs.push(output[1]);
    }
  }
  return { variables, outputs: outputs.sort() };
}

describe.each([
  ['gcp', 'pangeo-gcp'],
  ['aws', 'pangeo-aws'],
])('fixture module %s', (provider, clusterName) => {
  const fixture = declared(join(repoRoot, 'test/fixtures/terraform', provider));

  it('declares every variable the renderer emits, and needs none it does not emit', async () => {
    const emitted = Object.keys(tfvarsOf(await loadExampleCluster(clusterName))).sort();
    expect(emitted.filter((name) => !fixture.variables.has(name))).toEqual([]);
    const required = [...fixture.variables].filter(([, v]) => !v.hasDefault).map(([name]) => name);
    expect(required.filter((name) => !emitted.includes(name))).toEqual([]);
  });

  it('outputs exactly kubernetes_sa_annotations and hubs', () => {
    expect(fixture.outputs).toEqual(['hubs', 'kubernetes_sa_annotations']);
  });

  const real = join(repoRoot, 'terraform', provider);
  (existsSync(real) ? it : it.skip)(`has the same variables and outputs as terraform/${provider}`, () => {
    const module = declared(real);
    expect([...fixture.variables.keys()].sort()).toEqual([...module.variables.keys()].sort());
    expect(fixture.outputs).toEqual(module.outputs);
  });
});
