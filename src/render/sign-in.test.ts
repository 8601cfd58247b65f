// iap.admins / iap.allowedDomains (GKE) and auth.github.admins (EKS) as rendered into hub.config,
// and that no values file can change them (they sit under the pinned authenticator sections).
import { describe, expect, it } from '@jest/globals';
import type { LoadedHub } from '../config/model.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster } from '../../test/fixtures/render/fleet.js';
import { getPath } from './deep-merge.js';
import { renderHelmValues } from './values.js';

function gcpHub(
  iap: Partial<NonNullable<LoadedHub['config']['iap']>>,
  values?: Record<string, unknown>,
): LoadedHub {
  const base = gcpBasehub.config.iap;
  if (base === undefined) throw new Error('fixture gcpBasehub has no iap');
  return {
    ...gcpBasehub,
    config: { ...gcpBasehub.config, iap: { ...base, ...iap }, ...(values === undefined ? {} : { values }) },
  };
}

describe('sign-in settings in the rendered hub config', () => {
  it('renders iap.admins as the authenticator’s admin_users and iap.allowedDomains as allowed_domains, lowercased and sorted', () => {
    const values = renderHelmValues(
      gcpCluster,
      gcpHub({
        admins: ['Zoe@Example.org', 'ana@example.org'],
        allowedDomains: ['Example.org', 'lab.example.org'],
      }),
    );
    expect(getPath(values, ['hub', 'config', 'HubfleetIAPAuthenticator'])).toEqual({
      project_number: '123456789012',
      keys_url: 'https://www.gstatic.com/iap/verify/public_key-jwk',
      admin_users: ['ana@example.org', 'zoe@example.org'],
      allowed_domains: ['example.org', 'lab.example.org'],
    });
  });

  it('renders neither key when the hub names no admins and no domains', () => {
    const values = renderHelmValues(gcpCluster, gcpHub({ admins: [] }));
    expect(Object.keys(getPath(values, ['hub', 'config', 'HubfleetIAPAuthenticator']) as object)).toEqual([
      'project_number',
      'keys_url',
    ]);
  });

  it('renders auth.github.admins as GitHubOAuthenticator.admin_users, lowercased and sorted', () => {
    const auth = awsHub.config.auth;
    if (auth === undefined) throw new Error('fixture awsHub has no auth');
    const hub: LoadedHub = {
      ...awsHub,
      config: { ...awsHub.config, auth: { github: { ...auth.github, admins: ['OctoCat', 'ana-b'] } } },
    };
    expect(getPath(renderHelmValues(awsCluster, hub), ['hub', 'config', 'GitHubOAuthenticator'])).toEqual({
      allowed_organizations: ['climate-org', 'pangeo-data'],
      oauth_callback_url: 'https://climate.hubs.example.org/hub/oauth_callback',
      admin_users: ['ana-b', 'octocat'],
    });
  });

  it.each([
    ['adding an admin', { HubfleetIAPAuthenticator: { admin_users: ['mallory@example.org'] } }],
    ['dropping the domain check', { HubfleetIAPAuthenticator: { allowed_domains: [] } }],
  ])('refuses platform values %s under the authenticator’s section', (_what, config) => {
    const hub = { ...gcpHub({ admins: ['ana@example.org'], allowedDomains: ['example.org'] }) };
    hub.platform = { file: 'config/clusters/pangeo-gcp/platform/staging.yaml', values: { hub: { config } } };
    expect(() => renderHelmValues(gcpCluster, hub)).toThrow(
      "config/clusters/pangeo-gcp/hubs/staging.yaml: values.hub.config.HubfleetIAPAuthenticator differs from what hubfleet renders there (the hub's authenticator and its trust anchors are hubfleet's)",
    );
  });
});
