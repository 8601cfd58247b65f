import { describe, expect, it } from '@jest/globals';
import { cluster, fleet } from '../../test/support/fleet.js';
import { refusal } from '../../test/support/refusal.js';
import { selectHubs } from './select-hubs.js';

const gcp = cluster('pangeo-gcp', 'gcp', [
  { name: 'ocean', stage: 'prod' },
  { name: 'sea', stage: 'prod' },
]);
const aws = cluster('pangeo-aws', 'aws', [{ name: 'glacier', stage: 'prod' }]);
const f = fleet(gcp, aws);

describe('selectHubs (verify-cert)', () => {
  it('takes all hubs of a GKE cluster, or the named ones in the order given', () => {
    expect(selectHubs(f, 'pangeo-gcp', 'all', 'config')).toEqual({ cluster: gcp, hubs: gcp.hubs });
    expect(selectHubs(f, 'pangeo-gcp', ['sea', 'ocean'], 'config').hubs.map((h) => h.config.name)).toEqual([
      'sea',
      'ocean',
    ]);
  });

  it('refuses an EKS cluster for what it is, before looking at the hub names', () => {
    expect(refusal(() => selectHubs(f, 'pangeo-aws', ['nope'], 'config'))).toEqual({
      message: 'cluster pangeo-aws is on aws: verify-cert checks GKE ManagedCertificates',
      hint: 'run verify-cert only for GKE clusters; on EKS the AWS Load Balancer Controller uses ACM certificates (smoke-iap still checks TLS there)',
    });
  });

  it('refuses unknown clusters and hubs in the action kit’s words, offering all', () => {
    expect(refusal(() => selectHubs(f, 'pangeo-gpc', 'all', 'config'))).toEqual({
      message: 'no cluster named pangeo-gpc in config (did you mean pangeo-gcp?)',
      hint: 'use one of: pangeo-aws, pangeo-gcp',
    });
    expect(refusal(() => selectHubs(f, 'pangeo-gcp', ['oceann'], 'config'))).toEqual({
      message: 'cluster pangeo-gcp has no hub named oceann (did you mean ocean?)',
      hint: 'hubs of pangeo-gcp: ocean, sea; or use all',
    });
    expect(refusal(() => selectHubs(f, 'pangeo-gcp', [], 'config'))).toEqual({
      message: 'input "hubs" names no hub',
      hint: 'give one hub, a list, or all',
    });
  });
});
