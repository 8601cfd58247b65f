import { describe, expect, it } from '@jest/globals';
import type { GcpCluster, LoadedCluster } from '../config/model.js';
import { gcpCluster } from '../../test/fixtures/render/fleet.js';
import { renderTfvars, type GcpTfvars } from './tfvars.js';

const withGcp = (edit: (gcp: GcpCluster) => GcpCluster): GcpTfvars => {
  const cluster: LoadedCluster = {
    ...gcpCluster,
    config: { ...gcpCluster.config, gcp: edit({ ...(gcpCluster.config.gcp as GcpCluster) }) },
  };
  return renderTfvars(cluster) as GcpTfvars;
};
const pick = (v: GcpTfvars): Partial<GcpTfvars> => ({
  private_endpoint: v.private_endpoint,
  master_authorized_networks: v.master_authorized_networks,
  restricted_google_apis: v.restricted_google_apis,
  vpc_service_controls: v.vpc_service_controls,
});

describe('renderTfvars: the network options of a GKE cluster', () => {
  it('defaults: private endpoint, only the runners’ networks (the module adds them), no restriction, no perimeter', () => {
    expect(
      pick(
        withGcp(({ privateEndpoint: _omitted, ...gcp }) => {
          void _omitted;
          return gcp;
        }),
      ),
    ).toEqual({
      private_endpoint: true,
      master_authorized_networks: [],
      restricted_google_apis: false,
      vpc_service_controls: null,
    });
  });

  it('writes what cluster.yaml says', () => {
    expect(
      pick(
        withGcp((gcp) => ({
          ...gcp,
          privateEndpoint: false,
          masterAuthorizedNetworks: [{ cidrBlock: '192.168.4.0/24', displayName: 'bastion' }],
          restrictedGoogleApis: true,
          vpcServiceControls: {
            perimeter: 'accessPolicies/123456789/servicePerimeters/hubs',
            manageMembership: true,
          },
        })),
      ),
    ).toEqual({
      private_endpoint: false,
      master_authorized_networks: [{ cidr_block: '192.168.4.0/24', display_name: 'bastion' }],
      restricted_google_apis: true,
      vpc_service_controls: {
        perimeter: 'accessPolicies/123456789/servicePerimeters/hubs',
        manage_membership: true,
      },
    });
  });

  it('leaves the perimeter membership to the organisation admin unless manageMembership says otherwise', () => {
    expect(
      withGcp((gcp) => ({
        ...gcp,
        restrictedGoogleApis: true,
        vpcServiceControls: { perimeter: 'accessPolicies/123456789/servicePerimeters/hubs' },
      })).vpc_service_controls,
    ).toEqual({ perimeter: 'accessPolicies/123456789/servicePerimeters/hubs', manage_membership: false });
  });
});
