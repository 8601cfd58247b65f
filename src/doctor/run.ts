// `hubfleet doctor`: gathers the facts of every check through the adapters and hands them to the
// pure decisions. Nothing here decides pass or fail; it only knows which reads each check needs.
import type { AwsSetup } from '../adapters/aws-setup.js';
import type { DnsAdapter } from '../adapters/dns.js';
import type { DohAnswer, DohResolver } from '../adapters/doh.js';
import type { GitHubSettings } from '../adapters/github-settings.js';
import type { GoogleApis } from '../adapters/google-apis.js';
import type { Fleet, LoadedCluster } from '../config/model.js';
import { expectedSecrets, gcpStaticIpName } from '../render/names.js';
import {
  apisCheck,
  dnsDelegationCheck,
  dnsName,
  hubDnsCheck,
  type HubDnsFacts,
  smokeIdentityCheck,
  stateBucketCheck,
  wifProviderCheck,
} from './gcp-checks.js';
import { RESTRICTED_PROBE_NAME, restrictedApisDnsCheck, vpcScPerimeterCheck } from './network-checks.js';
import { awsDnsDelegationCheck, awsOidcCheck, awsStateBucketCheck } from './aws-checks.js';
import {
  environmentNames,
  environmentsCheck,
  labelsCheck,
  type NeededSecret,
  runnersCheck,
  secretsCheck,
} from './github-checks.js';
import { type CheckId, type CheckResult, type Fetched, skip } from './model.js';

export interface DoctorContext {
  fleet: Fleet;
  /** owner/name, or undefined when neither --repository nor GITHUB_REPOSITORY says. */
  repository: string | undefined;
  /** GITHUB_REPOSITORY_ID when set (a workflow run), else read from the API. */
  repositoryId: string | undefined;
  /** undefined: no Google access token. */
  google: GoogleApis | undefined;
  /** undefined: no GitHub token or no repository. */
  github: GitHubSettings | undefined;
  doh: DohResolver;
  /**
   * This machine's own resolver (or HUBFLEET_DNS_SERVERS): what the runner's VPC answers, private
   * zones included, which public DNS over HTTPS cannot say.
   */
  dns: DnsAdapter;
  /** The AWS reads for a region (credentials are looked up when a read is made). */
  aws: (region: string) => AwsSetup;
  /** How many hubs are checked at once. */
  concurrency?: number;
}

/** The secrets the scheduled IAP checks read outside any Environment (workflows/steps.ts IAP_AUDIENCE_ENV). */
export const IAP_CHECK_SECRETS = [
  'HUBFLEET_IAP_AUDIENCE',
  'HUBFLEET_IAP_PROBER',
  'HUBFLEET_IAP_UNAUTHORIZED',
];

const GCP_CHECKS: CheckId[] = [
  'apis',
  'state-bucket',
  'wif-provider',
  'dns-delegation',
  'hub-dns',
  'smoke-identity',
];
const GITHUB_CLUSTER_CHECKS: CheckId[] = ['github-environments', 'github-secrets', 'runners'];

export const NO_GOOGLE_TOKEN =
  'set HUBFLEET_GCP_ACCESS_TOKEN to an access token of the identity to check (e.g. $(gcloud auth print-access-token))';
export const NO_GITHUB_TOKEN =
  'set GITHUB_TOKEN (e.g. $(gh auth token)) and pass --repository OWNER/NAME or set GITHUB_REPOSITORY';

export async function runDoctor(ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let repositoryId = ctx.repositoryId;
  if (ctx.github === undefined) {
    results.push(skip('github-labels', 'repository', 'no GitHub token or repository', NO_GITHUB_TOKEN));
  } else {
    results.push(labelsCheck(ctx.github.repository, await ctx.github.listLabels()));
    if (repositoryId === undefined) {
      const id = await ctx.github.repositoryId();
      if (id.kind === 'ok') repositoryId = id.value;
    }
  }
  for (const cluster of ctx.fleet.clusters) {
    results.push(...(await cloudChecks(ctx, cluster, repositoryId)));
    results.push(...(await restrictedNetworkChecks(ctx, cluster)));
    results.push(...(await githubChecks(ctx, cluster)));
  }
  return results;
}

async function cloudChecks(
  ctx: DoctorContext,
  cluster: LoadedCluster,
  repositoryId: string | undefined,
): Promise<CheckResult[]> {
  const scope = cluster.config.name;
  const gcp = cluster.config.gcp;
  if (cluster.config.provider === 'aws' || gcp === undefined) return awsChecks(ctx, cluster);
  const google = ctx.google;
  if (google === undefined) {
    return GCP_CHECKS.map((id) => skip(id, scope, 'no Google access token', NO_GOOGLE_TOKEN));
  }
  const out: CheckResult[] = [];
  out.push(apisCheck(scope, gcp.project, await google.listEnabledServices(gcp.projectNumber)));
  const bucket = cluster.config.terraform.backend.bucket;
  out.push(stateBucketCheck(scope, bucket, await google.getBucket(bucket)));

  const providerName = gcp.workloadIdentityProvider;
  if (ctx.repository === undefined) {
    out.push(
      skip('wif-provider', scope, 'no repository to check the attribute condition against', NO_GITHUB_TOKEN),
    );
  } else {
    const provider = await google.getWifProvider(providerName);
    const pool = await google.getWifPool(providerName.replace(/\/providers\/[^/]+$/, ''));
    out.push(
      wifProviderCheck(scope, providerName, { repository: ctx.repository, id: repositoryId }, provider, pool),
    );
  }

  const zone = await google.getManagedZone(gcp.project, gcp.dnsZone);
  const ns = zone.kind === 'ok' ? await ctx.doh.query(dnsName(zone.value.dnsName), 'NS') : undefined;
  out.push(dnsDelegationCheck(scope, gcp.dnsZone, cluster.config.dnsDomain, zone, ns));

  const hubs = await mapLimit(cluster.hubs, ctx.concurrency ?? 8, async (hub): Promise<HubDnsFacts> => {
    const addressName = gcpStaticIpName(scope, hub.config.name);
    const address = await google.getGlobalAddress(gcp.project, addressName);
    const resolved: DohAnswer | undefined =
      address.kind === 'ok' ? await ctx.doh.query(hub.config.domain, 'A') : undefined;
    return { hub: hub.config.name, domain: hub.config.domain, addressName, address, resolved };
  });
  out.push(hubDnsCheck(scope, hubs));

  const prober = gcp.iapProberServiceAccount ?? gcp.deployerServiceAccount;
  out.push(
    smokeIdentityCheck(
      scope,
      prober,
      // A hub whose static IP is absent has not been applied yet: its IAP grant comes with it.
      hubs.map((h) => ({ name: h.hub, domain: h.domain, created: h.address.kind !== 'missing' })),
      await google.getIapWebPolicy(gcp.projectNumber),
    ),
  );
  return out;
}

/**
 * A cluster on the restricted VIP (gcp.restrictedGoogleApis) or in a perimeter the organisation
 * admin manages (vpcServiceControls without manageMembership): is the project in the perimeter, and
 * does the runner's resolver send Google APIs to the VIP (decision 0080)?
 */
async function restrictedNetworkChecks(ctx: DoctorContext, cluster: LoadedCluster): Promise<CheckResult[]> {
  const gcp = cluster.config.gcp;
  if (cluster.config.provider !== 'gcp' || gcp === undefined) return [];
  const scope = cluster.config.name;
  const out: CheckResult[] = [];
  const vpcSc = gcp.vpcServiceControls;
  if (vpcSc !== undefined && vpcSc.manageMembership !== true) {
    out.push(
      ctx.google === undefined
        ? skip('vpc-sc-perimeter', scope, 'no Google access token', NO_GOOGLE_TOKEN)
        : vpcScPerimeterCheck(
            scope,
            vpcSc.perimeter,
            gcp.projectNumber,
            await ctx.google.getServicePerimeter(vpcSc.perimeter),
          ),
    );
  }
  if (gcp.restrictedGoogleApis === true) {
    out.push(restrictedApisDnsCheck(scope, gcp.network, await ctx.dns.lookup(RESTRICTED_PROBE_NAME)));
  }
  return out;
}

/** EKS: the state bucket, GitHub's OIDC provider and the applier's trust, the zone's delegation. */
async function awsChecks(ctx: DoctorContext, cluster: LoadedCluster): Promise<CheckResult[]> {
  const scope = cluster.config.name;
  const aws = cluster.config.aws;
  if (aws === undefined) return [];
  const api = ctx.aws(aws.region);
  const bucket = cluster.config.terraform.backend.bucket;
  const out: CheckResult[] = [awsStateBucketCheck(scope, bucket, await api.getBucket(bucket))];
  out.push(
    ctx.repository === undefined
      ? skip('wif-provider', scope, 'no repository to check the role trust against', NO_GITHUB_TOKEN)
      : awsOidcCheck(scope, aws.roleArn, ctx.repository, await api.getOidc(aws.roleArn)),
  );
  const zone = await api.getHostedZone(aws.hostedZoneId);
  const ns = zone.kind === 'ok' ? await ctx.doh.query(dnsName(zone.value.name), 'NS') : undefined;
  out.push(awsDnsDelegationCheck(scope, aws.hostedZoneId, cluster.config.dnsDomain, zone, ns));
  // EKS hubs have no static IP: their records follow the load balancer (external-dns).
  out.push(
    skip(
      'hub-dns',
      scope,
      'EKS hub domains follow their load balancer, there is no static IP to compare',
      'dig +short each hub domain: it must name the load balancer of its Ingress',
    ),
  );
  return out;
}

async function githubChecks(ctx: DoctorContext, cluster: LoadedCluster): Promise<CheckResult[]> {
  const scope = cluster.config.name;
  const github = ctx.github;
  if (github === undefined) {
    return GITHUB_CLUSTER_CHECKS.map((id) =>
      skip(id, scope, 'no GitHub token or repository', NO_GITHUB_TOKEN),
    );
  }
  const names = environmentNames(scope);
  const environments = [];
  for (const [stage, name] of Object.entries(names)) {
    environments.push({ name, needsReviewers: stage === 'prod', facts: await github.getEnvironment(name) });
  }
  const out: CheckResult[] = [environmentsCheck(scope, environments)];

  const needed = neededSecrets(cluster);
  const envSecrets = new Map<string, Fetched<string[]>>();
  for (const env of new Set(needed.flatMap((n) => (n.environment === undefined ? [] : [n.environment])))) {
    envSecrets.set(env, await github.listEnvironmentSecretNames(env));
  }
  const repoSecrets =
    needed.length === 0 ? { kind: 'ok' as const, value: [] } : await github.listRepoSecretNames();
  const orgSecrets =
    needed.length === 0 ? { kind: 'ok' as const, value: [] } : await github.listOrgSecretNames();
  out.push(secretsCheck(scope, github.repository, needed, repoSecrets, orgSecrets, envSecrets));
  out.push(runnersCheck(scope, cluster.config.runner.labels, await github.listRunners()));
  return out;
}

/** Every secret a run reads for this cluster, by name: the hub files' and the IAP checks'. */
export function neededSecrets(cluster: LoadedCluster): NeededSecret[] {
  const out: NeededSecret[] = [];
  const seen = new Set<string>();
  if (cluster.config.provider === 'gcp') {
    for (const name of IAP_CHECK_SECRETS) out.push({ name, namedBy: 'the scheduled IAP and health checks' });
  }
  for (const hub of cluster.hubs) {
    for (const s of expectedSecrets(cluster, hub)) {
      const environment = `${cluster.config.name}-${hub.config.stage}`;
      // Two hubs of one stage may share a client: the secret is needed once.
      if (seen.has(`${s.fromGithubSecret} ${environment}`)) continue;
      seen.add(`${s.fromGithubSecret} ${environment}`);
      const field = s.purpose === 'iap-oauth-client' ? 'iap.oauthClient.secret' : 'auth.github.secret';
      out.push({
        name: s.fromGithubSecret,
        namedBy: `${hub.file} ${field}`,
        // deploy-hub reads it in the hub's stage Environment, where its secrets count too.
        environment,
      });
    }
  }
  return out;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
