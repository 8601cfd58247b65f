import { describe, expect, it } from '@jest/globals';
import { awsOidcCheck, awsStateBucketCheck, NO_AWS_CREDENTIALS, trustedSubjects } from './aws-checks.js';

const ARN = 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com';
const ROLE = 'arn:aws:iam::1:role/applier';

describe('trustedSubjects', () => {
  it('collects StringEquals and StringLike subjects of Allow statements federated to the provider', () => {
    const trust = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: [ARN] },
          Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:o/r:*' } },
        },
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::1:oidc-provider/other' },
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:x/y:ref:refs/heads/main' },
          },
        },
        {
          Effect: 'Deny',
          Principal: { Federated: ARN },
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:o/r:pull_request' } },
        },
      ],
    };
    expect(trustedSubjects(trust, ARN)).toEqual(['repo:o/r:*']);
    expect(trustedSubjects(undefined, ARN)).toEqual([]);
  });
});

describe('AWS checks', () => {
  it('skips, naming how to log in, when there are no AWS credentials', () => {
    const denied = { kind: 'denied' as const, status: 0, message: 'no AWS credentials in the environment' };
    expect(awsStateBucketCheck('c', 'b', denied)).toEqual({
      id: 'state-bucket',
      scope: 'c',
      status: 'skip',
      message: 'skipped: no AWS credentials',
      fix: NO_AWS_CREDENTIALS,
    });
  });

  it('refuses a provider without the STS audience, and a repository prefix that only starts alike', () => {
    const provider = { arn: ARN, clientIds: ['sigstore'] };
    expect(
      awsOidcCheck('c', ROLE, 'o/r', { kind: 'ok', value: { provider, trust: undefined } }).message,
    ).toBe(`OIDC provider ${ARN} does not list the audience sts.amazonaws.com`);
    const trust = {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: ARN },
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:o/r-tools:ref:refs/heads/main' },
          },
        },
      ],
    };
    expect(
      awsOidcCheck('c', ROLE, 'o/r', {
        kind: 'ok',
        value: { provider: { arn: ARN, clientIds: ['sts.amazonaws.com'] }, trust },
      }).status,
    ).toBe('fail');
  });
});
