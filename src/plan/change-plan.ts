// Change detection (design §4): which clusters to plan and which hubs to deploy or remove, as a
// pure function of the changed files, the PR labels and the fleet at the head commit.
import type { Fleet, LoadedCluster, LoadedHub, Provider, Stage } from '../config/model.js';

export const LABEL_SKIP_DEPLOY = 'hubfleet:skip-deploy';
export const LABEL_DEPLOY_ALL = 'hubfleet:deploy-all';
export const LABEL_REMOVE_HUB = 'hubfleet:remove-hub';

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
}

export interface ClusterJob {
  cluster: string;
  provider: Provider;
  runner: string[];
}

export interface HubJob {
  cluster: string;
  hub: string;
  stage: Stage;
  provider: Provider;
  domain: string;
  runner: string[];
  /** GitHub Environment of the job: prod jobs get required reviewers and prod secrets. */
  environment: string;
}

export interface HubRemoval {
  cluster: string;
  hub: string;
  /** `uninstall` only with the remove-hub label; otherwise the release and its data are kept. */
  action: 'uninstall' | 'keep';
  runner: string[];
}

/** Why a path did (or did not) cause work; shown in the job summary. */
export interface ChangeReason {
  path: string;
  effect: string;
}

export interface ChangePlan {
  clusters: ClusterJob[];
  staging: HubJob[];
  prod: HubJob[];
  removals: HubRemoval[];
  /** Clusters whose cluster.yaml was deleted: their infrastructure is not torn down automatically. */
  removedClusters: string[];
  reasons: ChangeReason[];
}

export interface Matrix<Row> {
  include: Row[];
}

export interface ChangeMatrices {
  clusters: Matrix<ClusterJob>;
  staging: Matrix<HubJob>;
  prod: Matrix<HubJob>;
  remove: Matrix<HubRemoval>;
}

type PathKind =
  | { kind: 'cluster-file'; cluster: string }
  | { kind: 'hub-file'; cluster: string; hub: string }
  | { kind: 'terraform'; provider: Provider }
  | { kind: 'every-hub' }
  | { kind: 'ci-only' }
  | { kind: 'other' };

const CLUSTER_FILE = /^config\/clusters\/([^/]+)\/cluster\.yaml$/;
const HUB_FILE = /^config\/clusters\/([^/]+)\/hubs\/([^/]+)\.yaml$/;
const TERRAFORM = /^terraform\/(gcp|aws)\//;
// The schema and the chart defaults shape every rendered hub.
const EVERY_HUB = /^config\/(schema|charts)\//;
const CI_ONLY = /^(actions|workflows|src|test|bench|scripts|\.github)\//;

export function classifyPath(path: string): PathKind {
  let m = CLUSTER_FILE.exec(path);
  if (m?.[1] !== undefined) return { kind: 'cluster-file', cluster: m[1] };
  m = HUB_FILE.exec(path);
  if (m?.[1] !== undefined && m[2] !== undefined) return { kind: 'hub-file', cluster: m[1], hub: m[2] };
  m = TERRAFORM.exec(path);
  if (m?.[1] === 'gcp' || m?.[1] === 'aws') return { kind: 'terraform', provider: m[1] };
  if (EVERY_HUB.test(path)) return { kind: 'every-hub' };
  if (CI_ONLY.test(path)) return { kind: 'ci-only' };
  return { kind: 'other' };
}

function environmentFor(cluster: string, stage: Stage): string {
  return `${cluster}-${stage}`;
}

function hubJob(cluster: LoadedCluster, hub: LoadedHub): HubJob {
  return {
    cluster: cluster.config.name,
    hub: hub.config.name,
    stage: hub.config.stage,
    provider: cluster.config.provider,
    domain: hub.config.domain,
    runner: [...cluster.config.runner.labels],
    environment: environmentFor(cluster.config.name, hub.config.stage),
  };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function planChanges(
  changes: readonly ChangedFile[],
  labels: readonly string[],
  fleet: Fleet,
): ChangePlan {
  const clusterByName = new Map(fleet.clusters.map((c) => [c.config.name, c]));
  const planClusters = new Set<string>();
  // cluster → hub names to deploy
  const deploy = new Map<string, Set<string>>();
  const removals = new Map<string, HubRemoval>();
  const removedClusters = new Set<string>();
  const reasons: ChangeReason[] = [];
  const skipDeploy = labels.includes(LABEL_SKIP_DEPLOY);
  const removeHubs = labels.includes(LABEL_REMOVE_HUB);

  const deployHub = (cluster: string, hub: string): void => {
    const set = deploy.get(cluster) ?? new Set<string>();
    set.add(hub);
    deploy.set(cluster, set);
  };
  const deployEveryHubOf = (cluster: LoadedCluster): void => {
    for (const hub of cluster.hubs) deployHub(cluster.config.name, hub.config.name);
  };

  for (const change of changes) {
    const kind = classifyPath(change.path);
    switch (kind.kind) {
      case 'cluster-file': {
        const cluster = clusterByName.get(kind.cluster);
        if (change.status === 'deleted' || cluster === undefined) {
          removedClusters.add(kind.cluster);
          reasons.push({
            path: change.path,
            effect: `cluster ${kind.cluster} removed from config: its infrastructure is kept; destroy it by hand`,
          });
          break;
        }
        planClusters.add(kind.cluster);
        deployEveryHubOf(cluster);
        reasons.push({
          path: change.path,
          effect: `plan ${kind.cluster}; deploy every hub of ${kind.cluster}`,
        });
        break;
      }
      case 'hub-file': {
        const cluster = clusterByName.get(kind.cluster);
        if (cluster === undefined) {
          removedClusters.add(kind.cluster);
          reasons.push({ path: change.path, effect: `cluster ${kind.cluster} is not in the fleet` });
          break;
        }
        planClusters.add(kind.cluster);
        const stillThere = cluster.hubs.some((h) => h.config.name === kind.hub);
        if (change.status === 'deleted' && !stillThere) {
          const action = removeHubs ? 'uninstall' : 'keep';
          removals.set(`${kind.cluster}/${kind.hub}`, {
            cluster: kind.cluster,
            hub: kind.hub,
            action,
            runner: [...cluster.config.runner.labels],
          });
          reasons.push({
            path: change.path,
            effect:
              action === 'uninstall'
                ? `plan ${kind.cluster} (shows removal); uninstall ${kind.hub} (${LABEL_REMOVE_HUB})`
                : `plan ${kind.cluster} (shows removal); ${kind.hub} stays installed and its data is kept (add ${LABEL_REMOVE_HUB} to uninstall)`,
          });
          break;
        }
        if (stillThere) deployHub(kind.cluster, kind.hub);
        reasons.push({ path: change.path, effect: `plan ${kind.cluster}; deploy ${kind.hub}` });
        break;
      }
      case 'terraform': {
        const matching = fleet.clusters.filter((c) => c.config.provider === kind.provider);
        for (const c of matching) planClusters.add(c.config.name);
        reasons.push({
          path: change.path,
          effect: `plan every ${kind.provider} cluster (${matching.length}); no deploy`,
        });
        break;
      }
      case 'every-hub':
        for (const c of fleet.clusters) deployEveryHubOf(c);
        reasons.push({ path: change.path, effect: 'deploy every hub' });
        break;
      case 'ci-only':
        reasons.push({ path: change.path, effect: 'CI only' });
        break;
      case 'other':
        reasons.push({ path: change.path, effect: 'no effect on the fleet' });
        break;
    }
  }

  if (labels.includes(LABEL_DEPLOY_ALL)) {
    for (const c of fleet.clusters) deployEveryHubOf(c);
    reasons.push({ path: `label ${LABEL_DEPLOY_ALL}`, effect: 'deploy every hub' });
  }
  if (skipDeploy) {
    deploy.clear();
    reasons.push({ path: `label ${LABEL_SKIP_DEPLOY}`, effect: 'no hub is deployed' });
  }

  const staging: HubJob[] = [];
  const prod: HubJob[] = [];
  for (const cluster of fleet.clusters) {
    const names = deploy.get(cluster.config.name);
    if (names === undefined || names.size === 0) continue;
    const hubs = cluster.hubs.filter((h) => names.has(h.config.name));
    const hasProd = hubs.some((h) => h.config.stage === 'prod');
    for (const hub of cluster.hubs) {
      // Staging first: a cluster that deploys to prod re-deploys and smoke-tests all its staging hubs.
      if (hub.config.stage === 'staging' && (names.has(hub.config.name) || hasProd)) {
        staging.push(hubJob(cluster, hub));
      } else if (hub.config.stage === 'prod' && names.has(hub.config.name)) {
        prod.push(hubJob(cluster, hub));
      }
    }
  }

  const clusters = fleet.clusters
    .filter((c) => planClusters.has(c.config.name))
    .map((c) => ({
      cluster: c.config.name,
      provider: c.config.provider,
      runner: [...c.config.runner.labels],
    }));

  return {
    clusters,
    staging,
    prod,
    removals: [...removals.values()].sort((a, b) => byName(`${a.cluster}/${a.hub}`, `${b.cluster}/${b.hub}`)),
    removedClusters: [...removedClusters].sort(byName),
    reasons,
  };
}

/** The plan as `strategy.matrix` values (`include:` rows). */
export function toMatrices(plan: ChangePlan): ChangeMatrices {
  return {
    clusters: { include: plan.clusters },
    staging: { include: plan.staging },
    prod: { include: plan.prod },
    remove: { include: plan.removals },
  };
}
