// Every malformed config under test/fixtures/bad-config/<case>/config must fail to load, reporting
// exactly the problems its expected.yaml lists (file, line, column, field, a message substring and,
// for warnings, the severity): nothing missing, nothing extra, nothing said twice.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadFleet } from '../../src/config/load.js';
import { loadFleetLazily } from '../../src/config/load-lazy.js';
import type { ConfigProblem } from '../../src/config/model.js';
import { formatProblem } from '../../src/config/problems.js';

interface Expected {
  file: string;
  line: number;
  col: number;
  field: string;
  severity: ConfigProblem['severity'];
  message: string;
}

const root = join(import.meta.dirname, '..', 'fixtures', 'bad-config');
const cases = readdirSync(root).sort();

function readExpected(dir: string): Expected[] {
  const data: unknown = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
  if (!Array.isArray(data) || data.length === 0)
    throw new Error(`${dir}/expected.yaml must be a non-empty list`);
  return data.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null)
      throw new Error(`${dir}/expected.yaml: entries are mappings`);
    const { file, line, col, field, message, severity } = entry as Record<string, unknown>;
    if (
      typeof file !== 'string' ||
      typeof line !== 'number' ||
      typeof col !== 'number' ||
      typeof field !== 'string' ||
      typeof message !== 'string'
    ) {
      throw new Error(`${dir}/expected.yaml: each entry needs file, line, col, field and message`);
    }
    if (severity !== undefined && severity !== 'warning' && severity !== 'error')
      throw new Error(`${dir}/expected.yaml: severity is error (the default) or warning`);
    return { file, line, col, field, severity: severity ?? 'error', message };
  });
}

describe('malformed config corpus', () => {
  it('has at least 70 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
  });

  it.each(cases)('%s', async (name) => {
    const dir = join(root, name);
    const expected = readExpected(dir);
    const result = await loadFleet(join(dir, 'config'), { displayRoot: dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Problems come sorted by file, line, column and field; expected.yaml lists them in that order.
    // Each message is compared as a substring of the expected one at the same place (the fixture
    // names the part that matters), everything else exactly; a message that does not match shows
    // in full, so a failing case says what was reported.
    const reported = result.problems.map((p, i) => {
      const want = expected[i]?.message;
      const message = want !== undefined && p.message.includes(want) ? want : formatProblem(p);
      return { file: p.file, line: p.line, col: p.col, field: p.field, severity: p.severity, message };
    });
    expect(reported).toEqual(expected);
    // The CLI's loader, which loads the full YAML parser only when needed, reports the same.
    expect(await loadFleetLazily(join(dir, 'config'), { displayRoot: dir })).toEqual(result);
  });
});
