import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeBlock, details, escapeCell, table, verdictLine, writeSummary } from './summary.js';

describe('summary markdown', () => {
  it('writes a verdict line on one line', () => {
    expect(verdictLine('pass', 'comment updated\non #4')).toBe('### ✅ comment updated on #4');
    expect(verdictLine('fail', 'issue opened')).toBe('### ❌ issue opened');
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['line1\nline2', 'line1<br>line2'],
    ['crlf\r\nend', 'crlf<br>end'],
    ['back\\slash|pipe', 'back\\\\slash\\|pipe'],
  ])('escapes the cell %j', (text, expected) => {
    expect(escapeCell(text)).toBe(expected);
  });

  it('builds a table, filling short rows and formatting values', () => {
    expect(
      table(
        ['hub', 'status', 'note'],
        [
          ['ocean', 'ok', 'a | b'],
          ['land', 3],
          ['sky', true, null],
        ],
      ),
    ).toBe(
      [
        '| hub | status | note |',
        '| --- | --- | --- |',
        '| ocean | ok | a \\| b |',
        '| land | 3 |  |',
        '| sky | true |  |',
      ].join('\n'),
    );
  });

  it('refuses a table without columns', () => {
    expect(() => table([], [])).toThrow('at least one column');
  });

  it('collapses details, escaping the title', () => {
    expect(details('plan <ocean>', 'body')).toBe(
      '<details><summary>plan &lt;ocean&gt;</summary>\n\nbody\n\n</details>',
    );
    expect(details('t', 'b', true)).toMatch(/^<details open>/);
  });

  it('fences code with more backticks than the code holds', () => {
    expect(codeBlock('x = 1\n', 'hcl')).toBe('```hcl\nx = 1\n```');
    expect(codeBlock('has ```` inside')).toBe('`````\nhas ```` inside\n`````');
  });
});

describe('writeSummary', () => {
  let dir: string | undefined;
  afterEach(async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('appends the parts to GITHUB_STEP_SUMMARY, separated by blank lines', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hubfleet-summary-'));
    const file = join(dir, 'summary.md');
    await writeFile(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary([verdictLine('pass', 'done'), table(['a'], [['1']])]);
    expect(await readFile(file, 'utf8')).toBe('earlier step\n### ✅ done\n\n| a |\n| --- |\n| 1 |\n');
  });
});
