// Waits for a ManagedCertificate to become Active through a Kubernetes watch (`kubectl get
// --watch`), not polling: a status change arrives as one event on the open connection. A dropped
// watch is resumed from the last resourceVersion seen.
import { HubfleetError, errorMessage } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { HUB_LABEL, MANAGED_BY_LABELS } from '../render/names.js';
import { backoffDelay } from '../retry/backoff.js';
import { certificateState, ingressState, ownership } from './certificate-status.js';
import { describeRef, refOf, type CertKube, type CertKubeRef } from './kube-port.js';
import { decideWait } from './wait-state.js';

export type WaitOutcome =
  | { state: 'active'; reconnects: number }
  | { state: 'failed'; cause: string; todo: string; reconnects: number }
  | { state: 'timeout'; last: string; reconnects: number };

export interface WaitOptions {
  timeoutMs: number;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Pause before reconnecting a dropped watch (doubles per consecutive failure, up to 10 s). */
  reconnectBaseMs?: number;
}

const RECONNECT_MAX_MS = 10_000;

export async function waitForCertificate(
  kube: CertKube,
  ref: CertKubeRef,
  opts: WaitOptions,
): Promise<WaitOutcome> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + opts.timeoutMs;
  const what = describeRef(ref);
  let last: string;
  let reconnects = 0;
  let failuresInARow = 0;

  // One read first: a missing certificate fails now instead of at the timeout, one that is
  // already Active needs no watch, and the watch starts from this version (no replay).
  const current = await kube.get(ref);
  if (current === undefined) {
    return {
      state: 'failed',
      cause: `${what} does not exist`,
      todo: 'deploy the hub (deploy-hub) or run recreate-cert',
      reconnects,
    };
  }
  const first = decideWait(certificateState(current));
  if (first.state === 'active') {
    opts.log(`${what} is Active`);
    return { state: 'active', reconnects };
  }
  if (first.state === 'failed') return { ...first, reconnects };
  opts.log(`${what}: ${first.note}`);
  last = first.note;
  const rv0 = (current.metadata as { resourceVersion?: unknown }).resourceVersion;
  let resourceVersion: string | undefined = typeof rv0 === 'string' ? rv0 : undefined;

  while (now() < deadline) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), Math.max(0, deadline - now()));
    let sawEvent = false;
    try {
      for await (const event of kube.watch(ref, {
        signal: abort.signal,
        ...(resourceVersion === undefined ? {} : { resourceVersion }),
      })) {
        sawEvent = true;
        const rv = (event.object.metadata as { resourceVersion?: unknown }).resourceVersion;
        if (typeof rv === 'string') resourceVersion = rv;
        if (event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') {
          return {
            state: 'failed',
            cause: `${what} was deleted while waiting for it`,
            todo: 'run recreate-cert for the hub',
            reconnects,
          };
        }
        const decision = decideWait(certificateState(event.object));
        if (decision.state === 'active') {
          opts.log(`${what} is Active`);
          return { state: 'active', reconnects };
        }
        if (decision.state === 'failed') return { ...decision, reconnects };
        if (decision.note !== last) opts.log(`${what}: ${decision.note}`);
        last = decision.note;
      }
      failuresInARow = sawEvent ? 0 : failuresInARow + 1;
    } catch (error: unknown) {
      if (abort.signal.aborted) break;
      failuresInARow += 1;
      // A watch that fails because the object is gone will never deliver it: say so now.
      const present = await kube.get(ref).catch(() => 'unknown' as const);
      if (present === undefined) {
        return {
          state: 'failed',
          cause: `${what} does not exist`,
          todo: 'deploy the hub (deploy-hub) or run recreate-cert',
          reconnects,
        };
      }
      opts.log(`watch of ${what} failed: ${errorMessage(error)}`);
    } finally {
      clearTimeout(timer);
    }
    if (abort.signal.aborted || now() >= deadline) break;
    reconnects += 1;
    const pause = backoffDelay(
      { baseMs: opts.reconnectBaseMs ?? 250, maxMs: RECONNECT_MAX_MS },
      failuresInARow,
    );
    opts.log(
      `watch of ${what} ended; reconnecting${resourceVersion === undefined ? '' : ` from resourceVersion ${resourceVersion}`}${failuresInARow > 0 ? ` in ${pause} ms` : ''}`,
    );
    if (failuresInARow > 0) await sleep(pause);
  }
  return { state: 'timeout', last, reconnects };
}

/** The label selector of every object hubfleet rendered for a hub. */
export function hubSelector(hub: string): string {
  return [...Object.entries(MANAGED_BY_LABELS), [HUB_LABEL, hub]].map(([k, v]) => `${k}=${v}`).join(',');
}

export interface DomainChangeResult {
  /** Ingress re-applied without the old certificates. */
  ingressUpdated: boolean;
  deleted: string[];
  /** Certificates of the hub that hubfleet does not own, left alone. */
  keptForeign: string[];
}

/**
 * Make before break, second half: once the rendered certificate is Active, the Ingress names only
 * it, and the hub's other hubfleet-owned certificates (left from a domain change) are deleted.
 * Never touches what hubfleet does not own.
 */
export async function finishDomainChange(
  kube: CertKube,
  hub: string,
  rendered: { certificate: KubeObject; ingress: KubeObject },
  log: (line: string) => void,
): Promise<DomainChangeResult> {
  const namespace = rendered.certificate.metadata.namespace;
  const keep = rendered.certificate.metadata.name;
  const result: DomainChangeResult = { ingressUpdated: false, deleted: [], keptForeign: [] };
  const live = await kube.get(refOf(rendered.ingress));
  if (live !== undefined) {
    const names = ingressState(live).certificates;
    if (names.length !== 1 || names[0] !== keep) {
      const owned = ownership(live, hub);
      if (!owned.owned) {
        throw new HubfleetError(
          `${describeRef(refOf(live))} is not hubfleet's (${owned.why}); not changing it`,
          {
            hint: 'hand the Ingress to hubfleet (deploy-hub) or change its managed-certificates annotation by hand',
          },
        );
      }
      await kube.apply(rendered.ingress);
      result.ingressUpdated = true;
      log(
        `Ingress ${namespace ?? ''}/${rendered.ingress.metadata.name} now names only ${keep} (was ${names.join(', ')})`,
      );
    }
  }
  const certificates = await kube.list(
    'networking.gke.io/v1',
    'ManagedCertificate',
    namespace,
    hubSelector(hub),
  );
  for (const cert of certificates) {
    if (cert.metadata.name === keep) continue;
    if (!ownership(cert, hub).owned) {
      result.keptForeign.push(cert.metadata.name);
      continue;
    }
    await kube.delete(refOf(cert));
    result.deleted.push(cert.metadata.name);
    log(`deleted the previous certificate ${cert.metadata.name} (replaced by ${keep})`);
  }
  return result;
}
