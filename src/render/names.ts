// Every name hubfleet derives from a cluster and a hub, in one place, so the Terraform variables,
// the helm values, the manifests and the actions can never disagree about what a thing is called.
import { sha256Hex } from '../digest.js';
import { memoized } from '../memo.js';
import { HubfleetError } from '../errors.js';
import type { AwsCluster, GcpCluster, LoadedCluster, LoadedHub, Provider } from '../config/model.js';
import { USER_SERVICE_ACCOUNT, backendConfigName } from '../config/owned-values.js';

/** The Kubernetes ServiceAccount user pods run as; deploy-hub creates it with the cloud identity annotation. */
export const USER_KSA_NAME = USER_SERVICE_ACCOUNT;
/** `<hub>-iap`: the validator checks the Service annotation against the same function. */
export { backendConfigName };
/** z2jh's public proxy Service and its HTTP port name (TLS ends at the load balancer). */
export const PROXY_SERVICE_NAME = 'proxy-public';
export const PROXY_HTTP_PORT_NAME = 'http';
/** The configurable-http-proxy container port behind `proxy-public:http`; health checks hit the pod. */
export const PROXY_CONTAINER_PORT = 8000;
/** Answers 200 without a login; `/` answers 302, which load balancer health checks treat as down. */
export const HUB_HEALTH_PATH = '/hub/health';
/**
 * configurable-http-proxy answers this itself (lib/configproxy.js handleHealthCheck), without the
 * hub: the GKE load balancer's health check, so a hub restart leaves running user servers served.
 */
export const CHP_HEALTH_PATH = '/_chp_healthz';
export const MANAGED_BY_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': 'hubfleet',
};
export const HUB_LABEL = 'hubfleet.dev/hub';
/** Keys of every OAuth client Secret hubfleet expects (IAP and GitHub alike). */
export const OAUTH_SECRET_KEYS = ['client_id', 'client_secret'] as const;

export const GCP_STATIC_IP_MAX = 63;
export const GCP_SERVICE_ACCOUNT_ID_MIN = 6;
export const GCP_SERVICE_ACCOUNT_ID_MAX = 30;
export const AWS_IAM_ROLE_NAME_MAX = 64;
export const BUCKET_NAME_MAX = 63;
const HASH_LENGTH = 8;
const PREFIX = 'hubfleet';

/**
 * sha256 of a seed, once per seed: a render names every hub's buckets and certificates several times
 * over (values, manifests, tfvars, the checks before), and each hash costs more than the lookup.
 */
const seedHash = memoized(sha256Hex);

/** First `length` hex digits of sha256(seed): stable across runs and machines. */
export function stableHash(seed: string, length = HASH_LENGTH): string {
  return seedHash(seed).slice(0, length);
}

/**
 * `base` if it fits in `max`, else a prefix of it plus `-<hash of base>`, so two long names that
 * share a prefix still differ and the same input always gives the same name.
 */
export function shortenName(base: string, max: number): string {
  if (base.length <= max) return base;
  const head = base.slice(0, max - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${stableHash(base)}`;
}

export const namespaceName = (hub: string): string => hub;
export const helmReleaseName = (hub: string): string => hub;
/**
 * `<hub>-cert-<hash of the domains>`. The name changes with the domains on purpose: GKE's
 * controller deletes a certificate before re-issuing it when its domains change
 * (gke-managed-certs#77), which would take the hub offline for the ~60 min a new certificate
 * needs. Under a new name the new certificate is issued beside the old one (make before break);
 * verify-cert's `wait` drops the old one once the new one is Active.
 */
export function managedCertificateName(hub: string, domains: readonly string[]): string {
  const seed = [...new Set(domains.map((d) => d.toLowerCase()))].sort().join(',');
  return shortenName(`${hub}-cert-${stableHash(seed)}`, MANAGED_CERT_NAME_MAX);
}
/** Kept at 63 so the name also fits where GKE uses it as a label value or resource-name part. */
export const MANAGED_CERT_NAME_MAX = 63;
export const ingressName = (hub: string): string => hub;
export const frontendConfigName = (hub: string): string => `${hub}-frontend`;
/** Secret in the hub namespace with `client_id`/`client_secret`, created by deploy-hub, never rendered. */
export const iapOauthSecretName = (hub: string): string => `${hub}-iap-oauth`;
export const githubOauthSecretName = (hub: string): string => `${hub}-github-oauth`;

/** GCP global address: RFC 1035, ≤ 63 chars, unique per project (the fleet check makes it unique per fleet). */
export function gcpStaticIpName(cluster: string, hub: string): string {
  return shortenName(`${PREFIX}-${cluster}-${hub}`, GCP_STATIC_IP_MAX);
}

/** GCP service account ID: `^[a-z][-a-z0-9]{4,28}[a-z0-9]$` (6–30 chars). */
export function gcpServiceAccountId(cluster: string, hub: string): string {
  return shortenName(`${PREFIX}-${cluster}-${hub}`, GCP_SERVICE_ACCOUNT_ID_MAX);
}

export function gcpServiceAccountEmail(project: string, cluster: string, hub: string): string {
  return `${gcpServiceAccountId(cluster, hub)}@${project}.iam.gserviceaccount.com`;
}

/** The member that gets roles/iam.workloadIdentityUser on the hub's Google service account. */
export function workloadIdentityMember(project: string, namespace: string): string {
  return `serviceAccount:${project}.svc.id.goog[${namespace}/${USER_KSA_NAME}]`;
}

/** IAM role names: `[\w+=,.@-]`, ≤ 64 chars. */
export function awsIrsaRoleName(cluster: string, hub: string): string {
  return shortenName(`${PREFIX}-${cluster}-${hub}`, AWS_IAM_ROLE_NAME_MAX);
}

/** ARNs differ by partition: GovCloud and China regions are not `aws`. */
export function awsPartition(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

export function awsIrsaRoleArn(account: string, region: string, cluster: string, hub: string): string {
  return `arn:${awsPartition(region)}:iam::${account}:role/${awsIrsaRoleName(cluster, hub)}`;
}

/** The `sub` claim of the projected token of the user KSA, trusted by the IRSA role. */
export function irsaSubject(namespace: string): string {
  return `system:serviceaccount:${namespace}:${USER_KSA_NAME}`;
}

/**
 * Bucket names are global across all of GCS / S3, not only this fleet: `hubfleet-<cluster>-<hub>-
 * <bucket>` plus a hash that also covers the project or account, so two organisations with the same
 * cluster and hub names do not collide. The fixed prefix and hex suffix keep clear of the reserved
 * forms (GCS `goog…`, S3 `xn--…`, `sthree-…`, `…-s3alias`, `…--ol-s3`). ≤ 63 chars, lowercase.
 */
export function bucketName(scope: string, cluster: string, hub: string, bucket: string): string {
  const hash = stableHash(`${scope}/${cluster}/${hub}/${bucket}`);
  const head = `${PREFIX}-${cluster}-${hub}-${bucket}`
    .slice(0, BUCKET_NAME_MAX - HASH_LENGTH - 1)
    .replace(/-+$/, '');
  const name = `${head}-${hash}`;
  // GCS refuses names containing "google" (and close misspellings); S3 accepts them, but a fleet
  // should be portable, so refuse it for both.
  if (/g[o0][o0]g(le|1e)/.test(name)) {
    throw new HubfleetError(
      `bucket name ${name} for ${cluster}/${hub} bucket "${bucket}" contains "google"`,
      { hint: 'Cloud Storage refuses bucket names containing "google"; rename the cluster, hub or bucket' },
    );
  }
  return name;
}

/** Where the bucket is reachable from a user pod (gsutil / s3fs style URL). */
export function bucketUrl(provider: Provider, name: string): string {
  return `${provider === 'gcp' ? 'gs' : 's3'}://${name}`;
}

/**
 * The dask-gateway chart's traefik Service, as its `dask-gateway.fullname` / `traefikName` helpers
 * spell it (daskhub installs dask-gateway as a subchart of the hub's release).
 */
export function daskGatewayTraefikServiceName(release: string): string {
  const trunc = (s: string): string => s.slice(0, 63).replace(/-+$/, '');
  const fullname = release.includes('dask-gateway') ? trunc(release) : trunc(`${release}-dask-gateway`);
  return trunc(`traefik-${fullname}`);
}

/**
 * The labels that select the dask-gateway chart's traefik pods: its `dask-gateway.matchLabels`
 * (chart name, release) plus `app.kubernetes.io/component: traefik`.
 */
export function daskGatewayTraefikPodLabels(release: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'dask-gateway',
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/component': 'traefik',
  };
}

/**
 * The traefik container port behind the Service's port 80: its `web` entrypoint, which by default
 * (`traefik.service.ports.tcp.port: web`) also carries the `gateway://` scheduler traffic.
 */
export const DASK_GATEWAY_TRAEFIK_CONTAINER_PORT = 8000;

/** A Kubernetes Secret hubfleet expects in the hub namespace, and the GitHub secret it is made from. */
export interface ExpectedSecret {
  name: string;
  namespace: string;
  keys: readonly string[];
  /** GitHub Actions secret holding `{"client_id": …, "client_secret": …}` as JSON. */
  fromGithubSecret: string;
  purpose: 'iap-oauth-client' | 'github-oauth-client';
}

/** The Secrets deploy-hub must create before the chart and manifests can work. */
export function expectedSecrets(cluster: LoadedCluster, hub: LoadedHub): ExpectedSecret[] {
  const h = hub.config;
  const namespace = namespaceName(h.name);
  const out: ExpectedSecret[] = [];
  const client = h.iap?.oauthClient;
  if (cluster.config.provider === 'gcp' && client !== undefined && client !== 'google-managed') {
    out.push({
      name: iapOauthSecretName(h.name),
      namespace,
      keys: OAUTH_SECRET_KEYS,
      fromGithubSecret: client.secret,
      purpose: 'iap-oauth-client',
    });
  }
  if (cluster.config.provider === 'aws' && h.auth !== undefined) {
    out.push({
      name: githubOauthSecretName(h.name),
      namespace,
      keys: OAUTH_SECRET_KEYS,
      fromGithubSecret: h.auth.github.secret,
      purpose: 'github-oauth-client',
    });
  }
  return out;
}

/** The cluster's GCP block; the validator guarantees it for `provider: gcp`, this fails loudly if not. */
export function requireGcp(cluster: LoadedCluster): GcpCluster {
  const gcp = cluster.config.gcp;
  if (cluster.config.provider !== 'gcp' || gcp === undefined) {
    throw new HubfleetError(`cluster ${cluster.config.name} is not a GCP cluster with a gcp: block`, {
      hint: `set provider: gcp and the gcp: block in ${cluster.file}`,
    });
  }
  return gcp;
}

export function requireAws(cluster: LoadedCluster): AwsCluster {
  const aws = cluster.config.aws;
  if (cluster.config.provider !== 'aws' || aws === undefined) {
    throw new HubfleetError(`cluster ${cluster.config.name} is not an AWS cluster with an aws: block`, {
      hint: `set provider: aws and the aws: block in ${cluster.file}`,
    });
  }
  return aws;
}

/** The project (GCP) or account (AWS) that owns the cluster's cloud resources. */
export function cloudScope(cluster: LoadedCluster): string {
  return cluster.config.provider === 'gcp' ? requireGcp(cluster).project : requireAws(cluster).account;
}

/** The real bucket name of each of the hub's buckets, keyed by the name used in the config. */
export function hubBucketNames(cluster: LoadedCluster, hub: LoadedHub): Record<string, string> {
  const scope = cloudScope(cluster);
  const out: Record<string, string> = {};
  for (const key of Object.keys(hub.config.buckets ?? {}).sort()) {
    out[key] = bucketName(scope, cluster.config.name, hub.config.name, key);
  }
  return out;
}

/** A derived name whose uniqueness the cloud enforces within `scope` (a project, an account, or the world). */
export interface ScopedName {
  kind: 'gcp-static-ip' | 'gcp-service-account' | 'aws-iam-role' | 'bucket';
  scope: string;
  name: string;
  cluster: string;
  hub: string;
}

export function scopedNames(cluster: LoadedCluster, hub: LoadedHub): ScopedName[] {
  const c = cluster.config.name;
  const h = hub.config.name;
  const at = { cluster: c, hub: h };
  const out: ScopedName[] = [];
  if (cluster.config.provider === 'gcp') {
    const { project } = requireGcp(cluster);
    out.push({ kind: 'gcp-static-ip', scope: project, name: gcpStaticIpName(c, h), ...at });
    out.push({ kind: 'gcp-service-account', scope: project, name: gcpServiceAccountId(c, h), ...at });
  } else {
    const { account } = requireAws(cluster);
    out.push({ kind: 'aws-iam-role', scope: account, name: awsIrsaRoleName(c, h), ...at });
  }
  for (const name of Object.values(hubBucketNames(cluster, hub))) {
    out.push({ kind: 'bucket', scope: 'global', name, ...at });
  }
  return out;
}

/**
 * Derived names that two hubs of the fleet would share (e.g. cluster `a-b` + hub `c` and cluster
 * `a` + hub `b-c` both give `hubfleet-a-b-c`); Terraform would fight over one resource.
 */
export function findNameCollisions(clusters: readonly LoadedCluster[]): string[] {
  const seen = new Map<string, ScopedName>();
  const problems: string[] = [];
  for (const cluster of clusters) {
    for (const hub of cluster.hubs) {
      for (const n of scopedNames(cluster, hub)) {
        const key = `${n.kind}\u0000${n.scope}\u0000${n.name}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, n);
        else
          problems.push(
            `${n.kind} name ${n.name} is derived for both ${first.cluster}/${first.hub} and ${n.cluster}/${n.hub}`,
          );
      }
    }
  }
  return problems;
}
