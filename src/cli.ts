// `hubfleet`: validate the fleet, compute what a change affects, render it, start a new hub.
// Exit codes: 0 ok, 1 invalid config or failed check, 2 usage error.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { appendFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { errorMessage, findHint } from './errors.js';
import type { ConfigProblem, Fleet, LoadResult } from './config/model.js';
import { annotation, formatProblem } from './config/problems.js';
import { configSource } from './config/config-bytes.js';
// Each command imports what it needs when it runs (`await import(...)`): a cold `validate` then
// loads neither the renderers nor the git adapter, which a CI step pays for on every run.
import { diffCommand } from './cli/diff.js';
import { targetsCommand } from './cli/targets.js';
import { UsageError } from './cli/usage-error.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
});

type Options = NonNullable<ParseArgsConfig['options']>;
type OptionValue = string | boolean | Array<string | boolean> | undefined;

interface Command {
  summary: string;
  usage: string;
  options: Options;
  run: (values: Record<string, OptionValue>, io: CliIo) => Promise<number>;
}

const configOption = { config: { type: 'string', default: 'config' } } as const;

const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check every cluster and hub file; print problems as file:line:col',
    usage: `hubfleet validate [--config DIR]

Loads config/clusters/*/cluster.yaml and hubs/*.yaml, checks them against the JSON Schemas and the
fleet rules, and prints every problem as path:line:col: field: message. With GITHUB_ACTIONS=true
each problem is also printed as an annotation. Exit 1 when any error is found.`,
    options: configOption,
    run: async (v, io) => {
      const result = await loadFromDir(str(v.config), io);
      if (!report(result, io)) return 1;
      const hubs = result.ok ? result.fleet.clusters.reduce((n, c) => n + c.hubs.length, 0) : 0;
      const clusters = result.ok ? result.fleet.clusters.length : 0;
      io.stdout(`fleet is valid: ${clusters} clusters, ${hubs} hubs\n`);
      return 0;
    },
  },
  affected: {
    summary: 'what a change plans and deploys, as strategy.matrix JSON',
    usage: `hubfleet affected --base REF [--head REF] [--labels a,b] [--labels-since REF] [--config DIR]
                  [--github-output] [--refuse-unlabelled-removals]

Reads \`git diff --name-status BASE...HEAD\` and the fleet as it is at HEAD (default: HEAD), and
prints {clusters, staging, prod, certificates, remove, uninstall} matrices (one row per cluster and stage) ({"include": [...]}) as JSON. Labels are the PR's
labels: hubfleet:skip-deploy, hubfleet:deploy-all, hubfleet:remove-hub. --github-output also
appends clusters=, staging=, prod=, remove=, uninstall= and has-*= lines to $GITHUB_OUTPUT.
--refuse-unlabelled-removals: a hub file deleted without hubfleet:remove-hub is an error (exit 1,
after the JSON and outputs), one per file (an annotation with GITHUB_ACTIONS=true): the cluster's
Terraform plan would destroy the cloud resources of a hub that stays installed.
--labels-since REF: the labels belong to the change REF...HEAD (after a merge: the push's before
commit), not to all of BASE...HEAD; hubfleet:remove-hub then uninstalls only hubs whose files that
change deleted (default: BASE). Changed paths outside --config never count as fleet changes.`,
    options: {
      ...configOption,
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      labels: { type: 'string', default: '' },
      'labels-since': { type: 'string' },
      'github-output': { type: 'boolean', default: false },
      'refuse-unlabelled-removals': { type: 'boolean', default: false },
    },
    run: async (v, io) => {
      const base = str(v.base);
      if (base === '') throw new UsageError('--base REF is required');
      const head = str(v.head);
      const configDir = resolve(io.cwd, str(v.config));
      const [{ changedFiles, filesAtRef }, { loadSourcesLazily }, { planChanges, toMatrices }] =
        await Promise.all([
          import('./adapters/git.js'),
          import('./config/load-lazy.js'),
          import('./plan/change-plan.js'),
        ]);
      // rev-parse, ls-tree and diff run at once: ls-tree from the config directory answers paths
      // relative to it, diff answers repository paths. Their errors are taken in that order, and a
      // fleet that fails to load is reported before a failed diff.
      const [root, listed, diffed] = await Promise.allSettled([
        gitTopLevel(configDir),
        filesAtRef(configDir, head, 'clusters'),
        changedFiles(configDir, base, head),
      ]);
      if (root.status === 'rejected') throw root.reason;
      const prefix = relativeInside(root.value, configDir);
      if (listed.status === 'rejected') throw listed.reason;
      // Loader and planner speak in `config/...` paths whatever the directory is called.
      const result = await loadSourcesLazily(
        listed.value.map((f) => configSource(`config/${f.path}`, f.bytes, f.symlink)),
      );
      if (!report(result, io)) return 1;
      if (diffed.status === 'rejected') throw diffed.reason;
      const [{ scopeToConfig }, { labelledDeletions }] = await Promise.all([
        import('./plan/config-scope.js'),
        import('./plan/label-scope.js'),
      ]);
      const changes = scopeToConfig(diffed.value, prefix);
      const since = str(v['labels-since']);
      const labelScope =
        since === '' || since === base
          ? {}
          : {
              labelledDeletions: labelledDeletions(
                scopeToConfig(await changedFiles(configDir, since, head), prefix),
              ),
            };
      const labels = str(v.labels)
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const { refuseClusterRenames } = await import('./cli/cluster-renames.js');
      const renamed = await refuseClusterRenames(
        configDir,
        base,
        changes,
        result.fleet,
        (path) => fromConfigPath(path, prefix),
        io,
      );
      if (renamed !== 0) return renamed;
      const plan = planChanges(changes, labels, result.fleet, labelScope);
      const matrices = toMatrices(plan, result.fleet);
      io.stdout(
        `${JSON.stringify({ ...matrices, removedClusters: plan.removedClusters, reasons: plan.reasons }, null, 2)}\n`,
      );
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
      if (v['refuse-unlabelled-removals'] === true) {
        const [{ unlabelledRemovals }, { reportUnlabelledRemovals }] = await Promise.all([
          import('./plan/removal-gate.js'),
          import('./cli/unlabelled-removals.js'),
        ]);
        return reportUnlabelledRemovals(
          unlabelledRemovals(plan, result.fleet),
          (path) => fromConfigPath(path, prefix),
          io,
        );
      }
      return 0;
    },
  },
  render: {
    summary: 'write tfvars, helm values and manifests for the fleet (or one cluster/hub)',
    usage: `hubfleet render --out DIR [--cluster C] [--hub H] [--config DIR]

Validates the fleet, then writes <cluster>/terraform.tfvars.json and
<cluster>/hubs/<hub>/{values.yaml,manifests.yaml} under DIR. Output is deterministic: rendering
twice gives the same bytes, so a diff shows exactly what changed. Secret values are never written.`,
    options: {
      ...configOption,
      out: { type: 'string' },
      cluster: { type: 'string' },
      hub: { type: 'string' },
    },
    run: async (v, io) => {
      const out = str(v.out);
      if (out === '') throw new UsageError('--out DIR is required');
      if (v.hub !== undefined && v.cluster === undefined) throw new UsageError('--hub needs --cluster');
      const result = await loadFromDir(str(v.config), io);
      if (!report(result, io)) return 1;
      const filter = {
        ...(typeof v.cluster === 'string' ? { cluster: v.cluster } : {}),
        ...(typeof v.hub === 'string' ? { hub: v.hub } : {}),
      };
      const missing = missingTarget(result.fleet, filter);
      if (missing !== undefined) {
        io.stderr(`${missing}\n`);
        return 1;
      }
      const [{ writeRenderedFleet }, { formatTable }] = await Promise.all([
        import('./write-rendered.js'),
        import('./text-table.js'),
      ]);
      const rows = await writeRenderedFleet(result.fleet, resolve(io.cwd, out), filter);
      io.stdout(
        formatTable(
          ['cluster', 'hub', 'stage', 'domain', 'files written'],
          rows.map((r) => [r.cluster, r.hub, r.stage, r.domain, r.files.join(', ')]),
        ),
      );
      const count = rows.reduce((n, r) => n + r.files.length, 0);
      io.stdout(`\nrendered ${rows.length} rows, ${count} files into ${out}\n`);
      return 0;
    },
  },
  'new-hub': {
    summary: 'write a new hub file that validates (start of the PR that adds a hub)',
    usage: `hubfleet new-hub --cluster C --name N --domain D [--stage staging|prod] [--chart basehub|daskhub]
                 [--member group:team@example.org ...] [--github-org ORG ...] [--config DIR]

Writes config/clusters/C/hubs/N.yaml. GKE hubs sit behind IAP: name who may use the hub with
--member (user:, group:, serviceAccount: or domain:). EKS hubs sign in with GitHub: name the
allowed organisations with --github-org. Refuses to overwrite a file, and refuses a hub name or
domain already taken; nothing is written unless the whole fleet still validates.`,
    options: {
      ...configOption,
      cluster: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string' },
      stage: { type: 'string', default: 'staging' },
      chart: { type: 'string', default: 'basehub' },
      member: { type: 'string', multiple: true, default: [] },
      'github-org': { type: 'string', multiple: true, default: [] },
    },
    run: async (v, io) => {
      for (const required of ['cluster', 'name', 'domain'] as const) {
        if (str(v[required]) === '') throw new UsageError(`--${required} is required`);
      }
      const { createHubFile, NewHubUsageError } = await import('./new-hub.js');
      try {
        const created = await createHubFile({
          configDir: resolve(io.cwd, str(v.config)),
          displayRoot: io.cwd,
          cluster: str(v.cluster),
          name: str(v.name),
          domain: str(v.domain),
          stage: str(v.stage),
          chart: str(v.chart),
          members: list(v.member),
          githubOrgs: list(v['github-org']),
        });
        if (!created.ok) {
          for (const p of created.problems) io.stderr(`${formatProblem(p)}\n`);
          io.stderr(`${created.message}\n`);
          return 1;
        }
        io.stdout(`wrote ${created.file}\nnext: review it, commit it on a branch and open a pull request\n`);
        return 0;
      } catch (err) {
        if (err instanceof NewHubUsageError) throw new UsageError(err.message);
        throw err;
      }
    },
  },
  diff: diffCommand,
  targets: targetsCommand,
};

function str(value: OptionValue): string {
  return typeof value === 'string' ? value : '';
}

function list(value: OptionValue): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function topLevelHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `hubfleet — GitOps for a fleet of private, IAP-secured JupyterHubs

usage: hubfleet <command> [options]   (hubfleet <command> --help for details)

commands:
${lines.join('\n')}

exit codes: 0 ok, 1 invalid config or failed check, 2 usage error
`;
}

async function loadFromDir(config: string, io: CliIo): Promise<LoadResult> {
  const { loadFleetLazily } = await import('./config/load-lazy.js');
  return loadFleetLazily(resolve(io.cwd, config), { displayRoot: io.cwd });
}

/** Prints problems (and annotations inside GitHub Actions); true when the fleet loaded. */
function report(result: LoadResult, io: CliIo): result is Extract<LoadResult, { ok: true }> {
  const problems: ConfigProblem[] = result.ok ? result.warnings : result.problems;
  const inActions = io.env.GITHUB_ACTIONS === 'true';
  for (const p of problems) {
    io.stderr(`${formatProblem(p)}\n`);
    if (inActions) io.stdout(`${annotation(p)}\n`);
  }
  if (!result.ok) {
    const errors = problems.filter((p) => p.severity === 'error').length;
    io.stderr(`\n${errors} error${errors === 1 ? '' : 's'} in the fleet config; nothing was changed\n`);
  }
  return result.ok;
}

function missingTarget(fleet: Fleet, filter: { cluster?: string; hub?: string }): string | undefined {
  if (filter.cluster === undefined) return undefined;
  const cluster = fleet.clusters.find((c) => c.config.name === filter.cluster);
  if (cluster === undefined) {
    return `no cluster named ${filter.cluster}; known: ${fleet.clusters.map((c) => c.config.name).join(', ')}`;
  }
  if (filter.hub !== undefined && !cluster.hubs.some((h) => h.config.name === filter.hub)) {
    return `no hub named ${filter.hub} on ${filter.cluster}; known: ${cluster.hubs.map((h) => h.config.name).join(', ')}`;
  }
  return undefined;
}

async function gitTopLevel(dir: string): Promise<string> {
  const { repositoryRoot } = await import('./adapters/git.js');
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

export { toConfigPath } from './plan/config-scope.js';

/** The reverse of toConfigPath: the planner's `config/...` path as the file's path in the repository. */
export function fromConfigPath(path: string, prefix: string): string {
  return path.startsWith('config/') ? `${prefix}/${path.slice('config/'.length)}` : path;
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(topLevelHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`unknown command "${name}"\n\n${topLevelHelp()}`);
    return 2;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: command.options,
        strict: true,
        allowPositionals: false,
      });
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
    return await command.run(parsed.values, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`hubfleet ${name}: ${err.message}\n\nusage: ${command.usage.split('\n\n')[0] ?? ''}\n`);
      return 2;
    }
    const hint = findHint(err);
    io.stderr(`hubfleet ${name}: ${errorMessage(err)}${hint === undefined ? '' : `\nnext: ${hint}`}\n`);
    return 1;
  }
}
