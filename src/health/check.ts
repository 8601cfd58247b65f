// One hub's health check, the way a user goes: start the health user's server (reading the spawn
// progress, bounded), open a kernel, run cells over the kernel WebSocket, then stop the server and
// delete the kernel whatever happened. A failed attempt is retried while the budget allows (a slow
// first spawn after a deploy is normal); the result names the step that failed and why.
// Effects come in through HealthPort, so the policy is tested without a hub or a clock.
import type { HubAnswer, StreamEnd } from '../adapters/hub-client.js';
import { errorMessage } from '../errors.js';
import { backoffDelay, waitFitsBudget } from '../retry/backoff.js';
import { EXECUTE_CELL, SCRATCH_CELL, daskCell, type Cell } from './cells.js';
import type { Execution } from './kernel-protocol.js';

export type StepName = 'start' | 'kernel' | 'execute' | 'scratch' | 'dask' | 'stop';
export const STEP_ORDER: readonly StepName[] = ['start', 'kernel', 'execute', 'scratch', 'dask', 'stop'];

export interface StepResult {
  step: StepName;
  outcome: 'pass' | 'fail';
  ms: number;
  detail: string;
}

export interface HealthTarget {
  cluster: string;
  hub: string;
  /** Optional steps this hub gets (scratch: it has a scratch bucket; dask: it is a daskhub). */
  scratch: boolean;
  dask: boolean;
}

export interface HealthResult {
  target: HealthTarget;
  verdict: 'healthy' | 'unhealthy';
  attempts: number;
  /** The last attempt's steps, in order. */
  steps: StepResult[];
  /** The step that failed in the last attempt, and why. */
  failed?: { step: StepName; reason: string };
  /** Why earlier attempts failed (`start: …`), oldest first. */
  earlier: string[];
}

export interface HealthPolicy {
  attempts: number;
  /** No new attempt starts once this much time has passed since the first. */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The server must be ready within this (JupyterHub's own start timeout may end it sooner). */
  spawnTimeoutMs: number;
  /** One API request. */
  requestTimeoutMs: number;
  /** Starting a kernel until it answers over its WebSocket. */
  kernelTimeoutMs: number;
  /** One cell, from sending it to the kernel going idle. */
  cellTimeoutMs: number;
  /** Stopping the server, waiting for a pending spawn or stop included. */
  stopTimeoutMs: number;
  /** Seconds a Dask worker has to join. */
  daskWorkerTimeoutSeconds: number;
}

export interface KernelChannel {
  execute(code: string, timeoutMs: number): Promise<Execution>;
  close(): void;
}

export interface HealthPort {
  request(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<HubAnswer>;
  /** Server-sent events of `path`; `onEvent` returns true to stop reading. */
  events(path: string, timeoutMs: number, onEvent: (data: string) => boolean): Promise<StreamEnd>;
  /** Opens the channels WebSocket of kernel `kernelPath` (…/api/kernels/<id>). */
  openKernel(kernelPath: string, timeoutMs: number): Promise<KernelChannel>;
  now(): number;
  sleep(ms: number): Promise<void>;
  log?(line: string): void;
}

/** A step that failed; the message says what happened, the step says where. */
class StepFailure extends Error {
  constructor(
    readonly step: StepName,
    message: string,
  ) {
    super(message);
  }
}

const brief = (answer: HubAnswer): string => {
  let message = answer.body.replace(/\s+/g, ' ').trim();
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      message = String(parsed.message);
    }
  } catch {
    // not JSON: an HTML error page, or a load balancer's
  }
  return `HTTP ${answer.status}${message === '' ? '' : `: ${message.slice(0, 300)}`}`;
};

/** The JSON of an API answer; an HTML page in its place (a login page, a proxy's) fails `step`. */
function jsonOf(answer: HubAnswer, step: StepName, what: string): unknown {
  try {
    const value: unknown = JSON.parse(answer.body);
    if (typeof value === 'object' && value !== null) return value;
  } catch {
    // below
  }
  throw new StepFailure(step, `${what}: the answer is not JupyterHub's JSON (${brief(answer)})`);
}

interface ServerState {
  exists: boolean;
  ready: boolean;
  pending: string | null;
}

export const HEALTH_USER_PATH = (user: string): string => `/hub/api/users/${encodeURIComponent(user)}`;

async function serverState(port: HealthPort, user: string, step: StepName): Promise<ServerState> {
  const answer = await port.request('GET', HEALTH_USER_PATH(user));
  if (answer.status !== 200) throw new StepFailure(step, `reading user ${user}: ${brief(answer)}`);
  const model = jsonOf(answer, step, `reading user ${user}`) as {
    servers?: Record<string, { ready?: boolean; pending?: string | null }>;
  };
  const server = model.servers?.[''];
  return server === undefined
    ? { exists: false, ready: false, pending: null }
    : { exists: true, ready: server.ready === true, pending: server.pending ?? null };
}

/** Starts the default server of `user`; resolves with the spawn time. */
async function startServer(port: HealthPort, user: string, policy: HealthPolicy): Promise<string> {
  const started = port.now();
  const post = await port.request('POST', `${HEALTH_USER_PATH(user)}/server`);
  if (post.status !== 201 && post.status !== 202) {
    throw new StepFailure('start', `requesting the server: ${brief(post)}`);
  }
  if (post.status === 202) {
    let last = 'no progress event';
    let outcome: { ready: true } | { failed: string } | undefined;
    // JupyterHub's SpawnProgressAPIHandler: events {progress, message}, then one with ready: true,
    // or failed: true with "Spawn failed: …"; keepalive comments in between.
    const end = await port
      .events(`${HEALTH_USER_PATH(user)}/server/progress`, policy.spawnTimeoutMs, (data) => {
        let event: { message?: unknown; ready?: unknown; failed?: unknown };
        try {
          event = JSON.parse(data) as typeof event;
        } catch {
          return false;
        }
        if (typeof event.message === 'string') last = event.message;
        if (event.ready === true) outcome = { ready: true };
        else if (event.failed === true) outcome = { failed: last };
        return outcome !== undefined;
      })
      .catch((error: unknown) => {
        throw new StepFailure(
          'start',
          `not ready within ${policy.spawnTimeoutMs / 1000} s (last progress: ${last}; ${errorMessage(error)})`,
        );
      });
    if (end.kind === 'status') throw new StepFailure('start', `reading the spawn progress: ${brief(end)}`);
    if (outcome !== undefined && 'failed' in outcome) throw new StepFailure('start', outcome.failed);
    if (outcome === undefined) {
      // The stream ended without a verdict (a proxy cut it): ask the hub.
      const state = await serverState(port, user, 'start');
      if (!state.ready)
        throw new StepFailure(
          'start',
          `the progress stream ended before the server was ready (last progress: ${last})`,
        );
    }
  }
  return `ready in ${((port.now() - started) / 1000).toFixed(1)} s`;
}

/**
 * Stops the server and waits until it is gone. A spawn still pending (the check gave up before
 * the hub did) cannot be stopped (JupyterHub answers 400 "pending spawn, please wait"): wait for
 * the hub's own start timeout to end it, then stop it.
 */
async function stopServer(port: HealthPort, user: string, policy: HealthPolicy): Promise<string> {
  const deadline = port.now() + policy.stopTimeoutMs;
  let waits = 0;
  for (;;) {
    const state = await serverState(port, user, 'stop');
    if (!state.exists || (!state.ready && state.pending === null)) {
      return waits === 0 ? 'no server running' : 'stopped';
    }
    if (state.pending !== 'stop' && (state.ready || state.pending === null)) {
      const answer = await port.request('DELETE', `${HEALTH_USER_PATH(user)}/server`);
      if (answer.status === 204) return 'stopped';
      if (answer.status !== 202 && answer.status !== 400) {
        throw new StepFailure('stop', `stopping the server: ${brief(answer)}`);
      }
    }
    if (port.now() >= deadline) {
      throw new StepFailure(
        'stop',
        `the server of ${user} was still ${state.pending ?? 'running'} after ${policy.stopTimeoutMs / 1000} s`,
      );
    }
    waits += 1;
    await port.sleep(Math.min(2000, 250 * waits));
  }
}

/** Why a kernel's channel did not open: the server's view of the kernel, when it has one. */
async function kernelTrouble(port: HealthPort, kernelPath: string, why: string): Promise<string> {
  const answer = await port.request('GET', kernelPath).catch(() => undefined);
  if (answer?.status === 404) return `the kernel died: the server no longer has it (${why})`;
  if (answer?.status === 200) {
    const state = (jsonOf(answer, 'kernel', 'reading the kernel') as { execution_state?: unknown })
      .execution_state;
    if (state === 'dead' || state === 'restarting') return `the kernel died (${state}; ${why})`;
    return `the kernel did not answer (state ${String(state)}; ${why})`;
  }
  return `the kernel did not answer (${why})`;
}

function checkOutput(cell: Cell, run: Execution): string {
  if (run.died !== undefined)
    throw new StepFailure(cell.step, `the kernel died (${run.died}) while running the cell`);
  const error =
    run.error ??
    (run.reply?.status === 'error'
      ? { ename: run.reply.ename ?? '', evalue: run.reply.evalue ?? '' }
      : undefined);
  if (error !== undefined)
    throw new StepFailure(cell.step, `the cell raised ${error.ename}: ${error.evalue}`.slice(0, 500));
  if (run.stdout !== cell.expect) {
    throw new StepFailure(
      cell.step,
      `expected output ${JSON.stringify(cell.expect)}, got ${JSON.stringify(run.stdout.slice(0, 200))}`,
    );
  }
  return `output ${JSON.stringify(cell.expect.trim())}`;
}

async function attempt(
  port: HealthPort,
  target: HealthTarget,
  user: string,
  policy: HealthPolicy,
): Promise<StepResult[]> {
  const steps: StepResult[] = [];
  const timed = async (step: StepName, run: () => Promise<string>): Promise<void> => {
    const t0 = port.now();
    try {
      const detail = await run();
      steps.push({ step, outcome: 'pass', ms: port.now() - t0, detail });
    } catch (error: unknown) {
      const failure = error instanceof StepFailure ? error : new StepFailure(step, errorMessage(error));
      steps.push({ step: failure.step, outcome: 'fail', ms: port.now() - t0, detail: failure.message });
      throw failure;
    }
  };
  const serverPath = `/user/${encodeURIComponent(user)}`;
  let kernelPath: string | undefined;
  let channel: KernelChannel | undefined;
  try {
    // A server left by a cancelled run would make the start a no-op that proves nothing.
    await timed('start', async () => {
      const leftover = await serverState(port, user, 'start');
      if (leftover.exists) {
        port.log?.(`${target.cluster}/${target.hub}: stopping a server left by an earlier run`);
        await stopServer(port, user, policy);
      }
      return startServer(port, user, policy);
    });
    await timed('kernel', async () => {
      const answer = await port.request('POST', `${serverPath}/api/kernels`, {});
      if (answer.status !== 201) throw new StepFailure('kernel', `starting a kernel: ${brief(answer)}`);
      const id = (jsonOf(answer, 'kernel', 'starting a kernel') as { id?: unknown }).id;
      if (typeof id !== 'string' || !/^[\w-]+$/.test(id)) {
        throw new StepFailure('kernel', 'starting a kernel: the answer has no kernel id');
      }
      const path = `${serverPath}/api/kernels/${id}`;
      kernelPath = path;
      try {
        channel = await port.openKernel(path, policy.kernelTimeoutMs);
      } catch (error: unknown) {
        throw new StepFailure('kernel', await kernelTrouble(port, path, errorMessage(error)));
      }
      return `kernel ${id}`;
    });
    const cells: Cell[] = [EXECUTE_CELL];
    if (target.scratch) cells.push(SCRATCH_CELL);
    if (target.dask) cells.push(daskCell(policy.daskWorkerTimeoutSeconds));
    for (const cell of cells) {
      const open = channel;
      if (open === undefined) break;
      await timed(cell.step, async () =>
        checkOutput(cell, await open.execute(cell.code, policy.cellTimeoutMs)),
      );
    }
  } catch (error: unknown) {
    if (!(error instanceof StepFailure)) throw error;
  } finally {
    // Everything it created goes, whatever failed: the kernel (best effort: stopping the server
    // ends it anyway), then the server.
    channel?.close();
    if (kernelPath !== undefined) {
      await port.request('DELETE', kernelPath).catch(() => undefined);
    }
    await timed('stop', () => stopServer(port, user, policy)).catch(() => undefined);
  }
  return steps;
}

/** Runs the check on one hub, retrying failed attempts within the policy's attempts and budget. */
export async function checkHub(
  port: HealthPort,
  target: HealthTarget,
  user: string,
  policy: HealthPolicy,
): Promise<HealthResult> {
  const first = port.now();
  const earlier: string[] = [];
  const name = `${target.cluster}/${target.hub}`;
  for (let n = 1; ; n += 1) {
    let steps: StepResult[];
    try {
      steps = await attempt(port, target, user, policy);
    } catch (error: unknown) {
      steps = [{ step: 'start', outcome: 'fail', ms: 0, detail: errorMessage(error) }];
    }
    const failedStep = steps.find((s) => s.outcome === 'fail');
    for (const s of steps)
      port.log?.(`${name} attempt ${n} ${s.step}: ${s.outcome} in ${s.ms} ms (${s.detail})`);
    if (failedStep === undefined) return { target, verdict: 'healthy', attempts: n, steps, earlier };
    const failed = { step: failedStep.step, reason: failedStep.detail };
    // A server that cannot be stopped is not retried: another start would pile up servers.
    const wait = backoffDelay({ baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, n);
    const fits = waitFitsBudget({
      budgetMs: policy.budgetMs,
      spentMs: port.now() - first,
      waitMs: wait,
      mayStartAtEnd: false,
    });
    if (n >= policy.attempts || failed.step === 'stop' || !fits) {
      return { target, verdict: 'unhealthy', attempts: n, steps, failed, earlier };
    }
    earlier.push(`${failed.step}: ${failed.reason}`);
    port.log?.(`${name}: attempt ${n} failed at ${failed.step}; attempt ${n + 1} in ${wait} ms`);
    await port.sleep(wait);
  }
}
