// A synthetic fleet on disk: `clusters` clusters alternating GCP and AWS, `hubsPerCluster` hubs
// each (half staging, half prod, every third a daskhub), written as the YAML a person would keep.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SyntheticFleet {
  configDir: string;
  hubFiles: string[];
}

function clusterYaml(name: string, gcp: boolean): string {
  const provider = gcp
    ? `provider: gcp
gcp:
  project: ${name}-prj
  projectNumber: "123456789012"
  region: us-central1
  clusterName: ${name}
  network: ${name}-vpc
  privateEndpoint: true
  dnsZone: ${name}-zone
  workloadIdentityProvider: projects/123456789012/locations/global/workloadIdentityPools/github/providers/github
  deployerServiceAccount: deployer@${name}-prj.iam.gserviceaccount.com
`
    : `provider: aws
aws:
  account: "111122223333"
  region: us-west-2
  clusterName: ${name}
  roleArn: arn:aws:iam::111122223333:role/hubfleet-deployer
  hostedZoneId: Z0123456789ABC
`;
  return `# yaml-language-server: $schema=../../schema/cluster.schema.json
name: ${name}
${provider}runner:
  labels: [self-hosted, ${name}]
terraform:
  backend:
    bucket: ${name}-tfstate
    prefix: clusters/${name}
`;
}

function hubYaml(cluster: string, hub: string, index: number, gcp: boolean): string {
  const stage = index % 2 === 0 ? 'staging' : 'prod';
  const chart = index % 3 === 0 ? 'daskhub' : 'basehub';
  const auth = gcp
    ? `iap:
  members: [group:${hub}@example.org]
  oauthClient: google-managed
cloudPermissions:
  requestorPays: true
  bucketAdminAccess: [scratch]
`
    : `auth:
  github:
    allowedOrganizations: [example-org]
    secret: GITHUB_OAUTH_${hub.toUpperCase().replace(/-/g, '_')}
cloudPermissions:
  bucketAdminAccess: [scratch]
  extraIamPolicy:
    Version: "2012-10-17"
    Statement:
      - Effect: Allow
        Action: ["s3:GetObject"]
        Resource: ["arn:aws:s3:::public-data/*"]
`;
  const values =
    chart === 'daskhub'
      ? `values:
  jupyterhub:
    singleuser:
      memory: {limit: 4G, guarantee: 2G}
`
      : `values:
  singleuser:
    memory: {limit: 4G, guarantee: 2G}
`;
  return `# yaml-language-server: $schema=../../../schema/hub.schema.json
name: ${hub}
stage: ${stage}
domain: ${hub}.${cluster}.hubs.example.org
chart:
  name: ${chart}
  version: ${chart === 'daskhub' ? '2024.1.1' : '4.4.0'}
${auth}buckets:
  scratch:
    deleteAfterDays: 7
podSecurity: privileged
${values}`;
}

export async function writeSyntheticFleet(
  root: string,
  clusters: number,
  hubsPerCluster: number,
): Promise<SyntheticFleet> {
  const configDir = join(root, 'config');
  const hubFiles: string[] = [];
  for (let c = 0; c < clusters; c++) {
    const name = `c${String(c).padStart(3, '0')}`;
    const gcp = c % 2 === 0;
    const dir = join(configDir, 'clusters', name);
    await mkdir(join(dir, 'hubs'), { recursive: true });
    await writeFile(join(dir, 'cluster.yaml'), clusterYaml(name, gcp));
    for (let h = 0; h < hubsPerCluster; h++) {
      const hub = `h${String(h).padStart(2, '0')}`;
      await writeFile(join(dir, 'hubs', `${hub}.yaml`), hubYaml(name, hub, h, gcp));
      hubFiles.push(`config/clusters/${name}/hubs/${hub}.yaml`);
    }
  }
  return { configDir, hubFiles };
}
