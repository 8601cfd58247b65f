import { describe, expect, it } from '@jest/globals';
import { decodeConfigBytes } from './config-bytes.js';
import { stateLocation } from './integrity-rules.js';
import { dottedToPath } from './render-agreement.js';
import { insideZone } from './dns-zone.js';
import { loadFleetFromSources } from './load.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('stateLocation', () => {
  it.each([
    ['gcp', 'b', 'clusters/a', 'gs://b/clusters/a'],
    ['gcp', 'b', 'clusters/a/', 'gs://b/clusters/a'],
    ['gcp', 'b', '/clusters//a/./', 'gs://b/clusters/a'],
    ['gcp', 'gs://B/', 'clusters/a', 'gs://b/clusters/a'],
    ['aws', 'b', 'clusters/a', 's3://b/clusters/a'],
    ['aws', 's3://b', ' clusters/a ', 's3://b/clusters/a'],
  ])('%s %j %j is %s', (provider, bucket, prefix, location) => {
    expect(stateLocation(provider, bucket, prefix)).toBe(location);
  });

  it('keeps prefixes that name different objects apart', () => {
    expect(stateLocation('gcp', 'b', 'clusters/a')).not.toBe(stateLocation('gcp', 'b', 'clusters/ab'));
    expect(stateLocation('gcp', 'b', 'Clusters/a')).not.toBe(stateLocation('gcp', 'b', 'clusters/a'));
  });
});

describe('decodeConfigBytes', () => {
  const bytes = (...parts: Array<string | number[]>): Uint8Array =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

  it('returns UTF-8 text unchanged, a leading BOM included', () => {
    expect(decodeConfigBytes(bytes([0xef, 0xbb, 0xbf], 'a: é\n'))).toEqual({ text: '\ufeffa: é\n' });
  });

  it.each<[string, Uint8Array, number, number, string]>([
    ['a Latin-1 byte', bytes('a: 1\nb: caf', [0xe9], '\n'), 2, 7, 'e9'],
    ['a truncated sequence at the end', bytes('a: x\n# ', [0xe2, 0x82]), 2, 3, 'e2'],
    ['an encoded surrogate', bytes('a: "', [0xed, 0xa0, 0x80], '"'), 1, 5, 'ed'],
    ['an overlong encoding', bytes('ab', [0xc0, 0xaf]), 1, 3, 'c0'],
    ['a stray continuation byte after multi-byte text', bytes('é', [0x80]), 1, 2, '80'],
  ])('points at %s', (_name, input, line, col, hex) => {
    expect(decodeConfigBytes(input)).toEqual({
      refused: {
        line,
        col,
        message: `byte 0x${hex} is not UTF-8; config files are UTF-8 text (a reader would turn it into U+FFFD, changing the value): save the file as UTF-8`,
      },
    });
  });
});

describe('insideZone', () => {
  it.each([
    ['hubs.example.org', 'hubs.example.org', true],
    ['a.hubs.example.org', 'hubs.example.org.', true],
    ['A.Hubs.Example.org', 'hubs.example.org', true],
    ['evilhubs.example.org', 'hubs.example.org', false],
    ['example.org', 'hubs.example.org', false],
  ])('%s in %s: %s', (domain, zone, inside) => {
    expect(insideZone(domain, zone)).toBe(inside);
  });
});

describe('dottedToPath', () => {
  it('finds keys that hold dots themselves, and list indexes', () => {
    const data = { hub: { extraEnv: { 'a.b': { value: 'x' } }, args: ['p', { token: 't' }] } };
    expect(dottedToPath(data, 'hub.extraEnv.a.b.value')).toEqual(['hub', 'extraEnv', 'a.b', 'value']);
    expect(dottedToPath(data, 'hub.args.1.token')).toEqual(['hub', 'args', 1, 'token']);
    expect(dottedToPath(data, 'hub.missing')).toBeUndefined();
  });
});

describe('render agreement', () => {
  const clusters = join(import.meta.dirname, '..', '..', 'config', 'clusters');
  it('refuses a literal secret render would refuse, at its line', () => {
    const cluster = {
      path: 'config/clusters/pangeo-gcp/cluster.yaml',
      text: readFileSync(join(clusters, 'pangeo-gcp', 'cluster.yaml'), 'utf8'),
    };
    const hub = {
      path: 'config/clusters/pangeo-gcp/hubs/demo.yaml',
      text:
        'name: demo\nstage: staging\ndomain: demo.hubs.example.org\nchart: {name: basehub, version: 4.4.0}\n' +
        "iap: {members: ['group:demo@example.org'], oauthClient: google-managed}\n" +
        'values:\n  hub:\n    extraEnv:\n      GH_TOKEN: not-a-real-token\n',
    };
    const result = loadFleetFromSources([cluster, hub]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        file: hub.path,
        line: 9,
        col: 17,
        field: 'values.hub.extraEnv.GH_TOKEN',
        message: expect.stringContaining('is a literal secret, which render refuses') as unknown,
      }),
    );
  });
});
