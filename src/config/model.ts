// The fleet config model: one TypeBox definition gives both the TypeScript types and the JSON
// Schemas in config/schema/ (written by `npm run schema`, checked by a test), so the two cannot
// drift apart.
import { Type, type Static, type TString } from '@sinclair/typebox';
import {
  BUCKET_NAME_PATTERN,
  CIDR28_PATTERN,
  CIDR_PATTERN,
  DNS_LABEL_PATTERN,
  DOMAIN_PATTERN,
  PERIMETER_NAME_PATTERN,
  EMAIL_PATTERN,
  GITHUB_LOGIN_PATTERN,
  IMAGE_MIRROR_PATTERN,
  SECRET_NAME_PATTERN,
} from './patterns.js';
import { DEFAULT_RELEASE_CHANNEL, NODE_POOL_DEFAULTS } from './cluster-defaults.js';
import { PlannerSchema } from './planner-model.js';
import type { FleetSettings } from './fleet-settings-rules.js';

export {
  BUCKET_NAME_PATTERN,
  CIDR_PATTERN,
  DNS_LABEL_PATTERN,
  DOMAIN_PATTERN,
  SECRET_NAME_PATTERN,
} from './patterns.js';

const strict = { additionalProperties: false } as const;

const DnsLabel = (description: string): TString =>
  Type.String({ pattern: DNS_LABEL_PATTERN, maxLength: 63, description });

const SecretName = Type.String({
  pattern: SECRET_NAME_PATTERN,
  description: 'name of a GitHub Actions secret (UPPER_SNAKE_CASE); never the value',
});

export const GcpClusterSchema = Type.Object(
  {
    project: Type.String({ pattern: '^[a-z][-a-z0-9]{4,28}[a-z0-9]$', description: 'GCP project ID' }),
    projectNumber: Type.String({ pattern: '^[0-9]{6,20}$', description: 'GCP project number, quoted' }),
    region: Type.String({ pattern: '^[a-z]+-[a-z]+[0-9]+$', description: 'e.g. us-central1' }),
    zone: Type.Optional(
      Type.String({ pattern: '^[a-z]+-[a-z]+[0-9]+-[a-z]$', description: 'zonal cluster location' }),
    ),
    clusterName: Type.String({ pattern: DNS_LABEL_PATTERN, maxLength: 40, description: 'GKE cluster name' }),
    network: Type.String({ minLength: 1, description: 'VPC network name' }),
    privateEndpoint: Type.Optional(
      Type.Boolean({
        description:
          'control plane reachable only on its private endpoint, inside the VPC (a created cluster gets it; an adopted one is checked against it); default true',
      }),
    ),
    dnsZone: Type.String({ pattern: DNS_LABEL_PATTERN, description: 'Cloud DNS managed zone name' }),
    workloadIdentityProvider: Type.String({
      pattern: '^projects/[0-9]+/locations/global/workloadIdentityPools/[^/]+/providers/[^/]+$',
      description: 'GitHub OIDC provider resource name',
    }),
    deployerServiceAccount: Type.String({
      pattern: '^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com$',
      description: 'service account the runner impersonates',
    }),
    iapProberServiceAccount: Type.Optional(
      Type.String({
        pattern: '^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\\.iam\\.gserviceaccount\\.com$',
        description:
          "service account whose ID token smoke-iap and hub-health send through IAP (the fleet's HUBFLEET_IAP_PROBER secret names the same one); Terraform grants it IAP access to every hub, per host (default: deployerServiceAccount)",
      }),
    ),
    createCluster: Type.Optional(
      Type.Boolean({
        description:
          "true: the cluster's Terraform state creates and owns a private GKE cluster named clusterName; false (default): adopt the existing cluster by name, read only",
      }),
    ),
    masterAuthorizedNetworks: Type.Optional(
      Type.Array(
        Type.Object(
          {
            cidrBlock: Type.String({
              pattern: CIDR_PATTERN,
              description: 'IPv4 CIDR block, e.g. 10.20.0.0/16',
            }),
            displayName: Type.String({ minLength: 1, maxLength: 100, description: 'what the block is' }),
          },
          strict,
        ),
        {
          uniqueItems: true,
          maxItems: 50,
          description:
            "networks besides the runners' own (the cluster's subnet and pod range, always authorized) that may reach the control plane of a created cluster (createCluster: true); default none, so only the runners reach it",
        },
      ),
    ),
    restrictedGoogleApis: Type.Optional(
      Type.Boolean({
        description:
          "true: Google APIs only through restricted.googleapis.com (199.36.153.4/30, the VPC Service Controls VIP): private Cloud DNS zones for googleapis.com, gcr.io and pkg.dev bound to the network, a route to the VIP, and user pods' egress to Google allowed only there (no other internet egress); one cluster per VPC; default false",
      }),
    ),
    vpcServiceControls: Type.Optional(
      Type.Object(
        {
          perimeter: Type.String({
            pattern: PERIMETER_NAME_PATTERN,
            description:
              'the existing service perimeter the project belongs to: accessPolicies/<policy number>/servicePerimeters/<name>',
          }),
          manageMembership: Type.Optional(
            Type.Boolean({
              description:
                "true: the cluster's Terraform state adds the project to the perimeter (the deployer needs roles/accesscontextmanager.policyEditor on the policy); false (default): the organisation admin does, and `hubfleet doctor` checks it",
            }),
          ),
        },
        { ...strict, description: 'VPC Service Controls: needs restrictedGoogleApis: true' },
      ),
    ),
    // Settings of a created cluster (createCluster: true), rendered into the Terraform variables.
    masterIpv4CidrBlock: Type.Optional(
      Type.String({
        pattern: CIDR28_PATTERN,
        description:
          "the control plane's /28 in the VPC; required with createCluster: true, and no two clusters in one VPC may overlap",
      }),
    ),
    subnetwork: Type.Optional(
      Type.String({
        pattern: DNS_LABEL_PATTERN,
        description:
          "subnetwork of the cluster's nodes (name, in region); required with createCluster: true; Terraform checks it has Private Google Access",
      }),
    ),
    podsRangeName: Type.Optional(
      Type.String({ pattern: DNS_LABEL_PATTERN, description: "the subnetwork's secondary range for pods" }),
    ),
    servicesRangeName: Type.Optional(
      Type.String({
        pattern: DNS_LABEL_PATTERN,
        description: "the subnetwork's secondary range for services",
      }),
    ),
    releaseChannel: Type.Optional(
      Type.Union(
        [Type.Literal('RAPID'), Type.Literal('REGULAR'), Type.Literal('STABLE'), Type.Literal('EXTENDED')],
        {
          description: `GKE release channel of a created cluster; default ${DEFAULT_RELEASE_CHANNEL}`,
        },
      ),
    ),
    nodePool: Type.Optional(
      Type.Object(
        {
          machineType: Type.Optional(
            Type.String({
              pattern: DNS_LABEL_PATTERN,
              description: `machine type; default ${NODE_POOL_DEFAULTS.machineType}`,
            }),
          ),
          minNodeCount: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 1000,
              description: `autoscaling minimum per zone; default ${NODE_POOL_DEFAULTS.minNodeCount}`,
            }),
          ),
          maxNodeCount: Type.Optional(
            Type.Integer({
              minimum: 1,
              maximum: 1000,
              description: `autoscaling maximum per zone; default ${NODE_POOL_DEFAULTS.maxNodeCount}`,
            }),
          ),
          diskSizeGb: Type.Optional(
            Type.Integer({
              minimum: 10,
              maximum: 65536,
              description: `boot disk size; default ${NODE_POOL_DEFAULTS.diskSizeGb}`,
            }),
          ),
        },
        { ...strict, description: 'the core node pool of a created cluster' },
      ),
    ),
  },
  strict,
);

export const AwsClusterSchema = Type.Object(
  {
    account: Type.String({ pattern: '^[0-9]{12}$', description: 'AWS account ID, quoted' }),
    region: Type.String({ pattern: '^[a-z]{2}(-gov)?-[a-z]+-[0-9]$', description: 'e.g. us-west-2' }),
    clusterName: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$',
      description: 'EKS cluster name',
    }),
    roleArn: Type.String({
      pattern: '^arn:aws:iam::[0-9]{12}:role/[\\w+=,.@/-]+$',
      description: 'role the runner assumes through GitHub OIDC',
    }),
    hostedZoneId: Type.String({ pattern: '^Z[A-Z0-9]{1,31}$', description: 'Route 53 hosted zone ID' }),
  },
  strict,
);

export const ClusterSchema = Type.Object(
  {
    name: DnsLabel('cluster name; equals its directory under config/clusters'),
    provider: Type.Union([Type.Literal('gcp'), Type.Literal('aws')]),
    gcp: Type.Optional(GcpClusterSchema),
    aws: Type.Optional(AwsClusterSchema),
    dnsDomain: Type.Optional(
      Type.String({
        pattern: DOMAIN_PATTERN,
        description:
          "DNS name of the cluster's zone (gcp.dnsZone's DNS name, or aws.hostedZoneId's zone name), e.g. hubs.example.org: validate refuses a hub domain outside it, and Terraform checks it against the zone",
      }),
    ),
    network: Type.Optional(
      Type.Object(
        {
          extraEgressCidrs: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  cidrBlock: Type.String({
                    pattern: CIDR_PATTERN,
                    description: 'IPv4 CIDR block, e.g. 10.30.0.5/32',
                  }),
                  ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), {
                    minItems: 1,
                    uniqueItems: true,
                    maxItems: 20,
                    description: 'TCP ports user pods may reach there, e.g. [443]',
                  }),
                  displayName: Type.String({
                    minLength: 1,
                    maxLength: 100,
                    description: 'what the block is',
                  }),
                },
                strict,
              ),
              {
                maxItems: 50,
                description:
                  "destinations user pods may reach besides what z2jh's network policy allows (Private Service Connect or VPC interface endpoints sit in the private ranges it blocks); the cloud metadata server stays blocked; default none",
              },
            ),
          ),
        },
        { ...strict, description: "the network around the hubs' user pods, on either provider" },
      ),
    ),
    runner: Type.Object(
      {
        labels: Type.Array(Type.String({ minLength: 1 }), {
          minItems: 1,
          uniqueItems: true,
          description: 'runs-on labels of the in-VPC self-hosted runners for this cluster',
        }),
      },
      strict,
    ),
    images: Type.Optional(
      Type.Object(
        {
          mirror: Type.String({
            pattern: IMAGE_MIRROR_PATTERN,
            maxLength: 200,
            description:
              'registry and repository prefix every chart image is pulled from instead of its source, same path and tag below it (e.g. us-docker.pkg.dev/proj/mirror); `hubfleet images` lists what to copy there',
          }),
        },
        { ...strict, description: 'where the hubs of this cluster pull their images from' },
      ),
    ),
    planner: Type.Optional(PlannerSchema),
    terraform: Type.Object(
      {
        backend: Type.Object(
          {
            bucket: Type.String({ minLength: 3, description: 'GCS or S3 bucket holding the state' }),
            prefix: Type.String({ minLength: 1, description: 'state path inside the bucket' }),
          },
          strict,
        ),
      },
      strict,
    ),
  },
  { ...strict, $id: 'https://hubfleet.dev/schema/cluster.schema.json', title: 'hubfleet cluster' },
);

const IapMember = Type.String({
  pattern: '^(user|group|serviceAccount|domain):[^\\s]+$',
  description: 'IAM member granted roles/iap.httpsResourceAccessor',
});

export const IapSchema = Type.Object(
  {
    members: Type.Array(IapMember, { minItems: 1, uniqueItems: true }),
    oauthClient: Type.Union(
      [
        Type.Literal('google-managed', { description: 'Google-managed OAuth client (no secret)' }),
        Type.Object({ secret: SecretName }, strict),
      ],
      { description: "'google-managed', or {secret: NAME} holding {client_id, client_secret} as JSON" },
    ),
    admins: Type.Optional(
      Type.Array(Type.String({ pattern: EMAIL_PATTERN, maxLength: 254 }), {
        uniqueItems: true,
        description:
          "emails of the hub's JupyterHub admins (their username is the lowercased email); the list is authoritative: someone removed from it is no admin from their next login",
      }),
    ),
    allowedDomains: Type.Optional(
      Type.Array(Type.String({ pattern: DOMAIN_PATTERN, maxLength: 253 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'email domains the hub lets in (exact match, no subdomains); anyone else IAP lets through gets a 403 from the hub. Default: every identity IAP admits',
      }),
    ),
  },
  strict,
);

export const GitHubAuthSchema = Type.Object(
  {
    github: Type.Object(
      {
        allowedOrganizations: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true }),
        secret: SecretName,
        admins: Type.Optional(
          Type.Array(Type.String({ pattern: GITHUB_LOGIN_PATTERN }), {
            uniqueItems: true,
            description:
              "GitHub logins of the hub's JupyterHub admins (GitHubOAuthenticator.admin_users; OAuthenticator lets admins in even outside allowedOrganizations)",
          }),
        ),
      },
      strict,
    ),
  },
  { ...strict, description: 'EKS hubs: GitHub OAuth (IAP is GCP-only)' },
);

const BucketName = BUCKET_NAME_PATTERN;

export const IamPolicySchema = Type.Object(
  {
    Version: Type.Literal('2012-10-17'),
    Statement: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1 }),
  },
  { additionalProperties: false, description: 'AWS IAM policy document attached to the hub role' },
);

export const CloudPermissionsSchema = Type.Object(
  {
    requestorPays: Type.Optional(Type.Boolean({ description: 'GCP only: may read requester-pays buckets' })),
    bucketAdminAccess: Type.Optional(Type.Array(Type.String({ pattern: BucketName }), { uniqueItems: true })),
    bucketReadonlyAccess: Type.Optional(
      Type.Array(Type.String({ pattern: BucketName }), { uniqueItems: true }),
    ),
    extraIamPolicy: Type.Optional(Type.Union([Type.Null(), IamPolicySchema])),
  },
  strict,
);

export const BucketSchema = Type.Object(
  {
    deleteAfterDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'lifecycle: delete objects after N days' }),
    ),
  },
  strict,
);

export const HubSchema = Type.Object(
  {
    name: DnsLabel('hub name = namespace = helm release; equals the file name'),
    stage: Type.Union([Type.Literal('staging'), Type.Literal('prod')]),
    domain: Type.String({ pattern: DOMAIN_PATTERN, maxLength: 253, description: 'public hostname' }),
    chart: Type.Object(
      {
        name: Type.Union([Type.Literal('basehub'), Type.Literal('daskhub')]),
        version: Type.String({ pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$' }),
      },
      strict,
    ),
    iap: Type.Optional(IapSchema),
    auth: Type.Optional(GitHubAuthSchema),
    cloudPermissions: Type.Optional(CloudPermissionsSchema),
    buckets: Type.Optional(Type.Record(Type.String({ pattern: BucketName }), BucketSchema)),
    podSecurity: Type.Optional(
      Type.Union([Type.Literal('privileged'), Type.Literal('baseline'), Type.Literal('restricted')], {
        description: "Pod Security Admission level; z2jh's metadata-blocking init container needs privileged",
      }),
    ),
    values: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'chart value overrides, merged last' }),
    ),
  },
  { ...strict, $id: 'https://hubfleet.dev/schema/hub.schema.json', title: 'hubfleet hub' },
);

export type GcpCluster = Static<typeof GcpClusterSchema>;
export type AwsCluster = Static<typeof AwsClusterSchema>;
export type ClusterConfig = Static<typeof ClusterSchema>;
export type HubConfig = Static<typeof HubSchema>;
export type IapConfig = Static<typeof IapSchema>;
export type CloudPermissions = Static<typeof CloudPermissionsSchema>;
export type Provider = ClusterConfig['provider'];
export type Stage = HubConfig['stage'];
export type ChartName = HubConfig['chart']['name'];
export type PodSecurityLevel = NonNullable<HubConfig['podSecurity']>;

/** Where a value came from, for `file:line:col` messages. Lines and columns are 1-based. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export interface LoadedHub {
  /** Relative to the repository root, e.g. config/clusters/pangeo-gcp/hubs/ocean.yaml */
  file: string;
  cluster: string;
  config: HubConfig;
  /**
   * The platform team's values for this hub (config/clusters/<c>/platform/<hub>.yaml, decision
   * 0018): privileged chart values, rendered over the hub's values and under hubfleet's own.
   */
  platform?: PlatformValues;
}

export interface PlatformValues {
  file: string;
  values: Record<string, unknown>;
}

export interface LoadedCluster {
  file: string;
  config: ClusterConfig;
  hubs: LoadedHub[];
}

/** A validated fleet; clusters and hubs sorted by name so every output is deterministic. */
export interface Fleet {
  clusters: LoadedCluster[];
  /** config/fleet.yaml, when the fleet has one (src/config/fleet-settings.ts). */
  settings?: FleetSettings;
}

export interface ConfigProblem extends SourcePosition {
  severity: 'error' | 'warning';
  /** Dotted path of the offending field (e.g. `chart.version`, `values.proxy.service.type`); '' for the document. */
  field: string;
  message: string;
}

export type LoadResult =
  { ok: true; fleet: Fleet; warnings: ConfigProblem[] } | { ok: false; problems: ConfigProblem[] };
