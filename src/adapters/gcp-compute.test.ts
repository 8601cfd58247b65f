import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { startComputeDouble, type ComputeDouble } from '../../test/support/compute-double.js';
import { ComputeTokenRejected, createComputeClient } from './gcp-compute.js';

let compute: ComputeDouble;
beforeEach(async () => {
  compute = await startComputeDouble({ token: 'tok' });
});
afterEach(async () => compute.close());

it('reads a backend service id, and undefined when it does not exist yet', async () => {
  compute.setBackendService('pangeo-prod', 'k8s1-x-ocean-proxy-public-80-y', '4155678901234567890');
  const client = createComputeClient({ baseUrl: `${compute.url}/`, token: 'tok' });
  expect(await client.getBackendService('pangeo-prod', 'k8s1-x-ocean-proxy-public-80-y')).toEqual({
    id: '4155678901234567890',
    name: 'k8s1-x-ocean-proxy-public-80-y',
  });
  expect(await client.getBackendService('pangeo-prod', 'other')).toBeUndefined();
  expect(compute.requests.map((r) => r.path)).toEqual([
    '/compute/v1/projects/pangeo-prod/global/backendServices/k8s1-x-ocean-proxy-public-80-y',
    '/compute/v1/projects/pangeo-prod/global/backendServices/other',
  ]);
});

it('says what to do when the token is refused', async () => {
  const client = createComputeClient({ baseUrl: compute.url, token: 'wrong' });
  const error: unknown = await client.getBackendService('pangeo-prod', 'b').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ComputeTokenRejected);
  expect(error).toMatchObject({
    message:
      'Compute API answered HTTP 401 reading backend service b in project pangeo-prod: the access token was rejected (expired or invalid)',
    hint: 'pass a fresh gcp-access-token from the auth step (google-github-actions/auth token_format: access_token); an access token lasts an hour',
  });
});

it('reads an SslCertificate, and undefined once Compute answers 404 (deleted)', async () => {
  compute.setSslCertificate('pangeo-prod', {
    id: '77',
    name: 'mcrt-0a1b',
    domains: ['ocean.hubs.example.org'],
    status: 'PROVISIONING_FAILED',
    domainStatus: { 'ocean.hubs.example.org': 'FAILED_NOT_VISIBLE' },
  });
  const client = createComputeClient({ baseUrl: compute.url, token: 'tok' });
  expect(await client.getSslCertificate('pangeo-prod', 'mcrt-0a1b')).toEqual({ id: '77', name: 'mcrt-0a1b' });
  expect(compute.deleteSslCertificate('pangeo-prod', 'mcrt-0a1b')).toBe('deleted');
  expect(await client.getSslCertificate('pangeo-prod', 'mcrt-0a1b')).toBeUndefined();
  expect(compute.requests.map((r) => r.path)).toEqual([
    '/compute/v1/projects/pangeo-prod/global/sslCertificates/mcrt-0a1b',
    '/compute/v1/projects/pangeo-prod/global/sslCertificates/mcrt-0a1b',
  ]);
});
