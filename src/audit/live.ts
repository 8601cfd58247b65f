// --live: what each GKE hub's release pins as its IAP audience right now. Until deploy-hub has
// looked up the hub's own backend service (decision 0023) the hub pins only the project number,
// and then accepts an IAP assertion minted for any backend service of the project: every other
// hub's users, replaying their assertion, would be taken for users of this one.
import type { HelmClient } from '../adapters/helm.js';
import type { LoadedHub } from '../config/model.js';
import { audiencePath } from '../deploy/iap-audience.js';
import { getPath } from '../render/deep-merge.js';
import { helmReleaseName, namespaceName } from '../render/names.js';

export type LiveAudience =
  { state: 'pinned'; audience: string } | { state: 'project-wide' } | { state: 'not-installed' };

/** IAP's audience for one backend service (src/render/iap-authenticator.ts `iapBackendAudience`). */
const BACKEND_AUDIENCE = /^\/projects\/[0-9]+\/global\/backendServices\/[0-9]+$/;

/** What the release's current values (`helm get values`) pin; undefined values: no release. */
export function liveAudienceOf(hub: LoadedHub, values: Record<string, unknown> | undefined): LiveAudience {
  if (values === undefined) return { state: 'not-installed' };
  const audience = getPath(values, audiencePath(hub));
  return typeof audience === 'string' && BACKEND_AUDIENCE.test(audience)
    ? { state: 'pinned', audience }
    : { state: 'project-wide' };
}

/** Reads every given GKE hub's release through helm (the current kube context's cluster). */
export async function readLiveAudiences(
  helm: Pick<HelmClient, 'getValues'>,
  hubs: readonly LoadedHub[],
): Promise<Map<string, LiveAudience>> {
  const live = new Map<string, LiveAudience>();
  for (const hub of hubs) {
    const name = hub.config.name;
    live.set(hub.file, liveAudienceOf(hub, await helm.getValues(helmReleaseName(name), namespaceName(name))));
  }
  return live;
}
