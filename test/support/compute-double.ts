// A Compute Engine API double for the two global collections hubfleet reads:
// `GET /compute/v1/projects/<p>/global/backendServices/<name>`
// (https://cloud.google.com/compute/docs/reference/rest/v1/backendServices/get) and
// `GET /compute/v1/projects/<p>/global/sslCertificates/<name>`
// (https://cloud.google.com/compute/docs/reference/rest/v1/sslCertificates/get): the resource with
// its numeric `id` (a uint64, sent as a decimal string), 404 with Google's error body when absent,
// 401 without the expected bearer token. Every request is recorded.
//
// The GKE controllers' double (gke-controllers-double.ts) writes here what the real controllers
// write to Compute: backend services (ingress-gce) and SslCertificates (gke-managed-certs). As
// Compute does, deleting an SslCertificate that a target HTTPS proxy still uses is refused
// (`resourceInUseByAnotherResource`), so the certificate outlives its ManagedCertificate until the
// load balancer that served it is gone.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ComputeSslCertificate {
  id: string;
  name: string;
  domains: string[];
  /** Compute's managed.status: ACTIVE, PROVISIONING, PROVISIONING_FAILED, … */
  status: string;
  /** Compute's managed.domainStatus: ACTIVE, PROVISIONING, FAILED_NOT_VISIBLE, … per domain. */
  domainStatus: Record<string, string>;
}

export interface ComputeDouble {
  url: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Adds (or replaces) a backend service of a project. */
  setBackendService(project: string, name: string, id: string): void;
  deleteBackendService(project: string, name: string): void;
  backendService(project: string, name: string): { id: string; name: string } | undefined;
  /** Adds (or replaces) an SslCertificate, as gke-managed-certs' ssl.Create does. */
  setSslCertificate(project: string, cert: ComputeSslCertificate): void;
  sslCertificate(project: string, name: string): ComputeSslCertificate | undefined;
  /** Deletes it unless `inUse` says a target proxy still uses it; then 'in-use'. */
  deleteSslCertificate(project: string, name: string): 'deleted' | 'absent' | 'in-use';
  /** Which certificates target proxies use right now (set by the ingress-gce double). */
  inUse: (project: string, name: string) => boolean;
  /** A fresh numeric id, as Compute assigns one to every new resource. */
  newId(): string;
  close(): Promise<void>;
}

export async function startComputeDouble(opts: { token: string }): Promise<ComputeDouble> {
  const services = new Map<string, { id: string; name: string }>();
  const certificates = new Map<string, ComputeSslCertificate>();
  const requests: ComputeDouble['requests'] = [];
  let nextId = 4155678901234567000n;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization === undefined ? undefined : '[present]',
    });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) {
      send(401, {
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      });
      return;
    }
    const m = /^\/compute\/v1\/projects\/([^/]+)\/global\/(backendServices|sslCertificates)\/([^/]+)$/.exec(
      path,
    );
    const key = m ? `${decodeURIComponent(m[1] as string)}/${decodeURIComponent(m[3] as string)}` : '';
    const service = m?.[2] === 'backendServices' ? services.get(key) : undefined;
    const cert = m?.[2] === 'sslCertificates' ? certificates.get(key) : undefined;
    if (req.method === 'GET' && service !== undefined) {
      send(200, {
        kind: 'compute#backendService',
        id: service.id,
        name: service.name,
        iap: { enabled: true },
      });
      return;
    }
    if (req.method === 'GET' && cert !== undefined) {
      send(200, {
        kind: 'compute#sslCertificate',
        id: cert.id,
        name: cert.name,
        type: 'MANAGED',
        managed: { domains: cert.domains, status: cert.status, domainStatus: cert.domainStatus },
      });
      return;
    }
    send(404, {
      error: {
        code: 404,
        message: `The resource '${path}' was not found`,
        errors: [{ reason: 'notFound' }],
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const double: ComputeDouble = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setBackendService: (project, name, id) => services.set(`${project}/${name}`, { id, name }),
    deleteBackendService: (project, name) => services.delete(`${project}/${name}`),
    backendService: (project, name) => services.get(`${project}/${name}`),
    setSslCertificate: (project, cert) => certificates.set(`${project}/${cert.name}`, structuredClone(cert)),
    sslCertificate: (project, name) => {
      const cert = certificates.get(`${project}/${name}`);
      return cert === undefined ? undefined : structuredClone(cert);
    },
    deleteSslCertificate(project, name) {
      if (!certificates.has(`${project}/${name}`)) return 'absent';
      if (double.inUse(project, name)) return 'in-use';
      certificates.delete(`${project}/${name}`);
      return 'deleted';
    },
    inUse: () => false,
    newId: () => String(++nextId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return double;
}
