// The helm adapter: the only place that runs helm. Values go to helm in a private temporary file
// (mode 0600 in a 0700 directory) that is removed afterwards, whatever happens; helm's failures
// become a HubfleetError naming the release, the step that failed and helm's last lines.
import { spawn } from 'node:child_process';
import { childEnv } from './child-env.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubfleetError } from '../errors.js';

export interface HelmUpgradeRequest {
  release: string;
  namespace: string;
  chart: string;
  repo: string;
  version: string;
  /** The rendered values file, exactly as `hubfleet render` writes it. */
  values: string;
  /** helm duration, e.g. `10m`. */
  timeout: string;
}

export interface HelmRevision {
  revision: number;
  updated: string;
  status: string;
  chart: string;
  appVersion: string;
  description: string;
}

export interface HelmClient {
  /** `helm upgrade --install … --atomic --wait`; the revision helm reports. */
  upgradeInstall(request: HelmUpgradeRequest): Promise<{ revision: number | undefined; output: string }>;
  /** Every revision helm keeps, oldest first; empty when the release does not exist. */
  history(release: string, namespace: string): Promise<HelmRevision[]>;
  rollback(release: string, namespace: string, revision: number, timeout: string): Promise<void>;
  /**
   * `helm get values -o json`: the values given to the release's current revision (after a
   * rollback, the restored revision's); undefined when the release does not exist.
   */
  getValues(release: string, namespace: string): Promise<Record<string, unknown> | undefined>;
  /**
   * `helm uninstall --wait`: removes the chart's objects and the release record. `absent` when
   * there was no release (already uninstalled, or never installed), so a rerun succeeds.
   */
  uninstall(release: string, namespace: string, timeout: string): Promise<'uninstalled' | 'absent'>;
}

/** helm 3's answer to `uninstall` of a release it does not know (`Release not loaded: <name>: release: not found`). */
export function isReleaseNotFound(output: string): boolean {
  return /release: not found/.test(output);
}

export interface HelmClientOptions {
  helm?: string;
  /** Where the values file's private directory is made (RUNNER_TEMP in actions). */
  tempDir?: string;
  log?: (line: string) => void;
  /** Extra time past helm's own --timeout before the process is killed (a hung helm). */
  killGraceMs?: number;
  /** Extra environment for helm, over the process environment (e.g. KUBECONFIG). */
  env?: Record<string, string>;
}

const OUTPUT_TAIL_LINES = 8;

/** helm's `--timeout` duration in milliseconds (`10m`, `90s`, `1h30m`). */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new HubfleetError(`timeout ${JSON.stringify(text)} is not a duration`, {
      hint: 'write it as helm does: 10m, 90s or 1h30m',
    });
  }
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] as string] as number), 0);
}

/** The previous successful revision to roll back to: the newest superseded one before the current. */
export function previousSuccessfulRevision(
  history: HelmRevision[],
): { current: HelmRevision; target: HelmRevision } | undefined {
  const sorted = [...history].sort((a, b) => a.revision - b.revision);
  const current = [...sorted].reverse().find((r) => r.status === 'deployed') ?? sorted[sorted.length - 1];
  if (current === undefined) return undefined;
  const target = [...sorted]
    .reverse()
    .find((r) => r.revision < current.revision && r.status === 'superseded');
  return target === undefined ? undefined : { current, target };
}

/** Which step of `helm upgrade --install` failed, read from helm's error text. */
export function helmFailedStep(output: string): { step: string; hint: string } {
  const rules: [RegExp, string, string][] = [
    [
      /another operation \(install\/upgrade\/rollback\) is in progress/,
      'locking the release',
      'a previous helm run was interrupted: roll the release back (deploy-hub mode rollback) or wait for it, then re-run',
    ],
    [
      /values don't meet the specifications of the schema|error converting YAML|failed to parse|cannot unmarshal/,
      'validating values',
      "the rendered values do not fit the chart's values schema: check the hub's `values` and the chart version (hubfleet render shows the file)",
    ],
    [
      /failed to fetch|not a valid chart repository|could not be retrieved|chart ".*" version ".*" not found|no chart version found|failed to download/i,
      'fetching the chart',
      'check chart.version against the published versions and that the runner reaches the chart repository (proxy)',
    ],
    [
      /uninstalled due to atomic being set/,
      'installing (uninstalled by --atomic)',
      'the first install failed and helm removed it; read the pod events (kubectl -n <ns> get events) for why, fix, re-run',
    ],
    [
      /rolled back due to atomic being set/,
      'waiting for the release (rolled back by --atomic)',
      'helm rolled the release back to its previous revision; read the pod events (kubectl -n <ns> get events) for why it did not become ready, fix, re-run',
    ],
    [
      /timed out waiting for the condition|context deadline exceeded/,
      'waiting for the release',
      'the hub did not become ready within the timeout; check its pods and events, raise the timeout if images are large, then re-run',
    ],
    [
      /INSTALLATION FAILED/,
      'installing',
      'read helm’s message above; fix the cause and re-run (the install is retried from the start)',
    ],
    [/UPGRADE FAILED/, 'upgrading', 'read helm’s message above; fix the cause and re-run'],
  ];
  for (const [pattern, step, hint] of rules) if (pattern.test(output)) return { step, hint };
  return { step: 'running helm', hint: 'read helm’s last lines above; fix the cause and re-run' };
}

interface ProcessResult {
  code: number | null;
  output: string;
  stdout: string;
  timedOut: boolean;
}

export function createHelmClient(opts: HelmClientOptions = {}): HelmClient {
  const helm = opts.helm ?? 'helm';
  const log = opts.log ?? (() => undefined);
  const grace = opts.killGraceMs ?? 60_000;

  function runHelm(args: string[], killAfterMs: number): Promise<ProcessResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(helm, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        // Without the action's inputs and the runner's tokens (child-env.ts): plugins run in here.
        env: childEnv(process.env, opts.env),
      });
      let output = '';
      let stdout = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => {
        stdout += d;
        output += d;
      });
      child.stderr.on('data', (d: string) => (output += d));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }, killAfterMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(
          new HubfleetError(`helm not found: cannot run '${helm}'`, {
            hint: 'install helm 3 on the runner (azure/setup-helm) and put it on PATH',
            cause: e,
          }),
        );
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output, stdout, timedOut });
      });
    });
  }

  function tail(output: string): string {
    return output
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .slice(-OUTPUT_TAIL_LINES)
      .join('\n');
  }

  return {
    async upgradeInstall(req) {
      const waitMs = durationMs(req.timeout);
      const dir = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'hubfleet-helm-'));
      try {
        const file = join(dir, 'values.yaml');
        await writeFile(file, req.values, { mode: 0o600 });
        const args = [
          'upgrade',
          '--install',
          req.release,
          req.chart,
          '--repo',
          req.repo,
          '--namespace',
          req.namespace,
          '--version',
          req.version,
          '--values',
          file,
          '--atomic',
          '--wait',
          '--timeout',
          req.timeout,
        ];
        log(
          `helm upgrade --install ${req.release} ${req.chart} --repo ${req.repo} --namespace ${req.namespace} --version ${req.version} --atomic --wait --timeout ${req.timeout}`,
        );
        const out = await runHelm(args, waitMs + grace);
        for (const line of out.output.split(/\r?\n/)) if (line.trim() !== '') log(`  helm: ${line}`);
        if (out.timedOut) {
          throw new HubfleetError(
            `helm upgrade --install of release ${req.release} (namespace ${req.namespace}) did not finish within ${req.timeout} plus ${grace / 1000}s and was stopped${out.output.trim() === '' ? '' : `; last output:\n${tail(out.output)}`}`,
            {
              hint: 'helm hung (a stuck API connection or hook): re-run; if the release is left pending, roll it back first (deploy-hub mode rollback)',
            },
          );
        }
        if (out.code !== 0) {
          const failed = helmFailedStep(out.output);
          throw new HubfleetError(
            `helm upgrade --install of release ${req.release} (namespace ${req.namespace}, chart ${req.chart} ${req.version}) failed while ${failed.step}:\n${tail(out.output)}`,
            { hint: failed.hint },
          );
        }
        const revision = /^REVISION:\s*(\d+)/m.exec(out.stdout)?.[1];
        return { revision: revision === undefined ? undefined : Number(revision), output: out.output };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },

    async history(release, namespace) {
      const out = await runHelm(
        ['history', release, '--namespace', namespace, '--max', '256', '-o', 'json'],
        120_000,
      );
      if (out.code !== 0) {
        if (isReleaseNotFound(out.output)) return [];
        throw new HubfleetError(
          `helm history of release ${release} (namespace ${namespace}) failed:\n${tail(out.output)}`,
          {
            hint: 'check that the runner reaches the cluster and may read Secrets in the namespace (helm keeps releases there)',
          },
        );
      }
      const rows = JSON.parse(out.stdout) as {
        revision: number;
        updated: string;
        status: string;
        chart: string;
        app_version?: string;
        description?: string;
      }[];
      return rows
        .map((r) => ({
          revision: r.revision,
          updated: r.updated,
          status: r.status,
          chart: r.chart,
          appVersion: r.app_version ?? '',
          description: r.description ?? '',
        }))
        .sort((a, b) => a.revision - b.revision);
    },

    async getValues(release, namespace) {
      // Never logged: the values are hubfleet's rendered values, but the output is not needed in logs.
      const out = await runHelm(['get', 'values', release, '--namespace', namespace, '-o', 'json'], 120_000);
      if (out.code !== 0) {
        if (isReleaseNotFound(out.output)) return undefined;
        throw new HubfleetError(
          `helm get values of release ${release} (namespace ${namespace}) failed:\n${tail(out.output)}`,
          {
            hint: 'check that the runner reaches the cluster and may read Secrets in the namespace (helm keeps releases there)',
          },
        );
      }
      const parsed = JSON.parse(out.stdout.trim() === '' ? 'null' : out.stdout) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    },

    async rollback(release, namespace, revision, timeout) {
      const args = [
        'rollback',
        release,
        String(revision),
        '--namespace',
        namespace,
        '--wait',
        '--timeout',
        timeout,
      ];
      log(`helm ${args.join(' ')}`);
      const out = await runHelm(args, durationMs(timeout) + grace);
      for (const line of out.output.split(/\r?\n/)) if (line.trim() !== '') log(`  helm: ${line}`);
      if (out.code !== 0 || out.timedOut) {
        throw new HubfleetError(
          `helm rollback of release ${release} (namespace ${namespace}) to revision ${revision} failed${out.timedOut ? ' (stopped after the timeout)' : ''}:\n${tail(out.output)}`,
          {
            hint: 'check the hub pods and events (kubectl -n <ns> get events); helm history shows the state of each revision',
          },
        );
      }
    },

    async uninstall(release, namespace, timeout) {
      const args = ['uninstall', release, '--namespace', namespace, '--wait', '--timeout', timeout];
      log(`helm ${args.join(' ')}`);
      const out = await runHelm(args, durationMs(timeout) + grace);
      for (const line of out.output.split(/\r?\n/)) if (line.trim() !== '') log(`  helm: ${line}`);
      if (out.code !== 0 && !out.timedOut && isReleaseNotFound(out.output)) return 'absent';
      if (out.code !== 0 || out.timedOut) {
        throw new HubfleetError(
          `helm uninstall of release ${release} (namespace ${namespace}) failed${out.timedOut ? ' (stopped after the timeout)' : ''}:\n${tail(out.output)}`,
          {
            hint: `re-run the job (uninstall is safe to repeat); if it fails again, check what blocks the deletion: kubectl -n ${namespace} get all and kubectl -n ${namespace} get events`,
          },
        );
      }
      return 'uninstalled';
    },
  };
}
