// Which IAP audience each GKE hub pins, read where the scheduled smoke check can read it: the hub
// Deployment's pod template annotation `hubfleet.io/iap-audience` (z2jh `hub.annotations`), rendered
// from the same values as the authenticator's `audience` (src/render/iap-authenticator.ts), so a
// helm rollback or a re-pin changes both together. The values themselves sit in the chart's `hub`
// Secret, which the read-only planner cannot read. A hub left on the project-wide audience accepts
// an IAP assertion signed for any backend service of its project (decision 0023): it gets one
// `audience:<cluster>/<hub>` issue, edited in place, closed once the hub pins its own backend.
// A pinned audience is compared with the live one (the backend service's numeric id from Compute,
// src/deploy/iap-audience.ts `findLiveAudience`): ingress-gce garbage-collects a backend service no
// Ingress references and creates it again with a new id (kubernetes/ingress-gce
// pkg/backends/syncer.go `GC`), and a pin left on the old id refuses every user (decision 0081).
import type { KubeObject } from '../render/manifests.js';
import { IAP_AUDIENCE_ANNOTATION, IAP_PROJECT_WIDE } from '../render/iap-authenticator.js';
import { errorMessage } from '../errors.js';
import type { HubIssuePlan } from '../report/hub-issues.js';
import type { HubTarget } from './probes.js';
import type { LiveAudience } from '../deploy/iap-audience.js';

/** z2jh's hub Deployment (`templates/hub/deployment.yaml`, `{{ include "jupyterhub.hub.fullname" . }}`: `hub`). */
const HUB_DEPLOYMENT = 'hub';

/** Whether a pinned audience is still the one IAP signs for (the live backend service's id). */
export type LiveCheck =
  | { state: 'current'; backendService: string }
  /** No gcp-access-token, no Ingress or backend service yet, or the Compute API failed. */
  | { state: 'unchecked'; reason: string };

export type AudienceState =
  | { state: 'pinned'; audience: string; live: LiveCheck }
  /** Pinned to a backend service id IAP no longer signs for: every user gets 403. */
  | { state: 'stale'; audience: string; live: string; backendService: string }
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

/** The audience IAP signs for a hub right now (findLiveAudience, reading once). */
export type LookupLive = (target: HubTarget) => Promise<LiveAudience>;

/** How pinned audiences are checked against the live one: a lookup, or why there is none. */
export type LiveLookup = { lookup: LookupLive } | { skipReason: string };

/** The audience state of every GKE target (EKS hubs have no IAP audience and are left out). */
export async function readAudiences(
  targets: readonly HubTarget[],
  read: ReadDeployment | undefined,
  skipReason: string,
  live: LiveLookup,
): Promise<HubAudience[]> {
  const out: HubAudience[] = [];
  for (const target of targets.filter((t) => t.provider === 'gcp')) {
    const recorded =
      read === undefined ? { state: 'unchecked' as const, reason: skipReason } : await readOne(target, read);
    out.push({
      target,
      audience: recorded.state === 'pinned' ? await compareLive(target, recorded.audience, live) : recorded,
    });
  }
  return out;
}

async function compareLive(target: HubTarget, pinned: string, live: LiveLookup): Promise<AudienceState> {
  if ('skipReason' in live) {
    return { state: 'pinned', audience: pinned, live: { state: 'unchecked', reason: live.skipReason } };
  }
  let found: LiveAudience;
  try {
    found = await live.lookup(target);
  } catch (error: unknown) {
    const reason = `the live backend service could not be read: ${errorMessage(error)}`;
    return { state: 'pinned', audience: pinned, live: { state: 'unchecked', reason } };
  }
  if (found.state === 'unknown') {
    return { state: 'pinned', audience: pinned, live: { state: 'unchecked', reason: found.reason } };
  }
  return found.audience === pinned
    ? { state: 'pinned', audience: pinned, live: { state: 'current', backendService: found.backendService } }
    : { state: 'stale', audience: pinned, live: found.audience, backendService: found.backendService };
}

async function readOne(
  target: HubTarget,
  read: ReadDeployment,
): Promise<Exclude<AudienceState, { state: 'pinned' | 'stale' }> | { state: 'pinned'; audience: string }> {
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

/**
 * The one title of the `audience:` key, true of both findings it carries (project-wide, stale): the
 * shared issue upsert keeps an issue's title when it reopens or edits it (src/report/issue-upsert.ts),
 * so a title naming one finding would mislabel the other. The body's heading names the finding.
 */
export const audienceIssueTitle = (target: HubTarget): string =>
  `Hub ${target.cluster}/${target.hub} does not pin the IAP audience of its live backend service`;

const projectWideHeading = (target: HubTarget): string =>
  `Hub ${target.cluster}/${target.hub} accepts IAP assertions for any backend service of its project`;

const staleHeading = (target: HubTarget): string =>
  `Hub ${target.cluster}/${target.hub} pins a stale IAP audience: IAP's signed header is refused for every user`;

/** The numeric id at the end of `/projects/<number>/global/backendServices/<id>`. */
const backendId = (audience: string): string => /\/backendServices\/([^/]+)$/.exec(audience)?.[1] ?? audience;

/** What a person runs to re-pin the hub's audience to its live backend service. */
export const repinCommand = (target: HubTarget): string =>
  `gh workflow run recreate-cert.yml -f cluster=${target.cluster} -f hub=${target.hub}`;

function staleBody(target: HubTarget, audience: Extract<AudienceState, { state: 'stale' }>): string {
  return [
    `## ${staleHeading(target)}`,
    '',
    `Domain: \`${target.domain}\``,
    '',
    `The hub pins the IAP audience \`${audience.audience}\` (backend service id ${backendId(audience.audience)}), but the hub's backend service \`${audience.backendService}\` now has id ${backendId(audience.live)}: IAP signs \`${audience.live}\`. The authenticator refuses a signed header for any other audience, so every user gets 403. ingress-gce deletes a backend service no Ingress references and creates it again with a new id (an Ingress deleted and created again outside recreate-cert, or a GKE load-balancer resync); nothing re-pinned the hub afterwards.`,
    '',
    `**What to do:** run \`${repinCommand(target)}\`; recreate-cert reads the live backend service and re-pins the hub to it (decision 0023). Deploying the hub again with \`gcp-access-token\` (deploy-hub) re-pins it too. This issue closes itself when the pinned audience is the live one.`,
    '',
    `Read from: the \`${IAP_AUDIENCE_ANNOTATION}\` annotation of Deployment \`${target.namespace}/${HUB_DEPLOYMENT}\`'s pod template, and the backend service named in Ingress \`${target.namespace}\`'s \`ingress.kubernetes.io/backends\` annotation, read from the Compute API.`,
  ].join('\n');
}

/**
 * One plan per hub whose audience was read: failing when project-wide or stale, passing when pinned
 * to the live backend service. A hub whose audience is unrecorded or unchecked, or pinned but not
 * compared with the live backend service, gets none, so its open issue is left as it is.
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
    if (audience.state === 'pinned' && audience.live.state === 'current') {
      plans.push({
        key,
        hub: target.hub,
        outcome: {
          status: 'passing',
          body: `smoke-iap: ${name} now pins its own backend service (\`${audience.audience}\`).${run}`,
        },
      });
    } else if (audience.state === 'stale') {
      plans.push({
        key,
        hub: target.hub,
        outcome: {
          status: 'failing',
          title: audienceIssueTitle(target),
          body: `${staleBody(target, audience)}${run}`,
          // The same pair of ids is the same finding; a different live id is news.
          fingerprint: `audience ${name}: stale ${audience.audience} (live ${audience.live})`,
        },
      });
    } else if (audience.state === 'project-wide') {
      const body = [
        `## ${projectWideHeading(target)}`,
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
          title: audienceIssueTitle(target),
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
  return audiences.map(({ target, audience }) => [target.hub, audience.state, audienceDetail(audience)]);
}

function audienceDetail(audience: AudienceState): string {
  switch (audience.state) {
    case 'pinned':
      return audience.live.state === 'current'
        ? `${audience.audience} (live: backend service ${audience.live.backendService})`
        : `${audience.audience} (not compared with the live backend service: ${audience.live.reason})`;
    case 'stale':
      return `pins ${audience.audience}, but IAP signs ${audience.live} (backend service ${audience.backendService})`;
    case 'project-wide':
      return '';
    default:
      return audience.reason;
  }
}

/**
 * The summary line when pinned audiences were not compared with the live backend service: a stale
 * pin is not silently passed.
 */
export function staleCheckNote(audiences: readonly HubAudience[]): string | undefined {
  const reasons = new Set(
    audiences.flatMap(({ audience }) =>
      audience.state === 'pinned' && audience.live.state === 'unchecked' ? [audience.live.reason] : [],
    ),
  );
  if (reasons.size === 0) return undefined;
  return `Stale pins were not checked for every hub (${[...reasons].join('; ')}): a pinned audience whose backend service was recreated would refuse every user unnoticed.`;
}

/** The warning a person sees in the run for each hub left project-wide or pinned stale. */
export function audienceWarnings(audiences: readonly HubAudience[]): string[] {
  return audiences.flatMap(({ target, audience }) =>
    audience.state === 'project-wide'
      ? [
          `${target.cluster}/${target.hub}: the hub accepts the project-wide IAP audience; run deploy-hub for it with gcp-access-token to pin its own backend service`,
        ]
      : audience.state === 'stale'
        ? [
            `${target.cluster}/${target.hub}: the hub pins the stale IAP audience ${audience.audience}, IAP signs ${audience.live}, so every user gets 403; run: ${repinCommand(target)}`,
          ]
        : [],
  );
}
