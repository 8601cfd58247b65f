// doctor's `apis` check and the bootstrap module must name the same APIs: the check fails a project
// that lacks one the bootstrap does not enable, or passes one that lacks an API a run needs.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { REQUIRED_GCP_APIS } from '../../src/doctor/gcp-checks.js';
import { parseHcl } from './hcl.js';

const FILE = 'terraform/bootstrap/gcp/apis.tf';

/** The keys of `locals { apis = { "<service>" = "<why>" … } }`, as the module's for_each sees them. */
function enabledApis(): string[] {
  const body = parseHcl(readFileSync(FILE, 'utf8'), FILE);
  const apis = body.blocks
    .filter((b) => b.type === 'locals')
    .flatMap((b) => b.body.attributes)
    .find((a) => a.name === 'apis');
  if (apis === undefined) throw new Error(`${FILE} has no local apis`);
  const keys = [...apis.expr.matchAll(/^\s*"([^"]+)"\s*=/gm)].map((m) => m[1] as string);
  // Every entry of the map is a key line: none is missed by the pattern (comments aside).
  const entries = apis.expr.split('\n').filter((l) => !/^\s*#/.test(l) && l.includes('='));
  expect(keys).toHaveLength(entries.length);
  return keys;
}

describe('the APIs doctor requires', () => {
  it('are exactly the APIs terraform/bootstrap/gcp enables', () => {
    expect(enabledApis().sort()).toEqual([...REQUIRED_GCP_APIS].sort());
  });

  it('the bootstrap enables each through google_project_service for_each over the map', () => {
    const body = parseHcl(readFileSync(FILE, 'utf8'), FILE);
    const service = body.blocks.find(
      (b) => b.type === 'resource' && b.labels.join('.') === 'google_project_service.api',
    );
    expect(service?.body.attributes.map((a) => [a.name, a.expr])).toEqual([
      ['for_each', 'local.apis'],
      ['project', 'var.project'],
      ['service', 'each.key'],
      ['disable_on_destroy', 'false'],
      ['disable_dependent_services', 'false'],
    ]);
  });
});
