import { describe, expect, it } from '@jest/globals';
import type { LoadedCluster } from '../config/model.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster, gcpDaskhub } from '../../test/fixtures/render/fleet.js';
import { requireGcp } from './names.js';
import { renderTfvars } from './tfvars.js';

describe('renderTfvars (GCP)', () => {
  const tfvars = renderTfvars(gcpCluster);

  it('carries the cluster variables', () => {
    expect({ ...tfvars, hubs: undefined }).toEqual({
      hubfleet_cluster: 'pangeo-gcp',
      project: 'pangeo-prod',
      project_number: '123456789012',
      region: 'us-central1',
      zone: 'us-central1-b',
      cluster_name: 'pangeo',
      network: 'pangeo-vpc',
      private_endpoint: true,
      dns_zone: 'hubs-example-org',
      create_cluster: false,
      master_authorized_networks: [],
      // An adopted cluster: nothing of a created one is set; the node pool and channel carry the
      // defaults of src/config/cluster-defaults.ts (the module ignores them when adopting).
      master_ipv4_cidr_block: null,
      subnetwork: null,
      cluster_secondary_range_name: null,
      services_secondary_range_name: null,
      release_channel: 'REGULAR',
      node_pool: { machine_type: 'n2-standard-4', min_node_count: 1, max_node_count: 3, disk_size_gb: 100 },
      // No gcp.iapProberServiceAccount: the checks' IAP prober defaults to the deployer.
      smoke_identity: 'serviceAccount:deployer@pangeo-prod.iam.gserviceaccount.com',
      // Neither gcp.restrictedGoogleApis nor gcp.vpcServiceControls: no zones, no route, no perimeter.
      restricted_google_apis: false,
      vpc_service_controls: null,
      hubs: undefined,
    });
  });

  it('grants IAP access to the IAP prober the checks mint their token as, when cluster.yaml names one', () => {
    const gcp = requireGcp(gcpCluster);
    const withProber: LoadedCluster = {
      ...gcpCluster,
      config: {
        ...gcpCluster.config,
        gcp: { ...gcp, iapProberServiceAccount: 'iap-prober@pangeo-prod.iam.gserviceaccount.com' },
      },
    };
    const rendered = renderTfvars(withProber);
    if (!('smoke_identity' in rendered)) throw new Error('not GCP variables');
    expect(rendered.smoke_identity).toBe('serviceAccount:iap-prober@pangeo-prod.iam.gserviceaccount.com');
  });

  it('passes a created cluster and its master authorized networks through (adopting is the default)', () => {
    const gcp = requireGcp(gcpCluster);
    const created: LoadedCluster = {
      ...gcpCluster,
      config: {
        ...gcpCluster.config,
        gcp: {
          ...gcp,
          createCluster: true,
          masterAuthorizedNetworks: [{ cidrBlock: '10.20.0.0/16', displayName: 'runners' }],
          masterIpv4CidrBlock: '172.16.0.16/28',
          subnetwork: 'pangeo-nodes',
          podsRangeName: 'pangeo-pods',
          servicesRangeName: 'pangeo-services',
          releaseChannel: 'STABLE',
          nodePool: { machineType: 'e2-standard-8', maxNodeCount: 12 },
        },
      },
    };
    const rendered = renderTfvars(created);
    if (!('create_cluster' in rendered)) throw new Error('not GCP variables');
    const { hubs: _hubs, ...cluster } = rendered;
    expect(cluster).toMatchObject({
      create_cluster: true,
      master_authorized_networks: [{ cidr_block: '10.20.0.0/16', display_name: 'runners' }],
      master_ipv4_cidr_block: '172.16.0.16/28',
      subnetwork: 'pangeo-nodes',
      cluster_secondary_range_name: 'pangeo-pods',
      services_secondary_range_name: 'pangeo-services',
      release_channel: 'STABLE',
      // Unset node pool settings take the defaults; set ones win.
      node_pool: { machine_type: 'e2-standard-8', min_node_count: 1, max_node_count: 12, disk_size_gb: 100 },
    });
  });

  it('gives every hub its identity, address, IAP members and resolved bucket names', () => {
    expect(Object.keys(tfvars.hubs)).toEqual(['ocean', 'staging']);
    expect(tfvars.hubs.ocean).toEqual({
      namespace: 'ocean',
      ksa_name: 'user-sa',
      domain: 'ocean.hubs.example.org',
      stage: 'prod',
      static_ip_name: 'hubfleet-pangeo-gcp-ocean',
      gcp_service_account_id: 'hubfleet-pangeo-gcp-ocean',
      workload_identity_member: 'serviceAccount:pangeo-prod.svc.id.goog[ocean/user-sa]',
      iap_members: ['group:ocean@example.org', 'user:ana@example.org'],
      requester_pays: true,
      buckets: {
        persistent: { bucket_name: 'hubfleet-pangeo-gcp-ocean-persistent-67c9265c', delete_after_days: null },
        'public-data': {
          bucket_name: 'hubfleet-pangeo-gcp-ocean-public-data-8a2f8295',
          delete_after_days: null,
        },
        scratch: { bucket_name: 'hubfleet-pangeo-gcp-ocean-scratch-103a73c6', delete_after_days: 7 },
      },
      bucket_admin_access: [
        'hubfleet-pangeo-gcp-ocean-persistent-67c9265c',
        'hubfleet-pangeo-gcp-ocean-scratch-103a73c6',
      ],
      bucket_readonly_access: ['hubfleet-pangeo-gcp-ocean-public-data-8a2f8295'],
    });
  });

  it('renders a regional cluster with zone null and a hub without buckets or permissions', () => {
    const { zone: _zone, ...regional } = requireGcp(gcpCluster);
    const { buckets: _b, cloudPermissions: _p, ...withoutStorage } = gcpBasehub.config;
    const cluster: LoadedCluster = {
      ...gcpCluster,
      config: { ...gcpCluster.config, gcp: regional },
      hubs: [{ ...gcpBasehub, config: withoutStorage }],
    };
    const out = renderTfvars(cluster);
    expect(out).toMatchObject({ zone: null });
    expect(out.hubs.staging).toMatchObject({
      buckets: {},
      bucket_admin_access: [],
      bucket_readonly_access: [],
      requester_pays: false,
    });
  });

  it('refuses an access list naming a bucket the hub does not have', () => {
    const hub = {
      ...gcpDaskhub,
      config: { ...gcpDaskhub.config, cloudPermissions: { bucketReadonlyAccess: ['scrach'] } },
    };
    expect(() => renderTfvars({ ...gcpCluster, hubs: [hub] })).toThrow(
      'config/clusters/pangeo-gcp/hubs/ocean.yaml: cloudPermissions.bucketReadonlyAccess names bucket "scrach", which is not in this hub\'s buckets',
    );
  });
});

describe('renderTfvars (AWS)', () => {
  it('renders the account, the IRSA role and subject, and the policy as a sorted JSON string', () => {
    expect(renderTfvars(awsCluster)).toEqual({
      hubfleet_cluster: 'pangeo-aws',
      account: '111122223333',
      region: 'us-west-2',
      cluster_name: 'pangeo',
      deployer_role_arn: 'arn:aws:iam::111122223333:role/hubfleet-deployer',
      hosted_zone_id: 'Z0123456789ABCDEFGHIJ',
      hubs: {
        climate: {
          namespace: 'climate',
          ksa_name: 'user-sa',
          domain: 'climate.hubs.example.org',
          stage: 'prod',
          irsa_role_name: 'hubfleet-pangeo-aws-climate',
          irsa_subject: 'system:serviceaccount:climate:user-sa',
          extra_iam_policy:
            '{"Statement":[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":["arn:aws:s3:::noaa-goes16/*"]}],"Version":"2012-10-17"}',
          buckets: {
            scratch: { bucket_name: 'hubfleet-pangeo-aws-climate-scratch-cdf54012', delete_after_days: 30 },
          },
          bucket_admin_access: ['hubfleet-pangeo-aws-climate-scratch-cdf54012'],
          bucket_readonly_access: [],
        },
      },
    });
  });

  it('renders extra_iam_policy null when there is none', () => {
    const hub = { ...awsHub, config: { ...awsHub.config, cloudPermissions: { extraIamPolicy: null } } };
    expect(renderTfvars({ ...awsCluster, hubs: [hub] }).hubs.climate).toMatchObject({
      extra_iam_policy: null,
    });
  });

  it('never carries a secret name or value', () => {
    const text = JSON.stringify([renderTfvars(awsCluster), renderTfvars(gcpCluster)]);
    expect(text).not.toMatch(/GITHUB_OAUTH_CLIMATE|IAP_OAUTH_OCEAN|secret/i);
  });
});
