// The hub health check end to end with real components: a JupyterHub (Debian bookworm's 3.x on
// PATH, and Debian trixie's 5.x in the trixie root) running the hub values hubfleet renders (the
// hubfleet-health service and its roles, the IAP authenticator), a local process spawner, and
// Debian's jupyter-server + ipykernel as the single-user server; in front of it the IAP double
// (TLS, ID-token check, WebSockets). The check goes through IAP with an ID token and through
// JupyterHub with the service token, as in a fleet. Between cases the test rewrites what the
// spawner runs: a sound server, a broken command, a server that never answers, a kernel that dies.
//
// Without the installations the suites are skipped with one notice (CI=true: one failure), as in
// test/iap-authenticator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseConnectTo, resolveConnectTo } from '../../src/adapters/connect-to.js';
import { checkHub, type HealthPolicy, type HealthResult, type HealthTarget } from '../../src/health/check.js';
import { hubHealthPort } from '../../src/health/hub-port.js';
import {
  HEALTH_TOKEN_ENV,
  HEALTH_TOKEN_KEY,
  HEALTH_TOKEN_SECRET,
  HEALTH_USER,
} from '../../src/render/health-service.js';
import { renderHelmValues } from '../../src/render/values.js';
import { gcpBasehub, gcpCluster } from '../fixtures/render/fleet.js';
import { startIapDouble, type IapDouble } from '../support/iap-double.js';
import { createTestCa, type TestCa } from '../support/openssl-certs.js';
import {
  type Detected,
  type HubInstall,
  type MissingInstall,
  detectPathInstall,
  detectTrixieRoot,
  inCI,
} from '../iap-authenticator/hub-installs.js';

const CONFIG = join(process.cwd(), 'test/hub-health/jupyterhub_config.py');
const DOMAIN = gcpBasehub.config.domain;
const CHECKER = 'hub-health@fleet.iam.gserviceaccount.com';
/** The hub's own start timeout (Spawner.start_timeout and http_timeout), seconds. */
const HUB_START_TIMEOUT = 8;
const SINGLEUSER_MODULES = ['jupyterhub', 'jupyter_server', 'ipykernel'];

const target: HealthTarget = { cluster: 'pangeo-gcp', hub: 'staging', scratch: false, dask: false };
const policy: HealthPolicy = {
  attempts: 1,
  budgetMs: 60_000,
  baseDelayMs: 100,
  maxDelayMs: 100,
  // A cold first start in the trixie root takes a few seconds.
  spawnTimeoutMs: 30_000,
  requestTimeoutMs: 20_000,
  kernelTimeoutMs: 10_000,
  cellTimeoutMs: 20_000,
  stopTimeoutMs: 30_000,
  daskWorkerTimeoutSeconds: 60,
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Process ids whose working directory is under `dir` (the user servers and their kernels). */
function processesUnder(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}

/**
 * The hub pod's environment from the rendered hub.extraEnv, as the kubelet builds it: each
 * secretKeyRef is looked up in `secrets` (an optional one that is missing is left out).
 */
function podEnv(extraEnv: unknown, secrets: Record<string, Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries((extraEnv ?? {}) as Record<string, unknown>)) {
    const ref = (spec as { valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } })
      .valueFrom?.secretKeyRef;
    if (ref === undefined) continue;
    const value = secrets[ref.name]?.[ref.key];
    if (value === undefined && ref.optional !== true)
      throw new Error(`secret ${ref.name}/${ref.key} missing`);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

class HubWithIap {
  log = '';
  readonly token = randomBytes(24).toString('hex');
  private hub: ChildProcess | undefined;
  private iap: IapDouble | undefined;
  private ca: TestCa | undefined;
  dir: { here: string; hub: string } | undefined;

  constructor(private readonly install: HubInstall) {}

  async start(): Promise<void> {
    const rendered = renderHelmValues(gcpCluster, gcpBasehub);
    const hubValues = rendered.hub as Record<string, unknown>;
    const dir = this.install.makeDir();
    this.dir = dir;
    writeFileSync(join(dir.here, 'hub-values.json'), JSON.stringify(hubValues));
    copyFileSync(CONFIG, join(dir.here, 'jupyterhub_config.py'));
    mkdirSync(join(dir.here, 'home'), { recursive: true });
    this.serve('sound');

    const [proxyPort, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const env = podEnv(hubValues.extraEnv, { [HEALTH_TOKEN_SECRET]: { [HEALTH_TOKEN_KEY]: this.token } });
    expect(Object.keys(env)).toEqual([HEALTH_TOKEN_ENV]);
    const hub = this.install.start(['-f', join(dir.hub, 'jupyterhub_config.py')], {
      cwd: dir.hub,
      env: {
        ...env,
        HUBFLEET_TEST_DIR: dir.hub,
        HUBFLEET_TEST_HUB_VALUES: join(dir.hub, 'hub-values.json'),
        HUBFLEET_TEST_PROXY_PORT: String(proxyPort),
        HUBFLEET_TEST_HUB_PORT: String(hubPort),
        HUBFLEET_TEST_PROXY_API_PORT: String(apiPort),
        HUBFLEET_TEST_START_TIMEOUT: String(HUB_START_TIMEOUT),
      },
    });
    this.hub = hub;
    hub.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    hub.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    const base = `http://127.0.0.1:${proxyPort}`;
    for (const deadline = Date.now() + 30_000; ;) {
      if (hub.exitCode !== null || hub.signalCode !== null)
        throw new Error(`jupyterhub exited:\n${this.log}`);
      const up = await fetch(`${base}/hub/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`jupyterhub did not answer within 30 s:\n${this.log}`);
      await sleep(100);
    }
    this.ca = await createTestCa();
    this.iap = await startIapDouble({
      ca: this.ca,
      hubs: [{ domain: DOMAIN, namespace: 'staging', backend: base }],
      allowed: [CHECKER],
    });
  }

  /** What the spawner runs next (read by the hub config's pre_spawn_hook at each spawn). */
  serve(kind: 'sound' | 'broken-command' | 'never-ready' | 'kernel-dies'): void {
    const dir = this.dir;
    if (dir === undefined) throw new Error('not started');
    let spec: { cmd: string[]; env?: Record<string, string> } = { cmd: ['jupyterhub-singleuser'] };
    if (kind === 'broken-command') spec = { cmd: ['jupyterhub-singleuser-typo'] };
    if (kind === 'never-ready') spec = { cmd: ['sleep', '3600'] };
    if (kind === 'kernel-dies') {
      // A python3 kernel spec found before ipykernel's own (JUPYTER_PATH comes first) whose
      // process exits at once: the server starts it, and it dies.
      const kernels = join(dir.here, 'jupyter', 'kernels', 'python3');
      mkdirSync(kernels, { recursive: true });
      writeFileSync(
        join(kernels, 'kernel.json'),
        JSON.stringify({
          argv: ['/bin/sh', '-c', 'exit 3', '{connection_file}'],
          display_name: 'dies',
          language: 'python',
        }),
      );
      spec = { cmd: ['jupyterhub-singleuser'], env: { JUPYTER_PATH: join(dir.hub, 'jupyter') } };
    }
    writeFileSync(join(dir.here, 'singleuser.json'), JSON.stringify(spec));
  }

  async check(token = this.token, overrides: Partial<HealthPolicy> = {}): Promise<HealthResult> {
    const iap = this.iap;
    const ca = this.ca;
    if (iap === undefined || ca === undefined) throw new Error('not started');
    const rules = parseConnectTo(iap.connectTo);
    const port = hubHealthPort(
      {
        baseUrl: `https://${DOMAIN}`,
        headers: {
          'proxy-authorization': `Bearer ${iap.mintIdToken(CHECKER)}`,
          authorization: `token ${token}`,
        },
        connectTo: (h, p) => resolveConnectTo(rules, h, p),
        ca: ca.caPem,
      },
      { requestTimeoutMs: policy.requestTimeoutMs, sleep, now: () => Date.now() },
    );
    return checkHub(port, target, HEALTH_USER, { ...policy, ...overrides });
  }

  /** What went through the IAP double since the last call: `status method-less path`. */
  gatewayLog(): string[] {
    const requests = this.iap?.requests ?? [];
    const lines = requests.map(
      (r) => `${r.status} ${r.credential} ${r.path.replace(/[0-9a-f-]{36}/g, '<id>')}`,
    );
    requests.length = 0;
    return lines;
  }

  /** Processes of user servers and kernels still running. */
  leftovers(): number[] {
    return this.dir === undefined ? [] : processesUnder(join(this.dir.here, 'home'));
  }

  async stop(): Promise<void> {
    const child = this.hub;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // User servers run in sessions of their own (LocalProcessSpawner: start_new_session=True).
    for (const pid of this.leftovers()) killGroup(pid, 'SIGKILL');
    await this.iap?.close();
    await this.ca?.remove();
    if (this.dir !== undefined) rmSync(this.dir.here, { recursive: true, force: true });
  }
}

const stepsOf = (result: HealthResult): string[] => result.steps.map((s) => `${s.step}:${s.outcome}`);

function suite(detected: Detected): void {
  const missing: MissingInstall | undefined = detected.found ? undefined : detected.missing;
  const install = detected.found ? detected.install : undefined;
  const cannot = install?.cannotImport(SINGLEUSER_MODULES);
  const why = missing?.why ?? cannot;
  if (install === undefined || cannot !== undefined) {
    const name = missing?.name ?? install?.title ?? '';
    const fix = missing?.install ?? 'install python3-jupyter-server and python3-ipykernel (.ci/run does)';
    if (inCI()) {
      it(`${name} is installed with jupyter-server and ipykernel`, () => {
        throw new Error(`${name}: ${why ?? ''}; ${fix}`);
      });
    } else {
      it.skip(`${name}: not installed (${why ?? ''}); ${fix}`, () => undefined);
    }
    return;
  }

  describe(install.title, () => {
    const hub = new HubWithIap(install);
    beforeAll(() => hub.start(), 60_000);
    afterAll(() => hub.stop(), 60_000);

    it('starts the server through IAP, runs a cell over the kernel WebSocket, stops it and leaves nothing running', async () => {
      hub.serve('sound');
      hub.gatewayLog();
      const result = await hub.check();
      expect({ verdict: result.verdict, failed: result.failed, steps: stepsOf(result) }).toEqual({
        verdict: 'healthy',
        failed: undefined,
        steps: ['start:pass', 'kernel:pass', 'execute:pass', 'stop:pass'],
      });
      expect(result.steps.find((s) => s.step === 'start')?.detail).toMatch(/^ready in \d+\.\d s$/);
      expect(result.steps.find((s) => s.step === 'execute')?.detail).toBe('output "hubfleet-health 42"');
      expect(result.steps.find((s) => s.step === 'stop')?.detail).toBe('stopped');
      expect(hub.leftovers()).toEqual([]);
      // Every request went through IAP with the ID token; the kernel channel was a WebSocket (101).
      const seen = hub.gatewayLog();
      expect(seen.filter((line) => !line.includes(' proxy-authorization '))).toEqual([]);
      expect(seen).toContain(
        '101 proxy-authorization /user/hubfleet-health/api/kernels/<id>/channels?session_id=<id>',
      );
      expect(seen).toContain('204 proxy-authorization /user/hubfleet-health/api/kernels/<id>');
    }, 90_000);

    it('fails at start, naming the spawn failure, when the single-user command is broken', async () => {
      hub.serve('broken-command');
      const result = await hub.check();
      expect({ verdict: result.verdict, step: result.failed?.step, steps: stepsOf(result) }).toEqual({
        verdict: 'unhealthy',
        step: 'start',
        steps: ['start:fail', 'stop:pass'],
      });
      expect(result.failed?.reason).toMatch(/^Spawn failed: .*jupyterhub-singleuser-typo/);
      expect(hub.leftovers()).toEqual([]);
    }, 90_000);

    it('fails at start after its bounded wait when the server never becomes ready, and still stops it', async () => {
      hub.serve('never-ready');
      // Shorter than the hub's own timeout: the check gives up first and must still stop the server.
      const result = await hub.check(hub.token, { spawnTimeoutMs: 4000 });
      expect({ verdict: result.verdict, step: result.failed?.step, steps: stepsOf(result) }).toEqual({
        verdict: 'unhealthy',
        step: 'start',
        steps: ['start:fail', 'stop:pass'],
      });
      expect(result.failed?.reason).toMatch(/^not ready within 4 s \(last progress: /);
      expect(hub.leftovers()).toEqual([]);
    }, 90_000);

    it('fails at the step where the kernel dies, and stops the server', async () => {
      hub.serve('kernel-dies');
      const result = await hub.check();
      expect(result.verdict).toBe('unhealthy');
      expect(result.steps.at(-1)).toMatchObject({ step: 'stop', outcome: 'pass' });
      expect(result.failed?.step).toBe('kernel');
      // Jupyter Server accepts the channel only from a kernel that answers; whether its restarter
      // has declared the kernel dead yet by then depends on its timing.
      expect(result.failed?.reason).toMatch(
        /^the kernel (died|did not answer \(state starting); .*WebSocket: Opening handshake has timed out\)$/,
      );
      expect(hub.leftovers()).toEqual([]);
    }, 90_000);

    it('is refused by JupyterHub at start with a token that is not the service’s', async () => {
      hub.serve('sound');
      const result = await hub.check(randomBytes(24).toString('hex'));
      expect({ step: result.failed?.step, steps: stepsOf(result) }).toEqual({
        step: 'start',
        steps: ['start:fail', 'stop:fail'],
      });
      expect(result.failed?.reason).toMatch(/^reading user hubfleet-health: HTTP 403/);
    }, 30_000);
  });
}

suite(detectPathInstall());
suite(detectTrixieRoot());
