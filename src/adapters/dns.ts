// The DNS adapter: what the world's resolvers say about a hub's domain (A, AAAA, CNAME), through
// node's c-ares resolver, optionally against given servers. It owns timeouts and turns resolver
// error codes into states a verdict can act on; it never throws for a DNS answer.
import { Resolver } from 'node:dns/promises';
import { HubfleetError } from '../errors.js';

export interface DnsOptions {
  /** `host[:port]` or `[v6]:port`; empty means the system's resolvers (/etc/resolv.conf). */
  servers?: readonly string[];
  /** Per query attempt. */
  timeoutMs?: number;
  tries?: number;
}

export type DnsFailure =
  | { state: 'nxdomain'; message: string }
  | { state: 'timeout'; message: string }
  | { state: 'error'; code: string; message: string };

/** What resolving a domain found; `a`/`aaaa` follow CNAMEs as a resolver does. */
export type DnsLookup =
  | { state: 'resolved'; domain: string; a: string[]; aaaa: string[]; cname: string[] }
  | (DnsFailure & { domain: string });

export interface DnsAdapter {
  lookup(domain: string): Promise<DnsLookup>;
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_TRIES = 2;

/** Checks `host[:port]` entries; every bad entry is reported at once. */
export function parseDnsServers(text: string): string[] {
  const entries = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const problems: string[] = [];
  for (const entry of entries) {
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(entry);
    const v6 =
      /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(entry) ?? /^([0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$/.exec(entry);
    const match = v4 ?? v6;
    const port = match?.[2] === undefined ? 53 : Number(match[2]);
    const octetsOk = v4 === null || (v4[1] ?? '').split('.').every((o) => Number(o) <= 255);
    if (match === null || !octetsOk || port < 1 || port > 65535) {
      problems.push(`"${entry}" is not an IP address with an optional port`);
    }
  }
  if (problems.length > 0) {
    throw new HubfleetError(`dns-servers: ${problems.join('; ')}`, {
      hint: 'give resolver addresses as IP[:port], e.g. 10.0.0.2 or 10.0.0.2:5353 or [fd00::2]:53, separated by newlines or commas',
    });
  }
  return entries;
}

export function createDnsAdapter(opts: DnsOptions = {}): DnsAdapter {
  const resolver = new Resolver({
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    tries: opts.tries ?? DEFAULT_TRIES,
  });
  if (opts.servers !== undefined && opts.servers.length > 0) resolver.setServers([...opts.servers]);
  const where =
    opts.servers !== undefined && opts.servers.length > 0 ? opts.servers.join(', ') : 'the system resolvers';

  return {
    async lookup(domain) {
      const [a, aaaa, cname] = await Promise.all([
        query(() => resolver.resolve4(domain)),
        query(() => resolver.resolve6(domain)),
        query(() => resolver.resolveCname(domain)),
      ]);
      // NXDOMAIN or a timeout on the A query decides; AAAA/CNAME failures of other kinds only
      // mean "none" (many servers answer NODATA differently for them).
      if (!a.ok) {
        const failure = describeFailure(domain, 'A', a.code, where);
        if (failure !== undefined) return { domain, ...failure };
      }
      const lists = [a, aaaa, cname];
      for (const [i, r] of lists.entries()) {
        if (r.ok || r.code === 'ENODATA' || r.code === 'ENOTFOUND') continue;
        const failure = describeFailure(domain, ['A', 'AAAA', 'CNAME'][i] ?? '', r.code, where);
        if (failure !== undefined) return { domain, ...failure };
      }
      return {
        state: 'resolved',
        domain,
        a: a.ok ? [...a.value].sort() : [],
        aaaa: aaaa.ok ? [...aaaa.value].sort() : [],
        cname: cname.ok ? cname.value.map((c) => c.toLowerCase().replace(/\.$/, '')) : [],
      };
    },
  };
}

type QueryResult = { ok: true; value: string[] } | { ok: false; code: string };

async function query(run: () => Promise<string[]>): Promise<QueryResult> {
  try {
    return { ok: true, value: await run() };
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, code: typeof code === 'string' ? code : 'EUNKNOWN' };
  }
}

/** undefined for "no records of this type" (NODATA), which is an answer, not a failure. */
function describeFailure(domain: string, type: string, code: string, where: string): DnsFailure | undefined {
  switch (code) {
    case 'ENODATA':
      return undefined;
    case 'ENOTFOUND':
      return { state: 'nxdomain', message: `${domain} does not exist in DNS (NXDOMAIN from ${where})` };
    case 'ETIMEOUT':
      return { state: 'timeout', message: `no answer for ${domain} ${type} from ${where} (timeout)` };
    case 'ECONNREFUSED':
      return {
        state: 'error',
        code,
        message: `the resolver refused the connection for ${domain} ${type} (${where})`,
      };
    case 'ESERVFAIL':
      return {
        state: 'error',
        code,
        message: `${where} answered SERVFAIL for ${domain} ${type} (the zone's servers failed or DNSSEC did not validate)`,
      };
    case 'EREFUSED':
      return { state: 'error', code, message: `${where} refused the query for ${domain} ${type}` };
    default:
      return { state: 'error', code, message: `resolving ${domain} ${type} at ${where} failed (${code})` };
  }
}
