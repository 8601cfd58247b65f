// Runners with an ambient cloud identity (decision 0029): a Workload Identity or IRSA annotation
// on the runners' service account hands a cloud identity to every job, a pull request's included,
// without OIDC and outside the planner/applier split.
import { isRecord } from '../../config/field-path.js';
import type { AuditRule, RuleFinding } from '../finding.js';

/** GKE Workload Identity and EKS IRSA (the annotations src/render/manifests.ts renders for hubs). */
const IDENTITY_ANNOTATIONS: Readonly<Record<string, string>> = {
  'iam.gke.io/gcp-service-account': 'GKE Workload Identity',
  'eks.amazonaws.com/role-arn': 'EKS IRSA',
};

export const runnerCloudIdentity: AuditRule = {
  id: 'HF016',
  name: 'runner-cloud-identity',
  severity: 'error',
  securitySeverity: 8.5,
  summary: "The in-VPC runners' service account carries a cloud identity.",
  description:
    "Every job on a runner gets the identity of its pod's service account without logging in; a pull request's plan job would then hold whatever that identity may do. hubfleet's jobs log in through GitHub OIDC as the read-only planner or, in an Environment that allows only main, the applier (decision 0029).",
  fix: "Remove the annotation from the runners' service account and the IAM binding behind it.",
  check: (ctx) =>
    ctx.runnerServiceAccounts.flatMap(({ source }): RuleFinding[] => {
      const meta = source.data.metadata;
      const annotations = isRecord(meta) && isRecord(meta.annotations) ? meta.annotations : {};
      return Object.entries(IDENTITY_ANNOTATIONS)
        .filter(([key]) => annotations[key] !== undefined)
        .map(([key, what]) => ({
          ...source.locate(['metadata', 'annotations', key], 'key'),
          field: `metadata.annotations["${key}"]`,
          message: `gives every job on these runners ${what} (${String(annotations[key])})`,
        }));
    }),
};
