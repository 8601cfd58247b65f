import { describe, expect, it } from '@jest/globals';
import type { LoadedHub } from '../config/model.js';
import { awsCluster, awsHub, gcpBasehub, gcpCluster, gcpDaskhub } from '../../test/fixtures/render/fleet.js';
import {
  type KubeObject,
  managedCertificatesAnnotation,
  parseManagedCertificates,
  renderManifests,
} from './manifests.js';

const labels = { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'ocean' };
const byKind = (objects: KubeObject[], kind: string): KubeObject | undefined =>
  objects.find((o) => o.kind === kind);

describe('renderManifests (GKE)', () => {
  const objects = renderManifests(gcpCluster, gcpDaskhub);

  it('renders Namespace, ServiceAccount, BackendConfig, FrontendConfig, ManagedCertificate and Ingress, in that order', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
      'v1 Namespace ocean',
      'v1 ServiceAccount user-sa',
      'cloud.google.com/v1 BackendConfig ocean-iap',
      'networking.gke.io/v1beta1 FrontendConfig ocean-frontend',
      'networking.gke.io/v1 ManagedCertificate ocean-cert-3d34d558',
      'networking.k8s.io/v1 Ingress ocean',
    ]);
    for (const o of objects) expect(o.metadata.labels).toMatchObject(labels);
  });

  it('lets the planner the cluster names get the health token Secret and nothing else (Role + RoleBinding after the ServiceAccount); none without one', () => {
    const cluster = {
      ...gcpCluster,
      config: {
        ...gcpCluster.config,
        planner: {
          kubernetesSubjects: [
            { kind: 'User' as const, name: 'planner@pangeo-prod.iam.gserviceaccount.com' },
            { kind: 'Group' as const, name: 'hubfleet-planners' },
          ],
        },
      },
    };
    const objects = renderManifests(cluster, gcpBasehub);
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'BackendConfig',
      'FrontendConfig',
      'ManagedCertificate',
      'Ingress',
    ]);
    const metadata = {
      name: 'hubfleet-health-token-reader',
      namespace: 'staging',
      labels: { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'staging' },
    };
    expect(objects.slice(2, 4)).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata,
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: ['hubfleet-health-token'],
            verbs: ['get'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'hubfleet-health-token-reader',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: 'planner@pangeo-prod.iam.gserviceaccount.com',
          },
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'hubfleet-planners' },
        ],
      },
    ]);
    expect(renderManifests(gcpCluster, gcpBasehub).map((o) => o.kind)).not.toContain('Role');
    expect(renderManifests(awsCluster, awsHub).map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'Ingress',
    ]);
  });

  it('labels the namespace for Pod Security Admission and names the Secret deploy-hub must create', () => {
    expect(byKind(objects, 'Namespace')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'ocean',
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'baseline',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'baseline',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
        annotations: { 'hubfleet.dev/expected-secrets': 'ocean-iap-oauth' },
      },
    });
  });

  it('defaults Pod Security to privileged and expects no Secret for a Google-managed client', () => {
    const ns = byKind(renderManifests(gcpCluster, gcpBasehub), 'Namespace');
    expect(ns?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns?.metadata.annotations).toBeUndefined();
  });

  it('annotates the user ServiceAccount with the per-hub Google service account', () => {
    expect(byKind(objects, 'ServiceAccount')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'user-sa',
        namespace: 'ocean',
        labels,
        annotations: {
          'iam.gke.io/gcp-service-account': 'hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com',
        },
      },
    });
  });

  it('renders the BackendConfig with IAP from the secret-backed client, health check and WebSocket timeout', () => {
    expect(byKind(objects, 'BackendConfig')).toEqual({
      apiVersion: 'cloud.google.com/v1',
      kind: 'BackendConfig',
      metadata: { name: 'ocean-iap', namespace: 'ocean', labels },
      spec: {
        iap: { enabled: true, oauthclientCredentials: { secretName: 'ocean-iap-oauth' } },
        healthCheck: { type: 'HTTP', requestPath: '/_chp_healthz', port: 8000 },
        timeoutSec: 86400,
      },
    });
  });

  it('omits oauthclientCredentials for the Google-managed OAuth client', () => {
    const spec = byKind(renderManifests(gcpCluster, gcpBasehub), 'BackendConfig')?.spec;
    expect(spec).toEqual({
      iap: { enabled: true },
      healthCheck: { type: 'HTTP', requestPath: '/_chp_healthz', port: 8000 },
      timeoutSec: 86400,
    });
  });

  it('renders the ManagedCertificate for the domain', () => {
    expect(byKind(objects, 'ManagedCertificate')).toEqual({
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      metadata: { name: 'ocean-cert-3d34d558', namespace: 'ocean', labels },
      spec: { domains: ['ocean.hubs.example.org'] },
    });
  });

  it('redirects plain HTTP to HTTPS with a FrontendConfig, so port 80 never serves the hub', () => {
    expect(byKind(objects, 'FrontendConfig')).toEqual({
      apiVersion: 'networking.gke.io/v1beta1',
      kind: 'FrontendConfig',
      metadata: { name: 'ocean-frontend', namespace: 'ocean', labels },
      spec: { redirectToHttps: { enabled: true, responseCodeName: 'MOVED_PERMANENTLY_DEFAULT' } },
    });
  });

  it('renders the Ingress with the gce class annotation (no ingressClassName), static IP and certificate', () => {
    const ingress = byKind(objects, 'Ingress');
    expect(ingress).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'ocean',
        namespace: 'ocean',
        labels,
        annotations: {
          'kubernetes.io/ingress.class': 'gce',
          'kubernetes.io/ingress.global-static-ip-name': 'hubfleet-pangeo-gcp-ocean',
          'networking.gke.io/managed-certificates': 'ocean-cert-3d34d558',
          'networking.gke.io/v1beta1.FrontendConfig': 'ocean-frontend',
        },
      },
      spec: {
        rules: [
          {
            host: 'ocean.hubs.example.org',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'proxy-public', port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
    expect(ingress?.spec).not.toHaveProperty('ingressClassName');
  });

  it('never renders a Secret, a CDN setting, or a secret name from GitHub', () => {
    const text = JSON.stringify(objects);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(text).not.toMatch(/cdn|IAP_OAUTH_OCEAN|client_secret/i);
  });

  it('refuses a GKE hub without IAP, and a domain longer than a ManagedCertificate takes', () => {
    const { iap: _iap, ...noIap } = gcpBasehub.config;
    expect(() => renderManifests(gcpCluster, { ...gcpBasehub, config: noIap })).toThrow(/needs iap/);
    const long: LoadedHub = {
      ...gcpBasehub,
      config: { ...gcpBasehub.config, domain: `${'a'.repeat(50)}.hubs.example.org` },
    };
    expect(() => renderManifests(gcpCluster, long)).toThrow(
      /67 characters; a ManagedCertificate takes at most 63/,
    );
  });
});

describe('service account annotations from Terraform', () => {
  const expected = 'hubfleet-pangeo-gcp-ocean@pangeo-prod.iam.gserviceaccount.com';

  it('accepts the matching Terraform output and keeps its other annotations', () => {
    const sa = renderManifests(gcpCluster, gcpDaskhub, {
      serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': expected, 'example.org/team': 'ocean' },
    })[1];
    expect(sa?.metadata.annotations).toEqual({
      'example.org/team': 'ocean',
      'iam.gke.io/gcp-service-account': expected,
    });
  });

  it.each([
    [
      { 'iam.gke.io/gcp-service-account': 'someone-else@pangeo-prod.iam.gserviceaccount.com' },
      /someone-else/,
    ],
    [{}, /gcp-service-account=\(nothing\)/],
  ])('refuses a Terraform output that disagrees (%j)', (annotations, message) => {
    expect(() => renderManifests(gcpCluster, gcpDaskhub, { serviceAccountAnnotations: annotations })).toThrow(
      message,
    );
  });
});

describe('renderManifests (EKS)', () => {
  const objects = renderManifests(awsCluster, awsHub);

  it('renders Namespace, IRSA ServiceAccount and an ALB Ingress, and nothing GKE-specific', () => {
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'Ingress']);
    expect(objects[1]?.metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/hubfleet-pangeo-aws-climate',
    });
    expect(objects[0]?.metadata.annotations).toEqual({
      'hubfleet.dev/expected-secrets': 'climate-github-oauth',
    });
  });

  it('renders the Ingress with class alb, HTTPS only, IP targets, /hub/health and the TLS host', () => {
    expect(objects[2]).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'climate',
        namespace: 'climate',
        labels: { 'app.kubernetes.io/managed-by': 'hubfleet', 'hubfleet.dev/hub': 'climate' },
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          'alb.ingress.kubernetes.io/healthcheck-path': '/_chp_healthz',
          'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=3600',
        },
      },
      spec: {
        ingressClassName: 'alb',
        tls: [{ hosts: ['climate.hubs.example.org'] }],
        rules: [
          {
            host: 'climate.hubs.example.org',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'proxy-public', port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
  });
});

describe('managed-certificates annotation during a domain change', () => {
  it('lists the rendered certificate first, then the kept ones, once each', () => {
    expect(
      managedCertificatesAnnotation('ocean-cert-2', ['ocean-cert-1', 'ocean-cert-2', 'ocean-cert-1']),
    ).toBe('ocean-cert-2,ocean-cert-1');
    expect(managedCertificatesAnnotation('ocean-cert-2')).toBe('ocean-cert-2');
  });
  it('parses a live annotation', () => {
    expect(parseManagedCertificates(' a-cert , b-cert,,')).toEqual(['a-cert', 'b-cert']);
    expect(parseManagedCertificates(undefined)).toEqual([]);
  });
});

describe('renderManifests keepCertificates', () => {
  it('keeps the live certificate on the Ingress beside the new one', () => {
    const objects = renderManifests(gcpCluster, gcpDaskhub, { keepCertificates: ['ocean-cert'] });
    const ingress = byKind(objects, 'Ingress');
    expect(ingress?.metadata.annotations?.['networking.gke.io/managed-certificates']).toBe(
      'ocean-cert-3d34d558,ocean-cert',
    );
  });
});
