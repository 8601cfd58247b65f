// `hubfleet doctor` on an EKS cluster: the real command and AWS SDK clients against the S3, IAM and
// Route 53 double (test/support/aws-setup-double.ts) and the DNS-over-HTTPS double, pointed at them
// by AWS_ENDPOINT_URL_<SERVICE> and static credentials in the environment.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { main, type CliIo } from '../../src/cli.js';
import type { CheckResult } from '../../src/doctor/model.js';
import { type AwsDouble, startAwsDouble } from '../support/aws-setup-double.js';
import { type DohDouble, startDohDouble } from '../support/doh-double.js';

const REPO = 'example-org/fleet';
const PROVIDER_ARN = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';
const ZONE = 'Z0123456789ABCDEFGHIJ';
const NS = ['ns-1.awsdns-01.org', 'ns-2.awsdns-02.net'];

let aws: AwsDouble;
let doh: DohDouble;

function trust(sub: string[]): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER_ARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': sub,
          },
        },
      },
    ],
  };
}

async function awsChecks(
  env: NodeJS.ProcessEnv = { ...aws.env, HUBFLEET_DOH_URL: doh.url, GITHUB_REPOSITORY: REPO },
): Promise<{
  code: number;
  checks: CheckResult[];
}> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: process.cwd() };
  const code = await main(
    ['doctor', '--config', 'test/fixtures/doctor/config', '--cluster', 'pangeo-aws', '--format', 'json'],
    io,
  );
  // The double's secret key never reaches the output, whatever the SDK's errors say.
  expect(`${stdout}${stderr}`).not.toContain(aws.env['AWS_SECRET_ACCESS_KEY']);
  const checks = (JSON.parse(stdout) as { checks: CheckResult[] }).checks.filter(
    (c) => c.scope === 'pangeo-aws',
  );
  return { code, checks: checks.filter((c) => !c.id.startsWith('github-') && c.id !== 'runners') };
}

beforeEach(async () => {
  aws = await startAwsDouble();
  doh = await startDohDouble();
  aws.buckets.set('pangeo-aws-tfstate', { versioning: 'Enabled', blocked: true });
  aws.oidcProviders.set(PROVIDER_ARN, {
    url: 'token.actions.githubusercontent.com',
    clientIds: ['sts.amazonaws.com'],
  });
  aws.roles.set(
    'hubfleet-deployer',
    trust([
      `repo:${REPO}:environment:pangeo-aws-apply:ref:refs/heads/main`,
      `repo:${REPO}:environment:pangeo-aws-prod:ref:refs/heads/main`,
    ]),
  );
  aws.zones.set(ZONE, { name: 'aws.hubs.example.org.', nameServers: NS, privateZone: false });
  doh.records.set('aws.hubs.example.org', { NS: NS.map((n) => `${n}.`) });
});

afterEach(async () => {
  await Promise.all([aws.close(), doh.close()]);
});

describe('hubfleet doctor on EKS', () => {
  it('passes the state bucket, the OIDC trust and the delegation of a ready account', async () => {
    const r = await awsChecks();
    expect(r.checks).toEqual([
      {
        id: 'state-bucket',
        scope: 'pangeo-aws',
        status: 'pass',
        message: 'state bucket pangeo-aws-tfstate is reachable, versioned and not public',
      },
      {
        id: 'wif-provider',
        scope: 'pangeo-aws',
        status: 'pass',
        message: `GitHub's OIDC provider exists and arn:aws:iam::111122223333:role/hubfleet-deployer trusts ${REPO}`,
      },
      {
        id: 'dns-delegation',
        scope: 'pangeo-aws',
        status: 'pass',
        message: `aws.hubs.example.org is delegated to zone ${ZONE}'s name servers`,
      },
      {
        id: 'hub-dns',
        scope: 'pangeo-aws',
        status: 'skip',
        message: 'skipped: EKS hub domains follow their load balancer, there is no static IP to compare',
        fix: 'dig +short each hub domain: it must name the load balancer of its Ingress',
      },
    ]);
    expect(aws.requests).toEqual([
      'S3 GET /pangeo-aws-tfstate/?versioning=',
      'S3 GET /pangeo-aws-tfstate/?publicAccessBlock=',
      'IAM POST / ListOpenIDConnectProviders',
      'IAM POST / GetOpenIDConnectProvider',
      'IAM POST / GetRole',
      `ROUTE_53 GET /2013-04-01/hostedzone/${ZONE}`,
    ]);
  });

  it.each<[string, string, () => void, string, string]>([
    [
      'state-bucket',
      'versioning is suspended and nothing blocks public access',
      () => aws.buckets.set('pangeo-aws-tfstate', { versioning: 'Suspended' }),
      'state bucket pangeo-aws-tfstate: versioning is suspended (a bad apply could not be rolled back to the previous state); public access is not fully blocked (state holds resource details)',
      'aws s3api put-bucket-versioning --bucket pangeo-aws-tfstate --versioning-configuration Status=Enabled; aws s3api put-public-access-block --bucket pangeo-aws-tfstate --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    ],
    [
      'state-bucket',
      'the bucket does not exist',
      () => aws.buckets.clear(),
      'the Terraform state bucket pangeo-aws-tfstate does not exist',
      'apply terraform/bootstrap/aws (it creates the state bucket), or fix terraform.backend.bucket in cluster.yaml',
    ],
    [
      'wif-provider',
      'the role trusts another repository',
      () =>
        aws.roles.set(
          'hubfleet-deployer',
          trust(['repo:other-org/fleet:environment:x-apply:ref:refs/heads/main']),
        ),
      'role arn:aws:iam::111122223333:role/hubfleet-deployer does not trust GitHub tokens of example-org/fleet (its sub conditions: repo:other-org/fleet:environment:x-apply:ref:refs/heads/main)',
      `apply terraform/bootstrap/aws, or create the provider (aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com) and trust it in arn:aws:iam::111122223333:role/hubfleet-deployer for sub repo:${REPO}:environment:<cluster>-{apply,staging,prod}:ref:refs/heads/main`,
    ],
    [
      'wif-provider',
      'there is no GitHub OIDC provider',
      () => aws.oidcProviders.clear(),
      'no IAM OIDC provider for token.actions.githubusercontent.com',
      `apply terraform/bootstrap/aws, or create the provider (aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com) and trust it in arn:aws:iam::111122223333:role/hubfleet-deployer for sub repo:${REPO}:environment:<cluster>-{apply,staging,prod}:ref:refs/heads/main`,
    ],
    [
      'dns-delegation',
      'the zone is not delegated',
      () => doh.records.delete('aws.hubs.example.org'),
      'aws.hubs.example.org does not exist in public DNS (NXDOMAIN): it is not delegated',
      'at the parent zone of aws.hubs.example.org (registrar or DNS host), set its NS records to ns-1.awsdns-01.org, ns-2.awsdns-02.net',
    ],
  ])('%s fails when %s', async (id, _what, breakIt, message, fix) => {
    breakIt();
    const r = await awsChecks();
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([
      { id, scope: 'pangeo-aws', status: 'fail', message, fix },
    ]);
    expect(r.code).toBe(1);
  });

  it('skips the AWS checks when the account refuses, naming the permission', async () => {
    const r = await awsChecks({
      ...aws.env,
      AWS_ACCESS_KEY_ID: 'AKIAOTHER',
      HUBFLEET_DOH_URL: doh.url,
      GITHUB_REPOSITORY: REPO,
    });
    expect(r.checks.map((c) => [c.id, c.status, c.fix])).toEqual([
      [
        'state-bucket',
        'skip',
        'allow the identity s3:GetBucketVersioning and s3:GetBucketPublicAccessBlock on arn:aws:s3:::pangeo-aws-tfstate',
      ],
      [
        'wif-provider',
        'skip',
        'allow the identity iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider and iam:GetRole',
      ],
      ['dns-delegation', 'skip', 'allow the identity route53:GetHostedZone'],
      ['hub-dns', 'skip', 'dig +short each hub domain: it must name the load balancer of its Ingress'],
    ]);
  });
});
