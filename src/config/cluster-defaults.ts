// Defaults of a created GKE cluster's settings (cluster.yaml gcp.*), in one place for the schema's
// descriptions and the renderer (src/render/tfvars.ts), which writes them into the Terraform
// variables: the module itself has no defaults, so what is planned is what the config says.

/** The core node pool when cluster.yaml leaves a setting out; node counts are per zone. */
export const NODE_POOL_DEFAULTS = {
  machineType: 'n2-standard-4',
  minNodeCount: 1,
  maxNodeCount: 3,
  diskSizeGb: 100,
} as const;

export const DEFAULT_RELEASE_CHANNEL = 'REGULAR';

/**
 * gcp.privateEndpoint when cluster.yaml leaves it out: the in-VPC runners reach the control plane
 * on its private endpoint, so nothing needs a public one.
 */
export const DEFAULT_PRIVATE_ENDPOINT = true;
