// A synthetic fleet on disk: `clusters` clusters alternating GCP and AWS, `hubsPerCluster` hubs
// each (half staging, half prod, every third a daskhub), written as the YAML a person would keep:
// about 2 KB per hub file, 2 MB for 1,000 hubs.
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

// z2jh values as a science hub keeps them: a 3-entry profileList whose entries override
// kubespawner settings and pick node pools, an image, extraEnv, storage and culling. All of it is
// on the hub-file allow-list (decision 0018); SCRATCH_BUCKET is hubfleet's, from buckets:.
function z2jhValues(hub: string, indent: string, gcp: boolean): string {
  const pool = gcp ? 'cloud.google.com/gke-nodepool' : 'eks.amazonaws.com/nodegroup';
  const lines = `singleuser:
  image:
    name: quay.io/pangeo/pangeo-notebook
    tag: "2026.03.14"
  extraEnv:
    PANGEO_CATALOG: https://catalog.example.org/${hub}.yaml
    DASK_GATEWAY__CLUSTER__OPTIONS__IMAGE: "{JUPYTER_IMAGE_SPEC}"
    JUPYTERHUB_SINGLEUSER_APP: jupyter_server.serverapp.ServerApp
  storage:
    type: dynamic
    capacity: 10Gi
    homeMountPath: /home/jovyan
    extraVolumeMounts:
      - name: dev-shm
        mountPath: /dev/shm
  memory: {limit: 4G, guarantee: 2G}
  profileList:
    - display_name: "Small: 2 CPU, 8 GB"
      description: For notebooks and light analysis
      default: true
      kubespawner_override:
        cpu_guarantee: 1.5
        cpu_limit: 2
        mem_guarantee: 6.5G
        mem_limit: 8G
        node_selector:
          ${pool}: user-small
    - display_name: "Medium: 8 CPU, 32 GB"
      description: For larger datasets and parallel work
      kubespawner_override:
        cpu_guarantee: 7
        cpu_limit: 8
        mem_guarantee: 28G
        mem_limit: 32G
        node_selector:
          ${pool}: user-medium
    - display_name: "GPU: 4 CPU, 16 GB, 1 T4"
      description: For machine learning on one GPU
      kubespawner_override:
        image: quay.io/pangeo/ml-notebook:2026.03.14
        cpu_limit: 4
        mem_limit: 16G
        extra_resource_limits:
          nvidia.com/gpu: "1"
        node_selector:
          ${pool}: user-gpu-t4
cull:
  enabled: true
  timeout: 3600
  every: 300
  maxAge: 86400
scheduling:
  userScheduler:
    enabled: true
`;
  return lines
    .trimEnd()
    .split('\n')
    .map((l) => `${indent}${l}`)
    .join('\n');
}

function hubYaml(cluster: string, hub: string, index: number, gcp: boolean): string {
  const stage = index % 2 === 0 ? 'staging' : 'prod';
  const chart = index % 3 === 0 ? 'daskhub' : 'basehub';
  const auth = gcp
    ? `iap:
  members: [group:${hub}@example.org, user:admin@example.org]
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
${z2jhValues(hub, '    ', gcp)}
  dask-gateway:
    gateway:
      backend:
        worker:
          cores: {limit: 2}
`
      : `values:
${z2jhValues(hub, '  ', gcp)}
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
