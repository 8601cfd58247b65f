// `hubfleet diff`: what a change does to the rendered fleet. Renders the fleet at BASE and at HEAD
// and prints one unified diff per hub and file (helm values, manifests, cluster tfvars). A hub that
// is added or removed shows in full. Secret references appear by name; values are never rendered.
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { Fleet } from '../config/model.js';
import { cacheOptions, type CliIo } from './common.js';
import { checkRevisionText } from './revisions.js';
import { UsageError } from './usage-error.js';

export type DiffIo = CliIo;

type OptionValue = string | boolean | Array<string | boolean> | undefined;

/** The heading of the platform files' diff (decision 0018). */
export const PLATFORM_HEADING =
  'Platform values (privileged; config/clusters/<cluster>/platform/, owned by the platform team in CODEOWNERS)';

export const diffCommand = {
  summary: 'unified diff of the rendered fleet between two commits, per hub and file',
  usage: `hubfleet diff --base REF [--head REF] [--format text|markdown] [--config DIR]

Renders the fleet as it is at BASE and at HEAD (default: HEAD; both read from git, not the work
tree; BASE must be an ancestor of HEAD) and prints a unified diff per hub and file: helm values, manifests and the cluster's
terraform.tfvars.json. An added or removed hub shows in full. Secrets show as the names of the
GitHub secrets that hold them, never as values. Changes to platform files (the platform team's
privileged values, config/clusters/<c>/platform/<hub>.yaml) are shown again under their own
heading. --format markdown prints a table and one
collapsed diff per hub, for a job summary or a pull-request comment. Exit 0 whether or not files
differ; 1 when either side does not validate. Only what the change can alter is rendered: a
changed hub file renders that hub and its cluster's tfvars, a changed cluster file that cluster,
any other file under --config the whole fleet; stderr names what was rendered.`,
  options: {
    config: { type: 'string', default: 'config' },
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    format: { type: 'string', default: 'text' },
  } satisfies NonNullable<ParseArgsConfig['options']>,
  run: async (v: Record<string, OptionValue>, io: DiffIo): Promise<number> => {
    const revisions = {
      base: typeof v.base === 'string' ? v.base : '',
      head: typeof v.head === 'string' ? v.head : 'HEAD',
    };
    const format = typeof v.format === 'string' ? v.format : 'text';
    checkRevisionText(revisions);
    if (format !== 'text' && format !== 'markdown') {
      throw new UsageError(`--format must be text or markdown, not "${format}"`);
    }
    // Loaded only when diff runs: `hubfleet validate` starts without the renderers (see cli.ts).
    const [
      { formatProblem },
      rendered,
      { loadClustersAtRef, loadFleetAtRef, locateConfig },
      { checkRevisions },
      git,
      scoped,
    ] = await Promise.all([
      import('../config/problems.js'),
      import('../render/rendered-diff.js'),
      import('./fleet-at-ref.js'),
      import('./revisions.js'),
      import('../adapters/git.js'),
      import('./diff-scope.js'),
    ]);
    const { diffRenderedFleets, formatDiffMarkdown, formatDiffText } = rendered;
    const location = await locateConfig(resolve(io.cwd, typeof v.config === 'string' ? v.config : 'config'));
    const cache = cacheOptions(io);
    // The head is loaded and checked whole, whatever the change: its git reads start at once and
    // its checks run while git answers the revision checks and the diff (they were a chain of
    // waits). Their errors come first, in that order, as before.
    const head = loadFleetAtRef(location, revisions.head, cache);
    // Handled here so an early failure is not an unhandled rejection; awaited below as it is.
    head.catch(() => undefined);
    const [checked, changed] = await Promise.allSettled([
      checkRevisions(location.repoRoot, revisions),
      git.changedFiles(location.repoRoot, revisions.base, revisions.head),
    ]);
    if (checked.status === 'rejected' || changed.status === 'rejected') {
      throw checked.status === 'rejected' ? checked.reason : (changed as PromiseRejectedResult).reason;
    }
    const scope = scoped.diffScope(changed.value, location.prefix);
    // Nothing under --config changed: both sides hold the same fleet, loaded (and checked) once.
    const unchanged = !scope.everything && scope.clusters.size === 0;
    const sides = unchanged
      ? ([['head', revisions.head]] as const)
      : ([
          ['base', revisions.base],
          ['head', revisions.head],
        ] as const);
    // Of the base only the touched clusters are loaded: nothing else can render differently, and
    // the base passed every check when it was merged.
    const loaded = await Promise.all(
      sides.map(([side, ref]) =>
        side === 'head'
          ? head
          : scope.everything
            ? loadFleetAtRef(location, ref, cache)
            : loadClustersAtRef(location, ref, [...scope.clusters.keys()], cache),
      ),
    );
    const fleets = [];
    for (const [i, result] of loaded.entries()) {
      const [side, ref] = sides[i] ?? ['head', revisions.head];
      if (!result.ok) {
        for (const p of result.problems) io.stderr(`${formatProblem(p)}\n`);
        io.stderr(`\nthe fleet at ${side} ${ref} does not validate; run hubfleet validate there first\n`);
        return 1;
      }
      fleets.push(result.fleet);
    }
    const renders = unchanged ? [] : fleets.map((fleet) => scoped.renderScoped(fleet, scope));
    const diffs = diffRenderedFleets(renders[0]?.files ?? [], renders[1]?.files ?? []);
    // Privileged values get their own heading, so a reviewer cannot take them for the hub's own.
    const platformSides = unchanged ? [] : fleets.map((fleet) => scoped.scopedPlatformFiles(fleet, scope));
    const platform = diffRenderedFleets(platformSides[0] ?? [], platformSides[1] ?? []);
    io.stderr(
      renderedNote(
        renders.flatMap((r) => r.rendered),
        fleets[fleets.length - 1],
      ),
    );
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

const NOTE_NAMES = 20;

/**
 * On stderr, so the diff on stdout stays what a comment shows: what was rendered (at base and head
 * alike), against the size of the fleet at head.
 */
function renderedNote(rendered: readonly string[], head: Fleet | undefined): string {
  const names = [...new Set(rendered)].sort();
  const clusters = names.filter((n) => !n.includes('/')).length;
  const hubs = names.length - clusters;
  const allClusters = head?.clusters.length ?? 0;
  const allHubs = head?.clusters.reduce((n, c) => n + c.hubs.length, 0) ?? 0;
  const shown = names.slice(0, NOTE_NAMES).join(', ');
  const more = names.length > NOTE_NAMES ? ` and ${names.length - NOTE_NAMES} more` : '';
  return `hubfleet diff: rendered ${clusters} of ${allClusters} clusters and ${hubs} of ${allHubs} hubs at base and head${names.length === 0 ? ' (no file under --config changed)' : `: ${shown}${more}`}\n`;
}
