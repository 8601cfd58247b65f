// An AWS STS double for GetCallerIdentity, the one call hubfleet makes. It speaks STS's query
// protocol as documented in the STS API reference (GetCallerIdentity; "Common Errors"): a POST of
// `Action=GetCallerIdentity&Version=2011-06-15` as application/x-www-form-urlencoded, signed with
// SigV4, answered with GetCallerIdentityResponse XML, or an ErrorResponse with a 403 for
// credentials it does not know. The product reaches it through AWS_ENDPOINT_URL_STS (the SDK's
// standard service-specific endpoint variable); it listens on 127.0.0.1 on a random port.
// Identities are keyed by access key id, as STS keys them; the signature itself is not verified.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StsIdentity {
  account: string;
  arn: string;
  userId: string;
}

export interface StsRequest {
  method: string;
  path: string;
  contentType: string;
  /** The form fields of the body. */
  params: Record<string, string>;
  /** The access key id named in the Authorization header's Credential, if any. */
  accessKeyId: string | undefined;
  /** The SigV4 credential scope: region and service, e.g. us-west-2/sts. */
  scope: string | undefined;
}

export interface StsDouble {
  url: string;
  requests: StsRequest[];
  /** Adds (or replaces) the identity an access key id belongs to. */
  setIdentity(accessKeyId: string, identity: StsIdentity): void;
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function errorXml(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${xmlEscape(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

function identityXml(identity: StsIdentity, requestId: string): string {
  return `<GetCallerIdentityResponse xmlns="${NS}">\n  <GetCallerIdentityResult>\n    <Arn>${xmlEscape(identity.arn)}</Arn>\n    <UserId>${xmlEscape(identity.userId)}</UserId>\n    <Account>${xmlEscape(identity.account)}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStsDouble(identities: Record<string, StsIdentity> = {}): Promise<StsDouble> {
  const known = new Map(Object.entries(identities));
  const requests: StsRequest[] = [];
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
    const body = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').toString();
    const params = Object.fromEntries(new URLSearchParams(body));
    const auth = (req.headers['authorization'] ?? '').toString();
    const credential = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/.exec(
      auth,
    );
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      contentType,
      params,
      accessKeyId: credential?.[1],
      scope: credential ? `${credential[2]}/${credential[3]}` : undefined,
    });
    const send = (status: number, xml: string): void => {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(xml);
    };
    if (req.method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) {
      send(400, errorXml('Sender', 'InvalidAction', 'Could not find operation for this request', requestId));
      return;
    }
    if (params['Action'] !== 'GetCallerIdentity' || params['Version'] !== '2011-06-15') {
      send(
        400,
        errorXml(
          'Sender',
          'InvalidAction',
          `Could not find operation ${params['Action'] ?? ''} for version ${params['Version'] ?? ''}`,
          requestId,
        ),
      );
      return;
    }
    if (credential === null) {
      send(
        403,
        errorXml(
          'Sender',
          'MissingAuthenticationToken',
          'Request is missing Authentication Token',
          requestId,
        ),
      );
      return;
    }
    const identity = known.get(credential[1] ?? '');
    if (identity === undefined) {
      send(
        403,
        errorXml(
          'Sender',
          'InvalidClientTokenId',
          'The security token included in the request is invalid.',
          requestId,
        ),
      );
      return;
    }
    send(200, identityXml(identity, requestId));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setIdentity(accessKeyId, identity) {
      known.set(accessKeyId, identity);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The environment a job has after aws-actions/configure-aws-credentials, pointed at the double. */
export function stsEnvironment(
  double: StsDouble,
  accessKeyId: string,
  region = 'us-west-2',
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_STS: double.url,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'double-secret-access-key-not-a-real-one',
    AWS_SESSION_TOKEN: 'double-session-token',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    // No shared config or credentials files from the machine running the tests.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
