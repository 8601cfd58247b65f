// The Terraform adapter: the only place that runs the terraform binary. It runs the real CLI
// non-interactively (TF_IN_AUTOMATION, -input=false, -no-color), passes Terraform's stderr to the
// log unchanged, and turns a failure into a HubfleetError naming the command and Terraform's own
// error. `apply` takes only a VerifiedPlanFile, which only `bindPlanFile` makes, and only after
// the file's sha256 equals the reviewed one: there is no way to apply without a hash-checked plan.
import { spawn } from 'node:child_process';
import { childEnv } from './child-env.js';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../digest.js';
import { HubfleetError, oneLine } from '../errors.js';

export interface TerraformOptions {
  /** The root module directory (passed as -chdir). */
  moduleDir: string;
  /** TF_DATA_DIR: providers and backend settings live here, one per cluster, outside the checkout. */
  dataDir: string;
  /** Binary to run; default `terraform` from PATH. */
  binary?: string;
  /** Environment for terraform; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (core.info in actions). */
  log?: (line: string) => void;
  /** Terraform's stderr, byte for byte (default: this process's stderr, i.e. the job log). */
  stderr?: (chunk: Buffer) => void;
  /** Output of init, plan and apply, as Terraform prints it (default: this process's stdout). */
  stdout?: (chunk: Buffer) => void;
}

export type OutputValues = Record<string, { value: unknown; sensitive: boolean; type?: unknown }>;

declare const verifiedBrand: unique symbol;

/** A private copy of a plan file whose sha256 equals the reviewed one. Made only by bindPlanFile. */
export interface VerifiedPlanFile {
  readonly path: string;
  readonly sha256: string;
  readonly [verifiedBrand]: true;
}

export interface Terraform {
  version(): Promise<string>;
  /**
   * `init -reconfigure`; with `lockfile: 'readonly'` Terraform may not change .terraform.lock.hcl
   * and verifies every provider it installs against the checksums recorded there.
   */
  init(backendConfig: readonly string[], options?: { lockfile?: 'readonly' }): Promise<void>;
  /** `plan -detailed-exitcode -out`; changes is true when Terraform exits 2. */
  plan(args: { varFile: string; out: string }): Promise<{ changes: boolean }>;
  /** `show -json <planfile>`, parsed; never logged (it holds sensitive values in clear). */
  showJson(planFile: string): Promise<unknown>;
  /** `show <planfile>` as text (Terraform masks sensitive values there). */
  showText(planFile: string): Promise<string>;
  apply(plan: VerifiedPlanFile): Promise<void>;
  outputJson(): Promise<OutputValues>;
}

export async function fileSha256(path: string): Promise<string> {
  return sha256Hex(await readFile(path));
}

/**
 * Reads the plan file once, and when its sha256 equals `expectedSha256` writes those same bytes
 * to a fresh private directory: what is applied is what was hashed, even if the original changes
 * afterwards. Returns the actual hash either way.
 */
export async function bindPlanFile(
  path: string,
  expectedSha256: string,
  privateParent: string,
): Promise<{ sha256: string; plan?: VerifiedPlanFile }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error: unknown) {
    throw new HubfleetError(`cannot read the plan file ${path}`, {
      hint: 'download the plan-cluster artifact of the reviewed plan before apply-iam and pass its path as plan-path',
      cause: error,
    });
  }
  const sha256 = sha256Hex(bytes);
  if (sha256 !== expectedSha256) return { sha256 };
  const dir = await mkdtemp(join(privateParent, 'hubfleet-verified-plan-'));
  await chmod(dir, 0o700);
  const copy = join(dir, 'reviewed.tfplan');
  await writeFile(copy, bytes, { mode: 0o400 });
  const plan = { path: copy, sha256 } as VerifiedPlanFile;
  return { sha256, plan };
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The error lines of Terraform's stderr (from the first `Error:`), as one line. */
export function terraformWhy(stderr: string): string {
  const lines = stderr.split(/\r?\n/);
  const first = lines.findIndex((l) => /^\s*(│\s*)?Error: /.test(l));
  const picked = first >= 0 ? lines.slice(first) : lines.filter((l) => l.trim() !== '').slice(-5);
  const text = oneLine(picked.map((l) => l.replace(/^\s*[│╷╵]\s?/, '')).join('\n'));
  const MAX = 600;
  return text === '' ? 'no error message on stderr' : text.length > MAX ? `${text.slice(0, MAX)}…` : text;
}

const HINTS: Record<string, string> = {
  init: "check cluster.yaml terraform.backend (bucket, prefix), that the job's credentials may read the state bucket, and that the runner can reach the provider registry or a mirror; Terraform's full output is above in the log",
  plan: 'fix the error Terraform names above (in the module or the rendered variables), then re-run the plan',
  show: 'the plan file may be damaged or from another Terraform version; re-run the plan',
  apply:
    'Terraform stopped part-way: what was applied is in the state. Re-run plan-cluster to see what is left, review it and apply the new plan',
  output: "check that the state backend is reachable with the job's credentials",
  version: 'install Terraform on the runner (e.g. hashicorp/setup-terraform) or put it on PATH',
};

/**
 * What to do after a failed apply, for the failures a hub removal meets: hubfleet never deletes a
 * bucket that still holds data (force_destroy is off), and Google does not release a static IP a
 * load balancer still uses. The rest of the apply has happened; the state says what is left.
 */
export function applyFailureHint(stderr: string): string {
  const hints: string[] = [];
  const gcsBuckets = [
    ...stderr.matchAll(/Error trying to delete bucket (\S+) containing objects without `force_destroy`/g),
  ].map((m) => m[1] ?? '');
  if (gcsBuckets.length > 0 || /BucketNotEmpty/.test(stderr)) {
    const named = gcsBuckets.length > 0 ? ` (${[...new Set(gcsBuckets)].join(', ')})` : '';
    hints.push(
      `a removed hub's bucket${named} still holds objects, and hubfleet never deletes data: copy what its users need, empty the bucket (gcloud storage rm --recursive 'gs://BUCKET/**', or aws s3 rm s3://BUCKET --recursive), then re-run the deploy`,
    );
  }
  if (/resourceInUseByAnotherResource|is already being used by/.test(stderr)) {
    hints.push(
      "a static IP is still used by a load balancer: the hub's Ingress still exists. Uninstall the hub first (a PR labelled hubfleet:remove-hub runs deploy-hub mode uninstall), wait until its load balancer is gone, then re-run the deploy",
    );
  }
  return [...hints, HINTS['apply'] ?? ''].join('; ');
}

/**
 * Terraform's words when the lock file does not fit (internal/command/init.go: "Provider dependency
 * changes detected" with -lockfile=readonly; internal/getproviders: a package whose checksum is not
 * in the lock file).
 */
const LOCK_FAILURE =
  /Provider dependency changes detected|lock file is read-only|doesn't match any of the checksums previously recorded in the dependency lock file|Inconsistent dependency lock file/;

export function initFailureHint(stderr: string): string {
  if (LOCK_FAILURE.test(stderr)) {
    return "the provider lock file (.terraform.lock.hcl) does not fit the module's required_providers or the downloaded provider builds, and init may not change it: re-run plan-cluster so a new plan is made with a lock file that fits (a committed lock file: update it with terraform init -upgrade and commit it), review it and merge again";
  }
  return HINTS['init'] ?? '';
}

function withoutApplyArgs(env: NodeJS.ProcessEnv, log: (line: string) => void): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of ['TF_CLI_ARGS', 'TF_CLI_ARGS_apply']) {
    if (copy[name] === undefined) continue;
    log(`ignoring ${name} for terraform apply: only the reviewed plan is applied`);
    delete copy[name];
  }
  return copy;
}

export function createTerraform(opts: TerraformOptions): Terraform {
  const binary = opts.binary ?? 'terraform';
  const moduleDir = resolve(opts.moduleDir);
  const log = opts.log ?? ((): void => undefined);
  // Without the action's inputs and the runner's tokens (child-env.ts): providers run in here.
  const env: NodeJS.ProcessEnv = {
    ...childEnv(opts.env ?? process.env),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_DATA_DIR: resolve(opts.dataDir),
    // No version check calls home from CI.
    CHECKPOINT_DISABLE: '1',
  };
  const writeErr = opts.stderr ?? ((chunk: Buffer): void => void process.stderr.write(chunk));
  const writeOut = opts.stdout ?? ((chunk: Buffer): void => void process.stdout.write(chunk));

  function exec(command: string, args: string[], stream: boolean): Promise<RunResult> {
    const argv = [`-chdir=${moduleDir}`, command, ...args];
    log(`terraform ${command} ${args.filter((a) => !a.startsWith('-backend-config=')).join(' ')}`.trimEnd());
    // Extra arguments from the environment never reach an apply: the saved plan is all it does.
    const childEnv = command === 'apply' ? withoutApplyArgs(env, log) : env;
    return new Promise((resolvePromise, reject) => {
      const child = spawn(binary, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        out.push(chunk);
        if (stream) writeOut(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        writeErr(chunk);
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'ENOENT' ? `${binary} was not found` : error.message;
        reject(
          new HubfleetError(`terraform ${command} could not start: ${why}`, {
            hint: HINTS['version'] ?? '',
            cause: error,
          }),
        );
      });
      child.on('close', (code, signal) => {
        resolvePromise({
          code: code ?? (signal === null ? 1 : 128),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    });
  }

  function failed(command: string, result: RunResult): HubfleetError {
    return new HubfleetError(
      `terraform ${command} failed in ${moduleDir} (exit ${result.code}): ${terraformWhy(result.stderr)}`,
      {
        hint:
          command === 'apply'
            ? applyFailureHint(result.stderr)
            : command === 'init'
              ? initFailureHint(result.stderr)
              : (HINTS[command] ?? HINTS['plan'] ?? ''),
      },
    );
  }

  async function must(command: string, args: string[], stream: boolean): Promise<RunResult> {
    const result = await exec(command, args, stream);
    if (result.code !== 0) throw failed(command, result);
    return result;
  }

  function parseJson(command: string, text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (error: unknown) {
      throw new HubfleetError(`terraform ${command} -json printed something that is not JSON`, {
        hint: HINTS[command] ?? '',
        cause: error,
      });
    }
  }

  return {
    async version() {
      const result = await must('version', ['-json'], false);
      const parsed = parseJson('version', result.stdout) as { terraform_version?: unknown };
      return typeof parsed.terraform_version === 'string' ? parsed.terraform_version : 'unknown';
    },
    async init(backendConfig, options = {}) {
      const args = ['-input=false', '-no-color', '-reconfigure'];
      if (options.lockfile === 'readonly') args.push('-lockfile=readonly');
      for (const setting of backendConfig) args.push(`-backend-config=${setting}`);
      await must('init', args, true);
    },
    async plan({ varFile, out }) {
      const result = await exec(
        'plan',
        [
          '-input=false',
          '-no-color',
          '-detailed-exitcode',
          '-lock-timeout=5m',
          `-var-file=${resolve(varFile)}`,
          `-out=${resolve(out)}`,
        ],
        true,
      );
      if (result.code === 0) return { changes: false };
      if (result.code === 2) return { changes: true };
      throw failed('plan', result);
    },
    async showJson(planFile) {
      const result = await must('show', ['-json', '-no-color', resolve(planFile)], false);
      return parseJson('show', result.stdout);
    },
    async showText(planFile) {
      return (await must('show', ['-no-color', resolve(planFile)], false)).stdout;
    },
    async apply(plan) {
      // A saved plan applies without a prompt; no -auto-approve, no -var, no -target: the plan is all.
      await must('apply', ['-input=false', '-no-color', '-lock-timeout=5m', plan.path], true);
    },
    async outputJson() {
      const result = await must('output', ['-json', '-no-color'], false);
      const parsed = parseJson('output', result.stdout);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new HubfleetError('terraform output -json printed no object', { hint: HINTS['output'] ?? '' });
      }
      const outputs: OutputValues = {};
      for (const [name, entry] of Object.entries(parsed as Record<string, unknown>)) {
        const e = (entry ?? {}) as { value?: unknown; sensitive?: unknown; type?: unknown };
        outputs[name] = { value: e.value, sensitive: e.sensitive === true, type: e.type };
      }
      return outputs;
    },
  };
}
