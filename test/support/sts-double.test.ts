import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startStsDouble, stsEnvironment, type StsDouble } from './sts-double.js';

// The double's contract, checked with the real AWS SDK (what the product uses) and with raw HTTP.

let sts: StsDouble;
const identity = {
  account: '111122223333',
  arn: 'arn:aws:sts::111122223333:assumed-role/hubfleet-deployer/GitHubActions',
  userId: 'AROAEXAMPLEID:GitHubActions',
};

beforeAll(async () => {
  sts = await startStsDouble({ AKIADOUBLEKNOWN: identity });
});
afterAll(async () => {
  await sts.close();
});

function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return fn().finally(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

describe('STS double', () => {
  it('answers GetCallerIdentity to the real SDK, found through AWS_ENDPOINT_URL_STS', async () => {
    const answer = await withEnv(stsEnvironment(sts, 'AKIADOUBLEKNOWN'), async () => {
      const client = new STSClient({ region: 'us-west-2' });
      try {
        return await client.send(new GetCallerIdentityCommand({}));
      } finally {
        client.destroy();
      }
    });
    expect({ Account: answer.Account, Arn: answer.Arn, UserId: answer.UserId }).toEqual({
      Account: identity.account,
      Arn: identity.arn,
      UserId: identity.userId,
    });
    const last = sts.requests.at(-1);
    expect(last).toEqual({
      method: 'POST',
      path: '/',
      contentType: expect.stringMatching(/^application\/x-www-form-urlencoded/) as unknown as string,
      params: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      accessKeyId: 'AKIADOUBLEKNOWN',
      scope: 'us-west-2/sts',
    });
  });

  it('refuses unknown credentials with the InvalidClientTokenId error the SDK surfaces', async () => {
    const failure = await withEnv(stsEnvironment(sts, 'AKIAUNKNOWN'), async () => {
      const client = new STSClient({ region: 'us-west-2', maxAttempts: 1 });
      try {
        await client.send(new GetCallerIdentityCommand({}));
        return undefined;
      } catch (error: unknown) {
        return error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      } finally {
        client.destroy();
      }
    });
    expect(failure?.name).toBe('InvalidClientTokenId');
    expect(failure?.message).toBe('The security token included in the request is invalid.');
    expect(failure?.$metadata?.httpStatusCode).toBe(403);
  });

  it('answers other actions and unsigned requests with query-protocol errors', async () => {
    const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${sts.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
        body,
      });
    const wrongAction = await post('Action=AssumeRole&Version=2011-06-15');
    expect(wrongAction.status).toBe(400);
    expect(await wrongAction.text()).toContain('<Code>InvalidAction</Code>');
    const unsigned = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
