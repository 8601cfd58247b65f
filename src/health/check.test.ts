// The check's policy against a scripted hub (HealthPort at the network edge's boundary): retries
// within attempts and budget, cleanup after each failed step, and the order of requests.
import { describe, expect, it } from '@jest/globals';
import type { HubAnswer, StreamEnd } from '../adapters/hub-client.js';
import {
  checkHub,
  type HealthPolicy,
  type HealthPort,
  type HealthTarget,
  type KernelChannel,
} from './check.js';
import { SCRATCH_CELL, daskCell } from './cells.js';
import { newExecution, type Execution } from './kernel-protocol.js';

const policy: HealthPolicy = {
  attempts: 3,
  budgetMs: 60_000,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  spawnTimeoutMs: 300_000,
  requestTimeoutMs: 10_000,
  kernelTimeoutMs: 60_000,
  cellTimeoutMs: 60_000,
  stopTimeoutMs: 60_000,
  daskWorkerTimeoutSeconds: 120,
};
const target: HealthTarget = { cluster: 'pangeo-gcp', hub: 'ocean', scratch: false, dask: false };
const USER = '/hub/api/users/hubfleet-health';

interface Script {
  /** Per attempt (1-based): what the progress stream says. */
  progress: (attempt: number) => string[];
  /** Per attempt: the cell's stdout, or a death. */
  cell?: (attempt: number, code: string) => Execution;
  /** Time a spawn takes (advances the fake clock). */
  spawnMs?: number;
}

/** A scripted hub with a fake clock; records every call as `METHOD path`. */
function scriptedHub(script: Script): { port: HealthPort; calls: string[]; sleeps: number[] } {
  let clock = 0;
  let attempt = 0;
  let running = false;
  const calls: string[] = [];
  const sleeps: number[] = [];
  const answer = (status: number, body: unknown = ''): HubAnswer => ({
    status,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const port: HealthPort = {
    request(method, path) {
      calls.push(`${method} ${path}`);
      if (method === 'GET' && path === USER) {
        return Promise.resolve(
          answer(200, {
            name: 'hubfleet-health',
            servers: running ? { '': { ready: true, pending: null } } : {},
          }),
        );
      }
      if (method === 'POST' && path === `${USER}/server`) {
        attempt += 1;
        return Promise.resolve(answer(202));
      }
      if (method === 'DELETE' && path === `${USER}/server`) {
        running = false;
        return Promise.resolve(answer(204));
      }
      if (method === 'POST' && path === '/user/hubfleet-health/api/kernels') {
        return Promise.resolve(answer(201, { id: `k${attempt}` }));
      }
      if (method === 'DELETE') return Promise.resolve(answer(204));
      return Promise.resolve(answer(404));
    },
    events(path, _timeoutMs, onEvent): Promise<StreamEnd> {
      calls.push(`EVENTS ${path}`);
      clock += script.spawnMs ?? 0;
      for (const data of script.progress(attempt)) {
        if (data.includes('"ready": true')) running = true;
        if (onEvent(data)) return Promise.resolve({ kind: 'stopped' });
      }
      return Promise.resolve({ kind: 'ended' });
    },
    openKernel(path): Promise<KernelChannel> {
      calls.push(`WS ${path}`);
      return Promise.resolve({
        execute: (code) =>
          Promise.resolve(
            script.cell?.(attempt, code) ?? {
              ...newExecution(),
              stdout: 'hubfleet-health 42\n',
              idle: true,
              reply: { status: 'ok' },
            },
          ),
        close: () => calls.push(`CLOSE ${path}`),
      });
    },
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
  };
  return { port, calls, sleeps };
}

const READY = '{"progress": 100, "ready": true, "message": "Server ready at /user/hubfleet-health/"}';
const FAILED = '{"progress": 100, "failed": true, "message": "Spawn failed: ImagePullBackOff"}';

describe('checkHub', () => {
  it('passes in one attempt, in order: start (progress), kernel (WebSocket), execute, then delete the kernel and stop', async () => {
    const hub = scriptedHub({
      progress: () => ['{"progress": 0, "message": "Server requested"}', READY],
      spawnMs: 42_000,
    });
    const result = await checkHub(hub.port, target, 'hubfleet-health', policy);
    expect(result).toMatchObject({ verdict: 'healthy', attempts: 1, earlier: [] });
    expect(result.steps.map((s) => [s.step, s.outcome, s.detail])).toEqual([
      ['start', 'pass', 'ready in 42.0 s'],
      ['kernel', 'pass', 'kernel k1'],
      ['execute', 'pass', 'output "hubfleet-health 42"'],
      ['stop', 'pass', 'stopped'],
    ]);
    expect(hub.calls).toEqual([
      `GET ${USER}`,
      `POST ${USER}/server`,
      `EVENTS ${USER}/server/progress`,
      'POST /user/hubfleet-health/api/kernels',
      'WS /user/hubfleet-health/api/kernels/k1',
      'CLOSE /user/hubfleet-health/api/kernels/k1',
      'DELETE /user/hubfleet-health/api/kernels/k1',
      `GET ${USER}`,
      `DELETE ${USER}/server`,
    ]);
  });

  it('retries a failed spawn (a slow first start after a deploy) and passes on the second attempt', async () => {
    const hub = scriptedHub({ progress: (n) => (n === 1 ? [FAILED] : [READY]) });
    const result = await checkHub(hub.port, target, 'hubfleet-health', policy);
    expect(result).toMatchObject({
      verdict: 'healthy',
      attempts: 2,
      earlier: ['start: Spawn failed: ImagePullBackOff'],
    });
    expect(hub.sleeps).toEqual([1000]);
  });

  it('gives up after the attempts, waiting twice as long each time, and names the step', async () => {
    const hub = scriptedHub({ progress: () => [FAILED] });
    const result = await checkHub(hub.port, target, 'hubfleet-health', policy);
    expect(result).toMatchObject({
      verdict: 'unhealthy',
      attempts: 3,
      failed: { step: 'start', reason: 'Spawn failed: ImagePullBackOff' },
    });
    expect(hub.sleeps).toEqual([1000, 2000]);
    expect(result.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual(['start:fail', 'stop:pass']);
  });

  it('starts no attempt that the budget cannot hold', async () => {
    // A spawn takes 59.5 s of the 60 s budget: the 1 s wait before a second attempt would pass it.
    const hub = scriptedHub({ progress: () => [FAILED], spawnMs: 59_500 });
    const result = await checkHub(hub.port, target, 'hubfleet-health', { ...policy, attempts: 5 });
    expect(result).toMatchObject({ verdict: 'unhealthy', attempts: 1 });
    expect(hub.sleeps).toEqual([]);
  });

  it('fails at execute when the kernel dies, and still deletes the kernel and stops the server', async () => {
    const hub = scriptedHub({
      progress: () => [READY],
      cell: () => ({ ...newExecution(), died: 'dead' }),
    });
    const result = await checkHub(hub.port, target, 'hubfleet-health', { ...policy, attempts: 1 });
    expect(result.failed).toEqual({
      step: 'execute',
      reason: 'the kernel died (dead) while running the cell',
    });
    expect(hub.calls.slice(-4)).toEqual([
      'CLOSE /user/hubfleet-health/api/kernels/k1',
      'DELETE /user/hubfleet-health/api/kernels/k1',
      `GET ${USER}`,
      `DELETE ${USER}/server`,
    ]);
  });

  it('fails at execute on wrong output, naming what came back', async () => {
    const hub = scriptedHub({
      progress: () => [READY],
      cell: () => ({ ...newExecution(), stdout: 'something else\n', idle: true, reply: { status: 'ok' } }),
    });
    const result = await checkHub(hub.port, target, 'hubfleet-health', { ...policy, attempts: 1 });
    expect(result.failed).toEqual({
      step: 'execute',
      reason: 'expected output "hubfleet-health 42\\n", got "something else\\n"',
    });
  });

  it('runs the scratch and Dask cells where the hub has them, in order, and names the one that fails', async () => {
    const ran: string[] = [];
    const ok = (stdout: string): Execution => ({
      ...newExecution(),
      stdout,
      idle: true,
      reply: { status: 'ok' },
    });
    const hub = scriptedHub({
      progress: () => [READY],
      cell: (_attempt, code) => {
        ran.push(code === SCRATCH_CELL.code ? 'scratch' : code === daskCell(120).code ? 'dask' : 'execute');
        if (code === SCRATCH_CELL.code) return ok('scratch True\n');
        if (code === daskCell(120).code) return ok('');
        return ok('hubfleet-health 42\n');
      },
    });
    const result = await checkHub(hub.port, { ...target, scratch: true, dask: true }, 'hubfleet-health', {
      ...policy,
      attempts: 1,
    });
    expect(ran).toEqual(['execute', 'scratch', 'dask']);
    expect(result.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      'start:pass',
      'kernel:pass',
      'execute:pass',
      'scratch:pass',
      'dask:fail',
      'stop:pass',
    ]);
    expect(result.failed).toEqual({ step: 'dask', reason: 'expected output "dask 45\\n", got ""' });
  });

  it('writes the optional cells to clean up in finally: the scratch object and the Dask cluster', () => {
    expect(SCRATCH_CELL.code).toMatch(
      /try:\n {4}fs\.pipe\(path, b"hubfleet-health"\)\n.*\nfinally:\n {4}if fs\.exists\(path\):\n {8}fs\.rm\(path\)$/s,
    );
    expect(daskCell(90).code).toBe(
      [
        'from dask_gateway import Gateway',
        'cluster = Gateway().new_cluster()',
        'try:',
        '    cluster.scale(1)',
        '    client = cluster.get_client()',
        '    client.wait_for_workers(1, timeout=90)',
        '    print("dask", client.submit(sum, range(10)).result())',
        'finally:',
        '    cluster.shutdown()',
      ].join('\n'),
    );
  });
});
