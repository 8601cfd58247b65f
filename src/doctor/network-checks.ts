// The decisions of the restricted-network checks (decision 0055's promises, checked live; decision
// 0080): the project is a resource of the VPC Service Controls perimeter when the organisation
// admin manages the membership, and the runner's resolver sends Google APIs to the restricted VIP.
import type { DnsLookup } from '../adapters/dns.js';
import { type CheckResult, type Fetched, fail, isUnanswered, pass, unanswered } from './model.js';

/** Access Context Manager ServicePerimeter `status.resources` (ServicePerimeterConfig: `projects/<number>`). */
export interface PerimeterFacts {
  resources: string[];
}

export function vpcScPerimeterCheck(
  scope: string,
  perimeter: string,
  projectNumber: string,
  facts: Fetched<PerimeterFacts>,
): CheckResult {
  const policy = perimeter.split('/servicePerimeters/')[0] ?? perimeter;
  if (isUnanswered(facts)) {
    return unanswered(
      'vpc-sc-perimeter',
      scope,
      `the service perimeter ${perimeter}`,
      facts,
      `grant the identity roles/accesscontextmanager.policyReader on ${policy}`,
    );
  }
  if (facts.kind === 'missing') {
    return fail(
      'vpc-sc-perimeter',
      scope,
      `the service perimeter ${perimeter} does not exist`,
      'check gcp.vpcServiceControls.perimeter in cluster.yaml (accessPolicies/<policy number>/servicePerimeters/<name>)',
    );
  }
  const project = `projects/${projectNumber}`;
  if (facts.value.resources.includes(project)) {
    return pass('vpc-sc-perimeter', scope, `${project} is a resource of the service perimeter ${perimeter}`);
  }
  const name = perimeter.split('/').pop() ?? perimeter;
  return fail(
    'vpc-sc-perimeter',
    scope,
    `${project} is not a resource of the service perimeter ${perimeter} (its enforced status lists ${facts.value.resources.length})`,
    `ask the organisation admin to add it (gcloud access-context-manager perimeters update ${name} --policy=${policy.split('/').pop() ?? policy} --add-resources=${project}), or set gcp.vpcServiceControls.manageMembership: true`,
  );
}

/** A name the restricted zone answers for (terraform/gcp/restricted-apis.tf: CNAME *.googleapis.com). */
export const RESTRICTED_PROBE_NAME = 'storage.googleapis.com';

/** 199.36.153.4/30: restricted.googleapis.com's four addresses. */
const inRestrictedVip = (ip: string): boolean => {
  const m = /^199\.36\.153\.(\d{1,3})$/.exec(ip);
  return m !== null && Number(m[1]) >= 4 && Number(m[1]) <= 7;
};

export function restrictedApisDnsCheck(scope: string, network: string, lookup: DnsLookup): CheckResult {
  const fix = `run doctor on the cluster's in-VPC runner (network ${network}), and apply the cluster's Terraform: restricted-apis.tf binds the private zone googleapis.com to that network`;
  if (lookup.state !== 'resolved') {
    return fail(
      'restricted-apis-dns',
      scope,
      `${RESTRICTED_PROBE_NAME} does not resolve from this runner (${lookup.state}: ${lookup.message})`,
      fix,
    );
  }
  const outside = lookup.a.filter((ip) => !inRestrictedVip(ip));
  if (lookup.a.length > 0 && outside.length === 0) {
    return pass(
      'restricted-apis-dns',
      scope,
      `${RESTRICTED_PROBE_NAME} resolves to ${lookup.a.join(', ')}, the restricted VIP 199.36.153.4/30, from this runner`,
    );
  }
  return fail(
    'restricted-apis-dns',
    scope,
    lookup.a.length === 0
      ? `${RESTRICTED_PROBE_NAME} has no IPv4 address from this runner, not the restricted VIP 199.36.153.4/30`
      : `${RESTRICTED_PROBE_NAME} resolves to ${outside.join(', ')} from this runner, outside the restricted VIP 199.36.153.4/30: Google API calls leave by the public endpoints`,
    fix,
  );
}
