// `hubfleet init --from-bootstrap outputs.json`: the first cluster.yaml from what terraform/bootstrap
// created. The file is `terraform output -json` of terraform/bootstrap/<provider>: an object
// `{"<name>": {"value": …, "type": …, "sensitive": …}}` (Terraform docs, "Command: output", -json).
// Output names are the snake_case of the cluster.yaml field they fill (terraform/bootstrap/*/outputs.tf);
// a null value is something the bootstrap was told not to create, which the user then supplies.
import { HubfleetError } from '../errors.js';

export type Provider = 'gcp' | 'aws';

/** cluster.yaml fields, as init writes them (before validation: the loader checks every value). */
export interface ClusterFields {
  gcp?: Record<string, unknown>;
  aws?: Record<string, unknown>;
  dnsDomain?: string;
  backendBucket?: string;
}

/** output name → gcp.<field> (strings, or null when not created). */
const GCP_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['project', 'project'],
  ['project_number', 'projectNumber'],
  ['region', 'region'],
  ['network', 'network'],
  ['subnetwork', 'subnetwork'],
  ['dns_zone', 'dnsZone'],
  ['workload_identity_provider', 'workloadIdentityProvider'],
  ['deployer_service_account', 'deployerServiceAccount'],
  ['iap_prober_service_account', 'iapProberServiceAccount'],
];

/** Only a cluster hubfleet creates takes these (src/config/gke-cluster-rules.ts CREATED_ONLY). */
const GCP_CREATED_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['master_ipv4_cidr_block', 'masterIpv4CidrBlock'],
  ['pods_range_name', 'podsRangeName'],
  ['services_range_name', 'servicesRangeName'],
];

const AWS_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['account', 'account'],
  ['region', 'region'],
  ['role_arn', 'roleArn'],
  ['hosted_zone_id', 'hostedZoneId'],
];

type Outputs = Record<string, unknown>;

/** The `value` of every output, from the parsed `terraform output -json`. */
export function outputValues(parsed: unknown, file: string): Outputs {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HubfleetError(
      `${file} is not the output of \`terraform output -json\` (an object of outputs)`,
      {
        hint: 'run `terraform -chdir=terraform/bootstrap/<provider> output -json > outputs.json` and pass that file',
      },
    );
  }
  const values: Outputs = {};
  for (const [name, output] of Object.entries(parsed)) {
    if (typeof output !== 'object' || output === null || !('value' in output)) {
      throw new HubfleetError(`${file}: output ${name} has no "value"`, {
        hint: 'pass the JSON `terraform output -json` prints, unchanged',
      });
    }
    values[name] = (output as { value: unknown }).value;
  }
  return values;
}

function copy(values: Outputs, table: ReadonlyArray<readonly [string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [output, field] of table) {
    const value = values[output];
    if (value !== undefined && value !== null) out[field] = value;
  }
  return out;
}

/**
 * The cluster.yaml fields the bootstrap outputs fill. A GKE cluster is `createCluster: true` when the
 * bootstrap reserved its control-plane range (master_ipv4_cidr_block): the bootstrap made the VPC
 * for a cluster hubfleet then creates; otherwise the cluster is adopted and only names are taken.
 */
export function clusterFieldsFromBootstrap(provider: Provider, values: Outputs): ClusterFields {
  const fields: ClusterFields = {};
  if (typeof values.dns_domain === 'string') fields.dnsDomain = values.dns_domain;
  if (typeof values.terraform_backend_bucket === 'string')
    fields.backendBucket = values.terraform_backend_bucket;
  if (provider === 'aws') {
    fields.aws = copy(values, AWS_FIELDS);
    return fields;
  }
  const gcp = copy(values, GCP_FIELDS);
  const created = copy(values, GCP_CREATED_FIELDS);
  if (created.masterIpv4CidrBlock !== undefined) {
    Object.assign(gcp, { createCluster: true }, created);
    const networks = values.master_authorized_networks;
    if (Array.isArray(networks) && networks.length > 0) gcp.masterAuthorizedNetworks = networks;
  }
  fields.gcp = gcp;
  return fields;
}

/** What the bootstrap outputs say to set up outside cluster.yaml (printed as next: steps by init). */
export function settingsFromBootstrap(values: Outputs): string[] {
  const steps: string[] = [];
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const environments = strings(values.github_environments);
  if (environments.length > 0) {
    steps.push(
      `create the GitHub Environments ${environments.join(', ')}, each allowing only the main branch (README "Setting up a fleet repository")`,
    );
  }
  const claims = strings(values.github_oidc_subject_claim_keys);
  if (claims.length > 0) {
    steps.push(
      `set the repository's OIDC subject claim keys to ${JSON.stringify(claims)} (PUT /repos/OWNER/REPO/actions/oidc/customization/sub)`,
    );
  }
  const servers = strings(values.dns_name_servers);
  if (servers.length > 0 && typeof values.dns_domain === 'string') {
    steps.push(`delegate ${values.dns_domain} at your registrar to ${servers.join(', ')}`);
  }
  return steps;
}
