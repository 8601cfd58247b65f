// The decisions of the AWS checks of an EKS cluster: the state bucket (S3), GitHub's OIDC provider
// and the applier role's trust (IAM), and the hosted zone's delegation (Route 53). Pure; the facts
// come from src/adapters/aws-setup.ts.
import type { DohAnswer } from '../adapters/doh.js';
import type { AwsBucketFacts, AwsOidcFacts, AwsZoneFacts } from '../adapters/aws-setup.js';
import { dnsDelegationCheck } from './gcp-checks.js';
import {
  type CheckId,
  type CheckResult,
  type Fetched,
  fail,
  isUnanswered,
  pass,
  skip,
  unanswered,
} from './model.js';

const BOOTSTRAP = 'terraform/bootstrap/aws';
export const NO_AWS_CREDENTIALS =
  'set AWS credentials for the account (aws-actions/configure-aws-credentials in a workflow; AWS_PROFILE or aws sso login locally)';

/** Missing credentials (status 0) and refusals are skips; an unreachable API fails. */
function awsUnanswered(
  id: CheckId,
  scope: string,
  what: string,
  fetched: Fetched<unknown>,
  permission: string,
): CheckResult | undefined {
  if (fetched.kind === 'denied' && fetched.status === 0) {
    return skip(id, scope, 'no AWS credentials', NO_AWS_CREDENTIALS);
  }
  return isUnanswered(fetched) ? unanswered(id, scope, what, fetched, permission) : undefined;
}

export function awsStateBucketCheck(
  scope: string,
  bucket: string,
  facts: Fetched<AwsBucketFacts>,
): CheckResult {
  const none = awsUnanswered(
    'state-bucket',
    scope,
    `bucket ${bucket}`,
    facts,
    `allow the identity s3:GetBucketVersioning and s3:GetBucketPublicAccessBlock on arn:aws:s3:::${bucket}`,
  );
  if (none !== undefined) return none;
  if (facts.kind !== 'ok') {
    return fail(
      'state-bucket',
      scope,
      `the Terraform state bucket ${bucket} does not exist`,
      `apply ${BOOTSTRAP} (it creates the state bucket), or fix terraform.backend.bucket in cluster.yaml`,
    );
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (facts.value.versioning !== 'Enabled') {
    problems.push(
      `versioning is ${facts.value.versioning === undefined ? 'off' : facts.value.versioning.toLowerCase()} (a bad apply could not be rolled back to the previous state)`,
    );
    fixes.push(
      `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
    );
  }
  if (!facts.value.publicAccessBlocked) {
    problems.push('public access is not fully blocked (state holds resource details)');
    fixes.push(
      `aws s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`,
    );
  }
  if (problems.length === 0) {
    return pass('state-bucket', scope, `state bucket ${bucket} is reachable, versioned and not public`);
  }
  return fail('state-bucket', scope, `state bucket ${bucket}: ${problems.join('; ')}`, fixes.join('; '));
}

const SUB = 'token.actions.githubusercontent.com:sub';

/** The `sub` patterns of the role's statements that trust the GitHub provider. */
export function trustedSubjects(trust: unknown, providerArn: string): string[] {
  const statements = (trust as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(statements)
    ? (statements as unknown[])
    : statements === undefined
      ? []
      : [statements];
  const out: string[] = [];
  for (const s of list) {
    const st = s as {
      Effect?: unknown;
      Principal?: { Federated?: unknown };
      Condition?: Record<string, unknown>;
    };
    const federated = st.Principal?.Federated;
    const principals = Array.isArray(federated) ? federated : [federated];
    if (st.Effect !== 'Allow' || !principals.includes(providerArn)) continue;
    for (const operator of ['StringEquals', 'StringLike']) {
      const value = (st.Condition?.[operator] as Record<string, unknown> | undefined)?.[SUB];
      for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

export function awsOidcCheck(
  scope: string,
  roleArn: string,
  repository: string,
  facts: Fetched<AwsOidcFacts>,
): CheckResult {
  const none = awsUnanswered(
    'wif-provider',
    scope,
    `the OIDC providers and role ${roleArn}`,
    facts,
    'allow the identity iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider and iam:GetRole',
  );
  if (none !== undefined) return none;
  if (facts.kind !== 'ok') {
    return fail(
      'wif-provider',
      scope,
      `role ${roleArn} does not exist`,
      `apply ${BOOTSTRAP} (it creates the roles), or fix aws.roleArn in cluster.yaml`,
    );
  }
  const { provider, trust } = facts.value;
  const fix = `apply ${BOOTSTRAP}, or create the provider (aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com) and trust it in ${roleArn} for sub repo:${repository}:environment:<cluster>-{apply,staging,prod}:ref:refs/heads/main`;
  if (provider === undefined) {
    return fail('wif-provider', scope, 'no IAM OIDC provider for token.actions.githubusercontent.com', fix);
  }
  if (!provider.clientIds.includes('sts.amazonaws.com')) {
    return fail(
      'wif-provider',
      scope,
      `OIDC provider ${provider.arn} does not list the audience sts.amazonaws.com`,
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id sts.amazonaws.com`,
    );
  }
  const subjects = trustedSubjects(trust, provider.arn);
  const prefix = `repo:${repository.toLowerCase()}:`;
  if (!subjects.some((s) => s.toLowerCase().startsWith(prefix))) {
    return fail(
      'wif-provider',
      scope,
      `role ${roleArn} does not trust GitHub tokens of ${repository} (its sub conditions: ${subjects.join(', ') || 'none'})`,
      fix,
    );
  }
  return pass('wif-provider', scope, `GitHub's OIDC provider exists and ${roleArn} trusts ${repository}`);
}

export function awsDnsDelegationCheck(
  scope: string,
  zoneId: string,
  dnsDomain: string | undefined,
  zone: Fetched<AwsZoneFacts>,
  publicNs: DohAnswer | undefined,
): CheckResult {
  const none = awsUnanswered(
    'dns-delegation',
    scope,
    `hosted zone ${zoneId}`,
    zone,
    'allow the identity route53:GetHostedZone',
  );
  if (none !== undefined) return none;
  if (zone.kind !== 'ok') {
    return fail(
      'dns-delegation',
      scope,
      `Route 53 hosted zone ${zoneId} does not exist`,
      'create it, or fix aws.hostedZoneId in cluster.yaml',
    );
  }
  if (zone.value.privateZone) {
    return fail(
      'dns-delegation',
      scope,
      `hosted zone ${zoneId} (${zone.value.name}) is private: certificates need public DNS`,
      'use a public hosted zone for the hub domains',
    );
  }
  return dnsDelegationCheck(
    scope,
    zoneId,
    dnsDomain,
    {
      kind: 'ok',
      value: { dnsName: zone.value.name, nameServers: zone.value.nameServers, visibility: 'public' },
    },
    publicNs,
  );
}
