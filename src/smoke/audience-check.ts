// Which IAP audience each GKE hub pins, read where the scheduled smoke check can read it: the hub
// Deployment's pod template annotation `hubfleet.io/iap-audience` (z2jh `hub.annotations`), rendered
// from the same values as the authenticator's `audience` (src/render/iap-authenticator.ts), so a
// helm rollback or a re-pin changes both together. The values themselves sit in the chart's `hub`
// Secret, which the read-only planner cannot read. A hub left on the project-wide audience accepts
// an IAP assertion signed for any backend service of its project (decision 0023): it gets one
// `audience:<cluster>/<hub>` issue, edited in place, closed once the hub pins its own backend.
import type { KubeObject } from '../render/manifests.js';
import { IAP_AUDIENCE_ANNOTATION, IAP_PROJECT_WIDE } from '../render/iap-authenticator.js';
import { errorMessage } from '../errors.js';
import type { HubIssuePlan } from '../report/hub-issues.js';
import type { HubTarget } from './probes.js';

/** z2jh's hub Deployment (`templates/hub/deployment.yaml`, `{{ include "jupyterhub.hub.fullname" . }}`: `hub`). */
const HUB_DEPLOYMENT = 'hub';

export type AudienceState =
  | { state: 'pinned'; audience: string }
  | { state: 'project-wide' }
  /** The hub's Deployment is missing, or was deployed before hubfleet recorded the audience. */
  | { state: 'unrecorded'; reason: string }
  /** Nothing was read (no kubeconfig, or the read failed). */
  | { state: 'unchecked'; reason: string };

export interface HubAudience {
  target: HubTarget;
  audience: AudienceState;
}

export type ReadDeployment = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** The audience state of every GKE target (EKS hubs have no IAP audience and are left out). */
export async function readAudiences(
  targets: readonly HubTarget[],
  read: ReadDeployment | undefined,
  skipReason: string,
): Promise<HubAudience[]> {
  const out: HubAudience[] = [];
  for (const target of targets.filter((t) => t.provider === 'gcp')) {
    out.push({
      target,
      audience: read === undefined ? { state: 'unchecked', reason: skipReason } : await readOne(target, read),
    });
  }
  return out;
}

async function readOne(target: HubTarget, read: ReadDeployment): Promise<AudienceState> {
  const where = `Deployment ${target.namespace}/${HUB_DEPLOYMENT}`;
  let deployment: KubeObject | undefined;
  try {
    deployment = await read(target.namespace, HUB_DEPLOYMENT);
  } catch (error: unknown) {
    return { state: 'unchecked', reason: `${where} could not be read: ${errorMessage(error)}` };
  }
  if (deployment === undefined) return { state: 'unrecorded', reason: `${where} does not exist` };
  const spec = deployment['spec'] as
    { template?: { metadata?: { annotations?: Record<string, unknown> } } } | undefined;
  const value = spec?.template?.metadata?.annotations?.[IAP_AUDIENCE_ANNOTATION];
  if (typeof value !== 'string' || value === '') {
    return {
      state: 'unrecorded',
      reason: `${where} has no ${IAP_AUDIENCE_ANNOTATION} annotation (deployed before hubfleet recorded it; the next deploy does)`,
    };
  }
  return value === IAP_PROJECT_WIDE ? { state: 'project-wide' } : { state: 'pinned', audience: value };
}

export const audienceIssueKey = (target: HubTarget): string => `audience:${target.cluster}/${target.hub}`;

export const audienceIssueTitle = (target: HubTarget): string =>
  `Hub ${target.cluster}/${target.hub} accepts IAP assertions for any backend service of its project`;

/**
 * One plan per hub whose audience was read: failing when project-wide, passing when pinned. A hub
 * whose audience is unrecorded or unchecked gets none, so its open issue is left as it is.
 */
export function audienceIssuePlans(
  audiences: readonly HubAudience[],
  runUrl: string | undefined,
): HubIssuePlan[] {
  const run = runUrl === undefined ? '' : `\n\nRun: ${runUrl}`;
  const plans: HubIssuePlan[] = [];
  for (const { target, audience } of audiences) {
    const key = audienceIssueKey(target);
    const name = `${target.cluster}/${target.hub}`;
    if (audience.state === 'pinned') {
      plans.push({
        key,
        hub: target.hub,
        outcome: {
          status: 'passing',
          body: `smoke-iap: ${name} now pins its own backend service (\`${audience.audience}\`).${run}`,
        },
      });
    } else if (audience.state === 'project-wide') {
      const title = audienceIssueTitle(target);
      const body = [
        `## ${title}`,
        '',
        `Domain: \`${target.domain}\``,
        '',
        "The hub's authenticator checks only the project number in the audience of IAP's signed header, not its own backend service: a header IAP signed for another hub of the same project is accepted here. deploy-hub pins the hub's own backend service once ingress-gce has named it (decision 0023); this hub was left without it (a deploy without `gcp-access-token`, or a load balancer that was not built in time).",
        '',
        '**What to do:** run deploy-hub for this hub again with `gcp-access-token` (or rollback-hub / recreate-cert, which re-pin too); it reads the backend service and pins it. This issue closes itself when the hub pins its own backend service.',
        '',
        `Read from: the \`${IAP_AUDIENCE_ANNOTATION}\` annotation of Deployment \`${target.namespace}/${HUB_DEPLOYMENT}\`'s pod template.`,
      ].join('\n');
      plans.push({
        key,
        hub: target.hub,
        outcome: {
          status: 'failing',
          title,
          body: `${body}${run}`,
          // The same hub still project-wide is the same finding: edited in place, not commented hourly.
          fingerprint: `audience ${name}: ${IAP_PROJECT_WIDE}`,
        },
      });
    }
  }
  return plans;
}

/** The summary's audience table (empty when no GKE hub was checked). */
export function audienceRows(audiences: readonly HubAudience[]): string[][] {
  return audiences.map(({ target, audience }) => [
    target.hub,
    audience.state,
    audience.state === 'pinned'
      ? audience.audience
      : audience.state === 'project-wide'
        ? ''
        : audience.reason,
  ]);
}

/** The warning a person sees in the run for each hub left project-wide. */
export function audienceWarnings(audiences: readonly HubAudience[]): string[] {
  return audiences
    .filter((a) => a.audience.state === 'project-wide')
    .map(
      ({ target }) =>
        `${target.cluster}/${target.hub}: the hub accepts the project-wide IAP audience; run deploy-hub for it with gcp-access-token to pin its own backend service`,
    );
}
