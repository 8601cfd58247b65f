// Every integrity and well-formedness fixture (test/fixtures/bad-config/integrity-*, yaml-* added
// for them) through the real CLI: `validate` exits 1 naming each expected file:line:col, and
// `render` refuses the same fleet without writing anything.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runInProcess } from '../support/cli-runs.js';

const root = join(import.meta.dirname, '..', 'fixtures', 'bad-config');
/** The YAML-syntax cases that predate these classes are covered by bad-config.test.ts alone. */
const SYNTAX_CASES =
  /^yaml-(bad-indent|duplicate-key|list-as-key|multiple-documents|tab-indent|unclosed|undefined-alias)/;
const cases = readdirSync(root)
  .filter((name) => /^(integrity|yaml)-/.test(name) && !SYNTAX_CASES.test(name))
  .sort();

let scratch = '';
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'hubfleet-integrity-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(args, cwd);
}

describe('hubfleet validate and render on hostile configs', () => {
  it('covers at least 35 integrity and well-formedness cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(root, name);
    const expected = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as Array<{
      file: string;
      line: number;
      col: number;
      message: string;
    }>;
    const validate = await cli(['validate', '--config', 'config'], dir);
    expect(validate.code).toBe(1);
    const spots = validate.stderr
      .split('\n')
      .filter((l) => l.startsWith('config/'))
      .map((l) => /^([^:]+):(\d+):(\d+): /.exec(l)?.slice(1, 4).join(':'));
    expect(spots).toEqual(expected.map((e) => `${e.file}:${e.line}:${e.col}`));
    for (const e of expected) expect(validate.stderr).toContain(e.message);

    const out = join(scratch, 'out');
    const render = await cli(['render', '--config', 'config', '--out', out], dir);
    expect({ code: render.code, written: existsSync(out) }).toEqual({ code: 1, written: false });
  });
});
