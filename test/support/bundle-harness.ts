import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Runs an action's committed bundle (`actions/<name>/dist/index.js`) as a child process with the
 * environment contract a GitHub runner gives it, and reads back what the runner would: the output
 * file, the step summary, and the workflow commands on stdout.
 */

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunBundleOptions {
  /** Input values by their action.yml name; the runner's name mangling is applied. */
  inputs?: Record<string, string>;
  /** Extra or overriding environment variables (e.g. GITHUB_API_URL of a double). */
  env?: Record<string, string>;
  /** The webhook payload, written to the file GITHUB_EVENT_PATH names. */
  event?: unknown;
  eventName?: string;
  /** Files to create in GITHUB_WORKSPACE before the run, by relative path. */
  files?: Record<string, string>;
  /** What `${{ github.token }}` in an action.yml default evaluates to. */
  githubToken?: string;
  /** Fill unset inputs from action.yml defaults, as the runner does (default true). */
  applyDefaults?: boolean;
  timeoutMs?: number;
}

export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface BundleRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  commands: WorkflowCommand[];
  annotations: Annotation[];
  /** Values registered with `::add-mask::`, in order. */
  masks: string[];
  /** What the step wrote to the files GITHUB_ENV, GITHUB_STATE and GITHUB_PATH name, as written. */
  envFile: string;
  stateFile: string;
  pathFile: string;
  /** The variables the child was started with (for assertions about the contract itself). */
  env: Record<string, string>;
}

// Nothing may reach the real GitHub by accident: unless a test points GITHUB_API_URL at a double,
// requests go to a closed local port.
const UNREACHABLE_API = 'http://127.0.0.1:9';

/** The runner's input variable name: spaces become `_`, upper-cased; `-` is kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export async function runBundle(actionDir: string, options: RunBundleOptions = {}): Promise<BundleRun> {
  const dir = isAbsolute(actionDir) ? actionDir : join(repoRoot, actionDir);
  const bundle = join(dir, 'dist', 'index.js');
  const temp = await mkdtemp(join(tmpdir(), 'hubfleet-bundle-'));
  try {
    const workspace = join(temp, 'workspace');
    const runnerTemp = join(temp, 'runner-temp');
    const files = join(temp, 'files');
    await Promise.all([workspace, runnerTemp, files].map((d) => mkdir(d, { recursive: true })));
    const fileVar = (name: string): string => join(files, name);
    for (const name of ['output', 'summary', 'env', 'path', 'state']) await writeFile(fileVar(name), '');
    await writeFile(fileVar('event.json'), JSON.stringify(options.event ?? {}));
    for (const [path, content] of Object.entries(options.files ?? {})) {
      const target = join(workspace, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }

    const repository = options.env?.GITHUB_REPOSITORY ?? 'hubfleet-test/fleet';
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: temp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: fileVar('output'),
      GITHUB_STEP_SUMMARY: fileVar('summary'),
      GITHUB_ENV: fileVar('env'),
      GITHUB_PATH: fileVar('path'),
      GITHUB_STATE: fileVar('state'),
      GITHUB_EVENT_PATH: fileVar('event.json'),
      GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_WORKSPACE: workspace,
      GITHUB_RUN_ID: '1001',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'test',
      GITHUB_ACTION: 'hubfleet',
      GITHUB_ACTOR: 'hubfleet-test',
      GITHUB_WORKFLOW: 'bundle harness',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: UNREACHABLE_API,
      GITHUB_GRAPHQL_URL: `${UNREACHABLE_API}/graphql`,
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: join(temp, 'tool-cache'),
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'bundle-harness',
      ...options.env,
    };
    const inputs = options.applyDefaults === false ? { ...options.inputs } : await withDefaults(dir, options);
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;

    const child = await spawnNode(bundle, workspace, env, options.timeoutMs ?? 30_000);
    const commands = parseCommands(child.stdout);
    return {
      ...child,
      outputs: parseOutputFile(await readFile(fileVar('output'), 'utf8')),
      summary: await readFile(fileVar('summary'), 'utf8'),
      commands,
      annotations: annotationsOf(commands),
      masks: commands.filter((c) => c.command === 'add-mask').map((c) => c.message),
      envFile: await readFile(fileVar('env'), 'utf8'),
      stateFile: await readFile(fileVar('state'), 'utf8'),
      pathFile: await readFile(fileVar('path'), 'utf8'),
      env,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Inputs the test left unset take action.yml's default, as the runner does. */
async function withDefaults(dir: string, options: RunBundleOptions): Promise<Record<string, string>> {
  const yml = parse(await readFile(join(dir, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown } | null>;
  };
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(yml.inputs ?? {})) {
    const value = spec?.default;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    const text = String(value);
    if (!text.includes('${{')) inputs[name] = text;
    else if (/^\$\{\{\s*github\.token\s*\}\}$/.test(text)) {
      if (options.githubToken !== undefined) inputs[name] = options.githubToken;
    } else
      throw new Error(`bundle harness cannot evaluate the default of input "${name}" (${text}); pass it`);
  }
  return { ...inputs, ...options.inputs };
}

interface ChildResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

function spawnNode(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolvePromise({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/**
 * Reads a GITHUB_OUTPUT (or GITHUB_ENV) file: `name=value` lines and the multi-line form
 * `name<<DELIMITER` … `DELIMITER`. A later value for a name replaces an earlier one.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const body: string[] = [];
      let closed = false;
      for (i += 1; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i] ?? '');
      }
      if (!closed) throw new Error(`output "${name}": delimiter ${delimiter} never closes the value`);
      values[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`malformed output file line: ${JSON.stringify(line)}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** The workflow commands (`::name k=v,k=v::message`) in a step's stdout, unescaped. */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([A-Za-z][\w-]*)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command = '', props, message = ''] = match;
    const properties: Record<string, string> = {};
    for (const pair of props ? props.split(',') : []) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    commands.push({ command, properties, message: unescapeData(message) });
  }
  return commands;
}

export function annotationsOf(commands: readonly WorkflowCommand[]): Annotation[] {
  return commands.flatMap((c) =>
    c.command === 'error' || c.command === 'warning' || c.command === 'notice'
      ? [{ level: c.command, message: c.message, properties: c.properties }]
      : [],
  );
}

// The reverse of @actions/core's escaping; `%25` last so an escaped `%0A` text stays literal.
function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}
