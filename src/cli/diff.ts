// `hubfleet diff`: what a change does to the rendered fleet. Renders the fleet at BASE and at HEAD
// and prints one unified diff per hub and file (helm values, manifests, cluster tfvars). A hub that
// is added or removed shows in full. Secret references appear by name; values are never rendered.
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { RenderedFile } from '../render/files.js';
import { UsageError } from './usage-error.js';

export interface DiffIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

type OptionValue = string | boolean | Array<string | boolean> | undefined;

/** The heading of the platform files' diff (decision 0018). */
export const PLATFORM_HEADING =
  'Platform values (privileged; config/clusters/<cluster>/platform/, owned by the platform team in CODEOWNERS)';

export const diffCommand = {
  summary: 'unified diff of the rendered fleet between two commits, per hub and file',
  usage: `hubfleet diff --base REF [--head REF] [--format text|markdown] [--config DIR]

Renders the fleet as it is at BASE and at HEAD (default: HEAD; both read from git, not the work
tree) and prints a unified diff per hub and file: helm values, manifests and the cluster's
terraform.tfvars.json. An added or removed hub shows in full. Secrets show as the names of the
GitHub secrets that hold them, never as values. Changes to platform files (the platform team's
privileged values, config/clusters/<c>/platform/<hub>.yaml) are shown again under their own
heading. --format markdown prints a table and one
collapsed diff per hub, for a job summary or a pull-request comment. Exit 0 whether or not files
differ; 1 when either side does not validate.`,
  options: {
    config: { type: 'string', default: 'config' },
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    format: { type: 'string', default: 'text' },
  } satisfies NonNullable<ParseArgsConfig['options']>,
  run: async (v: Record<string, OptionValue>, io: DiffIo): Promise<number> => {
    const base = typeof v.base === 'string' ? v.base : '';
    const head = typeof v.head === 'string' ? v.head : 'HEAD';
    const format = typeof v.format === 'string' ? v.format : 'text';
    if (base === '') throw new UsageError('--base REF is required');
    if (format !== 'text' && format !== 'markdown') {
      throw new UsageError(`--format must be text or markdown, not "${format}"`);
    }
    // Loaded only when diff runs: `hubfleet validate` starts without the renderers (see cli.ts).
    const [
      { formatProblem },
      { platformValueFiles, renderFleetFiles },
      rendered,
      { loadFleetAtRef, locateConfig },
    ] = await Promise.all([
      import('../config/problems.js'),
      import('../render/files.js'),
      import('../render/rendered-diff.js'),
      import('./fleet-at-ref.js'),
    ]);
    const { diffRenderedFleets, formatDiffMarkdown, formatDiffText } = rendered;
    const location = await locateConfig(resolve(io.cwd, typeof v.config === 'string' ? v.config : 'config'));
    const sides: RenderedFile[][] = [];
    const platformSides: RenderedFile[][] = [];
    for (const [side, ref] of [
      ['base', base],
      ['head', head],
    ] as const) {
      const result = await loadFleetAtRef(location, ref);
      if (!result.ok) {
        for (const p of result.problems) io.stderr(`${formatProblem(p)}\n`);
        io.stderr(`\nthe fleet at ${side} ${ref} does not validate; run hubfleet validate there first\n`);
        return 1;
      }
      sides.push(renderFleetFiles(result.fleet));
      platformSides.push(platformValueFiles(result.fleet));
    }
    const diffs = diffRenderedFleets(sides[0] ?? [], sides[1] ?? []);
    // Privileged values get their own heading, so a reviewer cannot take them for the hub's own.
    const platform = diffRenderedFleets(platformSides[0] ?? [], platformSides[1] ?? []);
    if (format === 'markdown') {
      io.stdout(formatDiffMarkdown(diffs));
      if (platform.length > 0) io.stdout(`\n${formatDiffMarkdown(platform, PLATFORM_HEADING)}`);
    } else {
      io.stdout(formatDiffText(diffs));
      if (platform.length > 0) io.stdout(`\n=== ${PLATFORM_HEADING}\n${formatDiffText(platform)}`);
    }
    return 0;
  },
};
