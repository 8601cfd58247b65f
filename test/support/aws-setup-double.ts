// A double of the AWS reads `hubfleet doctor` makes, one HTTP server per service on 127.0.0.1, each
// answering the XML its API reference documents (the SDK parses it as it would AWS's):
// - S3 (REST-XML, path-style for an IP endpoint): `GET /{bucket}?versioning` →
//   `<VersioningConfiguration><Status>Enabled|Suspended</Status>` (no Status when never enabled;
//   S3 API Reference GetBucketVersioning), `GET /{bucket}?publicAccessBlock` →
//   `<PublicAccessBlockConfiguration>` or 404 `NoSuchPublicAccessBlockConfiguration`, 404
//   `NoSuchBucket` for an unknown bucket;
// - IAM (Query protocol, `POST /` form `Action=…&Version=2010-05-08`): ListOpenIDConnectProviders,
//   GetOpenIDConnectProvider (ClientIDList, Url), GetRole (AssumeRolePolicyDocument URL-encoded, as
//   IAM returns it), 404 `NoSuchEntity`;
// - Route 53 (REST-XML): `GET /2013-04-01/hostedzone/{Id}` → HostedZone (Name with a trailing dot,
//   Config.PrivateZone) and DelegationSet.NameServers, 404 `NoSuchHostedZone`.
// Requests without a SigV4 Authorization header for the double's access key answer 403. Every
// request is recorded as "<service> <method> <path>[?query| action]".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsDouble {
  /** AWS_ENDPOINT_URL_S3 / _IAM / _ROUTE_53 and static credentials, for the CLI's environment. */
  env: Record<string, string>;
  buckets: Map<string, { versioning?: 'Enabled' | 'Suspended'; blocked?: boolean }>;
  /** OIDC providers by ARN. */
  oidcProviders: Map<string, { url: string; clientIds: string[] }>;
  /** Roles by name: their trust policy. */
  roles: Map<string, unknown>;
  zones: Map<string, { name: string; nameServers: string[]; privateZone: boolean }>;
  requests: string[];
  close(): Promise<void>;
}

const ACCESS_KEY = 'AKIADOCTORDOUBLE';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startAwsDouble(): Promise<AwsDouble> {
  const double: Omit<AwsDouble, 'env' | 'close'> = {
    buckets: new Map(),
    oidcProviders: new Map(),
    roles: new Map(),
    zones: new Map(),
    requests: [],
  };
  const s3Error = (code: string, message: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>R1</RequestId></Error>`;
  const iamError = (code: string, message: string): string =>
    `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>R1</RequestId></ErrorResponse>`;
  const iamOk = (action: string, result: string): string =>
    `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>R1</RequestId></ResponseMetadata></${action}Response>`;

  type Handler = (method: string, url: URL, body: string) => [number, string];
  const handlers: Record<'S3' | 'IAM' | 'ROUTE_53', Handler> = {
    S3: (method, url) => {
      const bucket = decodeURIComponent(url.pathname.replace(/^\//, '').replace(/\/$/, ''));
      const b = double.buckets.get(bucket);
      if (method !== 'GET' || b === undefined)
        return [404, s3Error('NoSuchBucket', 'The specified bucket does not exist')];
      if (url.searchParams.has('versioning')) {
        return [
          200,
          `<?xml version="1.0" encoding="UTF-8"?><VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${b.versioning === undefined ? '' : `<Status>${b.versioning}</Status>`}</VersioningConfiguration>`,
        ];
      }
      if (url.searchParams.has('publicAccessBlock')) {
        if (b.blocked === undefined) {
          return [
            404,
            s3Error(
              'NoSuchPublicAccessBlockConfiguration',
              'The public access block configuration was not found',
            ),
          ];
        }
        const v = String(b.blocked);
        return [
          200,
          `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>${v}</BlockPublicAcls><IgnorePublicAcls>${v}</IgnorePublicAcls><BlockPublicPolicy>${v}</BlockPublicPolicy><RestrictPublicBuckets>${v}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
        ];
      }
      return [400, s3Error('InvalidRequest', 'unsupported')];
    },
    IAM: (method, _url, body) => {
      const form = new URLSearchParams(body);
      const action = form.get('Action') ?? '';
      if (method !== 'POST' || form.get('Version') !== '2010-05-08')
        return [400, iamError('InvalidAction', 'bad request')];
      if (action === 'ListOpenIDConnectProviders') {
        const members = [...double.oidcProviders.keys()]
          .map((arn) => `<member><Arn>${arn}</Arn></member>`)
          .join('');
        return [200, iamOk(action, `<OpenIDConnectProviderList>${members}</OpenIDConnectProviderList>`)];
      }
      if (action === 'GetOpenIDConnectProvider') {
        const p = double.oidcProviders.get(form.get('OpenIDConnectProviderArn') ?? '');
        if (p === undefined) return [404, iamError('NoSuchEntity', 'OpenIDConnect Provider not found')];
        const ids = p.clientIds.map((c) => `<member>${c}</member>`).join('');
        return [
          200,
          iamOk(
            action,
            `<ClientIDList>${ids}</ClientIDList><Url>${p.url}</Url><ThumbprintList><member>6938fd4d98bab03faadb97b34396831e3780aea1</member></ThumbprintList><CreateDate>2026-01-01T00:00:00Z</CreateDate>`,
          ),
        ];
      }
      if (action === 'GetRole') {
        const name = form.get('RoleName') ?? '';
        const trust = double.roles.get(name);
        if (trust === undefined)
          return [404, iamError('NoSuchEntity', `The role with name ${name} cannot be found.`)];
        return [
          200,
          iamOk(
            action,
            `<Role><Path>/</Path><RoleName>${name}</RoleName><RoleId>AROADOUBLE</RoleId><Arn>arn:aws:iam::111122223333:role/${name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>${esc(encodeURIComponent(JSON.stringify(trust)))}</AssumeRolePolicyDocument></Role>`,
          ),
        ];
      }
      return [400, iamError('InvalidAction', `${action} is not supported by the double`)];
    },
    ROUTE_53: (method, url) => {
      const m = /^\/2013-04-01\/hostedzone\/([^/]+)$/.exec(url.pathname);
      const id = m?.[1] ?? '';
      const z = double.zones.get(id);
      if (method !== 'GET' || z === undefined) {
        return [
          404,
          `<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type><Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: ${id}</Message></Error><RequestId>R1</RequestId></ErrorResponse>`,
        ];
      }
      const ns = z.nameServers.map((n) => `<NameServer>${n}</NameServer>`).join('');
      return [
        200,
        `<?xml version="1.0"?><GetHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone><Id>/hostedzone/${id}</Id><Name>${z.name}</Name><CallerReference>ref</CallerReference><Config><PrivateZone>${String(z.privateZone)}</PrivateZone></Config><ResourceRecordSetCount>2</ResourceRecordSetCount></HostedZone><DelegationSet><NameServers>${ns}</NameServers></DelegationSet></GetHostedZoneResponse>`,
      ];
    },
  };

  const servers: Server[] = [];
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'doctor-double-secret',
  };
  for (const service of ['S3', 'IAM', 'ROUTE_53'] as const) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://double');
        const body = Buffer.concat(chunks).toString('utf8');
        const method = req.method ?? 'GET';
        const action = new URLSearchParams(body).get('Action');
        double.requests.push(
          `${service} ${method} ${url.pathname}${action === null ? url.search : ` ${action}`}`,
        );
        const auth = req.headers.authorization ?? '';
        const [status, xml] = auth.startsWith(`AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/`)
          ? handlers[service](method, url, body)
          : [403, s3Error('AccessDenied', 'Access Denied')];
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'R1' }).end(xml);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    env[`AWS_ENDPOINT_URL_${service}`] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    ...double,
    env,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
