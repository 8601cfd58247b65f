import { expect, it } from '@jest/globals';
import { RETRYABLE, classifyKubectlError, kubectlErrorText, type KubeFailureKind } from './kube-errors.js';

// kubectl 1.32's stderr for each failure, as printed against a real API server (and the double).
const CASES: [string, KubeFailureKind][] = [
  ['Error from server (NotFound): managedcertificates.networking.gke.io "c" not found', 'not-found'],
  ['Error from server (NotFound): namespaces "ocean" not found', 'not-found'],
  [
    'Error from server (Conflict): Operation cannot be fulfilled on ingresses "i": the object has been modified',
    'conflict',
  ],
  [
    'error: injected 409 Conflict\nPlease review the fields above--they currently have other managers. Here are the ways',
    'conflict',
  ],
  [
    'Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later',
    'throttled',
  ],
  ['Error from server (InternalError): Internal error occurred: etcd leader changed', 'server'],
  ['Error from server (ServiceUnavailable): the server is currently unable to handle the request', 'server'],
  ['Unable to connect to the server: dial tcp 10.0.0.2:443: i/o timeout', 'connection'],
  [
    'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
    'connection',
  ],
  [
    'error: Get "https://10.0.0.2/api": read tcp 10.0.0.5:4242->10.0.0.2:443: read: connection reset by peer',
    'connection',
  ],
  [
    'Error from server (Forbidden): ingresses.networking.k8s.io "i" is forbidden: User "u" cannot patch resource',
    'forbidden',
  ],
  ['error: You must be logged in to the server (Unauthorized)', 'unauthorized'],
  ['error: the server doesn\'t have a resource type "ManagedCertificate"', 'no-such-kind'],
  [
    'Error from server (Invalid): Ingress.networking.k8s.io "i" is invalid: spec.rules[0].host: Invalid value',
    'invalid',
  ],
  ['error: timed out waiting for the condition on managedcertificates/c', 'timeout'],
  ['error: something nobody expected', 'unknown'],
];

it.each(CASES)('classifies %j as %s', (stderr, kind) => {
  expect(classifyKubectlError(stderr)).toBe(kind);
});

it('retries only transient failures', () => {
  expect([...RETRYABLE].sort()).toEqual(['conflict', 'connection', 'server', 'throttled']);
});

it('keeps the last lines, without client warnings or conflict advice', () => {
  expect(
    kubectlErrorText(
      'W1202 03:00:00.000000 1 warnings.go:70] deprecated\nerror: injected 409 Conflict\nPlease review the fields above--they currently have other managers.\n* If you intend to manage\n',
    ),
  ).toBe('error: injected 409 Conflict');
  expect(kubectlErrorText('')).toBe('(kubectl printed nothing on stderr)');
});
