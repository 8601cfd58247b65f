// The Compute Engine API, for the one thing deploy-hub needs from it: the numeric id of the backend
// service GKE created for a hub's proxy-public Service (IAP's audience names that id). Reached by
// base URL (`compute-api-url`), so tests point it at a double; the token comes from the auth step.
import { HubfleetError } from '../errors.js';
import { backoffDelay } from '../retry/backoff.js';

export interface BackendService {
  id: string;
  name: string;
}

/** A Google SslCertificate as far as recreate-cert needs it: whether Compute still has it. */
export interface SslCertificate {
  name: string;
  id: string;
}

export interface ComputeClient {
  /** undefined when the backend service does not exist (yet). */
  getBackendService(project: string, name: string): Promise<BackendService | undefined>;
  /** undefined once Compute answers 404 (the certificate is gone). */
  getSslCertificate(project: string, name: string): Promise<SslCertificate | undefined>;
}

export interface ComputeClientOptions {
  baseUrl?: string;
  token: string;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
  timeoutMs?: number;
}

/** The Compute API refused the access token itself (HTTP 401): expired or not a token at all. */
export class ComputeTokenRejected extends HubfleetError {
  readonly status = 401;
}

export const DEFAULT_COMPUTE_API_URL = 'https://compute.googleapis.com';
const ATTEMPTS = 4;
/** 1, 2, 4 s between the four attempts. */
const RETRY_BACKOFF = { baseMs: 1000 };

export function createComputeClient(opts: ComputeClientOptions): ComputeClient {
  const base = (opts.baseUrl ?? DEFAULT_COMPUTE_API_URL).replace(/\/+$/, '');
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = opts.log ?? (() => undefined);
  /** GET a global resource; undefined on 404; retries 429/5xx and network errors. */
  async function getGlobal(
    project: string,
    collection: 'backendServices' | 'sslCertificates',
    name: string,
    what: string,
  ): Promise<{ id: string; name: string } | undefined> {
    const url = `${base}/compute/v1/projects/${encodeURIComponent(project)}/global/${collection}/${encodeURIComponent(name)}`;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        if (attempt < ATTEMPTS) {
          log(`Compute API: ${what}: ${e instanceof Error ? e.message : String(e)}; retrying`);
          await sleep(backoffDelay(RETRY_BACKOFF, attempt));
          continue;
        }
        throw new HubfleetError(`Compute API unreachable reading ${what}`, {
          hint: 'check compute-api-url and that the runner reaches compute.googleapis.com (Private Google Access)',
          cause: e,
        });
      }
      if (status === 404) return undefined;
      if ((status === 429 || status >= 500) && attempt < ATTEMPTS) {
        log(`Compute API: ${what}: HTTP ${status}; retrying`);
        await sleep(backoffDelay(RETRY_BACKOFF, attempt));
        continue;
      }
      if (status === 401) {
        throw new ComputeTokenRejected(
          `Compute API answered HTTP 401 reading ${what}: the access token was rejected (expired or invalid)`,
          {
            hint: 'pass a fresh gcp-access-token from the auth step (google-github-actions/auth token_format: access_token); an access token lasts an hour',
          },
        );
      }
      if (status !== 200) {
        throw new HubfleetError(
          `Compute API answered HTTP ${status} reading ${what}: ${text.slice(0, 300)}`,
          {
            hint:
              status === 403
                ? `the deployer identity needs compute.${collection}.get on the project (roles/compute.viewer) and a valid gcp-access-token`
                : 're-run the job; if it repeats, check the Compute API status',
          },
        );
      }
      const body = JSON.parse(text) as { id?: unknown; name?: unknown };
      if (typeof body.id !== 'string' && typeof body.id !== 'number') {
        throw new HubfleetError(`Compute API returned ${what} without an id`, {
          hint: 'check compute-api-url',
        });
      }
      return { id: String(body.id), name: typeof body.name === 'string' ? body.name : name };
    }
  }
  return {
    getBackendService: (project, name) =>
      getGlobal(project, 'backendServices', name, `backend service ${name} in project ${project}`),
    getSslCertificate: (project, name) =>
      getGlobal(project, 'sslCertificates', name, `SSL certificate ${name} in project ${project}`),
  };
}
