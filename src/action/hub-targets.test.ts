import { describe, expect, it } from '@jest/globals';
import { nonBlank, readHubTargets } from './hub-targets.js';

describe('readHubTargets', () => {
  it('parses the hub list and the connect-to rules, adding no problem when both are good', () => {
    const problems: string[] = [];
    expect(
      readHubTargets({ hubs: 'ocean, climate', connectTo: 'ocean.example.org:443:127.0.0.1:8443' }, problems),
    ).toEqual({
      hubs: ['ocean', 'climate'],
      connectTo: [
        expect.objectContaining({
          fromHost: 'ocean.example.org',
          fromPort: 443,
          toHost: '127.0.0.1',
          toPort: 8443,
        }),
      ],
    });
    expect(problems).toEqual([]);
  });

  it('appends one problem per bad input, after those already found, and still returns the hubs', () => {
    const problems = ['input "path": earlier'];
    const result = readHubTargets({ hubs: ' , ', connectTo: 'not-a-rule' }, problems);
    expect(result).toEqual({ hubs: [], connectTo: [] });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('input "path": earlier');
    expect(problems[1]).toMatch(/^input "connect-to": line 1 "not-a-rule": /);
    expect(problems[2]).toBe('input "hubs": names no hub (give one, a list, or all)');
  });

  it('takes all and an absent connect-to as they are', () => {
    const problems: string[] = [];
    expect(readHubTargets({ hubs: 'all' }, problems)).toEqual({ hubs: 'all', connectTo: [] });
    expect(problems).toEqual([]);
  });
});

describe('nonBlank', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  \n', undefined],
    [' token ', 'token'],
  ])('%j → %j', (value, expected) => {
    expect(nonBlank(value)).toBe(expected);
  });
});
