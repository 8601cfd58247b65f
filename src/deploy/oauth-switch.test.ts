import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import { refuseSwitchToDefaultOAuth } from './oauth-switch.js';

const backendConfig = (secretName?: string): KubeObject => ({
  apiVersion: 'cloud.google.com/v1',
  kind: 'BackendConfig',
  metadata: { name: 'ocean-iap', namespace: 'ocean' },
  spec: {
    iap: { enabled: true, ...(secretName === undefined ? {} : { oauthclientCredentials: { secretName } }) },
  },
});
const INGRESS = { namespace: 'ocean', name: 'ocean' };
const FILE = 'config/clusters/pangeo-gcp/hubs/ocean.yaml';

describe('refuseSwitchToDefaultOAuth (ingress-gce iap.go switchingToDefault)', () => {
  it.each([
    ['first deploy', undefined, backendConfig()],
    ['Google-managed stays Google-managed', backendConfig(), backendConfig()],
    ['Google-managed to custom (ingress-gce allows it)', backendConfig(), backendConfig('ocean-iap-oauth')],
    ['custom stays custom', backendConfig('ocean-iap-oauth'), backendConfig('ocean-iap-oauth')],
  ])('allows %s', (_name, live, rendered) => {
    expect(() => refuseSwitchToDefaultOAuth(FILE, live, rendered, INGRESS)).not.toThrow();
  });

  it('refuses custom to Google-managed, with the way through', () => {
    let caught: unknown;
    try {
      refuseSwitchToDefaultOAuth(FILE, backendConfig('ocean-iap-oauth'), backendConfig(), INGRESS);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      message:
        'config/clusters/pangeo-gcp/hubs/ocean.yaml: iap.oauthClient is google-managed, but the live BackendConfig ocean/ocean-iap uses the custom OAuth client in Secret ocean-iap-oauth; ingress-gce refuses that switch ("Cannot switch to default OAuth once IAP credentials have been set") and would keep the old client',
      hint: 'keep the custom client (iap.oauthClient: {secret: …}), or let ingress-gce make a new backend service: delete the Ingress (kubectl -n ocean delete ingress ocean), wait until its backend service is gone (ingress-gce garbage-collects it), then deploy again; the hub is offline meanwhile',
    });
  });
});
