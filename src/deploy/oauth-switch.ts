// ingress-gce refuses to switch a backend service from a custom IAP OAuth client back to the
// Google-managed one (kubernetes/ingress-gce pkg/backends/features/iap.go, `switchingToDefault`:
// "Cannot switch to default OAuth once IAP credentials have been set"). The refusal shows only as
// an Ingress sync error while the hub keeps the old client, so deploy-hub refuses the switch
// before anything is applied, comparing the rendered BackendConfig with the live one.
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';

const secretNameOf = (backendConfig: KubeObject | undefined): string | undefined => {
  const spec = backendConfig?.['spec'] as
    { iap?: { oauthclientCredentials?: { secretName?: unknown } } } | undefined;
  const name = spec?.iap?.oauthclientCredentials?.secretName;
  return typeof name === 'string' && name !== '' ? name : undefined;
};

/** Throws when `rendered` would move the live BackendConfig from a custom OAuth client to Google's. */
export function refuseSwitchToDefaultOAuth(
  hubFile: string,
  live: KubeObject | undefined,
  rendered: KubeObject,
  ingress: { namespace: string; name: string },
): void {
  const liveSecret = secretNameOf(live);
  if (liveSecret === undefined || secretNameOf(rendered) !== undefined) return;
  throw new HubfleetError(
    `${hubFile}: iap.oauthClient is google-managed, but the live BackendConfig ${ingress.namespace}/${rendered.metadata.name} uses the custom OAuth client in Secret ${liveSecret}; ingress-gce refuses that switch ("Cannot switch to default OAuth once IAP credentials have been set") and would keep the old client`,
    {
      hint: `keep the custom client (iap.oauthClient: {secret: …}), or let ingress-gce make a new backend service: delete the Ingress (kubectl -n ${ingress.namespace} delete ingress ${ingress.name}), wait until its backend service is gone (ingress-gce garbage-collects it), then deploy again; the hub is offline meanwhile`,
    },
  );
}
