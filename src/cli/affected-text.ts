// `hubfleet affected --format text`: the plan as a person reads it, one line per kind of work and
// one per reason. JSON stays the default: the workflows read it.
import type { ChangePlan } from '../plan/change-plan.js';

function byCluster(rows: ReadonlyArray<{ cluster: string; hub: string }>): string {
  const hubs = new Map<string, string[]>();
  for (const r of rows) hubs.set(r.cluster, [...(hubs.get(r.cluster) ?? []), r.hub]);
  if (hubs.size === 0) return 'none';
  return [...hubs].map(([cluster, names]) => `${cluster} (${names.join(', ')})`).join('; ');
}

export function formatAffectedText(plan: ChangePlan): string {
  const uninstall = plan.removals.filter((r) => r.action === 'uninstall');
  const keep = plan.removals.filter((r) => r.action === 'keep');
  const lines = [
    `plan:           ${plan.clusters.map((c) => c.cluster).join(', ') || 'none'}`,
    `deploy staging: ${byCluster(plan.staging)}`,
    `deploy prod:    ${byCluster(plan.prod)}`,
    `remove:         ${byCluster(uninstall)}`,
  ];
  if (keep.length > 0) {
    lines.push(`kept installed: ${byCluster(keep)}: file deleted without the hubfleet:remove-hub label`);
  }
  if (plan.removedClusters.length > 0) {
    lines.push(
      `removed clusters: ${plan.removedClusters.join(', ')} (their infrastructure is not torn down)`,
    );
  }
  lines.push(plan.reasons.length === 0 ? 'why: no file changed' : 'why:');
  for (const r of plan.reasons) lines.push(`  ${r.path}: ${r.effect}`);
  return `${lines.join('\n')}\n`;
}
