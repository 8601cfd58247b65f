// Which `-backend-config` settings `terraform init` gets. One state per cluster: the root module
// declares an empty (partial) backend block and cluster.yaml's `terraform.backend` fills it in:
//   backend "gcs" {}  →  bucket=<bucket>  prefix=<prefix>
//   backend "s3" {}   →  bucket=<bucket>  key=<prefix>/terraform.tfstate  region=<aws.region>
//   backend "local" {} → nothing: the module keeps its state on local disk (test fixtures); the
//                        state path can still be set outside hubfleet with
//                        TF_CLI_ARGS_init=-backend-config=path=…
import { HubfleetError } from '../errors.js';
import type { ClusterConfig } from '../config/model.js';

export type BackendType = 'gcs' | 's3' | 'local';

/** The backend type a module's .tf files declare (`terraform { backend "<type>" { … } }`). */
export function declaredBackend(tfTexts: readonly string[]): string | undefined {
  for (const text of tfTexts) {
    // Comments could hold an old backend block; drop them first.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)(#|\/\/).*$/gm, '$1');
    const match = /^\s*backend\s+"([A-Za-z0-9_-]+)"/m.exec(code);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

export const stateKey = (prefix: string): string => `${prefix.replace(/\/+$/, '')}/terraform.tfstate`;

/** `key=value` settings for `-backend-config`, in a fixed order. */
export function backendConfig(
  cluster: ClusterConfig,
  declared: string | undefined,
  moduleDir: string,
): string[] {
  const { bucket, prefix } = cluster.terraform.backend;
  switch (declared) {
    case 'gcs':
      return [`bucket=${bucket}`, `prefix=${prefix}`];
    case 's3': {
      if (cluster.aws === undefined) {
        throw new HubfleetError(
          `${moduleDir} declares an s3 backend, but cluster ${cluster.name} has no aws block`,
          {
            hint: 'use terraform/aws for AWS clusters and terraform/gcp (gcs backend) for GCP clusters',
          },
        );
      }
      return [`bucket=${bucket}`, `key=${stateKey(prefix)}`, `region=${cluster.aws.region}`];
    }
    case 'local':
      return [];
    case undefined:
      throw new HubfleetError(
        `${moduleDir} declares no backend, so the state would stay on the runner's disk`,
        {
          hint: 'add `terraform { backend "gcs" {} }` (GCP) or `backend "s3" {}` (AWS) to the root module; hubfleet fills it in from cluster.yaml',
        },
      );
    default:
      throw new HubfleetError(
        `${moduleDir} declares a ${declared} backend, which hubfleet cannot configure`,
        {
          hint: 'use backend "gcs" (GCP) or "s3" (AWS): cluster.yaml terraform.backend fills in bucket and prefix',
        },
      );
  }
}
