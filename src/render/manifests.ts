// The Kubernetes objects deploy-hub applies next to the chart (design §6). The OAuth client Secrets
// are never rendered: deploy-hub creates them from masked GitHub secrets (see `expectedSecrets`).
// Field names checked against ingress-gce's BackendConfig v1 types and gke-managed-certs' CRD.
import { HubfleetError } from '../errors.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { healthTokenReader } from './health-reader.js';
import {
  CHP_HEALTH_PATH,
  HUB_LABEL,
  MANAGED_BY_LABELS,
  PROXY_CONTAINER_PORT,
  PROXY_HTTP_PORT_NAME,
  PROXY_SERVICE_NAME,
  USER_KSA_NAME,
  awsIrsaRoleArn,
  backendConfigName,
  expectedSecrets,
  frontendConfigName,
  gcpServiceAccountEmail,
  gcpStaticIpName,
  iapOauthSecretName,
  ingressName,
  managedCertificateName,
  namespaceName,
  requireAws,
  requireGcp,
} from './names.js';

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [field: string]: unknown;
}

export interface RenderManifestsOptions {
  /** The Terraform output for this namespace (`kubernetes_sa_annotations[<ns>]`). */
  serviceAccountAnnotations?: Record<string, string>;
  /**
   * Certificates the live Ingress still serves that are not the rendered one (a domain change in
   * progress): kept in the Ingress annotation after the rendered certificate until it is Active,
   * so the hub keeps a valid certificate meanwhile. See `certificatesToKeep`.
   */
  keepCertificates?: readonly string[];
}

export const MANAGED_CERTIFICATES_ANNOTATION = 'networking.gke.io/managed-certificates';

/** The annotation value: the rendered certificate first, then the kept ones, no duplicates. */
export function managedCertificatesAnnotation(rendered: string, keep: readonly string[] = []): string {
  return [rendered, ...keep.filter((name) => name !== rendered)]
    .filter((name, i, all) => all.indexOf(name) === i)
    .join(',');
}

/** The names in a live `networking.gke.io/managed-certificates` annotation (comma-separated). */
export function parseManagedCertificates(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export const GKE_SA_ANNOTATION = 'iam.gke.io/gcp-service-account';
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Names of the Secrets deploy-hub must create in the namespace, comma-separated. */
export const EXPECTED_SECRETS_ANNOTATION = 'hubfleet.dev/expected-secrets';
/** ManagedCertificate CRD: each domain ≤ 63 characters in total (not per label), no wildcard. */
export const MANAGED_CERT_DOMAIN_MAX = 63;
/** Kernels talk over WebSockets; the GCLB's 30 s default backend timeout cuts them. */
export const GCLB_BACKEND_TIMEOUT_SEC = 86400;
/** ALB closes idle connections after 60 s by default; an idle kernel WebSocket is not a dead one. */
export const ALB_IDLE_TIMEOUT_SEC = 3600;

/** The cloud identity annotation of the user KSA, as Terraform creates that identity. */
export function expectedServiceAccountAnnotations(
  cluster: LoadedCluster,
  hub: LoadedHub,
): Record<string, string> {
  const c = cluster.config.name;
  const h = hub.config.name;
  if (cluster.config.provider === 'gcp') {
    return { [GKE_SA_ANNOTATION]: gcpServiceAccountEmail(requireGcp(cluster).project, c, h) };
  }
  const aws = requireAws(cluster);
  return { [IRSA_ANNOTATION]: awsIrsaRoleArn(aws.account, aws.region, c, h) };
}

export function renderManifests(
  cluster: LoadedCluster,
  hub: LoadedHub,
  opts: RenderManifestsOptions = {},
): KubeObject[] {
  const h = hub.config;
  const ns = namespaceName(h.name);
  const labels = { ...MANAGED_BY_LABELS, [HUB_LABEL]: h.name };
  const meta = (name: string, extra: Partial<KubeMetadata> = {}): KubeMetadata => ({
    name,
    namespace: ns,
    labels,
    ...extra,
  });

  const level = h.podSecurity ?? 'privileged';
  const secrets = expectedSecrets(cluster, hub).map((s) => s.name);
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: {
        ...labels,
        'pod-security.kubernetes.io/enforce': level,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': level,
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': level,
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
      ...(secrets.length > 0 ? { annotations: { [EXPECTED_SECRETS_ANNOTATION]: secrets.join(',') } } : {}),
    },
  };

  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(USER_KSA_NAME, { annotations: serviceAccountAnnotations(cluster, hub, opts) }),
  };

  // The planner may read the health token (and nothing else): the daily hub-health job logs in as it.
  const reader = healthTokenReader(cluster, (name) => meta(name));

  const backend = { service: { name: PROXY_SERVICE_NAME, port: { name: PROXY_HTTP_PORT_NAME } } };
  const rule = { host: h.domain, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } };

  if (cluster.config.provider === 'aws') {
    const ingress: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta(ingressName(h.name), {
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          // Pods are targets directly, so the proxy Service stays ClusterIP.
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          // Applies to HTTP listeners only; kept so adding one later cannot serve plain HTTP.
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          // The proxy's own health, as on GKE (decision 0024): CHP answers /_chp_healthz itself
          // (configurable-http-proxy lib/configproxy.js handleHealthCheck), so a hub restart does not
          // take running user servers off the ALB. The controller checks the traffic port (the pod's
          // 8000 with target-type ip) and expects 200 by default (aws-load-balancer-controller
          // docs/guide/ingress/annotations.md: healthcheck-port, success-codes).
          'alb.ingress.kubernetes.io/healthcheck-path': CHP_HEALTH_PATH,
          'alb.ingress.kubernetes.io/load-balancer-attributes': `idle_timeout.timeout_seconds=${ALB_IDLE_TIMEOUT_SEC}`,
        },
      }),
      // The AWS Load Balancer Controller finds the ACM certificate from the TLS host.
      spec: { ingressClassName: 'alb', tls: [{ hosts: [h.domain] }], rules: [rule] },
    };
    return [namespace, serviceAccount, ...reader, ingress];
  }

  const iap = h.iap;
  if (iap === undefined) {
    // Without IAP the hub would be public behind a Google load balancer: refuse, do not guess.
    throw new HubfleetError(`${hub.file}: a GKE hub needs iap (members and oauthClient)`, {
      hint: 'add iap: {members: [group:…], oauthClient: google-managed}',
    });
  }
  if (h.domain.length > MANAGED_CERT_DOMAIN_MAX) {
    throw new HubfleetError(
      `${hub.file}: domain ${h.domain} is ${h.domain.length} characters; a ManagedCertificate takes at most ${MANAGED_CERT_DOMAIN_MAX}`,
      { hint: 'choose a shorter domain for this hub' },
    );
  }

  const backendConfig: KubeObject = {
    apiVersion: 'cloud.google.com/v1',
    kind: 'BackendConfig',
    metadata: meta(backendConfigName(h.name)),
    spec: {
      iap: {
        enabled: true,
        // Omitted for the Google-managed OAuth client; note the lowercase "c" in oauthclientCredentials.
        ...(iap.oauthClient === 'google-managed'
          ? {}
          : { oauthclientCredentials: { secretName: iapOauthSecretName(h.name) } }),
      },
      // The proxy's own health, not the hub's (/hub/health): with the hub restarting, every user
      // server would otherwise drop off the load balancer (decision 0024).
      healthCheck: { type: 'HTTP', requestPath: CHP_HEALTH_PATH, port: PROXY_CONTAINER_PORT },
      timeoutSec: GCLB_BACKEND_TIMEOUT_SEC,
      // No `cdn`: IAP and Cloud CDN cannot both be enabled on a backend service.
    },
  };

  const certificate: KubeObject = {
    apiVersion: 'networking.gke.io/v1',
    kind: 'ManagedCertificate',
    metadata: meta(managedCertificateName(h.name, [h.domain])),
    spec: { domains: [h.domain] },
  };

  // The GCE Ingress also listens on port 80; redirecting it keeps plain HTTP from ever serving the
  // hub (a plain-HTTP 200 is an exposure) while the ManagedCertificate can still be provisioned.
  const frontendConfig: KubeObject = {
    apiVersion: 'networking.gke.io/v1beta1',
    kind: 'FrontendConfig',
    metadata: meta(frontendConfigName(h.name)),
    spec: { redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } },
  };

  const ingress: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(ingressName(h.name), {
      annotations: {
        // The annotation, not spec.ingressClassName: GKE's controller ignores the class field.
        'kubernetes.io/ingress.class': 'gce',
        'kubernetes.io/ingress.global-static-ip-name': gcpStaticIpName(cluster.config.name, h.name),
        [MANAGED_CERTIFICATES_ANNOTATION]: managedCertificatesAnnotation(
          managedCertificateName(h.name, [h.domain]),
          opts.keepCertificates,
        ),
        'networking.gke.io/v1beta1.FrontendConfig': frontendConfigName(h.name),
      },
    }),
    spec: { rules: [rule] },
  };

  return [namespace, serviceAccount, ...reader, backendConfig, frontendConfig, certificate, ingress];
}

/**
 * The annotations of the user KSA. With the Terraform output given, its identity annotation must be
 * the one hubfleet derives: a mismatch means plan and deploy disagree about who the hub runs as.
 */
function serviceAccountAnnotations(
  cluster: LoadedCluster,
  hub: LoadedHub,
  opts: RenderManifestsOptions,
): Record<string, string> {
  const expected = expectedServiceAccountAnnotations(cluster, hub);
  const given = opts.serviceAccountAnnotations;
  if (given === undefined) return expected;
  for (const [key, value] of Object.entries(expected)) {
    if (given[key] !== value) {
      throw new HubfleetError(
        `${cluster.config.name}/${hub.config.name}: Terraform output annotates ${USER_KSA_NAME} with ${key}=${given[key] ?? '(nothing)'}, hubfleet expects ${value}`,
        { hint: `apply the cluster's Terraform plan (apply-iam) before deploying, then re-run deploy-hub` },
      );
    }
  }
  return { ...given, ...expected };
}
