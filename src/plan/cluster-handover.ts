// The destructive switch: gcp.createCluster true → false. The cluster's Terraform state owns the
// cluster it created (terraform/gcp: every resource with `count = var.create_cluster ? 1 : 0`), so
// the plan of that change destroys the cluster, its node pool and the network pieces around it
// (deletion_protection stops the cluster itself only after the rest is gone). Adopting an existing
// cluster needs the state to forget those resources first; this gate refuses the switch and says
// how (docs/decisions/0027-created-cluster-settings-and-handover.md).
import type { Fleet } from '../config/model.js';

/**
 * The addresses a created cluster's state owns, as `terraform state rm` takes them. Kept equal to
 * terraform/gcp's `count = var.create_cluster ? 1 : 0` resources by test/terraform/handover.test.ts.
 */
export const CREATED_CLUSTER_ADDRESSES: readonly string[] = [
  'google_container_cluster.this[0]',
  'google_container_node_pool.core[0]',
  'google_compute_router.nat[0]',
  'google_compute_router_nat.nodes[0]',
  'google_compute_firewall.control_plane_to_proxy[0]',
  'google_service_account.nodes[0]',
  'google_project_iam_member.nodes["roles/artifactregistry.reader"]',
  'google_project_iam_member.nodes["roles/container.defaultNodeServiceAccount"]',
];

export interface ClusterHandover {
  cluster: string;
  /** `config/clusters/<cluster>/cluster.yaml`. */
  path: string;
  /** What would break and what to do; complete on its own, as an annotation shows it. */
  message: string;
}

export function handoverMessage(clusterName: string): string {
  const rm = CREATED_CLUSTER_ADDRESSES.map((a) => `'${a}'`).join(' ');
  return (
    `gcp.createCluster changes from true to false: the cluster's Terraform state created GKE cluster ` +
    `${clusterName}, so the plan of this change destroys its node pool (every user server on it), its ` +
    `Cloud NAT, control-plane firewall rule and node service account, and then the cluster. To hand ` +
    `the cluster over to adoption without destroying anything, keep createCluster: true and first ` +
    `make the state forget those resources (the cloud keeps them): on the in-VPC runner, after ` +
    `terraform init with the cluster's backend, run terraform state rm ${rm} ` +
    `(or, in a module you own, a removed { from = <address> lifecycle { destroy = false } } block ` +
    `per resource and an apply). Then set createCluster: false; the next plan only reads the cluster.`
  );
}

/** One per GKE cluster that is created at `base` and adopted (or no longer created) at `head`. */
export function createClusterHandovers(base: Fleet, head: Fleet): ClusterHandover[] {
  return handoversFrom(
    new Set(base.clusters.filter((c) => c.config.gcp?.createCluster === true).map((c) => c.config.name)),
    head,
  );
}

/** The same, from the names of the clusters that base created (their cluster.yaml alone says so). */
export function handoversFrom(createdAtBase: ReadonlySet<string>, head: Fleet): ClusterHandover[] {
  return head.clusters
    .filter(
      (c) =>
        c.config.provider === 'gcp' &&
        createdAtBase.has(c.config.name) &&
        c.config.gcp?.createCluster !== true,
    )
    .map((c) => ({
      cluster: c.config.name,
      path: `config/clusters/${c.config.name}/cluster.yaml`,
      message: handoverMessage(c.config.gcp?.clusterName ?? c.config.name),
    }));
}
