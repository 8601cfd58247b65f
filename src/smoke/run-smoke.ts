// Runs the probes of each hub with the retry policy and collects the judgements. Effects come in
// as functions (send a request, read a Service, sleep, clock), so the policy is tested without
// waiting and the same code runs against a real IAP, a double, or 50 times in a row.
import type { HttpOutcome } from '../adapters/http.js';
import { errorMessage } from '../errors.js';
import { backoffDelay, waitFitsBudget } from '../retry/backoff.js';
import type { KubeObject } from '../render/manifests.js';
import { classifyHttp, classifyService, type Judgement, type Verdict } from './classify.js';
import type { Credential, HttpProbe, HubTarget, Probe } from './probes.js';

export interface RetryPolicy {
  /** Attempts per probe (≥ 1). */
  attempts: number;
  attemptTimeoutMs: number;
  /** Per hub: no new attempt starts once this much time has passed since the hub's first probe. */
  budgetMs: number;
  /** Wait before the 2nd attempt; doubles each time up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait after `failed` failed attempts (1-based). */
export function retryDelay(policy: RetryPolicy, failed: number): number {
  return backoffDelay({ baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs }, failed);
}

export type ProbeVerdict = Verdict | 'skipped';

export interface ProbeResult {
  probe: Probe;
  verdict: ProbeVerdict;
  answer: string;
  reason?: string;
  attempts: number;
}

export interface HubResult {
  target: HubTarget;
  verdict: Verdict;
  probes: ProbeResult[];
}

export interface SmokeEffects {
  /** Sends the probe with `token` in its tokenHeader (when it carries one). */
  send(probe: HttpProbe, token: string | undefined, timeoutMs: number): Promise<HttpOutcome>;
  /** Reads a Service; absent when no kubeconfig is available (the check is then skipped). */
  readService?: (namespace: string, name: string) => Promise<KubeObject | undefined>;
  /** Why the Service check is skipped when readService is absent. */
  serviceSkipReason?: string;
  tokens: Readonly<Partial<Record<Credential, string>>>;
  sleep(ms: number): Promise<void>;
  now(): number;
  log?(line: string): void;
}

const SEVERITY: Record<Verdict, number> = { pass: 0, misbehaving: 1, down: 2, exposed: 3 };

/** The hub's headline: exposed beats down beats misbehaving; skipped checks do not count. */
export function hubVerdict(probes: readonly ProbeResult[]): Verdict {
  let worst: Verdict = 'pass';
  for (const p of probes) {
    if (p.verdict !== 'skipped' && SEVERITY[p.verdict] > SEVERITY[worst]) worst = p.verdict;
  }
  return worst;
}

function result(probe: Probe, judgement: Judgement, attempts: number): ProbeResult {
  const base = { probe, verdict: judgement.verdict, answer: judgement.answer, attempts };
  return judgement.reason === undefined ? base : { ...base, reason: judgement.reason };
}

export async function smokeHub(
  target: HubTarget,
  probes: readonly Probe[],
  effects: SmokeEffects,
  policy: RetryPolicy,
): Promise<HubResult> {
  const started = effects.now();
  const name = `${target.cluster}/${target.hub}`;
  const results: ProbeResult[] = [];
  // Once a probe has spent the retry budget on a hub that does not answer, the others get one
  // attempt each: waiting the whole budget again per probe would tell nothing new.
  let knownDown = false;
  for (const probe of probes) {
    let probeResult: ProbeResult;
    if (probe.kind === 'service') {
      probeResult = await checkService(probe, effects);
    } else {
      const token = probe.credential === 'none' ? undefined : effects.tokens[probe.credential];
      if (probe.credential !== 'none' && token === undefined) {
        throw new Error(`probe ${probe.id} needs the ${probe.credential} token, which was not given`);
      }
      const maxAttempts = knownDown ? 1 : policy.attempts;
      let attempt = 0;
      let judgement: Judgement;
      for (;;) {
        attempt += 1;
        judgement = classifyHttp(probe, await effects.send(probe, token, policy.attemptTimeoutMs));
        if (!judgement.retryable || attempt >= maxAttempts) break;
        const wait = retryDelay(policy, attempt);
        // No attempt starts once the budget has passed (RetryPolicy.budgetMs).
        const spentMs = effects.now() - started;
        if (!waitFitsBudget({ budgetMs: policy.budgetMs, spentMs, waitMs: wait, mayStartAtEnd: false }))
          break;
        effects.log?.(`${name} ${probe.id}: ${judgement.answer}; attempt ${attempt + 1} in ${wait} ms`);
        await effects.sleep(wait);
      }
      if (judgement.verdict === 'down') knownDown = true;
      probeResult = result(probe, judgement, attempt);
    }
    effects.log?.(
      `${name} ${probe.id}: ${probeResult.verdict} (${probeResult.answer})${probeResult.reason === undefined ? '' : ` — ${probeResult.reason}`}`,
    );
    results.push(probeResult);
  }
  return { target, verdict: hubVerdict(results), probes: results };
}

async function checkService(
  probe: Extract<Probe, { kind: 'service' }>,
  effects: SmokeEffects,
): Promise<ProbeResult> {
  if (effects.readService === undefined) {
    return {
      probe,
      verdict: 'skipped',
      answer: 'not checked',
      reason: effects.serviceSkipReason ?? 'no kubeconfig available',
      attempts: 0,
    };
  }
  try {
    const service = await effects.readService(probe.namespace, probe.name);
    if (service === undefined) {
      // The hub answered through its load balancer, so it is deployed somewhere: the kubeconfig
      // points at another cluster. Nothing was verified, so this is not a pass.
      return {
        probe,
        verdict: 'skipped',
        answer: 'not found',
        reason: `Service ${probe.namespace}/${probe.name} not found: does the kubeconfig point at this hub's cluster?`,
        attempts: 1,
      };
    }
    return result(probe, classifyService(service, probe.namespace, probe.name), 1);
  } catch (error: unknown) {
    return {
      probe,
      verdict: 'misbehaving',
      answer: 'could not read',
      reason: `reading Service ${probe.namespace}/${probe.name} failed: ${errorMessage(error)}`,
      attempts: 1,
    };
  }
}

/** Smoke-tests hubs with at most `concurrency` at a time; results in the order of `hubs`. */
export async function smokeHubs(
  hubs: readonly { target: HubTarget; probes: readonly Probe[] }[],
  effects: SmokeEffects,
  policy: RetryPolicy,
  concurrency: number,
): Promise<HubResult[]> {
  const results = new Array<HubResult>(hubs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hubs.length) {
      const index = next++;
      const item = hubs[index];
      if (item !== undefined) results[index] = await smokeHub(item.target, item.probes, effects, policy);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, hubs.length)) }, worker));
  return results;
}
