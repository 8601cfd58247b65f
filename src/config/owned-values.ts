// Chart values that hubfleet renders itself. A hub's `values:` may not override them with anything
// else, because the Ingress, IAP and Workload Identity wiring depend on them. The renderers import
// the same facts, so the validator and the rendered values cannot disagree.
import type { ChartName, Provider } from './model.js';
import * as health from '../render/health-service.js';

/** GKE reads this Service annotation to attach the BackendConfig (IAP, health check, timeout). */
export const BACKEND_CONFIG_ANNOTATION = 'cloud.google.com/backend-config';

/** The user pods' Kubernetes service account; deploy-hub creates it with the Terraform annotation. */
export const USER_SERVICE_ACCOUNT = 'user-sa';

/** GCE Ingress needs a NodePort backend; on EKS the Service stays internal behind the load balancer. */
export const PROXY_SERVICE_TYPE: Readonly<Record<Provider, string>> = { gcp: 'NodePort', aws: 'ClusterIP' };

/** TLS ends at the load balancer, so the proxy serves plain HTTP inside the cluster. */
export const PROXY_HTTPS_ENABLED = false;

/** EKS hubs log users in with GitHub: OAuthenticator's entry point name for GitHubOAuthenticator. */
export const GITHUB_AUTHENTICATOR_CLASS = 'github';

/** GKE hubs log users in from IAP's signed header (src/render/iap_authenticator.py registers this path). */
export const IAP_AUTHENTICATOR_CLASS_PATH = 'hubfleet_iap.HubfleetIAPAuthenticator';

export function backendConfigName(hub: string): string {
  return `${hub}-iap`;
}

/** The annotation value exactly as rendered: `{"default":"<hub>-iap"}`. */
export function backendConfigAnnotationValue(hub: string): string {
  return JSON.stringify({ default: backendConfigName(hub) });
}

/** Where the z2jh values live inside `values`: daskhub nests them under its `jupyterhub` subchart. */
export const Z2JH_VALUES_ROOT: Readonly<Record<ChartName, readonly string[]>> = {
  basehub: [],
  daskhub: ['jupyterhub'],
};

/** daskhub's subchart keys; a basehub has neither. */
export const DASKHUB_SUBCHART_KEYS: readonly string[] = ['jupyterhub', 'dask-gateway'];

/**
 * Top-level keys of the z2jh chart's values. In a daskhub these belong under `jupyterhub:`
 * (`global`, `nameOverride` and `fullnameOverride` are left out: they are valid on any chart).
 */
export const Z2JH_TOP_LEVEL_KEYS: readonly string[] = [
  'hub',
  'proxy',
  'singleuser',
  'scheduling',
  'prePuller',
  'cull',
  'ingress',
  'rbac',
  'custom',
  'debug',
  'imagePullSecret',
  'imagePullSecrets',
];

/**
 * Every top-level value of the z2jh chart at `version` (its values.schema.json sets
 * additionalProperties: false at the top, so helm refuses anything else at deploy time):
 * Z2JH_TOP_LEVEL_KEYS, the keys valid on any chart, and `httpRoute` from 4.3.0 on.
 */
export function z2jhTopLevelKeys(httpRoute: boolean): string[] {
  return [
    ...Z2JH_TOP_LEVEL_KEYS,
    ...(httpRoute ? ['httpRoute'] : []),
    'enabled',
    'nameOverride',
    'fullnameOverride',
    'global',
  ];
}

/** The first z2jh release with the top-level `httpRoute` value. */
export const Z2JH_HTTP_ROUTE_SINCE = '4.3.0';

/**
 * Everything the daskhub chart reads at its top level: its two subcharts, its own
 * dask-kubernetes RBAC switch and `rbac`, and helm's `global`. It has no values.schema.json, so
 * helm ignores any other key without a word.
 */
export const DASKHUB_TOP_LEVEL_KEYS: readonly string[] = [
  'jupyterhub',
  'dask-gateway',
  'dask-kubernetes',
  'rbac',
  'global',
];

/** z2jh blocks the cloud metadata server with an init container that needs NET_ADMIN (privileged). */
export const BLOCK_WITH_IPTABLES_PATH: readonly string[] = [
  'singleuser',
  'cloudMetadata',
  'blockWithIptables',
];

export interface OwnedValue {
  /** Path inside the z2jh values (prefix with Z2JH_VALUES_ROOT for the chart), or inside daskhub's `dask-gateway`. */
  path: readonly string[];
  /** Where `path` starts; z2jh when unset. */
  within?: 'z2jh' | 'dask-gateway';
  /** What hubfleet renders there (compared deeply). */
  value: string | boolean | readonly unknown[];
  /** Why hubfleet owns it, for the error message. */
  why: string;
}

/**
 * The health service's roles (src/render/health-service.ts): a hub changing the snippet could
 * widen its scopes. (Its token variable is kept a mapping entry by renderedEnv below.)
 */
const HEALTH_SNIPPET_OWNED: OwnedValue = {
  path: ['hub', 'extraConfig', health.HEALTH_EXTRA_CONFIG_KEY],
  value: health.healthServiceSnippet(),
  why: 'it grants the health service its least scopes, and nothing more',
};

/** Whether a value equals what hubfleet owns there: the same JSON, whatever the key order or prototype. */
export function sameOwnedValue(actual: unknown, owned: OwnedValue['value']): boolean {
  // A scalar against a scalar (most owned values) needs no canonical form: JSON writes both alike
  // exactly when they are the same value, -0 and 0 aside.
  if (isScalar(actual) && isScalar(owned) && typeof actual === typeof owned) {
    return actual === owned || JSON.stringify(actual) === JSON.stringify(owned);
  }
  return canonicalJson(actual) === canonicalJson(owned);
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** JSON of `value` with every object's keys sorted: equal for values equal up to key order. */
export function canonicalJson(value: unknown): string | undefined {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(canonical(value));
}

/** Google's load balancers and health checkers reach backends from these ranges only. */
export const GOOGLE_LB_SOURCE_RANGES: readonly string[] = ['130.211.0.0/22', '35.191.0.0/16'];

/** CHP's container port (z2jh `templates/proxy/deployment.yaml`: `containerPort: 8000, name: http`). */
const CHP_HTTP_PORT = 8000;

/** What of the cluster's network the proxy's NetworkPolicy depends on. */
export interface ProxyNetwork {
  /** The control plane's /28 (`gcp.masterIpv4CidrBlock`), when the config says it. */
  masterIpv4CidrBlock?: string | undefined;
}

/**
 * The proxy pod's ingress on GKE beyond the chart's own same-namespace rules (pods labelled
 * hub.jupyter.org/network-access-proxy-http|api): Google's load balancer and health checks on the
 * http port (container-native load balancing sends them straight to the pod), and the API server's
 * service proxy that hubfleet's rollout check uses. On GKE versions with Konnectivity the API server
 * reaches pods through the konnectivity-agent pods in kube-system; without it the connection comes
 * from the control plane's own /28, admitted on port 8000 only, when the config names the range
 * (docs/decisions/0025; terraform/gcp/network.tf opens the same port in the VPC firewall).
 */
export function proxyIngressRules(network: ProxyNetwork = {}): unknown[] {
  const rules: unknown[] = [
    {
      from: GOOGLE_LB_SOURCE_RANGES.map((cidr) => ({ ipBlock: { cidr } })),
      ports: [{ port: 'http', protocol: 'TCP' }],
    },
    {
      from: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'konnectivity-agent' } },
        },
      ],
      ports: [{ port: 'http', protocol: 'TCP' }],
    },
  ];
  if (network.masterIpv4CidrBlock !== undefined) {
    rules.push({
      from: [{ ipBlock: { cidr: network.masterIpv4CidrBlock } }],
      ports: [{ port: CHP_HTTP_PORT, protocol: 'TCP' }],
    });
  }
  return rules;
}

/**
 * Every value hubfleet owns for a hub on `provider` (daskhub adds the dask-gateway ones). `network`
 * changes owned values, never their paths: callers that only ask which paths are owned may omit it.
 */
export function ownedValues(
  provider: Provider,
  hub: string,
  chart?: ChartName,
  network: ProxyNetwork = {},
): OwnedValue[] {
  const owned: OwnedValue[] = [
    {
      path: ['proxy', 'service', 'type'],
      value: PROXY_SERVICE_TYPE[provider],
      why:
        provider === 'gcp'
          ? 'the GCE Ingress needs a NodePort backend'
          : 'the proxy stays internal behind the load balancer',
    },
    { path: ['proxy', 'https', 'enabled'], value: PROXY_HTTPS_ENABLED, why: 'TLS ends at the load balancer' },
    {
      path: ['singleuser', 'serviceAccountName'],
      value: USER_SERVICE_ACCOUNT,
      why: 'deploy-hub creates this service account with the Terraform cloud-identity annotation',
    },
    HEALTH_SNIPPET_OWNED,
  ];
  if (provider === 'gcp') {
    owned.push({
      path: ['proxy', 'service', 'annotations', BACKEND_CONFIG_ANNOTATION],
      value: backendConfigAnnotationValue(hub),
      why: 'it attaches the IAP BackendConfig that hubfleet renders',
    });
    // Workload Identity hands user pods the hub's own credentials through GKE's metadata server
    // (which hides the node's); z2jh's iptables block would leave them without bucket access.
    owned.push({
      path: BLOCK_WITH_IPTABLES_PATH,
      value: false,
      why: "Workload Identity serves the hub's credentials through GKE's metadata server",
    });
    // Any other authenticator behind IAP would trust a username the user types.
    owned.push({
      path: ['hub', 'config', 'JupyterHub', 'authenticator_class'],
      value: IAP_AUTHENTICATOR_CLASS_PATH,
      why: "the hub must take the user from IAP's signed header",
    });
    // z2jh's proxy NetworkPolicy admits any source on http/https (allowedIngressPorts), and CHP
    // forwards every header: a user server could replay its user's IAP assertion to another hub's
    // proxy from inside the VPC. Only Google's load balancer, and hubfleet's rollout check, may come in.
    const why =
      "the proxy takes traffic only from Google's load balancer, its health checks and hubfleet's rollout check, so an IAP assertion cannot be replayed to it from inside the VPC";
    owned.push(
      { path: ['proxy', 'chp', 'networkPolicy', 'enabled'], value: true, why },
      { path: ['proxy', 'chp', 'networkPolicy', 'interNamespaceAccessLabels'], value: 'ignore', why },
      { path: ['proxy', 'chp', 'networkPolicy', 'allowedIngressPorts'], value: [], why },
      { path: ['proxy', 'chp', 'networkPolicy', 'ingress'], value: proxyIngressRules(network), why },
    );
  } else {
    // The hub is on an internet-facing load balancer: z2jh's own default (`dummy`, which takes
    // any username and password), or a hub's values removing hub.config, would let anyone in.
    owned.push({
      path: ['hub', 'config', 'JupyterHub', 'authenticator_class'],
      value: GITHUB_AUTHENTICATOR_CLASS,
      why: "an EKS hub logs users in with GitHub (auth.github); z2jh's default authenticator lets anyone in",
    });
  }
  if (chart === 'daskhub') {
    // Dask schedulers and workers get the notebook's cloud identity (Workload Identity / IRSA is
    // bound to this service account), so they can use the hub's buckets as notebooks do.
    for (const role of ['scheduler', 'worker']) {
      owned.push({
        within: 'dask-gateway',
        path: ['gateway', 'backend', role, 'extraPodConfig', 'serviceAccountName'],
        value: USER_SERVICE_ACCOUNT,
        why: `Dask ${role}s run with the hub's cloud identity, bound to this service account`,
      });
    }
  }
  return owned;
}

/**
 * Chart values that would open a second way into the hub beside the one hubfleet renders (the
 * Ingress behind IAP on GKE, with its certificate): a hub's `values` may leave them unset (the
 * charts' defaults are these) or set one of `allowed`, nothing else. smoke-iap checks only the
 * hub's domain, so a second entry point would never be seen.
 */
export interface EntryPointGuard {
  /** `z2jh`: under the z2jh values (daskhub: `jupyterhub`); `dask-gateway`: daskhub's subchart. */
  within: 'z2jh' | 'dask-gateway';
  path: readonly string[];
  allowed: readonly (string | boolean)[];
  why: string;
}

export const ENTRY_POINT_GUARDS: readonly EntryPointGuard[] = [
  {
    within: 'z2jh',
    path: ['ingress', 'enabled'],
    allowed: [false],
    why: "hubfleet renders the hub's only Ingress, with its certificate and on GKE behind IAP",
  },
  {
    within: 'z2jh',
    path: ['httpRoute', 'enabled'],
    allowed: [false],
    why: "a Gateway API route would be a second way in that the hub's IAP BackendConfig does not guard",
  },
  {
    within: 'z2jh',
    path: ['hub', 'service', 'type'],
    allowed: ['ClusterIP'],
    why: "any other type exposes the hub's API beside the load balancer",
  },
  {
    within: 'z2jh',
    path: ['proxy', 'service', 'disableHttpPort'],
    allowed: [false],
    why: "the Ingress sends users to the proxy's http port",
  },
  {
    within: 'dask-gateway',
    path: ['traefik', 'service', 'type'],
    allowed: ['ClusterIP'],
    why: 'the gateway is reached only through the hub and from user pods, never from outside the cluster',
  },
];

/** Buckets with a conventional meaning get an env var in user pods, per user (kubelet expands `$(…)`). */
export const BUCKET_ENV: Readonly<Record<string, string>> = {
  scratch: 'SCRATCH_BUCKET',
  persistent: 'PERSISTENT_BUCKET',
};

/**
 * The env var of a bucket named `key` in a hub file, if it has one. Own entries only: a bucket
 * named after an Object.prototype member ("constructor" fits the bucket-name pattern) has none.
 */
export function bucketEnvName(key: string): string | undefined {
  return Object.hasOwn(BUCKET_ENV, key) ? BUCKET_ENV[key] : undefined;
}

/** What a daskhub's user pods need to find the gateway (design §6). */
export const DASK_GATEWAY_ENV: readonly string[] = [
  'DASK_GATEWAY__ADDRESS',
  'DASK_GATEWAY__PROXY_ADDRESS',
  'DASK_GATEWAY__PUBLIC_ADDRESS',
  'DASK_GATEWAY__AUTH__TYPE',
];

/** The OAuth client of an EKS hub, which OAuthenticator reads from these variables. */
export const GITHUB_OAUTH_ENV: readonly string[] = ['OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET'];

export interface RenderedEnv {
  /** Path inside the z2jh values (prefix with Z2JH_VALUES_ROOT for the chart). */
  path: readonly string[];
  /** The variables hubfleet renders there. */
  names: readonly string[];
}

/**
 * The z2jh `extraEnv` mappings hubfleet renders variables into. z2jh also accepts a list there, but
 * a hub's list (or null) would replace hubfleet's variables instead of merging with them, and z2jh
 * hands `singleuser.extraEnv` to KubeSpawner's `environment`, which takes only a mapping; so a
 * hub's values may add or override entries here, as a mapping only.
 */
export function renderedEnv(
  provider: Provider,
  chart: ChartName,
  bucketKeys: readonly string[],
): RenderedEnv[] {
  const user = [
    ...bucketKeys.flatMap((key) => bucketEnvName(key) ?? []),
    ...(chart === 'daskhub' ? DASK_GATEWAY_ENV : []),
  ];
  const out: RenderedEnv[] = [];
  if (user.length > 0) out.push({ path: ['singleuser', 'extraEnv'], names: user });
  out.push({
    path: ['hub', 'extraEnv'],
    names: [...(provider === 'aws' ? GITHUB_OAUTH_ENV : []), health.HEALTH_TOKEN_ENV],
  });
  return out;
}
