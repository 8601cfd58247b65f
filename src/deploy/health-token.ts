// The health service's token (src/render/health-service.ts): deploy-hub creates it in the hub's
// namespace and replaces it once it is older than HEALTH_TOKEN_MAX_AGE_DAYS. The hub reads it
// from its environment at start only, so the time of the last rotation goes into the hub pod's
// annotations (z2jh's hub.annotations are the hub Deployment's pod template annotations,
// templates/hub/deployment.yaml): a rotation restarts the hub with the new token, and a deploy
// that keeps the token changes nothing. The token itself is never logged, rendered or returned.
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../render/manifests.js';
import { HEALTH_TOKEN_KEY, HEALTH_TOKEN_SECRET } from '../render/health-service.js';
import { HUB_LABEL, MANAGED_BY_LABELS } from '../render/names.js';

export const HEALTH_TOKEN_MAX_AGE_DAYS = 30;
/** On the Secret: when its token was made (ISO 8601, UTC). */
export const ROTATED_AT_ANNOTATION = 'hubfleet.io/rotated-at';

export type HealthTokenPlan =
  { action: 'keep'; rotatedAt: string } | { action: 'create' | 'rotate'; rotatedAt: string; why: string };

/** What to do with the Secret as it is now (undefined: absent). Pure. */
export function planHealthToken(existing: KubeObject | undefined, now: Date): HealthTokenPlan {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (existing === undefined) return { action: 'create', rotatedAt: stamp, why: 'no token yet' };
  const annotations = (existing.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const at = annotations[ROTATED_AT_ANNOTATION];
  const data = (existing as { data?: Record<string, string> }).data ?? {};
  const made = at === undefined ? Number.NaN : Date.parse(at);
  if (Number.isNaN(made) || typeof data[HEALTH_TOKEN_KEY] !== 'string' || data[HEALTH_TOKEN_KEY] === '') {
    return { action: 'rotate', rotatedAt: stamp, why: 'the Secret has no usable token or rotation time' };
  }
  const ageDays = (now.getTime() - made) / 86_400_000;
  if (ageDays >= HEALTH_TOKEN_MAX_AGE_DAYS || ageDays < 0) {
    return {
      action: 'rotate',
      rotatedAt: stamp,
      why:
        ageDays < 0 ? 'its rotation time is in the future' : `older than ${HEALTH_TOKEN_MAX_AGE_DAYS} days`,
    };
  }
  return { action: 'keep', rotatedAt: at ?? stamp };
}

/** A new Secret with a fresh 256-bit token, labelled as hubfleet's (an uninstall deletes it). */
export function healthTokenSecret(hub: string, namespace: string, rotatedAt: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: HEALTH_TOKEN_SECRET,
      namespace,
      labels: { ...MANAGED_BY_LABELS, [HUB_LABEL]: hub },
      annotations: { [ROTATED_AT_ANNOTATION]: rotatedAt },
    },
    type: 'Opaque',
    data: { [HEALTH_TOKEN_KEY]: Buffer.from(randomBytes(32).toString('hex')).toString('base64') },
  };
}

/** The token as the check reads it from the Secret (undefined when there is none). */
export function tokenOf(secret: KubeObject | undefined): string | undefined {
  const value = (secret as { data?: Record<string, string> } | undefined)?.data?.[HEALTH_TOKEN_KEY];
  if (typeof value !== 'string' || value === '') return undefined;
  return Buffer.from(value, 'base64').toString('utf8');
}

/** The rotation time on the Secret as it is (what deploy-hub rendered into the hub's annotations). */
export function rotatedAtOf(secret: KubeObject | undefined): string | undefined {
  return (secret?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[
    ROTATED_AT_ANNOTATION
  ];
}
