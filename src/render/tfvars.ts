// The Terraform variables of one cluster's root module (terraform/gcp or terraform/aws), written as
// <cluster>/terraform.tfvars.json. The types below are the contract the modules declare their
// `variable` blocks from; keys are snake_case as Terraform expects. No secret values: the OAuth
// clients live in Kubernetes Secrets that deploy-hub creates, and Terraform never needs them.
import { HubfleetError } from '../errors.js';
import {
  DEFAULT_PRIVATE_ENDPOINT,
  DEFAULT_RELEASE_CHANNEL,
  NODE_POOL_DEFAULTS,
} from '../config/cluster-defaults.js';
import type { LoadedCluster, LoadedHub, Stage } from '../config/model.js';
import {
  USER_KSA_NAME,
  awsIrsaRoleName,
  gcpServiceAccountId,
  gcpStaticIpName,
  hubBucketNames,
  irsaSubject,
  namespaceName,
  requireAws,
  requireGcp,
  workloadIdentityMember,
} from './names.js';
import { compareKeys as compare, toCompactJson } from './serialize.js';

/** `map(object({ bucket_name = string, delete_after_days = optional(number) }))` */
export type BucketTfvars = {
  /** Real, globally unique bucket name (names.ts `bucketName`). */
  bucket_name: string;
  /** Lifecycle rule: delete objects older than this; null = keep. */
  delete_after_days: number | null;
};

type HubTfvarsCommon = {
  namespace: string;
  /** Kubernetes ServiceAccount of the user pods (`user-sa`). */
  ksa_name: string;
  domain: string;
  stage: Stage;
  buckets: Record<string, BucketTfvars>;
  /** Real bucket names (from `buckets`) the hub's identity may read and write. */
  bucket_admin_access: string[];
  /** Real bucket names the hub's identity may only read. */
  bucket_readonly_access: string[];
};

export type GcpHubTfvars = HubTfvarsCommon & {
  /** google_compute_global_address name; the Ingress annotation names the same address. */
  static_ip_name: string;
  /** google_service_account account_id (6–30 chars). */
  gcp_service_account_id: string;
  /** Member for roles/iam.workloadIdentityUser on that service account. */
  workload_identity_member: string;
  /** Members for roles/iap.httpsResourceAccessor. */
  iap_members: string[];
  /** Grant the requester-pays custom role (serviceusage.services.use). */
  requester_pays: boolean;
};

export type AwsHubTfvars = HubTfvarsCommon & {
  /** aws_iam_role name (≤ 64 chars), trusted by the cluster's OIDC provider for `irsa_subject`. */
  irsa_role_name: string;
  /** `sub` claim the role trusts, with aud sts.amazonaws.com. */
  irsa_subject: string;
  /** Extra IAM policy document as a JSON string (sorted keys), or null. */
  extra_iam_policy: string | null;
};

export type GcpTfvars = {
  /** hubfleet's name for the cluster (the config directory), used in resource names. */
  hubfleet_cluster: string;
  project: string;
  project_number: string;
  region: string;
  /** Zonal cluster location; null for a regional cluster. */
  zone: string | null;
  cluster_name: string;
  network: string;
  private_endpoint: boolean;
  /** Cloud DNS managed zone that gets one A record per hub. */
  dns_zone: string;
  /** cluster.yaml dnsDomain, when given: Terraform checks it is the zone's DNS name. */
  dns_domain?: string;
  /** true: the state creates and owns the private GKE cluster; false: it adopts `cluster_name`, read only. */
  create_cluster: boolean;
  /** Control-plane access for a created cluster, besides the cluster's own subnet and pod range. */
  master_authorized_networks: { cidr_block: string; display_name: string }[];
  /** The control plane's /28 of a created cluster; null when adopting. */
  master_ipv4_cidr_block: string | null;
  /** The nodes' subnetwork (checked for Private Google Access); required when creating. */
  subnetwork: string | null;
  /** Named secondary ranges for pods and services; null: GKE creates them. */
  cluster_secondary_range_name: string | null;
  services_secondary_range_name: string | null;
  release_channel: string;
  /** The core node pool of a created cluster, defaults filled in (config/cluster-defaults.ts). */
  node_pool: { machine_type: string; min_node_count: number; max_node_count: number; disk_size_gb: number };
  /** gcp.restrictedGoogleApis: private zones and a route for restricted.googleapis.com (restricted-apis.tf). */
  restricted_google_apis: boolean;
  /** gcp.vpcServiceControls; manage_membership: the state adds the project to the perimeter. */
  vpc_service_controls: { perimeter: string; manage_membership: boolean } | null;
  /** The identity smoke-iap mints its ID token as: IAP access to every hub of the cluster. */
  smoke_identity: string;
  hubs: Record<string, GcpHubTfvars>;
};

export type AwsTfvars = {
  hubfleet_cluster: string;
  account: string;
  region: string;
  cluster_name: string;
  /** aws.roleArn: the module checks that the cluster has an EKS access entry for it. */
  deployer_role_arn: string;
  hosted_zone_id: string;
  /** cluster.yaml dnsDomain, when given: Terraform checks it is the zone's name. */
  dns_domain?: string;
  hubs: Record<string, AwsHubTfvars>;
};

export type ClusterTfvars = GcpTfvars | AwsTfvars;

/** Only when the config says it, so fleets without it render the same variables as before. */
function dnsDomain(cluster: LoadedCluster): { dns_domain?: string } {
  const domain = cluster.config.dnsDomain;
  return domain === undefined ? {} : { dns_domain: domain };
}

export function renderTfvars(cluster: LoadedCluster): ClusterTfvars {
  const hubs = [...cluster.hubs].sort((a, b) => compare(a.config.name, b.config.name));
  if (cluster.config.provider === 'gcp') {
    const gcp = requireGcp(cluster);
    return {
      hubfleet_cluster: cluster.config.name,
      project: gcp.project,
      project_number: gcp.projectNumber,
      region: gcp.region,
      zone: gcp.zone ?? null,
      cluster_name: gcp.clusterName,
      network: gcp.network,
      private_endpoint: gcp.privateEndpoint ?? DEFAULT_PRIVATE_ENDPOINT,
      dns_zone: gcp.dnsZone,
      ...dnsDomain(cluster),
      // Adopting is the default: a state that never owned the cluster can never destroy it.
      create_cluster: gcp.createCluster ?? false,
      master_authorized_networks: (gcp.masterAuthorizedNetworks ?? []).map((n) => ({
        cidr_block: n.cidrBlock,
        display_name: n.displayName,
      })),
      master_ipv4_cidr_block: gcp.masterIpv4CidrBlock ?? null,
      subnetwork: gcp.subnetwork ?? null,
      cluster_secondary_range_name: gcp.podsRangeName ?? null,
      services_secondary_range_name: gcp.servicesRangeName ?? null,
      release_channel: gcp.releaseChannel ?? DEFAULT_RELEASE_CHANNEL,
      node_pool: {
        machine_type: gcp.nodePool?.machineType ?? NODE_POOL_DEFAULTS.machineType,
        min_node_count: gcp.nodePool?.minNodeCount ?? NODE_POOL_DEFAULTS.minNodeCount,
        max_node_count: gcp.nodePool?.maxNodeCount ?? NODE_POOL_DEFAULTS.maxNodeCount,
        disk_size_gb: gcp.nodePool?.diskSizeGb ?? NODE_POOL_DEFAULTS.diskSizeGb,
      },
      restricted_google_apis: gcp.restrictedGoogleApis ?? false,
      vpc_service_controls:
        gcp.vpcServiceControls === undefined
          ? null
          : {
              perimeter: gcp.vpcServiceControls.perimeter,
              // The organisation admin's by default; hubfleet doctor checks it then.
              manage_membership: gcp.vpcServiceControls.manageMembership ?? false,
            },
      // smoke-iap's ID token is minted for the deployer service account (workflows/steps.ts
      // iapIdToken), so that identity needs the same per-hub IAP grant as the hub's members.
      // The identity the smoke and health checks mint their IAP token as must get through IAP.
      smoke_identity: `serviceAccount:${gcp.iapProberServiceAccount ?? gcp.deployerServiceAccount}`,
      hubs: Object.fromEntries(hubs.map((h) => [h.config.name, gcpHub(cluster, h, gcp.project)])),
    };
  }
  const aws = requireAws(cluster);
  return {
    hubfleet_cluster: cluster.config.name,
    account: aws.account,
    region: aws.region,
    cluster_name: aws.clusterName,
    deployer_role_arn: aws.roleArn,
    hosted_zone_id: aws.hostedZoneId,
    ...dnsDomain(cluster),
    hubs: Object.fromEntries(hubs.map((h) => [h.config.name, awsHub(cluster, h)])),
  };
}

function gcpHub(cluster: LoadedCluster, hub: LoadedHub, project: string): GcpHubTfvars {
  const h = hub.config;
  const namespace = namespaceName(h.name);
  return {
    ...commonHub(cluster, hub),
    static_ip_name: gcpStaticIpName(cluster.config.name, h.name),
    gcp_service_account_id: gcpServiceAccountId(cluster.config.name, h.name),
    workload_identity_member: workloadIdentityMember(project, namespace),
    iap_members: [...(h.iap?.members ?? [])].sort(compare),
    requester_pays: h.cloudPermissions?.requestorPays ?? false,
  };
}

function awsHub(cluster: LoadedCluster, hub: LoadedHub): AwsHubTfvars {
  const h = hub.config;
  const policy = h.cloudPermissions?.extraIamPolicy;
  return {
    ...commonHub(cluster, hub),
    irsa_role_name: awsIrsaRoleName(cluster.config.name, h.name),
    irsa_subject: irsaSubject(namespaceName(h.name)),
    // Terraform takes a policy document as a JSON string (aws_iam_role_policy.policy); sorted keys
    // keep the plan free of whitespace-only diffs.
    extra_iam_policy: policy === undefined || policy === null ? null : toCompactJson(policy),
  };
}

function commonHub(cluster: LoadedCluster, hub: LoadedHub): HubTfvarsCommon {
  const h = hub.config;
  const real = hubBucketNames(cluster, hub);
  const buckets: Record<string, BucketTfvars> = {};
  for (const [key, name] of Object.entries(real)) {
    buckets[key] = { bucket_name: name, delete_after_days: h.buckets?.[key]?.deleteAfterDays ?? null };
  }
  const resolve = (field: string, list: readonly string[] | undefined): string[] =>
    [...(list ?? [])]
      .map((key) => {
        const name = real[key];
        // Only the hub's own buckets can be named: a typo must not grant access to whichever
        // stranger's bucket happens to carry that global name.
        if (name === undefined) {
          const known = Object.keys(real);
          throw new HubfleetError(
            `${hub.file}: cloudPermissions.${field} names bucket "${key}", which is not in this hub's buckets`,
            {
              hint:
                known.length > 0
                  ? `use one of: ${known.join(', ')}; or add "${key}" under buckets:`
                  : `add "${key}" under buckets:`,
            },
          );
        }
        return name;
      })
      .sort(compare);
  return {
    namespace: namespaceName(h.name),
    ksa_name: USER_KSA_NAME,
    domain: h.domain,
    stage: h.stage,
    buckets,
    bucket_admin_access: resolve('bucketAdminAccess', h.cloudPermissions?.bucketAdminAccess),
    bucket_readonly_access: resolve('bucketReadonlyAccess', h.cloudPermissions?.bucketReadonlyAccess),
  };
}
