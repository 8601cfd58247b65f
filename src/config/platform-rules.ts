// The platform file (decision 0018): `config/clusters/<c>/platform/<hub>.yaml` holds privileged
// chart values a platform team really needs for one hub (an extraConfig snippet, a hub env var,
// a network policy …). CODEOWNERS gives the platform/ directories to the platform team, so the
// hub requester cannot write there. Even here some values stay hubfleet's: the authenticator and
// its trust anchors, the hub's and the user pods' service accounts and namespace, the values
// hubfleet owns and the single entry point. Literal secrets are refused here as in a hub file.
import type { ConfigProblem, Provider } from './model.js';
import { formatPath, isRecord, valueAt, type PathSegment } from './field-path.js';
import { problemAt, type YamlSource } from './config-source.js';
import { didYouMean } from './did-you-mean.js';
import type { HubEntry } from './fleet-rules.js';
import {
  ENTRY_POINT_GUARDS,
  GITHUB_OAUTH_ENV,
  IAP_AUTHENTICATOR_CLASS_PATH,
  ownedValues,
  renderedEnv,
  Z2JH_VALUES_ROOT,
} from './owned-values.js';
import { findSecrets } from './secret-values.js';
import { HEALTH_TOKEN_ENV } from '../render/health-service.js';
import { SECRET_ADVICE } from './secret-rules.js';

/** The keys of a platform file. */
const PLATFORM_FIELDS = ['values'];

/** hub.extraConfig key of hubfleet's IAP authenticator (src/render/iap-authenticator.ts). */
export const HUBFLEET_EXTRA_CONFIG_KEY = 'hubfleet-iap-authenticator';

/** z2jh mounts jupyterhub_config.py, z2jh.py and the chart's values here (templates/hub/deployment.yaml). */
const HUB_CONFIG_DIR = '/usr/local/etc/jupyterhub';

const AUTHENTICATOR =
  "hubfleet's authenticator and its trust anchors are fixed by iap: (GKE) or auth.github (EKS)";
const IDENTITY = "the hub's pods run as hubfleet's service accounts in the hub's own namespace";

interface Fixed {
  /** Under the z2jh values (daskhub: jupyterhub:), the dask-gateway subchart, or the chart's top. */
  within: 'z2jh' | 'dask-gateway' | 'top';
  path: readonly string[];
  why: string;
}

const IAP_CLASS = IAP_AUTHENTICATOR_CLASS_PATH.split('.').pop() ?? IAP_AUTHENTICATOR_CLASS_PATH;

const FIXED: readonly Fixed[] = [
  { within: 'z2jh', path: ['hub', 'config', 'JupyterHub', 'authenticator_class'], why: AUTHENTICATOR },
  { within: 'z2jh', path: ['hub', 'config', IAP_CLASS], why: AUTHENTICATOR },
  { within: 'z2jh', path: ['hub', 'config', 'GitHubOAuthenticator'], why: AUTHENTICATOR },
  { within: 'z2jh', path: ['hub', 'config', 'OAuthenticator'], why: AUTHENTICATOR },
  ...['allow_all', 'allowed_users', 'allow_existing_users'].map((trait): Fixed => ({
    within: 'z2jh',
    path: ['hub', 'config', 'Authenticator', trait],
    why: AUTHENTICATOR,
  })),
  { within: 'z2jh', path: ['hub', 'extraConfig', HUBFLEET_EXTRA_CONFIG_KEY], why: AUTHENTICATOR },
  ...['service_account', 'namespace', 'enable_user_namespaces', 'user_namespace_template'].map(
    (trait): Fixed => ({ within: 'z2jh', path: ['hub', 'config', 'KubeSpawner', trait], why: IDENTITY }),
  ),
  { within: 'z2jh', path: ['hub', 'serviceAccount'], why: IDENTITY },
  ...['serviceAccountName', 'serviceAccount'].map((key): Fixed => ({
    within: 'z2jh',
    path: ['singleuser', 'extraPodConfig', key],
    why: IDENTITY,
  })),
  { within: 'dask-gateway', path: ['gateway', 'backend', 'namespace'], why: IDENTITY },
  ...['scheduler', 'worker'].map((role): Fixed => ({
    within: 'dask-gateway',
    path: ['gateway', 'backend', role, 'extraPodConfig', 'serviceAccountName'],
    why: IDENTITY,
  })),
  { within: 'dask-gateway', path: ['gateway', 'auth'], why: "Dask Gateway trusts the hub's own sign-in" },
  ...['nameOverride', 'fullnameOverride'].map((key): Fixed => ({
    within: 'top',
    path: [key],
    why: "hubfleet wires the chart's Services and Secrets by name",
  })),
];

/**
 * Python that names the authenticator or the spawner's identity. A snippet is code and could do
 * anything; the platform team reviews it (CODEOWNERS), and these are the lines that would replace
 * what hubfleet fixes, refused so that no review can miss them.
 */
const FIXED_IN_CODE =
  /authenticator_class|HubfleetIAPAuthenticator|hubfleet_iap|OAuthenticator|Authenticator\.allow|KubeSpawner\.(?:namespace|service_account|enable_user_namespaces)|\.service_account\b|keys_url|sys\.modules/;

export function platformValues(source: YamlSource): Record<string, unknown> {
  return isRecord(source.data.values) ? source.data.values : {};
}

export function platformRules(
  platforms: readonly HubEntry[],
  hubs: readonly HubEntry[],
  providers: ReadonlyMap<string, Provider | undefined>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const platform of platforms) {
    const { source } = platform;
    for (const key of Object.keys(source.data)) {
      if (PLATFORM_FIELDS.includes(key)) continue;
      const match = didYouMean(key, PLATFORM_FIELDS);
      problems.push(
        problemAt(
          source,
          [key],
          'key',
          `is not a field of a platform file, which holds only values:${match === undefined ? '' : `; did you mean "${match}"?`}`,
        ),
      );
    }
    const values = source.data.values;
    if (!isRecord(values)) {
      problems.push(
        problemAt(
          source,
          ['values'],
          'value',
          values === undefined
            ? "required field is missing: a platform file holds the hub's privileged chart values under values:"
            : 'must be a mapping of chart values',
        ),
      );
      continue;
    }
    const hub = hubs.find((h) => h.cluster === platform.cluster && h.baseName === platform.baseName);
    if (hub === undefined) {
      problems.push(
        problemAt(
          source,
          [],
          'key',
          `there is no hub ${platform.baseName} on ${platform.cluster} (clusters/${platform.cluster}/hubs/${platform.baseName}.yaml); a platform file belongs to the hub of the same name`,
        ),
      );
      continue;
    }
    problems.push(...fixedValueProblems(source, hub, providers.get(hub.cluster)));
    problems.push(
      ...findSecrets(values, ['values']).map((f) =>
        problemAt(source, f.path, 'value', `${f.what}: ${SECRET_ADVICE}`),
      ),
    );
  }
  return problems;
}

function fixedValueProblems(
  source: YamlSource,
  hub: HubEntry,
  provider: Provider | undefined,
): ConfigProblem[] {
  const data = hub.source.data;
  const chart = isRecord(data.chart) ? data.chart.name : undefined;
  if (chart !== 'basehub' && chart !== 'daskhub') return [];
  const name = typeof data.name === 'string' ? data.name : hub.baseName;
  const root: PathSegment[] = ['values', ...Z2JH_VALUES_ROOT[chart]];
  const gateway: PathSegment[] = ['values', 'dask-gateway'];
  const base = (within: Fixed['within']): PathSegment[] =>
    within === 'z2jh' ? root : within === 'dask-gateway' ? gateway : ['values'];
  const fixed: Array<{ at: PathSegment[]; why: string }> = [
    ...FIXED.filter((f) => f.within !== 'dask-gateway' || chart === 'daskhub').map((f) => ({
      at: [...base(f.within), ...f.path],
      why: f.why,
    })),
    ...(provider === undefined ? [] : ownedValues(provider, name, chart)).map((o) => ({
      at: [...(o.within === 'dask-gateway' ? gateway : root), ...o.path],
      why: `hubfleet renders it (${o.why})`,
    })),
  ];
  if (provider !== undefined) {
    const buckets = isRecord(data.buckets) ? Object.keys(data.buckets) : [];
    for (const env of renderedEnv(provider, chart, buckets)) {
      for (const variable of env.names) {
        fixed.push({
          at: [...root, ...env.path, variable],
          why: GITHUB_OAUTH_ENV.includes(variable)
            ? "it is the hub's OAuth client, which deploy-hub takes from the hub's GitHub secret"
            : variable === HEALTH_TOKEN_ENV
              ? "it is the health service's token, which deploy-hub keeps in its own Secret"
              : "hubfleet renders it from the hub's buckets or Dask Gateway",
        });
      }
    }
  }
  const problems: ConfigProblem[] = [];
  const reported = new Set<string>();
  const report = (at: PathSegment[], target: 'key' | 'value', message: string): void => {
    const key = formatPath(at);
    if (reported.has(key)) return;
    reported.add(key);
    problems.push(problemAt(source, at, target, message));
  };
  for (const { at, why } of fixed) {
    // A non-mapping on the way (`hub: {config: null}`) would wipe what hubfleet renders inside it.
    for (let depth = 1; depth < at.length; depth++) {
      const node = valueAt(source.data, at.slice(0, depth));
      if (node === undefined) break;
      if (!isRecord(node)) {
        report(at.slice(0, depth), 'value', `must be a mapping: hubfleet sets ${formatPath(at)} inside it`);
        break;
      }
    }
    if (valueAt(source.data, at) !== undefined)
      report(at, 'key', `may not be set, even in the platform file: ${why}`);
  }
  for (const guard of ENTRY_POINT_GUARDS) {
    if (guard.within === 'dask-gateway' && chart !== 'daskhub') continue;
    const at = [...(guard.within === 'z2jh' ? root : gateway), ...guard.path];
    const given = valueAt(source.data, at);
    if (given === undefined || guard.allowed.some((allowed) => given === allowed)) continue;
    report(
      at,
      'value',
      `must be ${guard.allowed.map((a) => JSON.stringify(a)).join(' or ')} (or left unset), even in the platform file: ${guard.why}`,
    );
  }
  const snippets = valueAt(source.data, [...root, 'hub', 'extraConfig']);
  if (isRecord(snippets)) {
    for (const [key, code] of Object.entries(snippets)) {
      if (typeof code !== 'string' || !FIXED_IN_CODE.test(code)) continue;
      report(
        [...root, 'hub', 'extraConfig', key],
        'key',
        `may not name the authenticator or the spawner's identity, even in the platform file: ${AUTHENTICATOR}, and ${IDENTITY}`,
      );
    }
  }
  hubConfigMounts(source, root, report);
  return problems;
}

/** hub.extraFiles and hub.extraVolumeMounts may not mount over z2jh's configuration directory. */
function hubConfigMounts(
  source: YamlSource,
  root: readonly PathSegment[],
  report: (at: PathSegment[], target: 'key' | 'value', message: string) => void,
): void {
  const message = `may not mount into ${HUB_CONFIG_DIR}, even in the platform file: z2jh's jupyterhub_config.py there loads hubfleet's authenticator`;
  const files = valueAt(source.data, [...root, 'hub', 'extraFiles']);
  if (isRecord(files)) {
    for (const [key, file] of Object.entries(files)) {
      if (isRecord(file) && typeof file.mountPath === 'string' && file.mountPath.startsWith(HUB_CONFIG_DIR))
        report([...root, 'hub', 'extraFiles', key, 'mountPath'], 'value', message);
    }
  }
  const mounts = valueAt(source.data, [...root, 'hub', 'extraVolumeMounts']);
  const list: unknown[] = Array.isArray(mounts) ? mounts : isRecord(mounts) ? Object.values(mounts) : [];
  const keys: PathSegment[] = Array.isArray(mounts)
    ? mounts.map((_m: unknown, i) => i)
    : isRecord(mounts)
      ? Object.keys(mounts)
      : [];
  list.forEach((mount, i) => {
    const key = keys[i];
    if (
      key !== undefined &&
      isRecord(mount) &&
      typeof mount.mountPath === 'string' &&
      mount.mountPath.startsWith(HUB_CONFIG_DIR)
    )
      report([...root, 'hub', 'extraVolumeMounts', key, 'mountPath'], 'value', message);
  });
}
