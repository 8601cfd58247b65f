// A double of the Google Cloud REST reads `hubfleet doctor` makes, one HTTP server per service on
// 127.0.0.1 (as each service has its own host), each answering what its API reference documents:
// - Service Usage `GET /v1/projects/{n}/services?filter=state:ENABLED&pageSize&pageToken`
//   (https://cloud.google.com/service-usage/docs/reference/rest/v1/services/list): `services[]`
//   with `name: projects/{n}/services/{svc}`, `config.name`, `state`; `nextPageToken` per page;
// - Cloud Storage `GET /storage/v1/b/{bucket}` (https://cloud.google.com/storage/docs/json_api/v1/buckets/get):
//   `versioning.enabled`, `iamConfiguration.publicAccessPrevention`;
// - IAM `GET /v1/projects/{n}/locations/global/workloadIdentityPools/{pool}[/providers/{p}]`
//   (https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers/get):
//   `state` ACTIVE|DELETED, `disabled`, `attributeCondition`, `oidc.issuerUri`;
// - Cloud DNS `GET /dns/v1/projects/{p}/managedZones/{z}` (https://cloud.google.com/dns/docs/reference/rest/v1/managedZones/get):
//   `dnsName` (trailing dot), `nameServers`, `visibility`;
// - Compute `GET /compute/v1/projects/{p}/global/addresses/{name}`
//   (https://cloud.google.com/compute/docs/reference/rest/v1/globalAddresses/get): `address`, `status`;
// - IAP `POST /v1/projects/{n}/iap_web:getIamPolicy` (https://cloud.google.com/iap/docs/reference/rest/v1/V1/getIamPolicy):
//   a Policy; conditional bindings only when `options.requestedPolicyVersion` is 3 (IAM "Policy
//   versions": a lower version gets an error for a policy with conditions);
// - Access Context Manager `GET /v1/accessPolicies/{policy}/servicePerimeters/{name}`
//   (https://cloud.google.com/access-context-manager/docs/reference/rest/v1/accessPolicies.servicePerimeters/get):
//   a ServicePerimeter with `name`, `title`, `perimeterType` and `status` (ServicePerimeterConfig:
//   `resources` as `projects/{project_number}`, `restrictedServices`); a perimeter without an
//   enforced configuration has no `status`.
// Absent resources answer 404 and a wrong or missing bearer token 401, with Google's error body;
// `deny` makes a service answer 403 PERMISSION_DENIED. Every request is recorded.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GOOGLE_SERVICES, type GoogleApiUrls, type GoogleService } from '../../src/adapters/google-apis.js';

export interface GoogleDoubleState {
  /** Enabled service names per project number. */
  enabledServices: Map<string, string[]>;
  buckets: Map<string, { versioning?: boolean; publicAccessPrevention?: string }>;
  /** By full resource name (a pool or a provider). */
  wif: Map<string, Record<string, unknown>>;
  /** `<project>/<zone>` → the zone resource. */
  zones: Map<string, { dnsName: string; nameServers: string[]; visibility: string }>;
  /** `<project>/<name>` → the address. */
  addresses: Map<string, string>;
  /** Per project number. */
  iapPolicies: Map<string, { bindings: Array<Record<string, unknown>> }>;
  /** By full name (accessPolicies/<n>/servicePerimeters/<name>); no resources: no `status`. */
  perimeters: Map<string, { resources?: string[] }>;
}

export interface GoogleDouble {
  urls: GoogleApiUrls;
  /** HUBFLEET_<SERVICE>_API_URL for every service. */
  env: Record<string, string>;
  state: GoogleDoubleState;
  requests: Array<{ service: GoogleService; method: string; path: string; query: string; body: string }>;
  /** Services that answer 403 to everything. */
  deny: Set<GoogleService>;
  close(): Promise<void>;
}

const PAGE = 2;

export async function startGoogleDouble(opts: { token: string }): Promise<GoogleDouble> {
  const state: GoogleDoubleState = {
    enabledServices: new Map(),
    buckets: new Map(),
    wif: new Map(),
    zones: new Map(),
    addresses: new Map(),
    iapPolicies: new Map(),
    perimeters: new Map(),
  };
  const requests: GoogleDouble['requests'] = [];
  const deny = new Set<GoogleService>();
  const servers: Server[] = [];
  const urls = {} as GoogleApiUrls;

  const error = (code: number, status: string, message: string): unknown => ({
    error: { code, message, status },
  });

  function answer(
    service: GoogleService,
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): [number, unknown] {
    const notFound: [number, unknown] = [404, error(404, 'NOT_FOUND', `${path} was not found`)];
    if (service === 'serviceusage') {
      const m = /^\/v1\/projects\/([^/]+)\/services$/.exec(path);
      if (method !== 'GET' || !m) return notFound;
      const all = state.enabledServices.get(decodeURIComponent(m[1] ?? ''));
      if (all === undefined) return notFound;
      if (query.get('filter') !== 'state:ENABLED')
        return [400, error(400, 'INVALID_ARGUMENT', 'filter expected')];
      const size = Math.min(Number(query.get('pageSize') ?? '50'), PAGE);
      const start = Number(query.get('pageToken') ?? '0');
      const page = all.slice(start, start + size).map((name) => ({
        name: `projects/${m[1] ?? ''}/services/${name}`,
        config: { name },
        state: 'ENABLED',
      }));
      return [
        200,
        { services: page, ...(start + size < all.length ? { nextPageToken: String(start + size) } : {}) },
      ];
    }
    if (service === 'storage') {
      const m = /^\/storage\/v1\/b\/([^/]+)$/.exec(path);
      const bucket = m ? state.buckets.get(decodeURIComponent(m[1] ?? '')) : undefined;
      if (method !== 'GET' || bucket === undefined) return notFound;
      return [
        200,
        {
          kind: 'storage#bucket',
          name: decodeURIComponent(m?.[1] ?? ''),
          ...(bucket.versioning === undefined ? {} : { versioning: { enabled: bucket.versioning } }),
          iamConfiguration: {
            uniformBucketLevelAccess: { enabled: true },
            publicAccessPrevention: bucket.publicAccessPrevention ?? 'inherited',
          },
        },
      ];
    }
    if (service === 'iam') {
      const resource = state.wif.get(path.replace(/^\/v1\//, ''));
      return method === 'GET' && resource !== undefined ? [200, resource] : notFound;
    }
    if (service === 'dns') {
      const m = /^\/dns\/v1\/projects\/([^/]+)\/managedZones\/([^/]+)$/.exec(path);
      const zone = m ? state.zones.get(`${m[1] ?? ''}/${m[2] ?? ''}`) : undefined;
      return method === 'GET' && zone !== undefined
        ? [200, { kind: 'dns#managedZone', name: m?.[2], ...zone }]
        : notFound;
    }
    if (service === 'compute') {
      const m = /^\/compute\/v1\/projects\/([^/]+)\/global\/addresses\/([^/]+)$/.exec(path);
      const address = m ? state.addresses.get(`${m[1] ?? ''}/${m[2] ?? ''}`) : undefined;
      if (method !== 'GET' || address === undefined) return notFound;
      return [
        200,
        { kind: 'compute#address', name: m?.[2], address, status: 'RESERVED', addressType: 'EXTERNAL' },
      ];
    }
    if (service === 'accesscontextmanager') {
      const m = /^\/v1\/(accessPolicies\/[^/]+\/servicePerimeters\/[^/]+)$/.exec(path);
      const perimeter = m ? state.perimeters.get(m[1] ?? '') : undefined;
      if (method !== 'GET' || perimeter === undefined) return notFound;
      return [
        200,
        {
          name: m?.[1],
          title: m?.[1]?.split('/').pop(),
          perimeterType: 'PERIMETER_TYPE_REGULAR',
          ...(perimeter.resources === undefined
            ? {}
            : { status: { resources: perimeter.resources, restrictedServices: ['storage.googleapis.com'] } }),
        },
      ];
    }
    const m = /^\/v1\/projects\/([^/]+)\/iap_web:getIamPolicy$/.exec(path);
    const policy = m ? state.iapPolicies.get(m[1] ?? '') : undefined;
    if (method !== 'POST' || policy === undefined) return notFound;
    const version = (
      JSON.parse(body === '' ? '{}' : body) as { options?: { requestedPolicyVersion?: number } }
    ).options?.requestedPolicyVersion;
    if (policy.bindings.some((b) => b['condition'] !== undefined) && version !== 3) {
      return [400, error(400, 'INVALID_ARGUMENT', 'the policy has conditions: request policy version 3')];
    }
    return [200, { version: 3, etag: 'BwW=', bindings: policy.bindings }];
  }

  for (const service of GOOGLE_SERVICES) {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://double');
        const body = Buffer.concat(chunks).toString('utf8');
        const method = req.method ?? 'GET';
        requests.push({ service, method, path: url.pathname, query: url.search, body });
        const send = (status: number, payload: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
        };
        if (req.headers.authorization !== `Bearer ${opts.token}`) {
          send(401, error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
        } else if (deny.has(service)) {
          send(403, error(403, 'PERMISSION_DENIED', `Permission denied on resource (or it may not exist).`));
        } else {
          const [status, payload] = answer(service, method, url.pathname, url.searchParams, body);
          send(status, payload);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls[service] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const env = Object.fromEntries(
    GOOGLE_SERVICES.map((s) => [`HUBFLEET_${s.toUpperCase()}_API_URL`, urls[s]]),
  );
  return {
    urls,
    env,
    state,
    requests,
    deny,
    close: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
