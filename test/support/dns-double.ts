import { createSocket, type RemoteInfo } from 'node:dgram';
import dnsPacket from 'dns-packet';

/**
 * A DNS server on 127.0.0.1 (UDP, random port) that answers like a recursive resolver for a fixed
 * zone, so the product's `dns-servers` input can point at it.
 *
 * Contract copied (RFC 1035 §4.1, RFC 2308 for negative answers, as c-ares reads them):
 * - a known name answers NOERROR with its records of the asked type; a CNAME name answers any
 *   A/AAAA/CNAME query with the CNAME chain followed by the target's records of that type
 *   (a resolver follows the chain for the client);
 * - a known name without records of the asked type answers NOERROR with no answers (NODATA);
 * - an unknown name answers NXDOMAIN (rcode 3);
 * - a name marked `timeout` gets no answer at all;
 * - a name marked `servfail` answers SERVFAIL (rcode 2).
 * Every question is recorded in `queries`.
 */

export interface DnsRecordSet {
  a?: string[];
  aaaa?: string[];
  cname?: string;
  /** Never answer (the client times out). */
  timeout?: boolean;
  servfail?: boolean;
}

export interface DnsQuery {
  name: string;
  type: string;
}

export interface DnsDouble {
  /** `127.0.0.1:<port>`, the form `dns-servers` takes. */
  server: string;
  port: number;
  queries: DnsQuery[];
  /** Replaces (or, with undefined, removes) the records of `name`. */
  set(name: string, records: DnsRecordSet | undefined): void;
  close(): Promise<void>;
}

const NXDOMAIN = 3;
const SERVFAIL = 2;
const TTL = 60;
const MAX_CHAIN = 8;

export async function startDnsDouble(zone: Record<string, DnsRecordSet> = {}): Promise<DnsDouble> {
  const records = new Map<string, DnsRecordSet>();
  const key = (name: string): string => name.toLowerCase().replace(/\.$/, '');
  for (const [name, set] of Object.entries(zone)) records.set(key(name), set);
  const queries: DnsQuery[] = [];
  const socket = createSocket('udp4');

  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    let request: dnsPacket.Packet;
    try {
      request = dnsPacket.decode(message);
    } catch {
      return; // not DNS: a real server drops it too
    }
    const question = request.questions?.[0];
    if (question === undefined) return;
    queries.push({ name: key(question.name), type: question.type });
    const reply = answer(records, key, question);
    if (reply === 'no-answer') return;
    const packet = dnsPacket.encode({
      type: 'response',
      id: request.id ?? 0,
      // RD copied, RA set: we play a recursive resolver; the rcode sits in the low 4 bits.
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | reply.rcode,
      questions: [question],
      answers: reply.answers,
    });
    socket.send(packet, peer.port, peer.address);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${port}`,
    port,
    queries,
    set(name, set) {
      if (set === undefined) records.delete(key(name));
      else records.set(key(name), set);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function answer(
  records: Map<string, DnsRecordSet>,
  key: (name: string) => string,
  question: dnsPacket.Question,
): 'no-answer' | { rcode: number; answers: dnsPacket.Answer[] } {
  const answers: dnsPacket.Answer[] = [];
  let name = key(question.name);
  for (let hop = 0; hop < MAX_CHAIN; hop += 1) {
    const set = records.get(name);
    if (set === undefined) return { rcode: hop === 0 ? NXDOMAIN : 0, answers };
    if (set.timeout === true) return 'no-answer';
    if (set.servfail === true) return { rcode: SERVFAIL, answers: [] };
    if (set.cname !== undefined) {
      answers.push({ type: 'CNAME', name, ttl: TTL, class: 'IN', data: set.cname });
      if (question.type === 'CNAME') return { rcode: 0, answers };
      name = key(set.cname);
      continue;
    }
    const data = question.type === 'A' ? set.a : question.type === 'AAAA' ? set.aaaa : undefined;
    for (const address of data ?? []) {
      answers.push({ type: question.type as 'A' | 'AAAA', name, ttl: TTL, class: 'IN', data: address });
    }
    return { rcode: 0, answers };
  }
  return { rcode: SERVFAIL, answers: [] };
}
