// The read-only planner identity as a cluster's Kubernetes RBAC sees it (decision 0029 for the
// cloud side, 0036 for this). deploy-hub binds these subjects to a Role that may only `get` the
// health service's token Secret in each hub namespace, so the scheduled hub-health check, which
// logs in as the planner, can read that one Secret and no other.
import { Type } from '@sinclair/typebox';

/**
 * An RBAC subject is matched literally (Kubernetes `rbac/v1` Subject: kind User or Group, name);
 * EKS's `{{SessionName}}` templates and whitespace never match a request, so they are refused.
 */
export const RBAC_SUBJECT_NAME_PATTERN = '^[^\\s{}]+$';

export const KubernetesSubjectSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('User'), Type.Literal('Group')], {
      description: 'User or Group, as in a RoleBinding subject',
    }),
    name: Type.String({
      minLength: 1,
      maxLength: 512,
      pattern: RBAC_SUBJECT_NAME_PATTERN,
      description: 'the user name or group exactly as the API server authenticates the planner',
    }),
  },
  { additionalProperties: false },
);

export const PlannerSchema = Type.Object(
  {
    kubernetesSubjects: Type.Array(KubernetesSubjectSchema, {
      minItems: 1,
      maxItems: 10,
      uniqueItems: true,
      description:
        "who the read-only planner is inside the cluster: deploy-hub lets these subjects get the Secret hubfleet-health-token (and nothing else) in each hub namespace, for the scheduled hub-health check. GKE: the planner's user name as the cluster sees it (`kubectl auth whoami` in a planner job; a Google service account's email). EKS: a group the planner role's access entry maps to (its kubernetesGroups), since an assumed role's user name carries the session name",
    }),
  },
  { additionalProperties: false },
);
