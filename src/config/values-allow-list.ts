// The trust model for a hub file's `values` (decision 0018): an allow-list per chart of the value
// paths a hub requester may set freely. Everything else is refused; keys that run code, choose or
// configure the authenticator, set the spawner's identity or namespace, mount files into the hub,
// or change pod security or networking are named "privileged" with the reason and the safe
// alternative. A platform team that really needs one puts it in the platform file
// (config/clusters/<c>/platform/<hub>.yaml, platform-rules.ts), which CODEOWNERS gives to them.
//
// Read from the charts' own values (cited per section):
// - z2jh: jupyterhub/zero-to-jupyterhub-k8s `jupyterhub/values.yaml` and `values.schema.yaml`,
//   and `jupyterhub/files/hub/jupyterhub_config.py`, which maps `singleuser.*` onto KubeSpawner
//   traits (`set_config_if_not_none(c.KubeSpawner, trait, "singleuser." + cfg_key)`) and runs
//   `hub.extraConfig` snippets in sorted key order (`for key, config_py in sorted(...)`).
// - dask-gateway: dask/dask-gateway `resources/helm/dask-gateway/values.yaml` (daskhub's
//   `dask-gateway:` subchart; dask/helm-chart `daskhub/values.yaml` nests z2jh under `jupyterhub:`).
// - KubeSpawner traits a profile's `kubespawner_override` may set: jupyterhub/kubespawner
//   `kubespawner/spawner.py` (KubeSpawner.profile_list: "kubespawner_override: a dictionary with
//   overrides to apply to the KubeSpawner settings").

/** Why a key is privileged, said once per class. */
export const PRIVILEGE = {
  code: 'it runs code or images inside the hub with its credentials, which can replace the authenticator',
  userCode:
    "it runs other code or images in the user pods beside the user's own (init containers and sidecars can be privileged)",
  proxy: "it changes the proxy, which sees every request and its user's IAP assertion",
  gateway: "it runs code in Dask Gateway, which holds the hub's API token",
  api: 'it grants API tokens or scopes on the hub',
  auth: 'it chooses or configures who may sign in; hubfleet renders the authenticator from iap: (GKE) or auth.github (EKS)',
  spawner:
    "it sets the user pods' identity, namespace or privileges; hubfleet runs them as the hub's user-sa in the hub's namespace",
  mount: 'it mounts files into the hub pod, over its configuration if it likes',
  podSecurity: 'it changes pod security (users, groups, privilege escalation, security contexts)',
  network: 'it changes how the hub is reached or what its pods may reach',
  identity: "it changes the Kubernetes identity or RBAC of the chart's pods",
  names: 'it renames the Services and Secrets hubfleet wires together (proxy-public, hub)',
  state: "it moves the hub's database (users, tokens) out of the hub's own volume",
} as const;

export type PrivilegeClass = keyof typeof PRIVILEGE;

export type ValueRule =
  /** Any value below this key. */
  | { kind: 'free' }
  /** A mapping of the listed keys; others get `otherwise` (default: not on the allow-list). */
  | { kind: 'map'; keys: Readonly<Record<string, ValueRule>>; otherwise?: ValueRule }
  /**
   * Refused with its reason; `fixed`: not even the platform file may set it (platform-rules.ts),
   * so the message does not send anyone there.
   */
  | { kind: 'privileged'; class: PrivilegeClass; instead?: string; fixed?: boolean }
  /** A user-pod environment mapping (NAME: value or NAME: {valueFrom: …}). */
  | { kind: 'env' }
  /** A list (or z2jh 4's mapping) of Kubernetes volumes; only data volume sources. */
  | { kind: 'volumes' }
  /** z2jh `singleuser.profileList`: KubeSpawner profiles with checked `kubespawner_override`. */
  | { kind: 'profiles' };

const free: ValueRule = { kind: 'free' };
const env: ValueRule = { kind: 'env' };
const volumes: ValueRule = { kind: 'volumes' };
const map = (keys: Record<string, ValueRule>, otherwise?: ValueRule): ValueRule =>
  otherwise === undefined ? { kind: 'map', keys } : { kind: 'map', keys, otherwise };
const privileged = (cls: PrivilegeClass, instead?: string): ValueRule =>
  instead === undefined ? { kind: 'privileged', class: cls } : { kind: 'privileged', class: cls, instead };
/**
 * A mapping every key of which is refused with `rule`: one problem per trait or field, each on its
 * own line (`hub.config.KubeSpawner.namespace`, not just `hub.config.KubeSpawner`).
 */
const eachKey = (rule: ValueRule): ValueRule => map({}, rule);
/** Privileged, and hubfleet's alone: the platform file may not set it either. */
const fixed = (cls: PrivilegeClass, instead?: string): ValueRule => ({
  kind: 'privileged',
  class: cls,
  fixed: true,
  ...(instead === undefined ? {} : { instead }),
});
const freeKeys = (...keys: string[]): Record<string, ValueRule> =>
  Object.fromEntries(keys.map((k) => [k, free]));

const USER_ENV_INSTEAD = 'user settings go in singleuser.* (image, cpu, memory, extraEnv, profileList)';
const POD_PLACEMENT_INSTEAD =
  'place user pods with singleuser.nodeSelector, singleuser.extraTolerations or singleuser.extraNodeAffinity';

/**
 * z2jh values (basehub at the top of `values`, daskhub under `jupyterhub:`). Paths hubfleet owns
 * (owned-values.ts) or guards as entry points are decided by those rules, not here.
 */
export const Z2JH_ALLOW_LIST: ValueRule = map({
  hub: map(
    {
      ...freeKeys(
        'resources',
        'nodeSelector',
        'tolerations',
        'concurrentSpawnLimit',
        'consecutiveFailureLimit',
        'activeServerLimit',
        'allowNamedServers',
        'namedServerLimitPerUser',
        'redirectToServer',
        'shutdownOnLogout',
        'templateVars',
        'livenessProbe',
        'readinessProbe',
        'pdb',
        'revisionHistoryLimit',
      ),
      db: map({ pvc: map(freeKeys('storage', 'storageClassName')) }, privileged('state')),
      config: map(
        {
          KubeSpawner: eachKey(privileged('spawner', USER_ENV_INSTEAD)),
          HubfleetIAPAuthenticator: eachKey(
            fixed(
              'auth',
              "IAP's keys URL, audience, issuer and leeway are hubfleet's trust anchors, pinned by the render and deploy-hub; admins and allowed email domains come from iap.admins and iap.allowedDomains",
            ),
          ),
          GitHubOAuthenticator: eachKey(
            fixed(
              'auth',
              'who may sign in comes from auth.github.allowedOrganizations, admins from auth.github.admins, the callback URL from domain',
            ),
          ),
          Authenticator: eachKey(
            privileged(
              'auth',
              'who may sign in comes from iap.members and iap.allowedDomains (GKE) or auth.github (EKS), admins from iap.admins or auth.github.admins',
            ),
          ),
        },
        eachKey(
          privileged(
            'auth',
            'user-facing hub switches have keys of their own: hub.allowNamedServers, hub.namedServerLimitPerUser, hub.shutdownOnLogout, cull.*',
          ),
        ),
      ),
      // One problem per snippet and per file, each on its own line. hubfleet's own snippet
      // (platform-rules.ts HUBFLEET_EXTRA_CONFIG_KEY) is the IAP authenticator.
      extraConfig: map(
        { 'hubfleet-iap-authenticator': fixed('auth', "it is hubfleet's IAP authenticator") },
        privileged('code'),
      ),
      extraFiles: map({}, privileged('mount')),
      extraVolumes: privileged('mount'),
      extraVolumeMounts: privileged('mount'),
      templatePaths: privileged('mount'),
      initContainers: privileged('code'),
      extraContainers: privileged('code'),
      lifecycle: privileged('code'),
      command: privileged('code'),
      args: privileged('code'),
      image: privileged('code', 'the user image is singleuser.image'),
      extraEnv: privileged('code', 'environment for users goes in singleuser.extraEnv'),
      services: privileged('api'),
      loadRoles: privileged('api'),
      authenticatePrometheus: privileged('auth'),
      existingSecret: privileged('auth'),
      serviceAccount: fixed('identity'),
      podSecurityContext: privileged('podSecurity'),
      containerSecurityContext: privileged('podSecurity'),
      extraPodSpec: privileged('podSecurity'),
      networkPolicy: privileged('network'),
      service: privileged('network'),
      baseUrl: privileged('network'),
      annotations: privileged('network'),
      labels: privileged('network'),
    },
    undefined,
  ),
  proxy: map(
    {
      chp: map(freeKeys('resources', 'nodeSelector', 'tolerations'), privileged('proxy')),
      service: privileged('network'),
      https: privileged('network'),
    },
    privileged('network'),
  ),
  singleuser: map({
    image: map(freeKeys('name', 'tag', 'pullPolicy', 'pullSecrets')),
    ...freeKeys(
      'cpu',
      'memory',
      'extraResource',
      'defaultUrl',
      'startTimeout',
      'cmd',
      'events',
      'nodeSelector',
      'extraTolerations',
      'extraNodeAffinity',
      'extraPodAffinity',
      'extraPodAntiAffinity',
      'extraFiles',
    ),
    extraEnv: env,
    profileList: { kind: 'profiles' },
    storage: map({
      ...freeKeys('type', 'capacity', 'homeMountPath', 'extraLabels', 'extraVolumeMounts'),
      dynamic: map(freeKeys('storageClass', 'storageAccessModes', 'subPath')),
      static: map(freeKeys('pvcName', 'subPath')),
      extraVolumes: volumes,
    }),
    // On EKS a hub may turn the metadata block off (hub-rules.ts asks for it under baseline).
    cloudMetadata: map({ blockWithIptables: free }, privileged('network')),
    serviceAccountName: privileged('spawner'),
    extraPodConfig: eachKey(privileged('spawner', POD_PLACEMENT_INSTEAD)),
    networkPolicy: privileged('network'),
    networkTools: privileged('userCode'),
    extraLabels: privileged('network'),
    extraAnnotations: privileged('network'),
    initContainers: privileged('userCode'),
    extraContainers: privileged('userCode'),
    lifecycleHooks: privileged('userCode', 'put start-up steps in the image'),
    uid: privileged('podSecurity'),
    fsGid: privileged('podSecurity'),
    allowPrivilegeEscalation: privileged('podSecurity'),
  }),
  cull: free,
  scheduling: map({
    userScheduler: map(
      freeKeys('enabled', 'replicas', 'logLevel', 'resources', 'nodeSelector', 'tolerations'),
    ),
    userPlaceholder: map(freeKeys('enabled', 'replicas', 'resources')),
    ...freeKeys('podPriority', 'corePods', 'userPods'),
  }),
  prePuller: map({
    hook: map(freeKeys('enabled')),
    continuous: map(freeKeys('enabled')),
    ...freeKeys('extraImages', 'pullProfileListImages', 'resources'),
  }),
  ingress: privileged('network'),
  httpRoute: privileged('network'),
  ...freeKeys('custom', 'debug', 'imagePullSecret', 'imagePullSecrets', 'enabled'),
  rbac: privileged('identity'),
  global: privileged('identity'),
  nameOverride: fixed('names'),
  fullnameOverride: fixed('names'),
});

/** daskhub's `dask-gateway:` subchart (dask/dask-gateway resources/helm/dask-gateway/values.yaml). */
export const DASK_GATEWAY_ALLOW_LIST: ValueRule = map({
  gateway: map({
    ...freeKeys('resources', 'nodeSelector', 'tolerations', 'affinity', 'loglevel', 'replicas'),
    backend: map({
      ...freeKeys('image', 'imagePullSecrets', 'environment'),
      scheduler: map(
        freeKeys('cores', 'memory'),
        privileged('spawner', 'size Dask pods with cores and memory'),
      ),
      worker: map(
        freeKeys('cores', 'memory', 'threads'),
        privileged('spawner', 'size Dask pods with cores, memory and threads'),
      ),
      namespace: fixed('spawner'),
    }),
    extraConfig: privileged('gateway'),
    image: privileged('gateway'),
    env: privileged('gateway'),
    auth: fixed('auth', "Dask Gateway trusts the hub's own sign-in"),
    prefix: privileged('network'),
    service: privileged('network'),
  }),
  controller: map(
    freeKeys(
      'resources',
      'nodeSelector',
      'tolerations',
      'affinity',
      'loglevel',
      'completedClusterMaxAge',
      'completedClusterCleanupPeriod',
    ),
    privileged('gateway'),
  ),
  traefik: map(
    freeKeys('resources', 'replicas', 'nodeSelector', 'tolerations', 'affinity', 'loglevel'),
    privileged('network'),
  ),
  rbac: privileged('identity'),
  nameOverride: privileged('names'),
  fullnameOverride: privileged('names'),
});

/** daskhub's own top level (dask/helm-chart daskhub/values.yaml). */
export const DASKHUB_ALLOW_LIST: ValueRule = map({
  jupyterhub: Z2JH_ALLOW_LIST,
  'dask-gateway': DASK_GATEWAY_ALLOW_LIST,
  'dask-kubernetes': privileged('identity'),
  rbac: privileged('identity'),
  global: privileged('identity'),
  nameOverride: fixed('names'),
  fullnameOverride: fixed('names'),
});

/**
 * KubeSpawner traits a profile's `kubespawner_override` may set (jupyterhub/kubespawner
 * kubespawner/spawner.py); the same things singleuser.* may set. Anything else there (service_account,
 * namespace, privileged, uid, extra_pod_config, init_containers, lifecycle_hooks, …) is refused.
 */
export const KUBESPAWNER_OVERRIDE_ALLOWED: readonly string[] = [
  'image',
  'image_pull_policy',
  'cpu_limit',
  'cpu_guarantee',
  'mem_limit',
  'mem_guarantee',
  'extra_resource_limits',
  'extra_resource_guarantees',
  'node_selector',
  'tolerations',
  'node_affinity_required',
  'node_affinity_preferred',
  'environment',
  'default_url',
  'start_timeout',
  'storage_capacity',
  'volumes',
  'volume_mounts',
  'cmd',
];

/** Profile keys KubeSpawner reads (KubeSpawner.profile_list's documented shape). */
export const PROFILE_KEYS: readonly string[] = [
  'display_name',
  'slug',
  'description',
  'default',
  'kubespawner_override',
  'profile_options',
];
export const PROFILE_OPTION_KEYS: readonly string[] = ['display_name', 'choices', 'unlisted_choice'];
export const PROFILE_CHOICE_KEYS: readonly string[] = ['display_name', 'default', 'kubespawner_override'];
export const UNLISTED_CHOICE_KEYS: readonly string[] = [
  'enabled',
  'display_name',
  'display_name_in_choices',
  'validation_regex',
  'validation_message',
  'kubespawner_override',
];

/**
 * Volume sources a hub's user pods may mount: data only. hostPath reaches the node, and `secret` or
 * `projected` would hand user pods the Secrets of the hub's namespace (z2jh's `hub` Secret holds
 * the proxy token and every service's API token).
 */
export const DATA_VOLUME_SOURCES: readonly string[] = [
  'persistentVolumeClaim',
  'emptyDir',
  'configMap',
  'nfs',
];

/** Secrets in a hub's namespace that values may not reference: the chart's and hubfleet's own. */
export function protectedSecretNames(hub: string): string[] {
  return ['hub', `${hub}-iap-oauth`, `${hub}-github-oauth`, 'proxy-public-tls-acme', 'proxy-manual-tls'];
}
