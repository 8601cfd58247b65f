// The AWS adapter: who the job's AWS credentials belong to (STS GetCallerIdentity). The SDK finds
// credentials and the endpoint the standard way (AWS_* environment, shared config), so
// AWS_ENDPOINT_URL_STS points it at another STS endpoint without any option here.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HubfleetError, errorMessage } from '../errors.js';
import type { AwsCallerIdentity } from '../tfplan/identity.js';

export async function getCallerIdentity(opts: {
  region: string;
  timeoutMs?: number;
}): Promise<AwsCallerIdentity> {
  const client = new STSClient({ region: opts.region, maxAttempts: 3 });
  try {
    const answer = await client.send(new GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    if (answer.Account === undefined || answer.Arn === undefined) {
      throw new Error('the answer has no Account or Arn');
    }
    return answer.UserId === undefined
      ? { account: answer.Account, arn: answer.Arn }
      : { account: answer.Account, arn: answer.Arn, userId: answer.UserId };
  } catch (error: unknown) {
    throw new HubfleetError(`STS GetCallerIdentity failed: ${errorMessage(error)}`, {
      hint: 'run aws-actions/configure-aws-credentials (role-to-assume = cluster.yaml aws.roleArn) earlier in the job; nothing was applied',
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
