// Rules for the settings of a GKE cluster hubfleet creates (cluster.yaml gcp.createCluster: true),
// which the renderer writes into the Terraform variables (src/render/tfvars.ts): what one
// cluster.yaml must say, and what two clusters in one VPC may not share.
import type { ConfigProblem } from './model.js';
import { hasKey, type FieldPath } from './field-path.js';
import { locate, problemAt, type YamlSource } from './config-source.js';
import { cidrsOverlap as overlaps, formatIpv4, parseCidr, type CidrRange } from './cidr.js';

/** Honoured only when Terraform creates the cluster; on an adopted cluster they would do nothing. */
const CREATED_ONLY = [
  'masterAuthorizedNetworks',
  'masterIpv4CidrBlock',
  'podsRangeName',
  'servicesRangeName',
  'releaseChannel',
  'nodePool',
] as const;

function gcpFields(source: YamlSource): Record<string, unknown> | undefined {
  const gcp = source.data.gcp;
  if (source.data.provider !== 'gcp' || typeof gcp !== 'object' || gcp === null || Array.isArray(gcp))
    return undefined;
  return gcp as Record<string, unknown>;
}

export function gkeClusterRules(source: YamlSource): ConfigProblem[] {
  const fields = gcpFields(source);
  if (fields === undefined) return [];
  const problems: ConfigProblem[] = [];
  const at = (path: FieldPath, target: 'key' | 'value', message: string): void => {
    problems.push(problemAt(source, path, target, message));
  };
  if (fields.createCluster !== true) {
    for (const name of CREATED_ONLY) {
      if (!hasKey(fields, name)) continue;
      at(
        ['gcp', name],
        'key',
        name === 'masterAuthorizedNetworks'
          ? 'applies only to a cluster hubfleet creates (gcp.createCluster: true); an adopted cluster keeps the authorized networks set on it: remove this field or set createCluster: true'
          : 'applies only to a cluster hubfleet creates (gcp.createCluster: true); an adopted cluster keeps its own settings: remove this field or set createCluster: true',
      );
    }
  } else {
    // Terraform needs both to create the cluster; its own validation would say so only on the runner.
    for (const [name, why] of [
      ['masterIpv4CidrBlock', 'the control plane needs a /28 in the VPC that no other cluster uses'],
      ['subnetwork', "the nodes' subnetwork, checked for Private Google Access and given Cloud NAT"],
    ] as const) {
      if (!hasKey(fields, name))
        at(['gcp', 'createCluster'], 'key', `gcp.${name} is required with createCluster: true: ${why}`);
    }
  }
  if (hasKey(fields, 'podsRangeName') !== hasKey(fields, 'servicesRangeName')) {
    const [given, missing] = hasKey(fields, 'podsRangeName')
      ? ['podsRangeName', 'servicesRangeName']
      : ['servicesRangeName', 'podsRangeName'];
    at(
      ['gcp', given],
      'key',
      `needs gcp.${missing} too: GKE takes either both secondary ranges by name or creates both`,
    );
  }
  const pool = fields.nodePool;
  if (typeof pool === 'object' && pool !== null) {
    const { minNodeCount, maxNodeCount } = pool as Record<string, unknown>;
    if (typeof minNodeCount === 'number' && typeof maxNodeCount === 'number' && minNodeCount > maxNodeCount) {
      at(
        ['gcp', 'nodePool', 'minNodeCount'],
        'value',
        `must not exceed maxNodeCount (${maxNodeCount}): the autoscaler needs min ≤ max`,
      );
    }
  }
  const cidr = fields.masterIpv4CidrBlock;
  if (typeof cidr === 'string') {
    const parsed = parseCidr(cidr);
    if (parsed !== undefined && parsed.start !== parsed.address) {
      at(
        ['gcp', 'masterIpv4CidrBlock'],
        'value',
        `must start the /28 it names: did you mean ${formatIpv4(parsed.start)}/${parsed.prefix}?`,
      );
    }
  }
  return problems;
}

export interface ClusterEntry {
  source: YamlSource;
}

/**
 * Two GKE control planes in one VPC (same project and network) on overlapping ranges: the second
 * cluster's creation fails, or worse, its peering routes shadow the first's. Reported on the later
 * cluster in file order, naming the first.
 */
export function masterCidrOverlaps(clusters: readonly ClusterEntry[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen: { vpc: string; range: CidrRange; source: YamlSource }[] = [];
  for (const { source } of clusters) {
    const fields = gcpFields(source);
    if (fields === undefined || fields.createCluster !== true) continue;
    const { project, network, masterIpv4CidrBlock } = fields;
    if (typeof project !== 'string' || typeof network !== 'string' || typeof masterIpv4CidrBlock !== 'string')
      continue;
    const range = parseCidr(masterIpv4CidrBlock);
    if (range === undefined) continue;
    const vpc = `${project}/${network}`;
    const first = seen.find((s) => s.vpc === vpc && overlaps(s.range, range));
    if (first !== undefined) {
      const { file, line } = locate(first.source, ['gcp', 'masterIpv4CidrBlock'], 'value');
      problems.push(
        problemAt(
          source,
          ['gcp', 'masterIpv4CidrBlock'],
          'value',
          `${masterIpv4CidrBlock} overlaps ${String((first.source.data.gcp as Record<string, unknown>).masterIpv4CidrBlock)} of the cluster in the same VPC (${vpc}) at ${file}:${line}; each control plane needs its own /28`,
        ),
      );
    } else seen.push({ vpc, range, source });
  }
  return problems;
}
