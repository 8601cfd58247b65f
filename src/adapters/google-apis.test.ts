// The Google adapter against the double: requests as the REST references write them, 404/401/403
// as answers, retries of 5xx, and environment-configured base URLs.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GoogleDouble, startGoogleDouble } from '../../test/support/google-apis-double.js';
import { createGoogleApis, googleApiUrls } from './google-apis.js';

const TOKEN = 'ya29.t';
let google: GoogleDouble;

beforeEach(async () => {
  google = await startGoogleDouble({ token: TOKEN });
});
afterEach(async () => {
  await google.close();
});

describe('googleApiUrls', () => {
  it("takes HUBFLEET_<SERVICE>_API_URL without a trailing slash, else Google's host", () => {
    const urls = googleApiUrls({ HUBFLEET_IAP_API_URL: 'http://127.0.0.1:9/', HUBFLEET_DNS_API_URL: '' });
    expect(urls).toEqual({
      serviceusage: 'https://serviceusage.googleapis.com',
      storage: 'https://storage.googleapis.com',
      iam: 'https://iam.googleapis.com',
      dns: 'https://dns.googleapis.com',
      compute: 'https://compute.googleapis.com',
      iap: 'http://127.0.0.1:9',
      accesscontextmanager: 'https://accesscontextmanager.googleapis.com',
    });
  });
});

describe('createGoogleApis', () => {
  it('follows Service Usage pages and reads each resource', async () => {
    google.state.enabledServices.set('42', ['a.googleapis.com', 'b.googleapis.com', 'c.googleapis.com']);
    google.state.buckets.set('b', { versioning: true, publicAccessPrevention: 'enforced' });
    google.state.zones.set('p/z', { dnsName: 'x.org.', nameServers: ['ns1.'], visibility: 'public' });
    google.state.addresses.set('p/ip', '34.1.1.1');
    const apis = createGoogleApis({ token: TOKEN, urls: google.urls });
    expect(await apis.listEnabledServices('42')).toEqual({
      kind: 'ok',
      value: ['a.googleapis.com', 'b.googleapis.com', 'c.googleapis.com'],
    });
    expect(google.requests.map((r) => `${r.path}${r.query}`)).toEqual([
      '/v1/projects/42/services?filter=state%3AENABLED&pageSize=200',
      '/v1/projects/42/services?filter=state%3AENABLED&pageSize=200&pageToken=2',
    ]);
    expect(await apis.getBucket('b')).toEqual({
      kind: 'ok',
      value: { versioningEnabled: true, publicAccessPrevention: 'enforced' },
    });
    expect(await apis.getManagedZone('p', 'z')).toEqual({
      kind: 'ok',
      value: { dnsName: 'x.org.', nameServers: ['ns1.'], visibility: 'public' },
    });
    expect(await apis.getGlobalAddress('p', 'ip')).toEqual({ kind: 'ok', value: { address: '34.1.1.1' } });
    expect(await apis.getGlobalAddress('p', 'other')).toEqual({ kind: 'missing' });
  });

  it('answers a wrong token as denied with Google’s message, and a 403 likewise', async () => {
    const wrong = createGoogleApis({ token: 'nope', urls: google.urls });
    expect(await wrong.getBucket('b')).toEqual({
      kind: 'denied',
      status: 401,
      message: 'Request had invalid authentication credentials.',
    });
    google.deny.add('iap');
    const apis = createGoogleApis({ token: TOKEN, urls: google.urls });
    expect(await apis.getIapWebPolicy('42')).toEqual({
      kind: 'denied',
      status: 403,
      message: 'Permission denied on resource (or it may not exist).',
    });
  });

  describe('against a flaky server', () => {
    let server: Server;
    let answers: number[];
    let url = '';
    beforeEach(async () => {
      answers = [];
      server = createServer((_req, res) => {
        const status = answers.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? '{"address":"1.2.3.4"}' : '{"error":{"code":503,"message":"backend busy"}}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('retries 5xx with backoff, then reports the last answer as an error', async () => {
      const waits: number[] = [];
      const apis = createGoogleApis({
        token: TOKEN,
        urls: { ...google.urls, compute: url },
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      });
      answers = [503, 500];
      expect(await apis.getGlobalAddress('p', 'ip')).toEqual({ kind: 'ok', value: { address: '1.2.3.4' } });
      answers = [503, 503, 503];
      expect(await apis.getGlobalAddress('p', 'ip')).toEqual({
        kind: 'error',
        message: `${url} answered HTTP 503: backend busy`,
      });
      expect(waits).toEqual([1000, 2000, 1000, 2000]);
    });
  });
});
