// A cluster directory renamed in a change. Every cloud name hubfleet derives for a hub starts with
// its cluster's name (src/render/names.ts: static IPs and service accounts `hubfleet-<cluster>-<hub>`,
// IRSA roles, and bucket names whose hash covers the cluster), so under a new directory name the
// same cloud cluster's Terraform plan would destroy every hub's address, identity and buckets (with
// their data) and create new ones. A rename is refused with the way to do it safely
// (docs/decisions/0020-cluster-directory-rename-is-refused.md).
import { cloudCluster, stateLocation } from '../config/integrity-rules.js';
import type { Fleet } from '../config/model.js';
import { isRecord } from '../config/field-path.js';

export interface ClusterRename {
  from: string;
  to: string;
  /** The new cluster.yaml, `config/clusters/<to>/cluster.yaml`. */
  path: string;
  message: string;
}

/** A cluster.yaml as it was at the base of the change (its directory was deleted or renamed). */
export interface FormerCluster {
  dir: string;
  data: Record<string, unknown>;
}

function identities(data: Record<string, unknown>): string[] {
  const out: string[] = [];
  const cloud = cloudCluster(data);
  if (cloud !== undefined) out.push(cloud.key);
  const backend = isRecord(data.terraform) ? data.terraform.backend : undefined;
  if (isRecord(backend) && typeof backend.bucket === 'string' && typeof backend.prefix === 'string') {
    out.push(stateLocation(String(data.provider), backend.bucket, backend.prefix));
  }
  return out;
}

export function renameMessage(from: string, to: string): string {
  return (
    `cluster directory ${from} was renamed to ${to}, but it is the same cluster (the same cloud cluster or Terraform state): ` +
    `every cloud name hubfleet derives starts with the directory name (static IPs, service accounts, IRSA roles, buckets), ` +
    `so the plan would destroy each hub's address, identity and buckets, with their data, and create new ones. ` +
    `Keep the directory name ${from} (what else you change in its cluster.yaml is fine). ` +
    `To move the hubs to a cluster named ${to}: add ${to} as a new cluster with its own Terraform prefix, ` +
    `create each hub there and move its users' data, remove it from ${from} with the label hubfleet:remove-hub, ` +
    `and when ${from} has no hubs left, delete its directory and destroy its infrastructure by hand.`
  );
}

/** Clusters of `head` that are a cluster of the base under another directory name. */
export function clusterRenames(former: readonly FormerCluster[], head: Fleet): ClusterRename[] {
  const renames: ClusterRename[] = [];
  const headNames = new Set(head.clusters.map((c) => c.config.name));
  for (const old of former) {
    if (headNames.has(old.dir)) continue;
    const keys = new Set(identities(old.data));
    const renamed = head.clusters.find((c) =>
      identities(c.config as unknown as Record<string, unknown>).some((k) => keys.has(k)),
    );
    if (renamed === undefined) continue;
    const to = renamed.config.name;
    renames.push({
      from: old.dir,
      to,
      path: `config/clusters/${to}/cluster.yaml`,
      message: renameMessage(old.dir, to),
    });
  }
  return renames;
}
