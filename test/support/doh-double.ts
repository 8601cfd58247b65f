// A DNS-over-HTTPS double speaking Google Public DNS's JSON API
// (https://developers.google.com/speed/public-dns/docs/doh/json): `GET /resolve?name=N&type=T`
// answers 200 with `{"Status": rcode, "Question": [...], "Answer": [{name, type, TTL, data}]}`;
// Status 0 (NOERROR) with no Answer for a name that has other records (NODATA), 3 (NXDOMAIN) for a
// name it does not know. Names are matched case-insensitively without the trailing dot, and
// answered with it, as the real service does. Every query is recorded.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, AAAA: 28 };

export interface DohDouble {
  /** The base URL for HUBFLEET_DOH_URL. */
  url: string;
  /** `name` → type (A, NS, …) → record data. */
  records: Map<string, Record<string, string[]>>;
  queries: Array<{ name: string; type: string }>;
  close(): Promise<void>;
}

export async function startDohDouble(): Promise<DohDouble> {
  const records = new Map<string, Record<string, string[]>>();
  const queries: DohDouble['queries'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const name = (url.searchParams.get('name') ?? '').toLowerCase().replace(/\.$/, '');
    const type = (url.searchParams.get('type') ?? 'A').toUpperCase();
    queries.push({ name, type });
    if (url.pathname !== '/resolve' || name === '' || TYPES[type] === undefined) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad query"}');
      return;
    }
    const known = records.get(name);
    const data = known?.[type] ?? [];
    res.writeHead(200, { 'content-type': 'application/x-javascript; charset=UTF-8' }).end(
      JSON.stringify({
        Status: known === undefined ? 3 : 0,
        TC: false,
        RD: true,
        RA: true,
        AD: false,
        CD: false,
        Question: [{ name: `${name}.`, type: TYPES[type] }],
        ...(data.length === 0
          ? {}
          : { Answer: data.map((d) => ({ name: `${name}.`, type: TYPES[type], TTL: 300, data: d })) }),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/resolve`,
    records,
    queries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
