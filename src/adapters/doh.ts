// What public DNS says, asked over HTTPS: Google Public DNS's JSON API
// (https://developers.google.com/speed/public-dns/docs/doh/json: `GET /resolve?name=&type=`,
// answering `{"Status": <rcode>, "Answer": [{"name", "type", "TTL", "data"}]}`), which
// cloudflare-dns.com/dns-query also serves with `accept: application/dns-json`. Over HTTPS because
// an in-VPC runner's own resolver may answer from a private zone or a forwarder, and `doctor` must
// ask what the world sees. The base URL comes from HUBFLEET_DOH_URL, so tests point it at a double.

/** DNS record types by number (RFC 1035 §3.2.2). */
export const DNS_TYPES = { A: 1, NS: 2, CNAME: 5 } as const;

export type DohAnswer =
  | { kind: 'answer'; rcode: number; records: Array<{ name: string; type: number; data: string }> }
  | { kind: 'error'; message: string };

export const DEFAULT_DOH_URL = 'https://dns.google/resolve';

export interface DohResolver {
  query(name: string, type: keyof typeof DNS_TYPES): Promise<DohAnswer>;
}

export function createDohResolver(opts: { url?: string; timeoutMs?: number } = {}): DohResolver {
  const base = opts.url ?? DEFAULT_DOH_URL;
  return {
    async query(name, type) {
      const url = new URL(base);
      url.searchParams.set('name', name);
      url.searchParams.set('type', type);
      let status: number;
      let text: string;
      try {
        const res = await fetch(url, {
          headers: { accept: 'application/dns-json' },
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        status = res.status;
        text = await res.text();
      } catch (error: unknown) {
        return {
          kind: 'error',
          message: `${url.origin}: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      if (status !== 200) return { kind: 'error', message: `${url.origin} answered HTTP ${status}` };
      return parseDohJson(text, url.origin);
    },
  };
}

/** The JSON answer, read without trusting its shape. */
export function parseDohJson(text: string, origin: string): DohAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'error', message: `${origin} did not answer JSON` };
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof (body as { Status?: unknown }).Status !== 'number'
  ) {
    return { kind: 'error', message: `${origin} answered without a Status` };
  }
  const b = body as { Status: number; Answer?: unknown };
  const records: Array<{ name: string; type: number; data: string }> = [];
  if (Array.isArray(b.Answer)) {
    for (const r of b.Answer as unknown[]) {
      if (typeof r !== 'object' || r === null) continue;
      const { name, type, data } = r as { name?: unknown; type?: unknown; data?: unknown };
      if (typeof name === 'string' && typeof type === 'number' && typeof data === 'string') {
        records.push({ name, type, data });
      }
    }
  }
  return { kind: 'answer', rcode: b.Status, records };
}
