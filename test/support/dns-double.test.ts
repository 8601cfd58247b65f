import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dnsPacket from 'dns-packet';
import { startDnsDouble, type DnsDouble } from './dns-double.js';

/** Sends one question and returns the decoded reply, or 'timeout' after `ms`. */
async function ask(
  port: number,
  name: string,
  type: 'A' | 'AAAA' | 'CNAME',
  ms = 300,
): Promise<dnsPacket.Packet | 'timeout'> {
  const socket = createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), ms);
      socket.on('message', (msg) => {
        clearTimeout(timer);
        resolve(dnsPacket.decode(msg));
      });
      socket.send(
        dnsPacket.encode({
          type: 'query',
          id: 7,
          flags: dnsPacket.RECURSION_DESIRED,
          questions: [{ type, name, class: 'IN' }],
        }),
        port,
        '127.0.0.1',
      );
    });
  } finally {
    socket.close();
  }
}

const summary = (p: dnsPacket.Packet | 'timeout'): unknown =>
  p === 'timeout'
    ? 'timeout'
    : {
        id: p.id,
        rcode: (p as { rcode?: string }).rcode,
        answers: (p.answers ?? []).map((a) => `${a.name} ${a.type} ${String((a as { data: unknown }).data)}`),
      };

describe('DNS double', () => {
  let dns: DnsDouble;
  beforeAll(async () => {
    dns = await startDnsDouble({
      'hub.example.org': { a: ['203.0.113.10'], aaaa: ['2001:db8::10'] },
      'alias.example.org': { cname: 'hub.example.org' },
      'away.example.org': { cname: 'cdn.elsewhere.net' },
      'slow.example.org': { timeout: true },
      'broken.example.org': { servfail: true },
    });
  });
  afterAll(async () => dns.close());

  it.each([
    ['hub.example.org', 'A', { id: 7, rcode: 'NOERROR', answers: ['hub.example.org A 203.0.113.10'] }],
    ['HUB.example.org', 'AAAA', { id: 7, rcode: 'NOERROR', answers: ['hub.example.org AAAA 2001:db8::10'] }],
    ['hub.example.org', 'CNAME', { id: 7, rcode: 'NOERROR', answers: [] }],
    [
      'alias.example.org',
      'A',
      {
        id: 7,
        rcode: 'NOERROR',
        answers: ['alias.example.org CNAME hub.example.org', 'hub.example.org A 203.0.113.10'],
      },
    ],
    [
      'alias.example.org',
      'CNAME',
      { id: 7, rcode: 'NOERROR', answers: ['alias.example.org CNAME hub.example.org'] },
    ],
    [
      'away.example.org',
      'A',
      { id: 7, rcode: 'NOERROR', answers: ['away.example.org CNAME cdn.elsewhere.net'] },
    ],
    ['nope.example.org', 'A', { id: 7, rcode: 'NXDOMAIN', answers: [] }],
    ['broken.example.org', 'A', { id: 7, rcode: 'SERVFAIL', answers: [] }],
    ['slow.example.org', 'A', 'timeout'],
  ] as const)('%s %s', async (name, type, expected) => {
    expect(summary(await ask(dns.port, name, type))).toEqual(expected);
  });

  it('records every question and takes record changes', async () => {
    dns.queries.length = 0;
    dns.set('new.example.org', { a: ['203.0.113.99'] });
    expect(summary(await ask(dns.port, 'new.example.org', 'A'))).toEqual({
      id: 7,
      rcode: 'NOERROR',
      answers: ['new.example.org A 203.0.113.99'],
    });
    dns.set('new.example.org', undefined);
    expect(summary(await ask(dns.port, 'new.example.org', 'A'))).toEqual({
      id: 7,
      rcode: 'NXDOMAIN',
      answers: [],
    });
    expect(dns.queries).toEqual([
      { name: 'new.example.org', type: 'A' },
      { name: 'new.example.org', type: 'A' },
    ]);
  });
});
