// `hubfleet`: validate the fleet, compute what a change affects, render it, start a new hub.
// Exit codes: 0 ok, 1 invalid config or failed check, 2 usage error.
import { parseArgs } from 'node:util';
import { errorMessage, findHint } from './errors.js';
import { didYouMean } from './config/did-you-mean.js';
// Each command's module is imported only when that command runs (or its help is shown), and it
// imports what it needs when it runs: a cold `validate` then loads neither the other commands nor
// the renderers nor the git adapter, which a CI step pays for on every run.
import { type CliIo, type Command, configOption, loadFromDir, report, str } from './cli/common.js';
import { UsageError } from './cli/usage-error.js';

export type { CliIo } from './cli/common.js';

const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
});

const validateCommand: Command = {
  summary: 'check every cluster and hub file; print problems as file:line:col',
  usage: `hubfleet validate [--config DIR]

Loads config/clusters/*/cluster.yaml and hubs/*.yaml, checks them against the JSON Schemas and the
fleet rules, and prints every problem as path:line:col: field: message. With GITHUB_ACTIONS=true
each problem is also printed as an annotation. Exit 1 when any error is found.`,
  options: configOption,
  run: async (v, io) => {
    const result = await loadFromDir(str(v.config), io);
    if (!report(result, io)) return 1;
    const hubs = result.fleet.clusters.reduce((n, c) => n + c.hubs.length, 0);
    io.stdout(`fleet is valid: ${result.fleet.clusters.length} clusters, ${hubs} hubs\n`);
    return 0;
  },
};

/** Each command, loaded when needed: add a command with one line here. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  validate: () => Promise.resolve(validateCommand),
  affected: async () => (await import('./cli/affected.js')).affectedCommand,
  render: async () => (await import('./cli/render.js')).renderCommand,
  'new-hub': async () => (await import('./cli/new-hub.js')).newHubCommand,
  diff: async () => (await import('./cli/diff.js')).diffCommand,
  targets: async () => (await import('./cli/targets.js')).targetsCommand,
  doctor: async () => (await import('./cli/doctor.js')).doctorCommand,
  init: async () => (await import('./cli/init.js')).initCommand,
  upgrade: async () => (await import('./cli/upgrade.js')).upgradeCommand,
  audit: async () => (await import('./cli/audit.js')).auditCommand,
  images: async () => (await import('./cli/images.js')).imagesCommand,
};

/**
 * The command names. scripts/build-lib.mjs bundles each command on its own (lib/cli/commands/), and
 * bin/hubfleet.js runs a command line that starts with one of them from that bundle.
 */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** Own entries only: `hubfleet toString` is an unknown command, not Object.prototype's. */
const commandNamed = (name: string): (() => Promise<Command>) | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;

async function topLevelHelp(): Promise<string> {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines: string[] = [];
  // One after the other: help is rare, and jest's module loader trips over concurrent imports.
  for (const [name, load] of Object.entries(COMMANDS))
    lines.push(`  ${name.padEnd(width)}  ${(await load()).summary}`);
  return `hubfleet — GitOps for a fleet of private, IAP-secured JupyterHubs

usage: hubfleet <command> [options]   (hubfleet help <command>, or hubfleet <command> --help)
       hubfleet --version

commands:
${lines.join('\n')}

exit codes: 0 ok, 1 invalid config or failed check, 2 usage error
`;
}

/** `unknown command "valdate"; did you mean validate?` and the list of commands. */
async function unknownCommand(name: string, io: CliIo): Promise<number> {
  const suggestion = didYouMean(name, Object.keys(COMMANDS));
  io.stderr(
    `hubfleet: unknown command ${JSON.stringify(name)}${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}\n\n${await topLevelHelp()}`,
  );
  return 2;
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(await topLevelHelp());
    return 2;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    const { packageVersion } = await import('./cli/version.js');
    io.stdout(`hubfleet ${await packageVersion()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) {
      io.stdout(await topLevelHelp());
      return 0;
    }
    if (extra.length > 0) {
      io.stderr(`hubfleet help: takes one command, not ${rest.length}\n\n${await topLevelHelp()}`);
      return 2;
    }
    const about = commandNamed(topic);
    if (about === undefined) return unknownCommand(topic, io);
    io.stdout(`${(await about()).usage}\n`);
    return 0;
  }
  const load = commandNamed(name);
  if (load === undefined) return unknownCommand(name, io);
  const command = await load();
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
        allowPositionals: command.positionals !== undefined,
      });
    } catch (err) {
      throw new UsageError(errorMessage(err));
    }
    const max = command.positionals ?? 0;
    if (parsed.positionals.length > max) {
      throw new UsageError(
        `takes at most ${max} argument${max === 1 ? '' : 's'}, not ${parsed.positionals.length} (${parsed.positionals.join(' ')})`,
      );
    }
    return await command.run(
      command.positionals === undefined ? parsed.values : { ...parsed.values, _: parsed.positionals },
      io,
    );
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(
        err.hint === undefined
          ? `hubfleet ${name}: ${err.message}\n\nusage: ${command.usage.split('\n\n')[0] ?? ''}\n`
          : `hubfleet ${name}: ${err.message}\nnext: ${err.hint}\n`,
      );
      return 2;
    }
    const hint = findHint(err);
    io.stderr(`hubfleet ${name}: ${errorMessage(err)}${hint === undefined ? '' : `\nnext: ${hint}`}\n`);
    return 1;
  }
}
