// Helm values for one hub (design §6). basehub hubs take the z2jh chart's values at the top level;
// daskhub nests them under `jupyterhub:` and adds `dask-gateway:`. Every key path here exists in
// z2jh's and dask-gateway's values.schema.yaml, which reject unknown keys in most sections.
import { isDeepStrictEqual } from 'node:util';
import { HubfleetError } from '../errors.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import {
  BACKEND_CONFIG_ANNOTATION,
  bucketEnvName,
  GITHUB_AUTHENTICATOR_CLASS,
  GITHUB_OAUTH_ENV,
  proxyIngressRules,
  type ProxyNetwork,
  PROXY_HTTPS_ENABLED,
  PROXY_SERVICE_TYPE,
  USER_SERVICE_ACCOUNT,
  Z2JH_VALUES_ROOT,
  backendConfigAnnotationValue,
  ownedValues,
  renderedEnv,
  sameOwnedValue,
} from '../config/owned-values.js';
import { deepMerge, getPath, isRecord } from './deep-merge.js';
import { addHealthService } from './health-service.js';
import {
  IAP_AUDIENCE_ANNOTATION,
  IAP_AUTHENTICATOR_CLASS,
  IAP_EXTRA_CONFIG_KEY,
  IAP_PROJECT_WIDE,
  iapHubValues,
} from './iap-authenticator.js';
import {
  DASK_GATEWAY_TRAEFIK_CONTAINER_PORT,
  OAUTH_SECRET_KEYS,
  PROXY_SERVICE_NAME,
  bucketUrl,
  daskGatewayTraefikPodLabels,
  daskGatewayTraefikServiceName,
  githubOauthSecretName,
  helmReleaseName,
  hubBucketNames,
  namespaceName,
  requireGcp,
} from './names.js';
import { findSecretValues } from './secret-scan.js';
import { pinOverride } from '../config/network-rules.js';
import { userEgress } from '../config/user-egress.js';
import { mirrorImages } from './image-mirror.js';

export type HelmValues = Record<string, unknown>;

/** z2jh's `hub.services` key for dask-gateway; its generated token lands in the `hub` Secret under this key. */
export const DASK_GATEWAY_SERVICE = 'dask-gateway';
/** The Secret z2jh writes service API tokens to (no fullnameOverride: plain `hub`). */
const Z2JH_HUB_SECRET = 'hub';
const DASK_GATEWAY_PREFIX = `/services/${DASK_GATEWAY_SERVICE}`;

/** Pods with GKE Workload Identity get their token from the GKE metadata server at this address. */
const METADATA_IP = '169.254.169.254';
/** The GKE metadata server's own address and port for Workload Identity under Calico policy. */
const GKE_METADATA_SERVER_CIDR = '169.254.169.252/32';
const GKE_METADATA_SERVER_PORT = 988;

export interface RenderValuesOptions {
  /**
   * GKE: the IAP audience of the hub's own backend service, once deploy-hub has looked it up
   * (`/projects/<number>/global/backendServices/<id>`); without it the project number is pinned.
   */
  iapAudience?: string;
  /** When deploy-hub last rotated the health service token: a change restarts the hub (health-token.ts). */
  healthTokenRotatedAt?: string;
}

export function renderHelmValues(
  cluster: LoadedCluster,
  hub: LoadedHub,
  opts: RenderValuesOptions = {},
): HelmValues {
  const h = hub.config;
  const z2jh = z2jhValues(cluster, hub, opts);
  const base: HelmValues =
    h.chart.name === 'daskhub' ? { jupyterhub: z2jh, 'dask-gateway': daskGatewayValues() } : z2jh;
  // The hub's allow-listed values, then the platform team's (decision 0018: the more trusted file
  // wins where both set a key), then hubfleet's authenticator again on top of both.
  const overrides = deepMerge(h.values ?? {}, hub.platform?.values ?? {});
  const values = deepMerge(base, overrides);

  const root = Z2JH_VALUES_ROOT[h.chart.name];
  keepRenderedEgress(values, base, overrides, root);
  refuseSecrets(values, hub.file);
  for (const env of renderedEnv(cluster.config.provider, h.chart.name, Object.keys(h.buckets ?? {}))) {
    const path = [...root, ...env.path];
    const given = getPath(overrides, path);
    if (given !== undefined && !isRecord(given)) {
      throw new HubfleetError(
        `${hub.file}: values.${path.join('.')} is ${Array.isArray(given) ? 'a list' : JSON.stringify(given)}, but hubfleet renders ${env.names.join(', ')} into it as a mapping`,
        { hint: `write values.${path.join('.')} as a mapping: NAME: value, or NAME: {valueFrom: …}` },
      );
    }
  }
  for (const owned of ownedValues(cluster.config.provider, h.name, h.chart.name, proxyNetwork(cluster))) {
    const path = [...(owned.within === 'dask-gateway' ? ['dask-gateway'] : root), ...owned.path];
    const actual = getPath(values, path);
    if (actual === undefined || !sameOwnedValue(actual, owned.value)) {
      throw new HubfleetError(
        `${hub.file}: values.${path.join('.')} is ${JSON.stringify(actual) ?? 'unset'}, but hubfleet renders ${JSON.stringify(owned.value)} there (${owned.why})`,
        { hint: `remove values.${path.join('.')} from ${hub.file}` },
      );
    }
  }
  checkPinned(values, base, root, hub.file);
  checkEgressPins(cluster, hub, values, root);
  // Last, over everything any file set (decision 0060): no image escapes the mirror.
  const mirror = cluster.config.images?.mirror;
  if (mirror !== undefined) mirrorImages(values, h.chart.name, h.chart.version, mirror, hub.file);
  return values;
}

/** First, so that no later message can show a secret value. */
function refuseSecrets(values: HelmValues, file: string): void {
  const secrets = findSecretValues(values);
  if (secrets.length > 0) {
    throw new HubfleetError(
      `${file}: values carry literal secret values at ${secrets.map((p) => `values.${p}`).join(', ')}`,
      {
        hint: 'rendered values are committed and logged; put it in a GitHub secret and reference it (a Kubernetes Secret, named through valueFrom.secretKeyRef)',
      },
    );
  }
}

/**
 * hubfleet's sign-in: the validator refuses these paths in hub and platform files; the render
 * checks the merged values again, so no values file can replace the authenticator, its trust
 * anchors (keys URL, audience, leeway, issuer) or the OAuth client's Secret references, even
 * through an API that skips validation.
 */
const PINNED_PATHS: readonly (readonly string[])[] = [
  ['hub', 'config', IAP_AUTHENTICATOR_CLASS],
  ['hub', 'config', 'GitHubOAuthenticator'],
  ['hub', 'extraConfig', IAP_EXTRA_CONFIG_KEY],
  // What the scheduled smoke check reads as the hub's audience (iap-authenticator.ts).
  ['hub', 'annotations', IAP_AUDIENCE_ANNOTATION],
  ...GITHUB_OAUTH_ENV.map((name) => ['hub', 'extraEnv', name]),
];

function checkPinned(values: HelmValues, base: HelmValues, root: readonly string[], file: string): void {
  for (const path of PINNED_PATHS) {
    const full = [...root, ...path];
    const rendered = getPath(base, full);
    if (rendered === undefined || isDeepStrictEqual(getPath(values, full), rendered)) continue;
    throw new HubfleetError(
      `${file}: values.${full.join('.')} differs from what hubfleet renders there (the hub's authenticator and its trust anchors are hubfleet's)`,
      { hint: `remove values.${full.join('.')} from the hub and platform files` },
    );
  }
}

/**
 * z2jh takes extra user-pod egress rules as one list, and a merge lets a hub's own list replace
 * hubfleet's (the dask-gateway traefik and GKE metadata-server rules), which would quietly cut user
 * pods off from their Dask clusters or their cloud identity. The hub's rules come first, then
 * hubfleet's that the hub did not already list. (A hub's `egress: null` still removes them all.)
 */
function keepRenderedEgress(
  values: HelmValues,
  base: HelmValues,
  hubValues: HelmValues,
  root: readonly string[],
): void {
  const policyPath = [...root, 'singleuser', 'networkPolicy'];
  const rendered = getPath(base, [...policyPath, 'egress']);
  const given = getPath(hubValues, [...policyPath, 'egress']);
  const policy = getPath(values, policyPath);
  if (!Array.isArray(rendered) || !Array.isArray(given) || !isRecord(policy)) return;
  const own: unknown[] = given;
  const ours: unknown[] = rendered;
  policy.egress = [...own, ...ours.filter((rule) => !own.some((g) => isDeepStrictEqual(g, rule)))];
}

/**
 * gcp.restrictedGoogleApis pins the user pods' NetworkPolicy (user-egress.ts); the validator refuses
 * a platform file undoing it (network-rules.ts), and the render checks the merged values again.
 */
function checkEgressPins(
  cluster: LoadedCluster,
  hub: LoadedHub,
  values: HelmValues,
  root: readonly string[],
): void {
  for (const pin of userEgress(cluster.config).pins) {
    const path = [...root, ...pin.path];
    const actual = getPath(values, path);
    if (actual === pin.value) continue;
    const platform = hub.platform;
    const file =
      platform !== undefined && pinOverride(platform.values, path, pin.value) !== undefined
        ? platform.file
        : hub.file;
    throw new HubfleetError(
      `${file}: values.${path.join('.')} is ${JSON.stringify(actual) ?? 'unset'}, but hubfleet renders ${JSON.stringify(pin.value)} there (${pin.why})`,
      { hint: `remove values.${path.join('.')} from ${file}` },
    );
  }
}

/** The cluster's network facts the proxy's NetworkPolicy needs (decision 0025). */
function proxyNetwork(cluster: LoadedCluster): ProxyNetwork {
  return { masterIpv4CidrBlock: cluster.config.gcp?.masterIpv4CidrBlock };
}

function z2jhValues(cluster: LoadedCluster, hub: LoadedHub, opts: RenderValuesOptions): HelmValues {
  const provider = cluster.config.provider;
  const h = hub.config;
  const release = helmReleaseName(h.name);

  const userEnv: Record<string, string> = {};
  for (const [key, name] of Object.entries(hubBucketNames(cluster, hub))) {
    const envName = bucketEnvName(key);
    if (envName !== undefined) userEnv[envName] = `${bucketUrl(provider, name)}/$(JUPYTERHUB_USER)`;
  }
  const hubValues: HelmValues = {};
  const networkPolicy: HelmValues = {};
  if (h.chart.name === 'daskhub') {
    // Internal addresses: the public URL is behind IAP, which a notebook's client cannot pass.
    userEnv.DASK_GATEWAY__ADDRESS = `http://${PROXY_SERVICE_NAME}${DASK_GATEWAY_PREFIX}`;
    userEnv.DASK_GATEWAY__PROXY_ADDRESS = `gateway://${daskGatewayTraefikServiceName(release)}.${namespaceName(h.name)}:80`;
    userEnv.DASK_GATEWAY__PUBLIC_ADDRESS = `${DASK_GATEWAY_PREFIX}/`;
    userEnv.DASK_GATEWAY__AUTH__TYPE = 'jupyterhub';
    // No apiToken: z2jh generates one for every registered service and stores it in its `hub`
    // Secret, where the dask-gateway chart reads it (apiTokenFromSecretName/Key below).
    hubValues.services = {
      [DASK_GATEWAY_SERVICE]: { url: `http://${daskGatewayTraefikServiceName(release)}`, display: false },
    };
    // z2jh's user-pod NetworkPolicy allows no private IPs (egressAllowRules.privateIPs: false), so
    // without this rule a client could not reach DASK_GATEWAY__PROXY_ADDRESS (the traefik pods)
    // wherever NetworkPolicy is enforced. The API address goes through the proxy, which is allowed.
    networkPolicy.egress = [
      {
        to: [{ podSelector: { matchLabels: daskGatewayTraefikPodLabels(release) } }],
        ports: [{ protocol: 'TCP', port: DASK_GATEWAY_TRAEFIK_CONTAINER_PORT }],
      },
    ];
  }

  const singleuser: HelmValues = { serviceAccountName: USER_SERVICE_ACCOUNT };
  if (Object.keys(userEnv).length > 0) singleuser.extraEnv = userEnv;
  const service: HelmValues = { type: PROXY_SERVICE_TYPE[provider] };

  if (provider === 'gcp') {
    service.annotations = {
      [BACKEND_CONFIG_ANNOTATION]: backendConfigAnnotationValue(h.name),
      // Container-native load balancing: the BackendConfig health check then targets the proxy
      // pod's port 8000 instead of a node port.
      'cloud.google.com/neg': '{"ingress":true}',
    };
    // With Workload Identity the metadata server is GKE's, which hands out only the hub's own
    // service account token; blocking it (z2jh's default) would leave user pods without bucket
    // access. z2jh refuses cloudMetadataServer egress together with blockWithIptables.
    singleuser.cloudMetadata = { blockWithIptables: false, ip: METADATA_IP };
    networkPolicy.egressAllowRules = { cloudMetadataServer: true };
    // Where network policy is enforced by Calico (GKE's older network policy enforcement, on an
    // adopted cluster), the GKE metadata server answers pods at 169.254.169.252:988, which the rule
    // above does not cover (GKE's Workload Identity docs: allow egress there when using network
    // policy); without it user pods get no token for their buckets. Dataplane V2 needs only the
    // 169.254.169.254 rule; the extra one is harmless there.
    networkPolicy.egress = [
      ...((networkPolicy.egress as unknown[] | undefined) ?? []),
      {
        to: [{ ipBlock: { cidr: GKE_METADATA_SERVER_CIDR } }],
        ports: [{ protocol: 'TCP', port: GKE_METADATA_SERVER_PORT }],
      },
    ];
    // Everyone who passes IAP would otherwise reach z2jh's default authenticator, which accepts
    // any username; the hub takes the user from IAP's signed header instead.
    const iap = iapHubValues(requireGcp(cluster).projectNumber, opts.iapAudience, {
      ...(h.iap?.admins === undefined ? {} : { admins: h.iap.admins }),
      ...(h.iap?.allowedDomains === undefined ? {} : { allowedDomains: h.iap.allowedDomains }),
    });
    hubValues.config = iap.config;
    hubValues.extraConfig = iap.extraConfig;
    hubValues.annotations = { [IAP_AUDIENCE_ANNOTATION]: opts.iapAudience ?? IAP_PROJECT_WIDE };
  } else {
    const auth = h.auth;
    if (auth === undefined) {
      throw new HubfleetError(`${hub.file}: an EKS hub needs auth.github (IAP exists only on GCP)`, {
        hint: 'add auth: {github: {allowedOrganizations: [...], secret: NAME}}',
      });
    }
    const secretName = githubOauthSecretName(h.name);
    const [idKey, secretKey] = OAUTH_SECRET_KEYS;
    hubValues.config = {
      JupyterHub: { authenticator_class: GITHUB_AUTHENTICATOR_CLASS },
      GitHubOAuthenticator: {
        allowed_organizations: [...auth.github.allowedOrganizations].sort(),
        oauth_callback_url: `https://${h.domain}/hub/oauth_callback`,
        // GitHub logins are case-insensitive and JupyterHub lowercases usernames (normalize_username);
        // OAuthenticator lets admin_users in beside allowed_organizations (oauth2.py check_allowed).
        ...(auth.github.admins === undefined || auth.github.admins.length === 0
          ? {}
          : { admin_users: [...new Set(auth.github.admins.map((a) => a.toLowerCase()))].sort() }),
      },
    };
    // OAuthenticator falls back to OAUTH_CLIENT_ID / OAUTH_CLIENT_SECRET; the values only name the Secret.
    hubValues.extraEnv = {
      OAUTH_CLIENT_ID: { valueFrom: { secretKeyRef: { name: secretName, key: idKey } } },
      OAUTH_CLIENT_SECRET: { valueFrom: { secretKeyRef: { name: secretName, key: secretKey } } },
    };
  }

  addHealthService(hubValues, opts.healthTokenRotatedAt);
  // cluster.yaml's user-pod egress: the restricted VIP and network.extraEgressCidrs, after the rules
  // above (user-egress.ts says what z2jh does with each).
  const egress = userEgress(cluster.config);
  if (egress.rules.length > 0) {
    networkPolicy.egress = [...((networkPolicy.egress as unknown[] | undefined) ?? []), ...egress.rules];
  }
  for (const pin of egress.pins) {
    const [, , ...inPolicy] = pin.path; // every pin lies under singleuser.networkPolicy
    let node: HelmValues = networkPolicy;
    for (const key of inPolicy.slice(0, -1)) {
      const next = isRecord(node[key]) ? node[key] : {};
      node[key] = next;
      node = next;
    }
    node[inPolicy[inPolicy.length - 1] as string] = pin.value;
  }
  if (Object.keys(networkPolicy).length > 0) singleuser.networkPolicy = networkPolicy;

  const proxy: HelmValues = { service, https: { enabled: PROXY_HTTPS_ENABLED } };
  if (provider === 'gcp' && h.chart.name === 'daskhub') {
    // With no proxy port open to every source, notebooks reach DASK_GATEWAY__ADDRESS (through
    // proxy-public) by the chart's own rule for labelled pods of the namespace (z2jh
    // templates/proxy/netpol.yaml: hub.jupyter.org/network-access-proxy-http).
    singleuser.extraLabels = { 'hub.jupyter.org/network-access-proxy-http': 'true' };
  }
  if (provider === 'gcp') {
    // No port open to every source (the chart's default is http and https): Google's load balancer
    // and health-check ranges, hubfleet's rollout check, and the chart's same-namespace rules for
    // labelled pods (decision 0024).
    proxy.chp = {
      networkPolicy: {
        enabled: true,
        interNamespaceAccessLabels: 'ignore',
        allowedIngressPorts: [],
        ingress: proxyIngressRules(proxyNetwork(cluster)),
      },
    };
  }
  const values: HelmValues = { proxy, singleuser };
  if (Object.keys(hubValues).length > 0) values.hub = hubValues;
  return values;
}

function daskGatewayValues(): HelmValues {
  return {
    gateway: {
      prefix: DASK_GATEWAY_PREFIX,
      // Schedulers and workers run as the notebooks' service account, so they carry the hub's cloud
      // identity (dask-gateway passes extraPodConfig into the pod spec: KubeClusterConfig
      // scheduler_extra_pod_config / worker_extra_pod_config).
      backend: {
        scheduler: { extraPodConfig: { serviceAccountName: USER_SERVICE_ACCOUNT } },
        worker: { extraPodConfig: { serviceAccountName: USER_SERVICE_ACCOUNT } },
      },
      auth: {
        type: 'jupyterhub',
        jupyterhub: {
          apiTokenFromSecretName: Z2JH_HUB_SECRET,
          apiTokenFromSecretKey: `hub.services.${DASK_GATEWAY_SERVICE}.apiToken`,
        },
      },
    },
    // Reached only through the hub's proxy and from user pods, never from outside the cluster.
    traefik: { service: { type: 'ClusterIP' } },
  };
}
