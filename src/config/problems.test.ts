import { describe, expect, it } from '@jest/globals';
import type { ConfigProblem } from './model.js';
import { annotation, compareProblems, fileAnnotation, formatProblem } from './problems.js';

const problem = (over: Partial<ConfigProblem> = {}): ConfigProblem => ({
  file: 'config/clusters/pangeo-gcp/hubs/ocean.yaml',
  line: 7,
  col: 12,
  severity: 'error',
  field: 'chart.version',
  message: 'must be a semantic version like 2026.3.0 (got "latest")',
  ...over,
});

describe('formatProblem', () => {
  it.each([
    [
      problem(),
      'config/clusters/pangeo-gcp/hubs/ocean.yaml:7:12: chart.version: must be a semantic version like 2026.3.0 (got "latest")',
    ],
    [
      problem({ field: '', message: 'file is empty' }),
      'config/clusters/pangeo-gcp/hubs/ocean.yaml:7:12: file is empty',
    ],
    [
      problem({ severity: 'warning', field: 'stage', message: 'no staging hub' }),
      'config/clusters/pangeo-gcp/hubs/ocean.yaml:7:12: warning: stage: no staging hub',
    ],
  ])('formats %o', (p, text) => {
    expect(formatProblem(p)).toBe(text);
  });
});

describe('annotation', () => {
  it('is an error workflow command with file, line, col and title', () => {
    expect(annotation(problem())).toBe(
      '::error file=config/clusters/pangeo-gcp/hubs/ocean.yaml,line=7,col=12,title=hubfleet config%3A chart.version::must be a semantic version like 2026.3.0 (got "latest")',
    );
  });

  it('uses ::warning for warnings', () => {
    expect(annotation(problem({ severity: 'warning' }))).toMatch(/^::warning file=/);
  });

  it("escapes data (% CR LF) and properties (also : and ,) as GitHub's toolkit does", () => {
    const text = annotation(
      problem({ file: 'a,b:c%.yaml', field: '', message: '100% wrong:\r\nnext, line' }),
    );
    expect(text).toBe(
      '::error file=a%2Cb%3Ac%25.yaml,line=7,col=12,title=hubfleet config::100%25 wrong:%0D%0Anext, line',
    );
  });
});

describe('fileAnnotation', () => {
  it('is an error workflow command for a whole file, escaped as annotation() escapes', () => {
    expect(fileAnnotation('a,b:c%.yaml', 'hub removal: refused', '100% gone:\r\nnext, line')).toBe(
      '::error file=a%2Cb%3Ac%25.yaml,title=hub removal%3A refused::100%25 gone:%0D%0Anext, line',
    );
  });
});

describe('compareProblems', () => {
  it('orders by file, then line, then column', () => {
    const list = [
      problem({ file: 'b.yaml', line: 1, col: 1 }),
      problem({ file: 'a.yaml', line: 10, col: 1 }),
      problem({ file: 'a.yaml', line: 2, col: 5 }),
      problem({ file: 'a.yaml', line: 2, col: 3 }),
    ];
    expect(list.sort(compareProblems).map((p) => `${p.file}:${p.line}:${p.col}`)).toEqual([
      'a.yaml:2:3',
      'a.yaml:2:5',
      'a.yaml:10:1',
      'b.yaml:1:1',
    ]);
  });
});
