import { describe, expect, it } from '@jest/globals';
import type { RenderedFile } from './files.js';
import { diffRenderedFleets, formatDiffMarkdown, formatDiffText } from './rendered-diff.js';

const file = (path: string, content: string): RenderedFile => {
  const [cluster = '', kind, hub] = path.split('/');
  return { path, content, cluster, ...(kind === 'hubs' && hub !== undefined ? { hub } : {}) };
};

const base = [
  file('c1/terraform.tfvars.json', '{\n  "a": 1\n}\n'),
  file('c1/hubs/kept/values.yaml', 'x: 1\ny: 2\n'),
  file('c1/hubs/kept/manifests.yaml', 'kind: Namespace\n'),
  file('c1/hubs/gone/values.yaml', 'old: true\n'),
];
const head = [
  file('c1/terraform.tfvars.json', '{\n  "a": 1\n}\n'),
  file('c1/hubs/kept/values.yaml', 'x: 1\ny: 3\n'),
  file('c1/hubs/kept/manifests.yaml', 'kind: Namespace\n'),
  file('c1/hubs/new/values.yaml', 'fresh: true\nsecretName: new-iap-oauth\n'),
];

describe('diffRenderedFleets', () => {
  it('gives one diff per changed file, an added or removed hub in full, unchanged files left out', () => {
    expect(diffRenderedFleets(base, head)).toEqual([
      {
        cluster: 'c1',
        hub: 'gone',
        change: 'removed',
        files: [
          {
            path: 'c1/hubs/gone/values.yaml',
            change: 'removed',
            patch: '--- a/c1/hubs/gone/values.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-old: true\n',
          },
        ],
      },
      {
        cluster: 'c1',
        hub: 'kept',
        change: 'modified',
        files: [
          {
            path: 'c1/hubs/kept/values.yaml',
            change: 'modified',
            patch:
              '--- a/c1/hubs/kept/values.yaml\n+++ b/c1/hubs/kept/values.yaml\n@@ -1,2 +1,2 @@\n x: 1\n-y: 2\n+y: 3\n',
          },
        ],
      },
      {
        cluster: 'c1',
        hub: 'new',
        change: 'added',
        files: [
          {
            path: 'c1/hubs/new/values.yaml',
            change: 'added',
            patch:
              '--- /dev/null\n+++ b/c1/hubs/new/values.yaml\n@@ -0,0 +1,2 @@\n+fresh: true\n+secretName: new-iap-oauth\n',
          },
        ],
      },
    ]);
  });

  it('is empty when nothing rendered differs', () => {
    expect(diffRenderedFleets(base, base)).toEqual([]);
    expect(formatDiffText([])).toBe('no rendered file differs\n');
  });

  it('puts a cluster file before its hubs', () => {
    const changed = [file('c1/terraform.tfvars.json', '{}\n'), ...head.slice(1)];
    expect(diffRenderedFleets(base, changed).map((t) => `${t.cluster}/${t.hub ?? ''}`)).toEqual([
      'c1/',
      'c1/gone',
      'c1/kept',
      'c1/new',
    ]);
  });
});

describe('formatting', () => {
  const diffs = diffRenderedFleets(base, head);

  it('prints text blocks per hub and a count', () => {
    expect(
      formatDiffText(diffs)
        .split('\n')
        .filter((l) => l.startsWith('===') || /^\d/.test(l)),
    ).toEqual([
      '=== c1/gone (removed)',
      '=== c1/kept (modified)',
      '=== c1/new (added)',
      '3 changed (1 added, 1 modified, 1 removed), 3 files',
    ]);
  });

  it('prints a markdown table and one collapsed diff per hub, fenced longer than any backticks inside', () => {
    const ticks = diffRenderedFleets([], [file('c2/hubs/h/values.yaml', 'a: "```"\n')]);
    const md = formatDiffMarkdown(ticks);
    expect(md).toBe(
      [
        '### Rendered diff',
        '',
        '1 changed (1 added, 0 modified, 0 removed), 1 files',
        '',
        '| target | change | files |',
        '|---|---|---|',
        '| c2/h | added | `values.yaml` |',
        '',
        '<details><summary>c2/h (added)</summary>',
        '',
        '````diff',
        '--- /dev/null',
        '+++ b/c2/hubs/h/values.yaml',
        '@@ -0,0 +1,1 @@',
        '+a: "```"',
        '````',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
    expect(formatDiffMarkdown([])).toBe(
      '### Rendered diff\n\nNo rendered helm values, manifest or tfvars file differs.\n',
    );
  });
});
