import { describe, expect, it } from '@jest/globals';
import { HubfleetError } from '../errors.js';
import { parseConnectTo, resolveConnectTo } from './connect-to.js';

describe('parseConnectTo', () => {
  it('parses full, partial and IPv6 rules, skipping blank and comment lines', () => {
    const text = [
      'ocean.example.org:443:127.0.0.1:8443',
      '',
      '# bastion',
      '::10.0.0.5:',
      'Land.Example.org.::[::1]:9443',
      '  sea.example.org:443::8444  ',
    ].join('\n');
    expect(parseConnectTo(text)).toEqual([
      { line: 1, fromHost: 'ocean.example.org', fromPort: 443, toHost: '127.0.0.1', toPort: 8443 },
      { line: 4, toHost: '10.0.0.5' },
      { line: 5, fromHost: 'land.example.org', toHost: '::1', toPort: 9443 },
      { line: 6, fromHost: 'sea.example.org', fromPort: 443, toPort: 8444 },
    ]);
  });

  it('returns no rules for empty text', () => {
    expect(parseConnectTo('')).toEqual([]);
    expect(parseConnectTo('\n  \n')).toEqual([]);
  });

  it('reports every bad line at once, with its line number', () => {
    const text = [
      'a.example.org:443:127.0.0.1',
      'ok.example.org:443:127.0.0.1:8443',
      'b:99999:c d:0',
      '[::1:443::1',
    ].join('\n');
    let error: unknown;
    try {
      parseConnectTo(text);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubfleetError);
    expect((error as HubfleetError).message).toBe(
      'connect-to: line 1 "a.example.org:443:127.0.0.1": expected 4 fields separated by ":", found 3; ' +
        'line 3 "b:99999:c d:0": PORT1 "99999" is not a port (1-65535), HOST2 "c d" is not a host name or address, PORT2 "0" is not a port (1-65535); ' +
        'line 4 "[::1:443::1": unmatched "["',
    );
    expect((error as HubfleetError).hint).toMatch(/^write one rule per line as HOST1:PORT1:HOST2:PORT2/);
  });
});

describe('resolveConnectTo', () => {
  const rules = parseConnectTo(
    [
      'ocean.example.org:443:127.0.0.1:8443',
      'ocean.example.org::127.0.0.2:',
      ':8080:127.0.0.3:',
      'sea.example.org:443::9000',
    ].join('\n'),
  );

  it.each([
    ['ocean.example.org', 443, { host: '127.0.0.1', port: 8443 }],
    ['OCEAN.example.org.', 443, { host: '127.0.0.1', port: 8443 }],
    ['ocean.example.org', 80, { host: '127.0.0.2', port: 80 }],
    ['other.example.org', 8080, { host: '127.0.0.3', port: 8080 }],
    ['sea.example.org', 443, { host: 'sea.example.org', port: 9000 }],
    ['other.example.org', 443, { host: 'other.example.org', port: 443 }],
  ])('%s:%i goes to the first matching rule', (host, port, expected) => {
    expect(resolveConnectTo(rules, host, port)).toEqual(expected);
  });

  it('keeps the target when there are no rules', () => {
    expect(resolveConnectTo([], 'a.example.org', 443)).toEqual({ host: 'a.example.org', port: 443 });
  });
});
