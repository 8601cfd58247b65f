// `hubfleet affected`: what a change plans, deploys and removes, as strategy.matrix JSON for the
// workflows (default) or as a short summary for a person (--format text).
import { appendFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { cacheOptions, type Command, configOption, report, str } from './common.js';
import { configSource } from '../config/config-bytes.js';
import { checkRevisionText } from './revisions.js';
import { UsageError } from './usage-error.js';

export { toConfigPath } from '../plan/config-scope.js';

/** The reverse of toConfigPath: the planner's `config/...` path as the file's path in the repository. */
export function fromConfigPath(path: string, prefix: string): string {
  return path.startsWith('config/') ? `${prefix}/${path.slice('config/'.length)}` : path;
}

async function gitTopLevel(dir: string): Promise<string> {
  const { repositoryRoot } = await import('../adapters/git.js');
  const root = await repositoryRoot(dir);
  if (root === undefined)
    throw new UsageError(`${dir} is not inside a git repository (affected reads git history)`);
  return root;
}

function relativeInside(root: string, dir: string): string {
  const rel = relative(root, dir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UsageError(`--config must be a directory inside the repository ${root}`);
  }
  return rel.split(sep).join('/');
}

export const affectedCommand: Command = {
  summary: 'what a change plans and deploys, as strategy.matrix JSON (or a summary: --format text)',
  usage: `hubfleet affected --base REF [--head REF] [--labels a,b] [--labels-since REF] [--format json|text]
                  [--config DIR] [--github-output] [--refuse-unlabelled-removals]

Reads \`git diff --name-status BASE...HEAD\` and the fleet as it is at HEAD (default: HEAD), and
prints {clusters, staging, prod, certificates, remove, uninstall} matrices (one row per cluster and
stage) ({"include": [...]}) as JSON. BASE must be an ancestor of HEAD. --format text prints a short
summary instead: what is planned, deployed (staging, prod) and removed, and why, one line each.
Labels are the PR's labels: hubfleet:skip-deploy, hubfleet:deploy-all, hubfleet:remove-hub.
--github-output also appends clusters=, staging=, prod=, remove=, uninstall= and has-*= lines to
$GITHUB_OUTPUT. --refuse-unlabelled-removals: a hub file deleted without hubfleet:remove-hub is an
error (exit 1, after the JSON and outputs), one per file (an annotation with GITHUB_ACTIONS=true):
the cluster's Terraform plan would destroy the cloud resources of a hub that stays installed.
--labels-since REF: the labels belong to the change REF...HEAD (after a merge: the push's before
commit), not to all of BASE...HEAD; hubfleet:remove-hub then uninstalls only hubs whose files that
change deleted (default: BASE). Changed paths outside --config never count as fleet changes.`,
  options: {
    ...configOption,
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    labels: { type: 'string', default: '' },
    'labels-since': { type: 'string' },
    format: { type: 'string', default: 'json' },
    'github-output': { type: 'boolean', default: false },
    'refuse-unlabelled-removals': { type: 'boolean', default: false },
  },
  run: async (v, io) => {
    const revisions = { base: str(v.base), head: str(v.head) };
    checkRevisionText(revisions);
    // --labels-since is a revision too: the same refusal of option-like text (decision 0032).
    const labelsSince = str(v['labels-since']);
    if (labelsSince !== '') checkRevisionText({ base: labelsSince, head: revisions.head });
    const format = str(v.format);
    if (format !== 'json' && format !== 'text') {
      throw new UsageError(`--format must be json or text, not ${JSON.stringify(format)}`);
    }
    const configDir = resolve(io.cwd, str(v.config));
    const [
      { changedFiles, filesAtRef },
      { loadSourcesLazily },
      { planChanges, toMatrices },
      { checkRevisions },
    ] = await Promise.all([
      import('../adapters/git.js'),
      import('../config/load-lazy.js'),
      import('../plan/change-plan.js'),
      import('./revisions.js'),
    ]);
    // The revision checks, rev-parse, ls-tree and diff run at once: ls-tree from the config
    // directory answers paths relative to it, diff answers repository paths. Their errors are taken
    // in that order (bad revisions first), and a fleet that fails to load is reported before a
    // failed diff.
    const [checked, root, listed, diffed] = await Promise.allSettled([
      checkRevisions(configDir, revisions),
      gitTopLevel(configDir),
      filesAtRef(configDir, revisions.head, 'clusters'),
      changedFiles(configDir, revisions.base, revisions.head),
    ]);
    if (root.status === 'rejected') throw root.reason;
    if (checked.status === 'rejected') throw checked.reason;
    const prefix = relativeInside(root.value, configDir);
    if (listed.status === 'rejected') throw listed.reason;
    // Loader and planner speak in `config/...` paths whatever the directory is called.
    const result = await loadSourcesLazily(
      listed.value.map((f) => configSource(`config/${f.path}`, f.bytes, f.symlink)),
      cacheOptions(io),
    );
    if (!report(result, io)) return 1;
    if (diffed.status === 'rejected') throw diffed.reason;
    const [{ scopeToConfig }, { labelledDeletions }] = await Promise.all([
      import('../plan/config-scope.js'),
      import('../plan/label-scope.js'),
    ]);
    const changes = scopeToConfig(diffed.value, prefix);
    const since = labelsSince;
    const labelScope =
      since === '' || since === revisions.base
        ? {}
        : {
            labelledDeletions: labelledDeletions(
              scopeToConfig(await changedFiles(configDir, since, revisions.head), prefix),
            ),
          };
    const labels = str(v.labels)
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const { refuseClusterRenames } = await import('./cluster-renames.js');
    const renamed = await refuseClusterRenames(
      configDir,
      revisions.base,
      changes,
      result.fleet,
      (path) => fromConfigPath(path, prefix),
      io,
    );
    if (renamed !== 0) return renamed;
    const plan = planChanges(changes, labels, result.fleet, labelScope);
    const matrices = toMatrices(plan, result.fleet);
    if (format === 'text') {
      const { formatAffectedText } = await import('./affected-text.js');
      io.stdout(formatAffectedText(plan));
    } else {
      io.stdout(
        `${JSON.stringify({ ...matrices, removedClusters: plan.removedClusters, reasons: plan.reasons }, null, 2)}\n`,
      );
    }
    if (v['github-output'] === true) {
      const outputFile = io.env.GITHUB_OUTPUT;
      if (outputFile === undefined || outputFile === '') {
        throw new UsageError('--github-output needs $GITHUB_OUTPUT (it is set inside GitHub Actions)');
      }
      const lines = (Object.entries(matrices) as Array<[string, { include: unknown[] }]>).flatMap(
        ([name, m]) => [`${name}=${JSON.stringify(m)}`, `has-${name}=${m.include.length > 0}`],
      );
      await appendFile(outputFile, `${lines.join('\n')}\n`);
    }
    // A created GKE cluster switched to adoption would be destroyed by its plan: always refused.
    const { handoversSince, reportClusterHandovers } = await import('./cluster-handovers.js');
    const handoverStatus = reportClusterHandovers(
      await handoversSince(configDir, revisions.base, changes, result.fleet),
      (path) => fromConfigPath(path, prefix),
      io,
    );
    if (v['refuse-unlabelled-removals'] === true) {
      const [{ unlabelledRemovals }, { reportUnlabelledRemovals }] = await Promise.all([
        import('../plan/removal-gate.js'),
        import('./unlabelled-removals.js'),
      ]);
      const removalStatus = reportUnlabelledRemovals(
        unlabelledRemovals(plan, result.fleet),
        (path) => fromConfigPath(path, prefix),
        io,
      );
      return Math.max(handoverStatus, removalStatus);
    }
    return handoverStatus;
  },
};
