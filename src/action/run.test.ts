import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureStdout } from '../../test/actions/capture-stdout.js';
import { HubfleetError } from '../errors.js';
import { UNEXPECTED_HINT, failureLine, run } from './run.js';

let dir: string;
let outputFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hubfleet-run-'));
  outputFile = join(dir, 'output');
  await writeFile(outputFile, '');
  process.env.GITHUB_OUTPUT = outputFile;
});

afterEach(async () => {
  process.exitCode = undefined;
  delete process.env.GITHUB_OUTPUT;
  await rm(dir, { recursive: true, force: true });
});

describe('run', () => {
  it('sets the returned outputs, JSON-encoding non-strings, and does not fail', async () => {
    const { lines } = await captureStdout(() =>
      run(() =>
        Promise.resolve({ action: 'created', 'comment-ids': [3, 4], 'issue-number': 12, skipped: undefined }),
      ),
    );
    expect(lines.filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    const text = await readFile(outputFile, 'utf8');
    expect(text).toMatch(/^action<<ghadelimiter_[\w-]+\ncreated\nghadelimiter_[\w-]+\n/);
    expect(text).toContain('\n[3,4]\n');
    expect(text).toContain('\n12\n');
    expect(text).not.toContain('skipped');
  });

  it('fails with one line ending in the hint, and keeps the stack for the debug log', async () => {
    const { lines } = await captureStdout(() =>
      run(() => {
        throw new HubfleetError('comment on #4 failed: GitHub answered 403\nResource not accessible', {
          hint: 'give the job `pull-requests: write`',
        });
      }),
    );
    expect(process.exitCode).toBe(1);
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      '::error::comment on #4 failed: GitHub answered 403 Resource not accessible; give the job `pull-requests: write`',
    ]);
    const debug = lines.filter((l) => l.startsWith('::debug::')).join('\n');
    expect(debug).toContain('HubfleetError: comment on #4 failed');
    expect(debug).toContain('%0A    at ');
  });

  it('turns a non-Error rejection into a failure with the generic hint', async () => {
    const { lines } = await captureStdout(() =>
      run(() => Promise.reject(new Error('boom', { cause: null }))),
    );
    expect(lines.filter((l) => l.startsWith('::error'))).toEqual([
      `::error::boom: null was thrown (no error details); ${UNEXPECTED_HINT}`,
    ]);
    // Libraries do reject with strings; run must cope.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const { lines: more } = await captureStdout(() => run(() => Promise.reject('just a string')));
    expect(more.filter((l) => l.startsWith('::error'))).toEqual([
      `::error::just a string; ${UNEXPECTED_HINT}`,
    ]);
  });
});

describe('failureLine', () => {
  it('drops trailing punctuation before the hint', () => {
    expect(failureLine(new HubfleetError('plan differs.', { hint: 're-plan' }))).toBe(
      'plan differs; re-plan',
    );
  });
});
