// Which cluster (and hub) a manual or scheduled run works on, checked against the fleet before any
// job touches a cluster. The rows come from the config, never from the requested text, so a
// workflow_dispatch input reaches later jobs only as a name the fleet already holds.
import { didYouMean } from '../config/did-you-mean.js';
import type { Fleet, Stage } from '../config/model.js';
import { HubfleetError } from '../errors.js';
import { clusterTarget, MATRIX_JOB_LIMIT, type ClusterTarget, type Matrix } from './change-plan.js';

export interface ClusterHubs extends ClusterTarget {
  /** Comma-separated names of the cluster's hubs (all of them, or the one selected). */
  hubs: string;
  hubCount: number;
}

export interface HubTarget extends ClusterTarget {
  hub: string;
  stage: Stage;
  domain: string;
  /** GitHub Environment of the hub: `<cluster>-<stage>`. */
  environment: string;
}

export interface Targets {
  clusters: Matrix<ClusterHubs>;
  /** Set when a hub was selected: one row, for a single-hub job. */
  hub?: Matrix<HubTarget>;
}

function unknown(kind: string, name: string, known: readonly string[], where = ''): HubfleetError {
  const suggestion = didYouMean(name, known);
  return new HubfleetError(
    `no ${kind} named "${name}"${where}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`,
    { hint: `use one of: ${known.join(', ') || '(none)'}` },
  );
}

export interface Selection {
  cluster?: string;
  hub?: string;
  /**
   * Refuse a cluster that is not GKE: recreate-cert's verify-cert works on GKE ManagedCertificates
   * only, and a manual run should stop here, not after its reviewers and cloud login.
   */
  gkeOnly?: boolean;
}

export function selectTargets(fleet: Fleet, selection: Selection): Targets {
  if (selection.hub !== undefined && selection.cluster === undefined) {
    throw new HubfleetError('a hub was given without its cluster', { hint: 'give the cluster too' });
  }
  if (selection.gkeOnly === true && selection.cluster === undefined) {
    throw new HubfleetError('only GKE clusters were asked for, but no cluster was given', {
      hint: 'give the cluster too',
    });
  }
  const names = fleet.clusters.map((c) => c.config.name);
  const clusters =
    selection.cluster === undefined
      ? fleet.clusters
      : fleet.clusters.filter((c) => c.config.name === selection.cluster);
  if (selection.cluster !== undefined && clusters.length === 0) {
    throw unknown('cluster', selection.cluster, names);
  }
  const notGke = selection.gkeOnly === true ? clusters.find((c) => c.config.provider !== 'gcp') : undefined;
  if (notGke !== undefined) {
    const gke = fleet.clusters.filter((c) => c.config.provider === 'gcp').map((c) => c.config.name);
    throw new HubfleetError(
      `cluster ${notGke.config.name} is on ${notGke.config.provider}: only GKE clusters have ManagedCertificates`,
      {
        hint: `an EKS hub's load balancer serves an ACM certificate, which AWS issues and renews: there is nothing to recreate; pick a hub on a GKE cluster (${gke.join(', ') || 'the fleet has none'})`,
      },
    );
  }
  if (clusters.length > MATRIX_JOB_LIMIT) {
    throw new HubfleetError(
      `the fleet has ${clusters.length} clusters; one matrix runs at most ${MATRIX_JOB_LIMIT} jobs`,
      { hint: 'split the fleet across repositories of at most 256 clusters each' },
    );
  }
  if (selection.hub !== undefined) {
    const cluster = clusters[0];
    const hub = cluster?.hubs.find((h) => h.config.name === selection.hub);
    if (cluster === undefined || hub === undefined) {
      throw unknown(
        'hub',
        selection.hub,
        (cluster?.hubs ?? []).map((h) => h.config.name),
        ` on cluster ${selection.cluster ?? ''}`,
      );
    }
    const base = clusterTarget(cluster.config);
    return {
      clusters: { include: [{ ...base, hubs: hub.config.name, hubCount: 1 }] },
      hub: {
        include: [
          {
            ...base,
            hub: hub.config.name,
            stage: hub.config.stage,
            domain: hub.config.domain,
            environment: `${cluster.config.name}-${hub.config.stage}`,
          },
        ],
      },
    };
  }
  return {
    clusters: {
      include: clusters.map((c) => ({
        ...clusterTarget(c.config),
        hubs: c.hubs.map((h) => h.config.name).join(','),
        hubCount: c.hubs.length,
      })),
    },
  };
}
