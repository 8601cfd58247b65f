// Every malformed config under test/fixtures/bad-config/<case>/config must fail to load, with each
// problem listed in its expected.yaml reported at exactly that file, line and field.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadFleet } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';

interface Expected {
  file: string;
  line: number;
  field: string;
  message?: string;
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
    const { file, line, field, message } = entry as Record<string, unknown>;
    if (typeof file !== 'string' || typeof line !== 'number' || typeof field !== 'string') {
      throw new Error(`${dir}/expected.yaml: each entry needs file, line and field`);
    }
    return typeof message === 'string' ? { file, line, field, message } : { file, line, field };
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
    const reported = result.problems.map(formatProblem).join('\n');
    for (const want of expected) {
      const found = result.problems.some(
        (p) =>
          p.file === want.file &&
          p.line === want.line &&
          p.field === want.field &&
          (want.message === undefined || p.message.includes(want.message)),
      );
      // The message lists what was reported, so a failing case says what to fix.
      expect({ found, want, reported }).toEqual({ found: true, want, reported });
    }
    for (const p of result.problems) {
      expect(p.line).toBeGreaterThan(0);
      expect(p.col).toBeGreaterThan(0);
    }
  });
});
