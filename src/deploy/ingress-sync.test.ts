import { expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import { ingressSyncErrors } from './ingress-sync.js';

const event = (over: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'ocean.17', namespace: 'ocean' },
  involvedObject: { kind: 'Ingress', name: 'ocean', namespace: 'ocean' },
  type: 'Warning',
  reason: 'Sync',
  lastTimestamp: '2026-06-01T12:00:05Z',
  message:
    'Error syncing to GCP: error running backend syncing routine: Cannot switch to default OAuth once IAP credentials have been set',
  ...over,
});
const SINCE = Date.parse('2026-06-01T12:00:05.400Z');

it('keeps the Warning Sync events of this Ingress since the deploy began (whole seconds), once each', () => {
  expect(
    ingressSyncErrors(
      [
        event({}),
        event({}), // the same message again
        event({ type: 'Normal', message: 'Scheduled for sync' }),
        event({ lastTimestamp: '2026-06-01T12:00:04Z', message: 'Error syncing to GCP: older' }),
        event({ involvedObject: { kind: 'Ingress', name: 'other' }, message: 'Error syncing to GCP: other' }),
        event({ reason: 'BadConfig', message: 'not a sync' }),
        event({
          lastTimestamp: undefined,
          eventTime: '2026-06-01T12:01:00.000000Z',
          message: 'Error: quota',
        }),
      ],
      'ocean',
      SINCE,
    ),
  ).toEqual([
    'Error syncing to GCP: error running backend syncing routine: Cannot switch to default OAuth once IAP credentials have been set',
    'Error: quota',
  ]);
});
