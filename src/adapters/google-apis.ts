// The Google Cloud reads `hubfleet doctor` makes, each through its service's REST API reached by
// base URL (HUBFLEET_<SERVICE>_API_URL, default https://<service>.googleapis.com), with the access
// token it is given. Each read answers a Fetched value: 404 is `missing`, 401/403 `denied`, so a
// check decides on them; 429, 5xx and network failures are retried, then `error`.
import { errorMessage } from '../errors.js';
import type { Fetched } from '../doctor/model.js';
import type {
  BucketFacts,
  IamPolicy,
  WifPoolFacts,
  WifProviderFacts,
  ZoneFacts,
} from '../doctor/gcp-checks.js';
import type { PerimeterFacts } from '../doctor/network-checks.js';
import { backoffDelay } from '../retry/backoff.js';

export const GOOGLE_SERVICES = [
  'serviceusage',
  'storage',
  'iam',
  'dns',
  'compute',
  'iap',
  'accesscontextmanager',
] as const;
export type GoogleService = (typeof GOOGLE_SERVICES)[number];
export type GoogleApiUrls = Record<GoogleService, string>;

/** HUBFLEET_SERVICEUSAGE_API_URL, HUBFLEET_STORAGE_API_URL, … or Google's endpoint. */
export function googleApiUrls(env: NodeJS.ProcessEnv): GoogleApiUrls {
  const urls = {} as GoogleApiUrls;
  for (const service of GOOGLE_SERVICES) {
    const value = env[`HUBFLEET_${service.toUpperCase()}_API_URL`];
    urls[service] = (
      value === undefined || value === '' ? `https://${service}.googleapis.com` : value
    ).replace(/\/+$/, '');
  }
  return urls;
}

export interface GoogleApis {
  /** Service Usage services.list with filter=state:ENABLED: the enabled service names. */
  listEnabledServices(projectNumber: string): Promise<Fetched<string[]>>;
  /** Cloud Storage buckets.get. */
  getBucket(bucket: string): Promise<Fetched<BucketFacts>>;
  /** IAM projects.locations.workloadIdentityPools(.providers).get, by full resource name. */
  getWifProvider(name: string): Promise<Fetched<WifProviderFacts>>;
  getWifPool(name: string): Promise<Fetched<WifPoolFacts>>;
  /** Cloud DNS managedZones.get. */
  getManagedZone(project: string, zone: string): Promise<Fetched<ZoneFacts>>;
  /** Compute globalAddresses.get. */
  getGlobalAddress(project: string, name: string): Promise<Fetched<{ address: string }>>;
  /** IAP getIamPolicy on the project's IAP web resource (`projects/<n>/iap_web`), policy version 3. */
  getIapWebPolicy(projectNumber: string): Promise<Fetched<IamPolicy>>;
  /**
   * Access Context Manager accessPolicies.servicePerimeters.get
   * (`GET /v1/accessPolicies/{p}/servicePerimeters/{name}`): the enforced configuration's
   * `status.resources` (`projects/<number>` entries); a perimeter with no status lists none.
   */
  getServicePerimeter(name: string): Promise<Fetched<PerimeterFacts>>;
}

const ATTEMPTS = 3;

export function createGoogleApis(opts: {
  token: string;
  urls: GoogleApiUrls;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}): GoogleApis {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { urls } = opts;

  async function call(url: string, body?: unknown): Promise<Fetched<Record<string, unknown>>> {
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const res = await fetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            authorization: `Bearer ${opts.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
        status = res.status;
        text = await res.text();
      } catch (error: unknown) {
        if (attempt < ATTEMPTS) {
          await sleep(backoffDelay({ baseMs: 1000 }, attempt));
          continue;
        }
        return { kind: 'error', message: `${new URL(url).origin}: ${errorMessage(error)}` };
      }
      if ((status === 429 || status >= 500) && attempt < ATTEMPTS) {
        await sleep(backoffDelay({ baseMs: 1000 }, attempt));
        continue;
      }
      if (status === 404) return { kind: 'missing' };
      const parsed = parseObject(text);
      if (status === 401 || status === 403) {
        return { kind: 'denied', status, message: googleMessage(parsed) ?? `HTTP ${status}` };
      }
      if (status !== 200 || parsed === undefined) {
        const why = googleMessage(parsed) ?? (parsed === undefined ? 'not a JSON object' : '');
        return { kind: 'error', message: `${new URL(url).origin} answered HTTP ${status}: ${why}` };
      }
      return { kind: 'ok', value: parsed };
    }
  }

  const map = <T>(
    fetched: Fetched<Record<string, unknown>>,
    fn: (v: Record<string, unknown>) => T,
  ): Fetched<T> => (fetched.kind === 'ok' ? { kind: 'ok', value: fn(fetched.value) } : fetched);

  return {
    async listEnabledServices(projectNumber) {
      const names: string[] = [];
      let pageToken: string | undefined;
      do {
        const url = new URL(`${urls.serviceusage}/v1/projects/${encodeURIComponent(projectNumber)}/services`);
        url.searchParams.set('filter', 'state:ENABLED');
        url.searchParams.set('pageSize', '200');
        if (pageToken !== undefined) url.searchParams.set('pageToken', pageToken);
        const page = await call(url.toString());
        if (page.kind !== 'ok') return page;
        const services = Array.isArray(page.value['services']) ? (page.value['services'] as unknown[]) : [];
        for (const s of services) {
          // `name` is projects/<n>/services/<service>; config.name is the service name itself.
          const name = str(obj(obj(s)?.['config'])?.['name']) ?? str(obj(s)?.['name'])?.split('/').pop();
          if (name !== undefined) names.push(name);
        }
        pageToken = str(page.value['nextPageToken']);
      } while (pageToken !== undefined && pageToken !== '');
      return { kind: 'ok', value: names };
    },
    async getBucket(bucket) {
      return map(await call(`${urls.storage}/storage/v1/b/${encodeURIComponent(bucket)}`), (v) => ({
        versioningEnabled: obj(v['versioning'])?.['enabled'] === true,
        publicAccessPrevention: str(obj(v['iamConfiguration'])?.['publicAccessPrevention']),
      }));
    },
    async getWifProvider(name) {
      return map(await call(`${urls.iam}/v1/${name}`), (v) => ({
        state: str(v['state']),
        disabled: v['disabled'] === true,
        attributeCondition: str(v['attributeCondition']),
        issuerUri: str(obj(v['oidc'])?.['issuerUri']),
      }));
    },
    async getWifPool(name) {
      return map(await call(`${urls.iam}/v1/${name}`), (v) => ({
        state: str(v['state']),
        disabled: v['disabled'] === true,
      }));
    },
    async getManagedZone(project, zone) {
      return map(
        await call(
          `${urls.dns}/dns/v1/projects/${encodeURIComponent(project)}/managedZones/${encodeURIComponent(zone)}`,
        ),
        (v) => ({
          dnsName: str(v['dnsName']) ?? '',
          nameServers: Array.isArray(v['nameServers'])
            ? (v['nameServers'] as unknown[]).filter((n): n is string => typeof n === 'string')
            : [],
          visibility: str(v['visibility']),
        }),
      );
    },
    async getGlobalAddress(project, name) {
      return map(
        await call(
          `${urls.compute}/compute/v1/projects/${encodeURIComponent(project)}/global/addresses/${encodeURIComponent(name)}`,
        ),
        (v) => ({ address: str(v['address']) ?? '' }),
      );
    },
    async getServicePerimeter(name) {
      // The name is validated by the schema (accessPolicies/<n>/servicePerimeters/<name>); its
      // slashes are the resource path, not encoded.
      return map(await call(`${urls.accesscontextmanager}/v1/${name}`), (v) => {
        const resources = obj(v['status'])?.['resources'];
        return {
          resources: Array.isArray(resources)
            ? resources.filter((r): r is string => typeof r === 'string')
            : [],
        };
      });
    },
    async getIapWebPolicy(projectNumber) {
      // Conditional bindings (request.host) are returned only for requestedPolicyVersion 3.
      return map(
        await call(`${urls.iap}/v1/projects/${encodeURIComponent(projectNumber)}/iap_web:getIamPolicy`, {
          options: { requestedPolicyVersion: 3 },
        }),
        (v) => ({
          bindings: (Array.isArray(v['bindings']) ? (v['bindings'] as unknown[]) : []).flatMap((b) => {
            const role = str(obj(b)?.['role']);
            if (role === undefined) return [];
            const members = obj(b)?.['members'];
            const expression = str(obj(obj(b)?.['condition'])?.['expression']);
            return [
              {
                role,
                members: Array.isArray(members)
                  ? members.filter((m): m is string => typeof m === 'string')
                  : [],
                ...(expression === undefined ? {} : { condition: { expression } }),
              },
            ];
          }),
        }),
      );
    },
  };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return obj(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Google's error body: `{"error": {"code", "message", "status"}}`. */
function googleMessage(body: Record<string, unknown> | undefined): string | undefined {
  return str(obj(body?.['error'])?.['message']);
}
