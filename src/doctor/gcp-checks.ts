// The decisions of the Google Cloud checks: pure functions from what the APIs answered to a
// CheckResult with the exact message and fix. The field names are the REST resources' own
// (Service Usage services.list, Cloud Storage buckets.get, IAM workloadIdentityPools.providers.get,
// Cloud DNS managedZones.get, Compute globalAddresses.get, IAP getIamPolicy).
import type { DohAnswer } from '../adapters/doh.js';
import { type CheckResult, type Fetched, fail, isUnanswered, pass, unanswered } from './model.js';

/**
 * The APIs a run calls, by service name: Compute (addresses, backend services, certificates),
 * GKE, Cloud DNS, IAM (service accounts and roles), IAM Credentials + STS (Workload Identity
 * Federation exchanges GitHub's token and impersonates), IAP (the hubs' access grants), Cloud
 * Storage (state and hub buckets), Resource Manager (project IAM), Service Usage (this check).
 */
export const REQUIRED_GCP_APIS = [
  'cloudresourcemanager.googleapis.com',
  'compute.googleapis.com',
  'container.googleapis.com',
  'dns.googleapis.com',
  'iam.googleapis.com',
  'iamcredentials.googleapis.com',
  'iap.googleapis.com',
  'serviceusage.googleapis.com',
  'storage.googleapis.com',
  'sts.googleapis.com',
] as const;

const BOOTSTRAP = 'terraform/bootstrap/gcp';

export function apisCheck(scope: string, project: string, enabled: Fetched<string[]>): CheckResult {
  if (isUnanswered(enabled)) {
    return unanswered(
      'apis',
      scope,
      `the enabled services of project ${project}`,
      enabled,
      'grant the identity roles/serviceusage.serviceUsageViewer on the project',
    );
  }
  if (enabled.kind === 'missing') {
    return fail(
      'apis',
      scope,
      `project ${project} was not found`,
      'check gcp.project and gcp.projectNumber in cluster.yaml',
    );
  }
  const on = new Set(enabled.value);
  const missing = REQUIRED_GCP_APIS.filter((api) => !on.has(api));
  if (missing.length === 0) {
    return pass('apis', scope, `the ${REQUIRED_GCP_APIS.length} APIs a run needs are enabled in ${project}`);
  }
  return fail(
    'apis',
    scope,
    `${missing.length} of the APIs a run needs ${missing.length === 1 ? 'is' : 'are'} not enabled in ${project}: ${missing.join(', ')}`,
    `gcloud services enable ${missing.join(' ')} --project ${project} (or apply ${BOOTSTRAP})`,
  );
}

/** Cloud Storage buckets.get: `versioning.enabled`, `iamConfiguration.publicAccessPrevention`. */
export interface BucketFacts {
  versioningEnabled: boolean;
  publicAccessPrevention: string | undefined;
}

export function stateBucketCheck(scope: string, bucket: string, facts: Fetched<BucketFacts>): CheckResult {
  if (isUnanswered(facts)) {
    return unanswered(
      'state-bucket',
      scope,
      `bucket ${bucket}`,
      facts,
      `grant the identity storage.buckets.get on gs://${bucket} (roles/storage.legacyBucketReader or roles/storage.admin)`,
    );
  }
  if (facts.kind === 'missing') {
    return fail(
      'state-bucket',
      scope,
      `the Terraform state bucket ${bucket} does not exist`,
      `apply ${BOOTSTRAP} (it creates the state bucket), or fix terraform.backend.bucket in cluster.yaml`,
    );
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!facts.value.versioningEnabled) {
    problems.push('versioning is off (a bad apply could not be rolled back to the previous state)');
    fixes.push(`gcloud storage buckets update gs://${bucket} --versioning`);
  }
  if (facts.value.publicAccessPrevention !== 'enforced') {
    problems.push(
      `public access prevention is ${facts.value.publicAccessPrevention ?? 'unset'}, not enforced (state holds resource details)`,
    );
    fixes.push(`gcloud storage buckets update gs://${bucket} --public-access-prevention`);
  }
  if (problems.length === 0) {
    return pass('state-bucket', scope, `state bucket ${bucket} is reachable, versioned and not public`);
  }
  return fail('state-bucket', scope, `state bucket ${bucket}: ${problems.join('; ')}`, fixes.join('; '));
}

/** IAM workloadIdentityPools.providers.get and the pool it belongs to. */
export interface WifProviderFacts {
  state: string | undefined;
  disabled: boolean;
  attributeCondition: string | undefined;
  issuerUri: string | undefined;
}

export interface WifPoolFacts {
  state: string | undefined;
  disabled: boolean;
}

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/** The repository as GitHub's OIDC token names it (`repository`, `repository_id`, `repository_owner`). */
export interface RepositoryIdentity {
  repository: string;
  id: string | undefined;
}

/**
 * Whether a provider's CEL attributeCondition admits tokens of this repository. Read, not
 * evaluated: it admits the repository when it compares `assertion.repository` with the
 * repository's name, `assertion.repository_id` with its id, or `assertion.repository_owner` with
 * its owner (GitHub's claims, github/docs "About security hardening with OpenID Connect").
 */
export function conditionCovers(condition: string, repo: RepositoryIdentity): boolean {
  const owner = repo.repository.split('/')[0] ?? '';
  const compared = (attribute: string, value: string): boolean => {
    const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const lit = `(['"])${literal}\\1`;
    const attr = `assertion\\.${attribute}\\b`;
    return new RegExp(`(?:${attr}\\s*==\\s*(?:${lit}))|(?:(['"])${literal}\\2\\s*==\\s*${attr})`, 'i').test(
      condition,
    );
  };
  const idMatch =
    repo.id !== undefined &&
    new RegExp(`assertion\\.repository_id\\s*==\\s*(['"]?)${repo.id}\\1(?![0-9])`).test(condition);
  return compared('repository', repo.repository) || idMatch || compared('repository_owner', owner);
}

export function wifProviderCheck(
  scope: string,
  providerName: string,
  repo: RepositoryIdentity,
  provider: Fetched<WifProviderFacts>,
  pool: Fetched<WifPoolFacts>,
): CheckResult {
  const permission = 'grant the identity roles/iam.workloadIdentityPoolViewer on the project';
  if (isUnanswered(provider)) {
    return unanswered('wif-provider', scope, `provider ${providerName}`, provider, permission);
  }
  const poolName = providerName.replace(/\/providers\/[^/]+$/, '');
  if (provider.kind === 'missing') {
    return fail(
      'wif-provider',
      scope,
      `Workload Identity provider ${providerName} does not exist`,
      `apply ${BOOTSTRAP} (it creates the pool and provider), or fix gcp.workloadIdentityProvider in cluster.yaml`,
    );
  }
  const p = provider.value;
  const problems: string[] = [];
  if (p.state !== 'ACTIVE') problems.push(`its state is ${p.state ?? 'unknown'}, not ACTIVE`);
  if (p.disabled) problems.push('it is disabled');
  if (pool.kind === 'ok' && (pool.value.state !== 'ACTIVE' || pool.value.disabled)) {
    problems.push(
      `its pool ${poolName} is ${pool.value.disabled ? 'disabled' : (pool.value.state ?? 'unknown')}`,
    );
  }
  if (p.issuerUri !== GITHUB_OIDC_ISSUER) {
    problems.push(`its issuer is ${p.issuerUri ?? 'not OIDC'}, not ${GITHUB_OIDC_ISSUER}`);
  }
  if (p.attributeCondition === undefined || p.attributeCondition.trim() === '') {
    problems.push("it has no attributeCondition (any GitHub repository's token would be accepted)");
  } else if (!conditionCovers(p.attributeCondition, repo)) {
    problems.push(`its attributeCondition does not admit ${repo.repository}: ${p.attributeCondition}`);
  }
  if (problems.length === 0) {
    return pass('wif-provider', scope, `Workload Identity provider is active and admits ${repo.repository}`);
  }
  return fail(
    'wif-provider',
    scope,
    `Workload Identity provider ${providerName}: ${problems.join('; ')}`,
    `apply ${BOOTSTRAP} with this repository, or set the provider's attribute condition to assertion.repository_id == '${repo.id ?? '<repository id>'}' and enable it (gcloud iam workload-identity-pools providers update-oidc)`,
  );
}

/** Cloud DNS managedZones.get. */
export interface ZoneFacts {
  dnsName: string;
  nameServers: string[];
  visibility: string | undefined;
}

/** Lower case, no trailing dot: how two DNS names are compared. */
export const dnsName = (name: string): string => name.toLowerCase().replace(/\.$/, '');

export function dnsDelegationCheck(
  scope: string,
  zoneName: string,
  dnsDomain: string | undefined,
  zone: Fetched<ZoneFacts>,
  publicNs: DohAnswer | undefined,
): CheckResult {
  if (isUnanswered(zone)) {
    return unanswered(
      'dns-delegation',
      scope,
      `managed zone ${zoneName}`,
      zone,
      'grant the identity roles/dns.reader on the project',
    );
  }
  if (zone.kind === 'missing') {
    return fail(
      'dns-delegation',
      scope,
      `Cloud DNS managed zone ${zoneName} does not exist`,
      `create it (${BOOTSTRAP} can), or fix gcp.dnsZone in cluster.yaml`,
    );
  }
  const name = dnsName(zone.value.dnsName);
  if (zone.value.visibility === 'private') {
    return fail(
      'dns-delegation',
      scope,
      `managed zone ${zoneName} (${name}) is private: managed certificates need public DNS`,
      'use a public managed zone for the hub domains',
    );
  }
  if (dnsDomain !== undefined && dnsName(dnsDomain) !== name) {
    return fail(
      'dns-delegation',
      scope,
      `cluster.yaml dnsDomain ${dnsDomain} is not the zone's DNS name ${name}`,
      `set dnsDomain: ${name} in cluster.yaml, or gcp.dnsZone to the zone that serves ${dnsDomain}`,
    );
  }
  const expected = [...new Set(zone.value.nameServers.map(dnsName))].sort();
  const fix = `at the parent zone of ${name} (registrar or DNS host), set its NS records to ${expected.join(', ')}`;
  if (publicNs === undefined || publicNs.kind === 'error') {
    return fail(
      'dns-delegation',
      scope,
      `could not ask a public resolver for the NS records of ${name}: ${publicNs?.message ?? 'no resolver'}`,
      'check HUBFLEET_DOH_URL and the network path to it, then re-run',
    );
  }
  if (publicNs.rcode === 3) {
    return fail(
      'dns-delegation',
      scope,
      `${name} does not exist in public DNS (NXDOMAIN): it is not delegated`,
      fix,
    );
  }
  const found = [...new Set(publicNs.records.filter((r) => r.type === 2).map((r) => dnsName(r.data)))].sort();
  if (found.length === 0) {
    return fail(
      'dns-delegation',
      scope,
      `public DNS has no NS records for ${name}${publicNs.rcode === 0 ? '' : ` (rcode ${publicNs.rcode})`}: it is not delegated`,
      fix,
    );
  }
  if (found.join(',') !== expected.join(',')) {
    return fail(
      'dns-delegation',
      scope,
      `public DNS delegates ${name} to ${found.join(', ')}, not to zone ${zoneName}'s name servers ${expected.join(', ')}`,
      fix,
    );
  }
  return pass('dns-delegation', scope, `${name} is delegated to zone ${zoneName}'s name servers`);
}

/** One hub: its static IP (Compute globalAddresses.get) and what public DNS says of its domain. */
export interface HubDnsFacts {
  hub: string;
  domain: string;
  addressName: string;
  address: Fetched<{ address: string }>;
  resolved: DohAnswer | undefined;
}

export function hubDnsCheck(scope: string, hubs: readonly HubDnsFacts[]): CheckResult {
  const problems: string[] = [];
  let notCreated = 0;
  let resolving = 0;
  for (const h of hubs) {
    if (isUnanswered(h.address)) {
      return unanswered(
        'hub-dns',
        scope,
        `static IP ${h.addressName}`,
        h.address,
        'grant the identity roles/compute.viewer on the project',
      );
    }
    if (h.address.kind === 'missing') {
      notCreated++;
      continue;
    }
    const ip = h.address.value.address;
    const r = h.resolved;
    if (r === undefined || r.kind === 'error') {
      problems.push(`${h.domain}: could not be resolved (${r?.message ?? 'no resolver'})`);
      continue;
    }
    const a = [...new Set(r.records.filter((x) => x.type === 1).map((x) => x.data))].sort();
    if (a.length === 0) {
      problems.push(
        `${h.domain} has no A record${r.rcode === 3 ? ' (NXDOMAIN)' : ''}; its static IP is ${ip}`,
      );
    } else if (a.length !== 1 || a[0] !== ip) {
      problems.push(`${h.domain} resolves to ${a.join(', ')}, not its static IP ${ip} (${h.addressName})`);
    } else {
      resolving++;
    }
  }
  if (problems.length > 0) {
    return fail(
      'hub-dns',
      scope,
      problems.join('; '),
      "the cluster's Terraform apply writes each hub's A record (google_dns_record_set.hub): re-run the deploy workflow, or remove the record that points elsewhere; a managed certificate stays Provisioning until the A record is right",
    );
  }
  const created =
    hubs.length === 0 ? 'no hubs' : `${resolving} of ${hubs.length} hub domains resolve to their static IPs`;
  return pass('hub-dns', scope, notCreated === 0 ? created : `${created} (${notCreated} not yet created)`);
}

/** An IAM policy as IAP getIamPolicy returns it (version 3, with conditions). */
export interface IamPolicy {
  bindings: Array<{ role: string; members: string[]; condition?: { expression: string } }>;
}

export const IAP_ACCESSOR_ROLE = 'roles/iap.httpsResourceAccessor';

/** `request.host == "x"` with either quote and any spacing (terraform/gcp/iap.tf writes double quotes). */
function hostCondition(expression: string, domain: string): boolean {
  const literal = domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`request\\.host\\s*==\\s*(['"])${literal}\\1`, 'i').test(expression);
}

export function smokeIdentityCheck(
  scope: string,
  prober: string,
  hubs: ReadonlyArray<{ name: string; domain: string; created: boolean }>,
  policy: Fetched<IamPolicy>,
): CheckResult {
  const member = `serviceAccount:${prober}`;
  if (isUnanswered(policy)) {
    return unanswered(
      'smoke-identity',
      scope,
      "the project's IAP IAM policy",
      policy,
      'grant the identity iap.web.getIamPolicy (roles/iap.admin, or a custom role with it) on the project',
    );
  }
  const bindings = policy.kind === 'ok' ? policy.value.bindings : [];
  const grants = bindings.filter((b) => b.role === IAP_ACCESSOR_ROLE && b.members.includes(member));
  const live = hubs.filter((h) => h.created);
  const without = live.filter(
    (h) => !grants.some((g) => g.condition === undefined || hostCondition(g.condition.expression, h.domain)),
  );
  if (without.length > 0) {
    return fail(
      'smoke-identity',
      scope,
      `${member} may not pass IAP for ${without.map((h) => `${h.name} (${h.domain})`).join(', ')}: no ${IAP_ACCESSOR_ROLE} grant for the host`,
      `apply the cluster's Terraform (terraform/gcp/iap.tf grants the IAP prober ${IAP_ACCESSOR_ROLE} per hub host); the prober is gcp.iapProberServiceAccount (default gcp.deployerServiceAccount) and the HUBFLEET_IAP_PROBER secret must name the same account`,
    );
  }
  const notYet = hubs.length - live.length;
  return pass(
    'smoke-identity',
    scope,
    `${member} may pass IAP for ${live.length} of ${hubs.length} hubs${notYet > 0 ? ` (${notYet} not yet created)` : ''}`,
  );
}
