// ingress-gce reports a failed load-balancer sync only as a Warning event with reason `Sync` on the
// Ingress (kubernetes/ingress-gce pkg/controller/controller.go: "Error syncing to GCP: …", reason
// events.SyncIngress = "Sync"); the Ingress object itself looks applied. deploy-hub reads those
// events after the deploy, so a hub whose load balancer was not updated (a refused OAuth switch, a
// missing static IP, a bad BackendConfig) fails instead of reporting success.
import type { KubeObject } from '../render/manifests.js';

export const INGRESS_SYNC_REASON = 'Sync';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The messages of ingress-gce's Warning `Sync` events on this Ingress since `sinceMs` (epoch ms). */
export function ingressSyncErrors(events: readonly KubeObject[], ingress: string, sinceMs: number): string[] {
  // Event times have one-second precision: compare whole seconds.
  const since = Math.floor(sinceMs / 1000) * 1000;
  const messages = events
    .filter((e) => {
      const involved = (e['involvedObject'] ?? {}) as Record<string, unknown>;
      if (involved['kind'] !== 'Ingress' || involved['name'] !== ingress) return false;
      if (e['type'] !== 'Warning' || e['reason'] !== INGRESS_SYNC_REASON) return false;
      const at = text(e['lastTimestamp']) ?? text(e['eventTime']) ?? text(e['firstTimestamp']);
      return at !== undefined && Date.parse(at) >= since;
    })
    .map((e) => text(e['message']) ?? '');
  return [...new Set(messages)];
}
