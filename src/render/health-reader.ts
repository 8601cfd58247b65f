// Lets the read-only planner read the health service's token, and nothing else. The scheduled
// hub-health job logs in as the planner (decision 0029), which may read no Secret; this Role grants
// `get` on the one Secret `hubfleet-health-token` of the hub's namespace (Kubernetes RBAC:
// `resourceNames` restricts get/update/delete/patch to the named objects; `list` and `watch` are
// not granted, so no other Secret's name or content is exposed), bound to the subjects the cluster
// file names as its planner (`planner.kubernetesSubjects`). Without them nothing is rendered and
// the daily check reports that it cannot read the token.
import type { LoadedCluster } from '../config/model.js';
import { HEALTH_TOKEN_SECRET } from './health-service.js';
import type { KubeMetadata, KubeObject } from './manifests.js';

/** The Role and the RoleBinding share this name in every hub namespace. */
export const HEALTH_TOKEN_READER = 'hubfleet-health-token-reader';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** [Role, RoleBinding] for the cluster's planner, or [] when the cluster file names no planner subject. */
export function healthTokenReader(
  cluster: LoadedCluster,
  meta: (name: string) => KubeMetadata,
): KubeObject[] {
  const subjects = cluster.config.planner?.kubernetesSubjects ?? [];
  if (subjects.length === 0) return [];
  return [
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'Role',
      metadata: meta(HEALTH_TOKEN_READER),
      rules: [
        { apiGroups: [''], resources: ['secrets'], resourceNames: [HEALTH_TOKEN_SECRET], verbs: ['get'] },
      ],
    },
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: 'RoleBinding',
      metadata: meta(HEALTH_TOKEN_READER),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: HEALTH_TOKEN_READER },
      subjects: subjects.map((s) => ({ apiGroup: RBAC_GROUP, kind: s.kind, name: s.name })),
    },
  ];
}
