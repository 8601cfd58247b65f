// The AWS reads `hubfleet doctor` makes for an EKS cluster: the state bucket's versioning and
// public access block (S3), GitHub's OIDC provider and the applier role's trust (IAM), and the
// hosted zone's delegation set (Route 53). The SDK signs and finds credentials the standard way;
// the environment the CLI runs with may name endpoints (AWS_ENDPOINT_URL_S3, _IAM, _ROUTE_53, as
// the SDK's own service-specific endpoint variables) and static credentials, which are passed on
// explicitly so the command acts on the environment it was given. Each read answers a Fetched
// value; missing credentials are `denied` with status 0.
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetBucketVersioningCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from '../errors.js';
import type { Fetched } from '../doctor/model.js';

export interface AwsBucketFacts {
  /** GetBucketVersioning Status: Enabled, Suspended, or undefined (never enabled). */
  versioning: string | undefined;
  /** Every flag of GetPublicAccessBlock is true; false when any is off or none is configured. */
  publicAccessBlocked: boolean;
}

export interface AwsOidcFacts {
  /** The provider for token.actions.githubusercontent.com, or undefined when there is none. */
  provider: { arn: string; clientIds: string[] } | undefined;
  /** The applier role's trust policy (AssumeRolePolicyDocument), parsed. */
  trust: unknown;
}

export interface AwsZoneFacts {
  name: string;
  nameServers: string[];
  privateZone: boolean;
}

export interface AwsSetup {
  getBucket(bucket: string): Promise<Fetched<AwsBucketFacts>>;
  getOidc(roleArn: string): Promise<Fetched<AwsOidcFacts>>;
  getHostedZone(id: string): Promise<Fetched<AwsZoneFacts>>;
}

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export function createAwsSetup(opts: {
  region: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): AwsSetup {
  const { env } = opts;
  const endpoint = (name: string): { endpoint?: string } => {
    const v = env[`AWS_ENDPOINT_URL_${name}`];
    return v === undefined || v === '' ? {} : { endpoint: v };
  };
  const key = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  const session = env['AWS_SESSION_TOKEN'];
  const credentials =
    key !== undefined && key !== '' && secret !== undefined && secret !== ''
      ? {
          credentials: {
            accessKeyId: key,
            secretAccessKey: secret,
            ...(session === undefined || session === '' ? {} : { sessionToken: session }),
          },
        }
      : {};
  const common = { region: opts.region, maxAttempts: 3, ...credentials };
  const signal = (): { abortSignal: AbortSignal } => ({
    abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });

  async function read<T>(fn: () => Promise<T>): Promise<Fetched<T>> {
    try {
      return { kind: 'ok', value: await fn() };
    } catch (error: unknown) {
      const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
      const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
      const name = typeof e.name === 'string' ? e.name : '';
      if (name === 'CredentialsProviderError') {
        return { kind: 'denied', status: 0, message: 'no AWS credentials in the environment' };
      }
      if (
        status === 404 ||
        name === 'NoSuchBucket' ||
        name === 'NoSuchEntityException' ||
        name === 'NoSuchHostedZone'
      ) {
        return { kind: 'missing' };
      }
      if (status === 401 || status === 403)
        return { kind: 'denied', status, message: `${name}: ${errorMessage(error)}` };
      return { kind: 'error', message: errorMessage(error) };
    }
  }

  return {
    getBucket: (bucket) =>
      read(async () => {
        // A state bucket in another region than the cluster is fine: S3 answers a redirect the SDK follows.
        const s3 = new S3Client({ ...common, ...endpoint('S3'), followRegionRedirects: true });
        try {
          const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }), signal());
          let publicAccessBlocked = false;
          try {
            const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), signal());
            const c = block.PublicAccessBlockConfiguration;
            publicAccessBlocked =
              c?.BlockPublicAcls === true &&
              c.IgnorePublicAcls === true &&
              c.BlockPublicPolicy === true &&
              c.RestrictPublicBuckets === true;
          } catch (error: unknown) {
            // No configuration on the bucket: nothing blocks public access at the bucket level.
            if ((error as { name?: unknown }).name !== 'NoSuchPublicAccessBlockConfiguration') throw error;
          }
          return { versioning: versioning.Status, publicAccessBlocked };
        } finally {
          s3.destroy();
        }
      }),
    getOidc: (roleArn) =>
      read(async () => {
        const iam = new IAMClient({ ...common, ...endpoint('IAM') });
        try {
          const list = await iam.send(new ListOpenIDConnectProvidersCommand({}), signal());
          const arn = (list.OpenIDConnectProviderList ?? [])
            .map((p) => p.Arn ?? '')
            .find((a) => a.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`));
          let provider: AwsOidcFacts['provider'];
          if (arn !== undefined) {
            const got = await iam.send(
              new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }),
              signal(),
            );
            provider = { arn, clientIds: got.ClientIDList ?? [] };
          }
          const roleName = roleArn.split('/').pop() ?? '';
          const role = await iam.send(new GetRoleCommand({ RoleName: roleName }), signal());
          // IAM returns the trust policy URL-encoded (GetRole, AssumeRolePolicyDocument).
          const document = role.Role?.AssumeRolePolicyDocument;
          let trust: unknown;
          try {
            trust = document === undefined ? undefined : JSON.parse(decodeURIComponent(document));
          } catch {
            trust = undefined;
          }
          return { provider, trust };
        } finally {
          iam.destroy();
        }
      }),
    getHostedZone: (id) =>
      read(async () => {
        const r53 = new Route53Client({ ...common, ...endpoint('ROUTE_53') });
        try {
          const zone = await r53.send(new GetHostedZoneCommand({ Id: id }), signal());
          return {
            name: zone.HostedZone?.Name ?? '',
            nameServers: zone.DelegationSet?.NameServers ?? [],
            privateZone: zone.HostedZone?.Config?.PrivateZone === true,
          };
        } finally {
          r53.destroy();
        }
      }),
  };
}
