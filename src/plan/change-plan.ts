// Change detection (design §4): which clusters to plan and which hubs to deploy or remove, as a
// pure function of the changed files, the PR labels and the fleet at the head commit.
import { healthCheckMinutes } from './health-budget.js';
import type { ClusterConfig, Fleet, LoadedCluster, LoadedHub, Provider, Stage } from '../config/model.js';
import { HubfleetError } from '../errors.js';

export const LABEL_SKIP_DEPLOY = 'hubfleet:skip-deploy';
export const LABEL_DEPLOY_ALL = 'hubfleet:deploy-all';
export const LABEL_REMOVE_HUB = 'hubfleet:remove-hub';

export type ChangeStatus = 'added' | 'modified' | 'deleted';

export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  /** A `config/...` repository path outside `--config` (config-scope.ts): never a fleet change. */
  outsideConfig?: boolean;
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

/** GitHub runs at most 256 jobs from one matrix (a larger one fails the whole workflow). */
export const MATRIX_JOB_LIMIT = 256;

/**
 * What a workflow job needs to reach a cluster: its runner labels and the OIDC login parameters.
 * Flat strings (empty for the other provider) so workflow expressions stay `matrix.<field>`.
 */
export interface ClusterTarget {
  cluster: string;
  provider: Provider;
  runner: string[];
  gcpProject: string;
  /** Zone of a zonal cluster, else its region: what `get-credentials` calls the location. */
  gcpLocation: string;
  gcpClusterName: string;
  gcpWorkloadIdentityProvider: string;
  gcpServiceAccount: string;
  awsRoleArn: string;
  awsRegion: string;
  awsClusterName: string;
}

/** Hubs deploy-hub deploys at once inside one cluster job (its `concurrency` input). */
export const DEPLOY_CONCURRENCY = 4;
/** deploy-hub's per-hub budget (its `timeout` default, 10m) plus the rollout check, in minutes. */
export const MINUTES_PER_HUB_WAVE = 12;
/**
 * Checkout, cloud login, kubeconfig, smoke test and margin (30), plus the wait for a new hub's
 * ManagedCertificate (up to 60): smoke-iap can only reach a hub once its certificate is Active.
 */
export const STAGE_JOB_OVERHEAD_MINUTES = 90;
/** A self-hosted job may run up to 5 days; nothing of ours should come close. */
const MAX_JOB_MINUTES = 24 * 60;

/**
 * A stage job's timeout: enough for every wave of hubs at the worst case, then hub-health's retry
 * budget for each wave of hubs it checks (health-budget.ts), never unbounded.
 */
export function stageTimeoutMinutes(hubCount: number, concurrency = DEPLOY_CONCURRENCY): number {
  const waves = Math.ceil(hubCount / concurrency);
  return Math.min(
    MAX_JOB_MINUTES,
    STAGE_JOB_OVERHEAD_MINUTES + waves * MINUTES_PER_HUB_WAVE + healthCheckMinutes(hubCount),
  );
}

/** One job: every hub of one stage on one cluster, deployed by deploy-hub with bounded concurrency. */
export interface StageJob extends ClusterTarget {
  stage: Stage;
  environment: string;
  /** Comma-separated hub names, deploy-hub's `hubs` input. */
  hubs: string;
  hubCount: number;
  /** deploy-hub's `concurrency` input. */
  concurrency: number;
  /** The job's timeout-minutes: grows with the number of hubs it deploys. */
  timeoutMinutes: number;
  /** Prod rows: the cluster has a staging job in this run, which must pass first. */
  afterStaging: boolean;
  /** smoke-iap's `attempts` and `retry-budget` in this job (SMOKE_RETRIES). */
  smokeAttempts: number;
  smokeRetryBudget: string;
}

/**
 * smoke-iap's retries in a stage job. A GKE stage first waits for its hubs' certificates, which
 * need the load balancer and the DNS record, so smoke-iap's defaults (5 attempts, about a minute)
 * suffice. On EKS nothing waits for a new hub's ALB and DNS name, which come a few minutes after
 * its Ingress: smoke-iap keeps trying for up to 15 minutes instead of calling the new hub down.
 */
export const SMOKE_RETRIES: Readonly<Record<Provider, { attempts: number; budget: string }>> = {
  gcp: { attempts: 5, budget: '5m' },
  aws: { attempts: 40, budget: '15m' },
};

/** One job per cluster: every hub this run deployed, for verify-cert `wait`. */
export interface CertificateJob extends ClusterTarget {
  hubs: string;
  hubCount: number;
  /** The same hubs by stage: the job waits only for the stages that deployed in this run. */
  stagingHubs: string;
  prodHubs: string;
}

export interface RemovalJob extends ClusterTarget {
  action: 'uninstall' | 'keep';
  hubs: string;
}

/**
 * One job per cluster that uninstalls hubs (deploy-hub mode uninstall): only the `uninstall` rows
 * of `remove`, because a job-level `if:` cannot see `matrix` and a `keep` row would otherwise start
 * a runner and log in to the cloud for nothing.
 */
export interface UninstallJob extends RemovalJob {
  action: 'uninstall';
  hubCount: number;
  /** deploy-hub's helm `--timeout` per hub; the job's timeout-minutes covers every hub in turn. */
  helmTimeout: string;
  timeoutMinutes: number;
  /**
   * The cluster's prod Environment (`<cluster>-prod`): an uninstall cannot be rolled back, so it
   * waits for the same reviewers as a prod deploy, whatever stage the removed hub had.
   */
  environment: string;
}

/**
 * Per hub, one at a time: `helm uninstall --wait` and the wait for the Ingress's load balancer to be
 * removed, each bounded by the helm timeout; plus login and checkout.
 */
export const UNINSTALL_HELM_MINUTES = 10;
export const UNINSTALL_JOB_OVERHEAD_MINUTES = 15;
export function uninstallTimeoutMinutes(hubCount: number): number {
  return Math.min(
    MAX_JOB_MINUTES,
    UNINSTALL_JOB_OVERHEAD_MINUTES + hubCount * (2 * UNINSTALL_HELM_MINUTES + 1),
  );
}

export interface ChangeMatrices {
  /** Plan (PR) / apply-iam (deploy): clusters to plan plus every cluster that deploys a hub. */
  clusters: Matrix<ClusterTarget>;
  staging: Matrix<StageJob>;
  prod: Matrix<StageJob>;
  certificates: Matrix<CertificateJob>;
  remove: Matrix<RemovalJob>;
  uninstall: Matrix<UninstallJob>;
}

type PathKind =
  | { kind: 'cluster-file'; cluster: string }
  | { kind: 'hub-file'; cluster: string; hub: string }
  | { kind: 'platform-file'; cluster: string; hub: string }
  | { kind: 'terraform'; provider: Provider }
  | { kind: 'every-hub' }
  | { kind: 'tool-version' }
  | { kind: 'ci-only' }
  | { kind: 'other' };

const CLUSTER_FILE = /^config\/clusters\/([^/]+)\/cluster\.yaml$/;
const HUB_FILE = /^config\/clusters\/([^/]+)\/hubs\/([^/]+)\.yaml$/;
// The platform team's chart values for one hub (decision 0018): rendered into its helm values only.
const PLATFORM_FILE = /^config\/clusters\/([^/]+)\/platform\/([^/]+)\.yaml$/;
const TERRAFORM = /^terraform\/(gcp|aws)\//;
// What shapes every rendered hub: the schema and the chart defaults, the renderer itself (including
// the IAP authenticator it installs, src/render/iap_authenticator.py) and the chart table
// (src/config/charts.ts: which chart and repository a hub's chart.name installs). A renderer change
// merged without a deploy would leave every hub on the old output until its next unrelated change.
// In a fleet repository the renderer is the hubfleet release .hubfleet/owned.json names (written by
// `hubfleet init` and `upgrade`): it is on this list too, for the freshness check.
// workflows/freshness.ts EVERY_HUB_PATHS is the same list (a test keeps them equal).
export const EVERY_HUB =
  /^(config\/(schema|charts)\/|src\/render\/|src\/config\/charts\.ts$|\.hubfleet\/owned\.json$)/;
// A fleet repository's move to another hubfleet (src/fleet-repo/owned.ts): the new release can change
// every rendered hub and the Terraform modules of both providers.
const TOOL_VERSION = /^\.hubfleet\/owned\.json$/;
const CI_ONLY = /^(actions|workflows|src|test|bench|scripts|\.github)\//;

export function classifyPath(path: string): PathKind {
  let m = CLUSTER_FILE.exec(path);
  if (m?.[1] !== undefined) return { kind: 'cluster-file', cluster: m[1] };
  m = HUB_FILE.exec(path);
  if (m?.[1] !== undefined && m[2] !== undefined) return { kind: 'hub-file', cluster: m[1], hub: m[2] };
  m = PLATFORM_FILE.exec(path);
  if (m?.[1] !== undefined && m[2] !== undefined) return { kind: 'platform-file', cluster: m[1], hub: m[2] };
  m = TERRAFORM.exec(path);
  if (m?.[1] === 'gcp' || m?.[1] === 'aws') return { kind: 'terraform', provider: m[1] };
  if (TOOL_VERSION.test(path)) return { kind: 'tool-version' };
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

export interface PlanOptions {
  /**
   * The hub files the labelled change itself deleted (`config/...` paths). The PR's labels speak for
   * that PR only: after a merge the diff since the last good deploy can hold deletions of earlier
   * PRs, and hubfleet:remove-hub uninstalls none of those (label-scope.ts). Default: every deletion.
   */
  labelledDeletions?: ReadonlySet<string>;
}

export function planChanges(
  changes: readonly ChangedFile[],
  labels: readonly string[],
  fleet: Fleet,
  options: PlanOptions = {},
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
    if (change.outsideConfig === true) {
      reasons.push({ path: change.path, effect: 'outside --config: no effect on the fleet' });
      continue;
    }
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
          const labelled = options.labelledDeletions?.has(change.path) ?? true;
          const action = removeHubs && labelled ? 'uninstall' : 'keep';
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
                : removeHubs
                  ? `plan ${kind.cluster} (shows removal); ${kind.hub} stays installed and its data is kept (an earlier change deleted it; ${LABEL_REMOVE_HUB} covers only the files its own pull request deleted)`
                  : `plan ${kind.cluster} (shows removal); ${kind.hub} stays installed and its data is kept (add ${LABEL_REMOVE_HUB} to uninstall)`,
          });
          break;
        }
        if (stillThere) deployHub(kind.cluster, kind.hub);
        reasons.push({ path: change.path, effect: `plan ${kind.cluster}; deploy ${kind.hub}` });
        break;
      }
      case 'platform-file': {
        const hub = clusterByName.get(kind.cluster)?.hubs.find((h) => h.config.name === kind.hub);
        if (hub === undefined) {
          reasons.push({
            path: change.path,
            effect: `no effect: hub ${kind.cluster}/${kind.hub} is not in the fleet`,
          });
          break;
        }
        // Helm values only: no cloud resource depends on them, so no Terraform plan.
        deployHub(kind.cluster, kind.hub);
        reasons.push({ path: change.path, effect: `deploy ${kind.hub} (platform values)` });
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
      case 'tool-version':
        for (const c of fleet.clusters) {
          planClusters.add(c.config.name);
          deployEveryHubOf(c);
        }
        reasons.push({ path: change.path, effect: 'another hubfleet: plan every cluster, deploy every hub' });
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

export function clusterTarget(config: ClusterConfig): ClusterTarget {
  const gcp = config.gcp;
  const aws = config.aws;
  return {
    cluster: config.name,
    provider: config.provider,
    runner: [...config.runner.labels],
    gcpProject: gcp?.project ?? '',
    gcpLocation: gcp === undefined ? '' : (gcp.zone ?? gcp.region),
    gcpClusterName: gcp?.clusterName ?? '',
    gcpWorkloadIdentityProvider: gcp?.workloadIdentityProvider ?? '',
    gcpServiceAccount: gcp?.deployerServiceAccount ?? '',
    awsRoleArn: aws?.roleArn ?? '',
    awsRegion: aws?.region ?? '',
    awsClusterName: aws?.clusterName ?? '',
  };
}

function checkLimit(name: string, rows: readonly unknown[]): void {
  if (rows.length > MATRIX_JOB_LIMIT) {
    throw new HubfleetError(
      `the ${name} matrix would hold ${rows.length} jobs; GitHub runs at most ${MATRIX_JOB_LIMIT} per matrix`,
      {
        hint: `rows are one per cluster, so this fleet has more than ${MATRIX_JOB_LIMIT} clusters in one change: split the change (or the fleet repository) so each deploy touches at most ${MATRIX_JOB_LIMIT} clusters`,
      },
    );
  }
}

/**
 * The plan as `strategy.matrix` values (`include:` rows). Rows are per cluster (and stage), never
 * per hub: a 1,000-hub deploy-all is one job per cluster and stage, each deploying its hubs with
 * deploy-hub's bounded concurrency. Throws when a matrix would pass GitHub's 256-job limit.
 */
export function toMatrices(plan: ChangePlan, fleet: Fleet): ChangeMatrices {
  const configs = new Map(fleet.clusters.map((c) => [c.config.name, c.config]));
  const target = (cluster: string): ClusterTarget => {
    const config = configs.get(cluster);
    if (config === undefined) {
      throw new HubfleetError(`cluster ${cluster} is not in the fleet`, {
        hint: 'plan against the fleet the plan was made from',
      });
    }
    return clusterTarget(config);
  };
  const grouped = (jobs: readonly HubJob[]): Map<string, string[]> => {
    const byCluster = new Map<string, string[]>();
    for (const job of jobs) byCluster.set(job.cluster, [...(byCluster.get(job.cluster) ?? []), job.hub]);
    return byCluster;
  };
  const staging = grouped(plan.staging);
  const prod = grouped(plan.prod);
  const stageRows = (stage: Stage, byCluster: Map<string, string[]>): StageJob[] =>
    [...byCluster].map(([cluster, hubs]) => {
      const t = target(cluster);
      return {
        ...t,
        stage,
        environment: environmentFor(cluster, stage),
        hubs: hubs.join(','),
        hubCount: hubs.length,
        concurrency: DEPLOY_CONCURRENCY,
        timeoutMinutes: stageTimeoutMinutes(hubs.length),
        afterStaging: stage === 'prod' && staging.has(cluster),
        smokeAttempts: SMOKE_RETRIES[t.provider].attempts,
        smokeRetryBudget: SMOKE_RETRIES[t.provider].budget,
      };
    });

  const clusterNames = new Set([...plan.clusters.map((c) => c.cluster), ...staging.keys(), ...prod.keys()]);
  const ordered = fleet.clusters.map((c) => c.config.name).filter((name) => clusterNames.has(name));
  // Only GKE clusters: ManagedCertificates exist there alone (an EKS hub's load balancer serves an
  // ACM certificate), and verify-cert refuses any other cluster.
  const certificates = ordered
    .filter((name) => (staging.has(name) || prod.has(name)) && target(name).provider === 'gcp')
    .map((name) => {
      const hubs = [...(staging.get(name) ?? []), ...(prod.get(name) ?? [])];
      return {
        ...target(name),
        hubs: hubs.join(','),
        hubCount: hubs.length,
        stagingHubs: (staging.get(name) ?? []).join(','),
        prodHubs: (prod.get(name) ?? []).join(','),
      };
    });
  const removals = new Map<string, RemovalJob>();
  for (const r of plan.removals) {
    const key = `${r.cluster}/${r.action}`;
    const row = removals.get(key);
    if (row === undefined) removals.set(key, { ...target(r.cluster), action: r.action, hubs: r.hub });
    else row.hubs = `${row.hubs},${r.hub}`;
  }

  const matrices: ChangeMatrices = {
    clusters: { include: ordered.map(target) },
    staging: { include: stageRows('staging', staging) },
    prod: { include: stageRows('prod', prod) },
    certificates: { include: certificates },
    remove: { include: [...removals.values()] },
    uninstall: {
      include: [...removals.values()].flatMap((row): UninstallJob[] => {
        if (row.action !== 'uninstall') return [];
        const hubCount = row.hubs.split(',').length;
        return [
          {
            ...row,
            action: 'uninstall',
            hubCount,
            helmTimeout: `${UNINSTALL_HELM_MINUTES}m`,
            timeoutMinutes: uninstallTimeoutMinutes(hubCount),
            environment: environmentFor(row.cluster, 'prod'),
          },
        ];
      }),
    },
  };
  for (const [name, matrix] of Object.entries(matrices) as Array<[string, Matrix<unknown>]>) {
    checkLimit(name, matrix.include);
  }
  return matrices;
}
