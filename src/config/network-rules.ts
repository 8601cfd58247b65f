// Rules for cluster.yaml's network options beyond their schema: the CIDR lists
// (gcp.masterAuthorizedNetworks, network.extraEgressCidrs), VPC Service Controls' dependency on the
// restricted VIP, one owner of a VPC's restricted-API zones, and the platform values a restricted
// cluster pins (user-egress.ts).
import type { ConfigProblem, Fleet } from './model.js';
import { isRecord, type FieldPath } from './field-path.js';
import { locate, problemAt, type YamlSource } from './config-source.js';
import { canonicalCidr, cidrsOverlap, parseCidr, type CidrRange } from './cidr.js';
import { Z2JH_VALUES_ROOT } from './owned-values.js';
import { RESTRICTED_EGRESS_PINS, insideLinkLocal, restrictsGoogleApis } from './user-egress.js';

interface CidrList {
  path: FieldPath;
  /** What a /0 means there, and whether it is refused (error) or only said (warning). */
  everything: { severity: ConfigProblem['severity']; message: string };
  /** Link-local blocks are refused (egress rules only). */
  refuseLinkLocal: boolean;
}

const MASTER_AUTHORIZED: CidrList = {
  path: ['gcp', 'masterAuthorizedNetworks'],
  everything: {
    severity: 'warning',
    message:
      "authorizes every address to reach the control plane (the whole internet with privateEndpoint: false); the runners' networks are always authorized, so list only the networks that administer the cluster",
  },
  refuseLinkLocal: false,
};

const EXTRA_EGRESS: CidrList = {
  path: ['network', 'extraEgressCidrs'],
  everything: {
    severity: 'error',
    message:
      'would let user pods reach every address on these ports, past the perimeter and the private ranges z2jh closes: list the endpoints they need',
  },
  refuseLinkLocal: true,
};

function cidrListProblems(source: YamlSource, list: CidrList): ConfigProblem[] {
  let node: unknown = source.data;
  for (const key of list.path) node = isRecord(node) ? node[key] : undefined;
  if (!Array.isArray(node)) return [];
  const problems: ConfigProblem[] = [];
  const seen: { index: number; range: CidrRange; text: string }[] = [];
  node.forEach((entry: unknown, index) => {
    const text = isRecord(entry) ? entry.cidrBlock : undefined;
    const range = typeof text === 'string' ? parseCidr(text) : undefined;
    if (typeof text !== 'string' || range === undefined) return; // the schema reports it
    const at: FieldPath = [...list.path, index, 'cidrBlock'];
    if (range.start !== range.address) {
      problems.push(
        problemAt(
          source,
          at,
          'value',
          `must start the block it names: did you mean ${canonicalCidr(range)}?`,
        ),
      );
      return;
    }
    if (range.prefix === 0) {
      problems.push(problemAt(source, at, 'value', list.everything.message, list.everything.severity));
      return;
    }
    if (list.refuseLinkLocal && insideLinkLocal(range)) {
      problems.push(
        problemAt(
          source,
          at,
          'value',
          'is link-local (169.254.0.0/16: the cloud metadata servers), which user pods may not reach through an egress rule; on GKE hubfleet already opens what Workload Identity needs',
        ),
      );
      return;
    }
    const first = seen.find((s) => cidrsOverlap(s.range, range));
    if (first !== undefined) {
      const { line } = locate(source, [...list.path, first.index, 'cidrBlock'], 'value');
      problems.push(
        problemAt(
          source,
          at,
          'value',
          `${text} overlaps ${first.text} (${list.path.join('.')}[${first.index}], line ${line}): merge the two or drop one`,
        ),
      );
      return;
    }
    seen.push({ index, range, text });
  });
  return problems;
}

export function networkRules(source: YamlSource): ConfigProblem[] {
  const problems = [...cidrListProblems(source, EXTRA_EGRESS)];
  const gcp = source.data.gcp;
  if (source.data.provider !== 'gcp' || !isRecord(gcp)) return problems;
  problems.push(...cidrListProblems(source, MASTER_AUTHORIZED));
  if (gcp.vpcServiceControls !== undefined && gcp.restrictedGoogleApis !== true) {
    problems.push(
      problemAt(
        source,
        ['gcp', 'vpcServiceControls'],
        'key',
        'needs gcp.restrictedGoogleApis: true: without the restricted VIP, nodes and user pods reach Google APIs the perimeter does not protect, a way out of it',
      ),
    );
  }
  return problems;
}

/**
 * The private zones for googleapis.com, gcr.io and pkg.dev and the route to the restricted VIP
 * belong to the VPC, and Cloud DNS takes one private zone of a DNS name per network: two clusters'
 * states in one VPC would each create them. Reported on the later cluster in file order.
 */
export function restrictedApisPerVpc(clusters: readonly { source: YamlSource }[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const owners = new Map<string, YamlSource>();
  for (const { source } of clusters) {
    const gcp = source.data.gcp;
    if (source.data.provider !== 'gcp' || !isRecord(gcp) || gcp.restrictedGoogleApis !== true) continue;
    if (typeof gcp.project !== 'string' || typeof gcp.network !== 'string') continue;
    const vpc = `${gcp.project}/${gcp.network}`;
    const first = owners.get(vpc);
    if (first === undefined) {
      owners.set(vpc, source);
      continue;
    }
    const { file, line } = locate(first, ['gcp', 'restrictedGoogleApis'], 'value');
    problems.push(
      problemAt(
        source,
        ['gcp', 'restrictedGoogleApis'],
        'value',
        `the cluster at ${file}:${line} already creates the restricted-API DNS zones and route of VPC ${vpc}, and a network takes one private zone per DNS name: set restrictedGoogleApis on one cluster per VPC`,
      ),
    );
  }
  return problems;
}

/**
 * A restricted cluster's hub and platform files may not undo RESTRICTED_EGRESS_PINS (render checks
 * the merged values again, values.ts). Only platform files can reach these paths at all: a hub
 * file's network values are privileged (trust-rules.ts) and refused before this runs.
 */
export function restrictedEgressRules(
  fleet: Fleet,
  sources: ReadonlyMap<string, YamlSource>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const cluster of fleet.clusters) {
    if (!restrictsGoogleApis(cluster.config)) continue;
    for (const hub of cluster.hubs) {
      for (const [file, values] of [
        [hub.file, hub.config.values],
        [hub.platform?.file, hub.platform?.values],
      ] as const) {
        const source = file === undefined ? undefined : sources.get(file);
        if (source === undefined || values === undefined) continue;
        const root = Z2JH_VALUES_ROOT[hub.config.chart.name];
        for (const pin of RESTRICTED_EGRESS_PINS) {
          const full = [...root, ...pin.path];
          const found = pinOverride(values, full, pin.value);
          if (found === undefined) continue;
          // A null or a scalar on the way would wipe the pinned value with everything beside it.
          const message =
            found.length === full.length
              ? `must stay ${JSON.stringify(pin.value)} (or be left unset): ${pin.why}`
              : `must be a mapping: hubfleet sets values.${full.join('.')} to ${JSON.stringify(pin.value)} inside it (${pin.why})`;
          problems.push(problemAt(source, ['values', ...found], 'value', message));
        }
      }
    }
  }
  return problems;
}

/** Where `values` sets `path` to something other than `value`, or wipes a mapping on the way. */
export function pinOverride(values: unknown, path: readonly string[], value: unknown): string[] | undefined {
  let node: unknown = values;
  for (let depth = 0; depth < path.length; depth++) {
    if (!isRecord(node)) return undefined;
    const key = path[depth] as string;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
    const last = depth === path.length - 1;
    if (last ? node !== value : !isRecord(node)) return path.slice(0, depth + 1);
  }
  return undefined;
}
