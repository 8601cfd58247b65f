// A Compute Engine API double for `GET /compute/v1/projects/<p>/global/backendServices/<name>`
// (https://cloud.google.com/compute/docs/reference/rest/v1/backendServices/get): the resource with
// its numeric `id` (a uint64, sent as a decimal string), 404 with Google's error body when absent,
// 401 without the expected bearer token. Every request is recorded.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ComputeDouble {
  url: string;
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Adds (or replaces) a backend service of a project. */
  setBackendService(project: string, name: string, id: string): void;
  close(): Promise<void>;
}

export async function startComputeDouble(opts: { token: string }): Promise<ComputeDouble> {
  const services = new Map<string, { id: string; name: string }>();
  const requests: ComputeDouble['requests'] = [];
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
    const m = /^\/compute\/v1\/projects\/([^/]+)\/global\/backendServices\/([^/]+)$/.exec(path);
    const found = m
      ? services.get(`${decodeURIComponent(m[1] as string)}/${decodeURIComponent(m[2] as string)}`)
      : undefined;
    if (req.method !== 'GET' || found === undefined) {
      send(404, {
        error: {
          code: 404,
          message: `The resource '${path}' was not found`,
          errors: [{ reason: 'notFound' }],
        },
      });
      return;
    }
    send(200, { kind: 'compute#backendService', id: found.id, name: found.name, iap: { enabled: true } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setBackendService: (project, name, id) => services.set(`${project}/${name}`, { id, name }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
