// The destroys a reviewer must not miss: the cluster itself, its node pool (every user server on
// it), a bucket (users' data) and a hub's static IP (its DNS name and certificate point at that
// address; a new one breaks the hub until both follow). The plan comment names them in its first
// line, before the binding table and the resources.
import type { PlanSummary } from './plan-json.js';

const CRITICAL: Readonly<Record<string, string>> = {
  google_container_cluster: 'cluster',
  google_container_node_pool: 'node pool',
  google_storage_bucket: 'bucket',
  aws_s3_bucket: 'bucket',
  google_compute_global_address: 'static IP',
};

export interface CriticalDestroy {
  what: string;
  address: string;
}

/** The managed resource type of an address, past any `module.<name>[…].` prefixes. */
function typeOf(address: string): string {
  const parts = address.replace(/\[[^\]]*\]/g, '').split('.');
  while (parts[0] === 'module' && parts.length > 2) parts.splice(0, 2);
  return parts[0] ?? '';
}

/** Destroyed or replaced (a replace destroys first) resources of the critical types, in plan order. */
export function criticalDestroys(summary: PlanSummary): CriticalDestroy[] {
  return summary.resources
    .filter((r) => r.action === 'destroy' || r.action === 'replace')
    .flatMap((r) => {
      const what = CRITICAL[typeOf(r.address)];
      return what === undefined ? [] : [{ what, address: r.address }];
    });
}

/** `DESTROYS 1 static IP (google_compute_global_address.a), 2 buckets (…)`, or undefined. */
export function criticalDestroysText(summary: PlanSummary): string | undefined {
  const found = criticalDestroys(summary);
  if (found.length === 0) return undefined;
  const groups = new Map<string, string[]>();
  for (const d of found) groups.set(d.what, [...(groups.get(d.what) ?? []), d.address]);
  const MAX = 3;
  const parts = [...groups].map(([what, addresses]) => {
    const listed = addresses.slice(0, MAX).join(', ');
    const more = addresses.length > MAX ? `, and ${addresses.length - MAX} more` : '';
    return `${addresses.length} ${what}${addresses.length === 1 ? '' : 's'} (${listed}${more})`;
  });
  return `DESTROYS ${parts.join(', ')}`;
}
