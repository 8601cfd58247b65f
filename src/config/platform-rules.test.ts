// The platform file's path, its owner in CODEOWNERS and hubfleet's snippet key agree everywhere.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { IAP_EXTRA_CONFIG_KEY } from '../render/iap-authenticator.js';
import { HUBFLEET_EXTRA_CONFIG_KEY } from './platform-rules.js';
import { platformFileFor } from './trust-rules.js';
import { Z2JH_ALLOW_LIST } from './values-allow-list.js';

describe('the platform file', () => {
  it("names hubfleet's IAP snippet as the renderer does, and the allow-list fixes it", () => {
    expect(HUBFLEET_EXTRA_CONFIG_KEY).toBe(IAP_EXTRA_CONFIG_KEY);
    const hub = Z2JH_ALLOW_LIST.kind === 'map' ? Z2JH_ALLOW_LIST.keys.hub : undefined;
    const extraConfig = hub?.kind === 'map' ? hub.keys.extraConfig : undefined;
    const own = extraConfig?.kind === 'map' ? extraConfig.keys[IAP_EXTRA_CONFIG_KEY] : undefined;
    expect(own).toMatchObject({ kind: 'privileged', fixed: true });
  });

  it('sits beside hubs/ under the hub name', () => {
    expect(platformFileFor('config/clusters/pangeo-gcp/hubs/ocean.yaml')).toBe(
      'config/clusters/pangeo-gcp/platform/ocean.yaml',
    );
  });

  it('is given to the platform team by the CODEOWNERS example, after the catch-all', () => {
    const rules = readFileSync('.github/CODEOWNERS', 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/));
    const platform = rules.findIndex(([pattern]) => pattern === '/config/clusters/*/platform/');
    expect(rules[platform]?.[1]).toBe('@hubfleet/platform-team');
    // GitHub takes the last matching pattern: nothing after it may match platform files again.
    expect(rules.slice(platform + 1).map(([pattern]) => pattern)).toEqual([
      '/config/clusters/*/cluster.yaml',
      '/config/runners/',
    ]);
    expect(rules.findIndex(([pattern]) => pattern === '*')).toBeLessThan(platform);
  });
});
