import { describe, expect, it } from '@jest/globals';
import { awsRoleName, checkAwsIdentity, checkGcpIdentity, gcpIdentityText } from './identity.js';

const aws = { account: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/ci/hubfleet-deployer' };
const gcp = { project: 'pangeo-prod', serviceAccount: 'deployer@pangeo-prod.iam.gserviceaccount.com' };

describe('AWS identity', () => {
  it('accepts the account and role cluster.yaml names', () => {
    expect(
      checkAwsIdentity(aws, {
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/hubfleet-deployer/GitHubActions',
      }),
    ).toEqual({ problems: [], warnings: [] });
  });

  it('refuses another account', () => {
    expect(
      checkAwsIdentity(aws, {
        account: '999999999999',
        arn: 'arn:aws:sts::999999999999:assumed-role/hubfleet-deployer/x',
      }),
    ).toEqual({
      problems: [
        'the AWS credentials belong to account 999999999999 (arn:aws:sts::999999999999:assumed-role/hubfleet-deployer/x), but cluster.yaml names aws.account 111122223333',
      ],
      warnings: [],
    });
  });

  it('warns about another role in the right account', () => {
    expect(
      checkAwsIdentity(aws, {
        account: '111122223333',
        arn: 'arn:aws:sts::111122223333:assumed-role/admin/x',
      }).warnings,
    ).toEqual([
      'the caller is arn:aws:sts::111122223333:assumed-role/admin/x, not the role arn:aws:iam::111122223333:role/ci/hubfleet-deployer that cluster.yaml names (aws.roleArn)',
    ]);
  });

  it.each([
    ['arn:aws:sts::111122223333:assumed-role/r/s', 'r'],
    ['arn:aws:iam::111122223333:role/path/r', 'r'],
    ['arn:aws:iam::111122223333:user/u', undefined],
  ])('role name of %s', (arn, name) => {
    expect(awsRoleName(arn)).toBe(name);
  });
});

describe('GCP identity', () => {
  const ok = { project: gcp.project, serviceAccount: gcp.serviceAccount, envProjects: [] };

  it('accepts the project and deployer cluster.yaml names', () => {
    expect(
      checkGcpIdentity(gcp, {
        ...ok,
        envProjects: [{ name: 'CLOUDSDK_PROJECT', value: gcp.project }],
        credentials: { path: '/c.json', impersonatedServiceAccount: gcp.serviceAccount },
      }),
    ).toEqual({ problems: [], warnings: [] });
  });

  it('reports every mismatch at once', () => {
    expect(
      checkGcpIdentity(gcp, {
        project: 'other-proj',
        serviceAccount: 'x@other-proj.iam.gserviceaccount.com',
        envProjects: [{ name: 'GOOGLE_CLOUD_PROJECT', value: 'other-proj' }],
        credentials: { path: '/c.json', impersonatedServiceAccount: 'y@other-proj.iam.gserviceaccount.com' },
      }).problems,
    ).toEqual([
      'the job authenticated for project other-proj, but cluster.yaml names gcp.project pangeo-prod',
      'the job authenticated as x@other-proj.iam.gserviceaccount.com, but cluster.yaml names gcp.deployerServiceAccount deployer@pangeo-prod.iam.gserviceaccount.com',
      'GOOGLE_CLOUD_PROJECT is other-proj, but cluster.yaml names gcp.project pangeo-prod',
      'the credentials file /c.json acts as y@other-proj.iam.gserviceaccount.com, but cluster.yaml names gcp.deployerServiceAccount deployer@pangeo-prod.iam.gserviceaccount.com',
    ]);
  });

  it('refuses when nothing says who the job is, or the credentials cannot be read', () => {
    expect(
      checkGcpIdentity(gcp, { envProjects: [], credentials: { path: '/c.json', unreadable: 'not JSON' } })
        .problems,
    ).toEqual([
      'the GCP project is unknown: pass input "gcp-project" (the google-github-actions/auth step\'s project_id output)',
      'the GCP service account is unknown: pass input "gcp-service-account" (the service_account given to the google-github-actions/auth step)',
      'GOOGLE_APPLICATION_CREDENTIALS (/c.json) cannot be read: not JSON',
    ]);
  });

  it('without inputs, checks what is in effect: the project variables and the credentials file', () => {
    const inEffect = {
      envProjects: [{ name: 'CLOUDSDK_CORE_PROJECT', value: gcp.project }],
      credentials: { path: '/c.json', impersonatedServiceAccount: gcp.serviceAccount },
    };
    expect(checkGcpIdentity(gcp, inEffect)).toEqual({ problems: [], warnings: [] });
    expect(gcpIdentityText(inEffect)).toBe(`${gcp.serviceAccount} (${gcp.project})`);
    expect(
      checkGcpIdentity(gcp, {
        ...inEffect,
        envProjects: [{ name: 'CLOUDSDK_CORE_PROJECT', value: 'other-proj' }],
      }).problems,
    ).toEqual(['CLOUDSDK_CORE_PROJECT is other-proj, but cluster.yaml names gcp.project pangeo-prod']);
  });

  it('warns about a long-lived key', () => {
    expect(
      checkGcpIdentity(gcp, { ...ok, credentials: { path: '/k.json', clientEmail: gcp.serviceAccount } }),
    ).toEqual({
      problems: [],
      warnings: [
        'the credentials are a service-account key; hubfleet expects Workload Identity Federation (no long-lived keys)',
      ],
    });
  });
});
