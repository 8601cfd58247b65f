import { expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import { deploymentProblem, hubPodProblem } from './rollout.js';

const dep = (generation: number, status: Record<string, number>, replicas = 1): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'hub', namespace: 'ocean', generation } as KubeObject['metadata'],
  spec: { replicas },
  status,
});

it.each([
  ['missing', undefined, 'Deployment ocean/hub does not exist'],
  [
    'new spec not observed',
    dep(2, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
    'Deployment ocean/hub: the new spec is not observed yet',
  ],
  [
    'not updated',
    dep(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 0, availableReplicas: 1 }),
    'Deployment ocean/hub: 0 of 1 replicas updated',
  ],
  [
    'old replica left',
    dep(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 }),
    'Deployment ocean/hub: 1 old replicas pending termination',
  ],
  [
    'not available',
    dep(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0 }),
    'Deployment ocean/hub: 0 of 1 replicas available',
  ],
  [
    'rolled out',
    dep(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
    undefined,
  ],
])('Deployment %s', (_name, object, expected) => {
  expect(deploymentProblem('ocean/hub', object)).toBe(expected);
});

it('wants a Ready hub pod that is not being deleted', () => {
  const pod = (name: string, ready: boolean, deleting = false): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  expect(hubPodProblem([])).toBe('no hub pod exists');
  expect(hubPodProblem([pod('hub-a', false), pod('hub-b', true, true)])).toBe(
    'no hub pod is Ready (hub-a, hub-b)',
  );
  expect(hubPodProblem([pod('hub-a', false), pod('hub-b', true)])).toBeUndefined();
});
