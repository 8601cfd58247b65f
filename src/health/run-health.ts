// Which hubs to check and how to reach each (the fleet config, the token Secret deploy-hub keeps,
// the ID token for IAP), then the checks with bounded concurrency. A hub whose token cannot be
// read is unhealthy at `start` with the reason; the others are still checked.
import { maskSecret } from '../action/inputs.js';
import type { ConnectToResolver } from '../adapters/http.js';
import type { Fleet } from '../config/model.js';
import { mapLimit } from '../cert/map-limit.js';
import { tokenOf } from '../deploy/health-token.js';
import { errorMessage } from '../errors.js';
import { HEALTH_TOKEN_SECRET, HEALTH_USER } from '../render/health-service.js';
import type { KubeObject } from '../render/manifests.js';
import { selectClusterHubs } from '../action/hub-selection.js';
import { namespaceName } from '../render/names.js';
import { checkHub, type HealthPolicy, type HealthResult, type HealthTarget } from './check.js';
import { hubHealthPort } from './hub-port.js';

export interface HealthRunRequest {
  cluster: string;
  hubs: 'all' | readonly string[];
  configDir: string;
  idToken: string | undefined;
  scratch: boolean;
  dask: boolean;
  attempts: number;
  retryBudgetMs: number;
  spawnTimeoutMs: number;
  cellTimeoutMs: number;
  concurrency: number;
}

export interface HealthRunEffects {
  readSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  connectTo?: ConnectToResolver;
  /** Trusted CAs replacing node's default store; leave unset outside tests. */
  ca?: string;
  log?: (line: string) => void;
}

export function healthPolicy(request: HealthRunRequest): HealthPolicy {
  return {
    attempts: request.attempts,
    budgetMs: request.retryBudgetMs,
    baseDelayMs: 5000,
    maxDelayMs: 60_000,
    spawnTimeoutMs: request.spawnTimeoutMs,
    requestTimeoutMs: 30_000,
    kernelTimeoutMs: 120_000,
    cellTimeoutMs: request.cellTimeoutMs,
    stopTimeoutMs: 5 * 60_000,
    daskWorkerTimeoutSeconds: Math.max(30, Math.floor(request.cellTimeoutMs / 1000) - 30),
  };
}

export async function runHealthChecks(
  fleet: Fleet,
  request: HealthRunRequest,
  effects: HealthRunEffects,
): Promise<HealthResult[]> {
  const selected = selectClusterHubs(fleet, request.cluster, request.hubs, request.configDir, {
    acceptsAll: true,
  });
  const gke = selected.cluster.config.provider === 'gcp';
  if (gke && request.idToken === undefined) {
    throw new Error(
      `input "id-token" is required for the GKE hubs of ${request.cluster} (behind IAP); mint it with google-github-actions/auth (token_format: id_token, id_token_audience: the IAP OAuth client id)`,
    );
  }
  const policy = healthPolicy(request);
  const settled = await mapLimit(selected.hubs, request.concurrency, async (hub): Promise<HealthResult> => {
    const target: HealthTarget = {
      cluster: request.cluster,
      hub: hub.config.name,
      scratch: request.scratch && hub.config.buckets?.['scratch'] !== undefined,
      dask: request.dask && hub.config.chart.name === 'daskhub',
    };
    const namespace = namespaceName(hub.config.name);
    let token: string | undefined;
    try {
      token = tokenOf(await effects.readSecret(namespace, HEALTH_TOKEN_SECRET));
    } catch (error: unknown) {
      return notChecked(target, `reading Secret ${namespace}/${HEALTH_TOKEN_SECRET}: ${errorMessage(error)}`);
    }
    if (token === undefined) {
      return notChecked(
        target,
        `Secret ${namespace}/${HEALTH_TOKEN_SECRET} has no token: deploy the hub with deploy-hub, which creates it`,
      );
    }
    // Before the first request that carries it.
    maskSecret(token);
    const headers: Record<string, string> = { authorization: `token ${token}` };
    if (gke && request.idToken !== undefined) headers['proxy-authorization'] = `Bearer ${request.idToken}`;
    const port = hubHealthPort(
      {
        baseUrl: `https://${hub.config.domain}`,
        headers,
        ...(effects.connectTo === undefined ? {} : { connectTo: effects.connectTo }),
        ...(effects.ca === undefined ? {} : { ca: effects.ca }),
      },
      {
        requestTimeoutMs: policy.requestTimeoutMs,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        ...(effects.log === undefined ? {} : { log: effects.log }),
      },
    );
    return checkHub(port, target, HEALTH_USER, policy);
  });
  return settled.map((s, i) => {
    if (s.ok) return s.value;
    const hub = selected.hubs[i]?.config;
    return notChecked(
      { cluster: request.cluster, hub: hub?.name ?? '?', scratch: false, dask: false },
      errorMessage(s.error),
    );
  });
}

function notChecked(target: HealthTarget, reason: string): HealthResult {
  return {
    target,
    verdict: 'unhealthy',
    attempts: 0,
    steps: [{ step: 'start', outcome: 'fail', ms: 0, detail: reason }],
    failed: { step: 'start', reason },
    earlier: [],
  };
}
