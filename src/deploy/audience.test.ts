import { expect, it } from '@jest/globals';
import type { KubeObject } from '../render/manifests.js';
import { proxyBackendServiceName } from './audience.js';

const ingress = (backends?: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'ocean',
    namespace: 'ocean',
    ...(backends === undefined ? {} : { annotations: { 'ingress.kubernetes.io/backends': backends } }),
  },
});

it.each([
  ['no Ingress yet', undefined, undefined],
  ['no backends annotation yet', ingress(), undefined],
  ['not JSON', ingress('{oops'), undefined],
  [
    'the proxy-public backend next to the default backend',
    ingress(
      '{"k8s1-a1b2c3d4-kube-system-default-http-backend-80-1":"HEALTHY","k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8":"Unknown"}',
    ),
    'k8s1-a1b2c3d4-ocean-proxy-public-80-e5f6a7b8',
  ],
  [
    'a shortened name, the only backend',
    ingress('{"k8s1-a1b2c3d4-oce-proxy-pub-80-e5f6a7b8":"HEALTHY"}'),
    'k8s1-a1b2c3d4-oce-proxy-pub-80-e5f6a7b8',
  ],
  [
    'two unknown backends: not guessed',
    ingress('{"k8s1-a-x-80-1":"HEALTHY","k8s1-a-y-80-2":"HEALTHY"}'),
    undefined,
  ],
])('finds the proxy-public backend service: %s', (_name, object, expected) => {
  expect(proxyBackendServiceName(object, 'ocean')).toBe(expected);
});
