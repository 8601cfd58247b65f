import { describe, expect, it } from '@jest/globals';
import { HubfleetError } from '../errors.js';
import type { HelmClient } from '../adapters/helm.js';
import type { KubeClient, KubeRef } from '../adapters/kube.js';
import type { KubeObject } from '../render/manifests.js';
import { cluster } from '../../test/support/fleet.js';
import {
  checkUninstall,
  manualDeletion,
  ownedKinds,
  ownedSelector,
  uninstallHub,
  type UninstallReport,
} from './uninstall-hub.js';
import { uninstallSummary } from './uninstall-summary.js';

const gke = cluster('gke', 'gcp', [{ name: 'ocean', stage: 'prod' }]);
const eks = cluster('eks', 'aws', [{ name: 'glacier', stage: 'prod' }]);
const fleet = { clusters: [eks, gke] };

function refusal(hubs: string[], clusterName = 'gke'): string {
  try {
    checkUninstall(fleet, clusterName, hubs);
  } catch (e) {
    expect(e).toBeInstanceOf(HubfleetError);
    return (e as Error).message;
  }
  throw new Error('not refused');
}

describe('checkUninstall', () => {
  it('accepts hubs that are not in the config of a cluster that is', () => {
    expect(checkUninstall(fleet, 'gke', ['climate', 'old-hub'])).toBe(gke);
  });

  it.each([
    [
      ['ocean'],
      'uninstall refused for gke: hub ocean is still in the config (config/clusters/gke/hubs/ocean.yaml); only a hub whose file was deleted is uninstalled',
    ],
    [
      ['Ocean', '-x', 'a'.repeat(64), 'a_b'],
      `uninstall refused for gke: ${['"Ocean"', '"-x"', JSON.stringify('a'.repeat(64)), '"a_b"']
        .map(
          (h) =>
            `hub ${h} is not a DNS label (lowercase letters, digits and '-', starting with a letter, at most 63 characters)`,
        )
        .join('; ')}`,
    ],
    [
      ['default', 'kube-system', 'kube-anything'],
      'uninstall refused for gke: hub "default" names a system namespace; hubfleet never uninstalls there; hub "kube-system" names a system namespace; hubfleet never uninstalls there; hub "kube-anything" names a system namespace; hubfleet never uninstalls there',
    ],
  ])('refuses %j', (hubs, message) => {
    expect(refusal(hubs)).toBe(message);
  });

  it('refuses a cluster that is not in the config, naming the ones that are', () => {
    expect(refusal(['climate'], 'gone')).toBe(
      'uninstall refused for gone: no cluster named gone in the config (clusters: eks, gke)',
    );
  });
});

describe('what uninstall deletes', () => {
  it('asks GKE for its own kinds, EKS only for the core ones; the Namespace never', () => {
    expect(ownedKinds('gcp').map((k) => `${k.apiVersion} ${k.kind}`)).toEqual([
      'networking.k8s.io/v1 Ingress',
      'networking.gke.io/v1 ManagedCertificate',
      'cloud.google.com/v1 BackendConfig',
      'networking.gke.io/v1beta1 FrontendConfig',
      'rbac.authorization.k8s.io/v1 RoleBinding',
      'rbac.authorization.k8s.io/v1 Role',
      'v1 Secret',
      'v1 ServiceAccount',
    ]);
    expect(ownedKinds('aws').map((k) => `${k.apiVersion} ${k.kind}`)).toEqual([
      'networking.k8s.io/v1 Ingress',
      'rbac.authorization.k8s.io/v1 RoleBinding',
      'rbac.authorization.k8s.io/v1 Role',
      'v1 Secret',
      'v1 ServiceAccount',
    ]);
  });

  it('selects by both the managed-by and the hub label', () => {
    expect(ownedSelector('ocean')).toBe('app.kubernetes.io/managed-by=hubfleet,hubfleet.dev/hub=ocean');
  });
});

/** In-memory clients recording what uninstallHub asks; the bundle test runs the real ones. */
function fakes(opts: { helm: () => Promise<'uninstalled' | 'absent'>; namespace: boolean }) {
  const calls: string[] = [];
  const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });
  const kube = {
    preflight: () => Promise.resolve(calls.push('preflight')).then(() => undefined),
    list: (apiVersion: string, kind: string, ns?: string, selector?: string) => {
      calls.push(`list ${apiVersion} ${kind} ${ns ?? ''} ${selector ?? ''}`.trim());
      if (kind === 'ServiceAccount') return Promise.resolve([obj(kind, 'user-sa')]);
      if (kind === 'Ingress') return Promise.resolve([obj(kind, 'old')]);
      if (kind === 'PersistentVolumeClaim')
        return Promise.resolve([obj(kind, 'claim-b'), obj(kind, 'claim-a')]);
      return Promise.resolve([]);
    },
    get: (ref: KubeRef) => {
      calls.push(`get ${ref.kind} ${ref.name}`);
      return Promise.resolve(opts.namespace ? obj('Namespace', ref.name) : undefined);
    },
    delete: (ref: KubeRef, o: { wait?: boolean; timeoutMs?: number } = {}) => {
      calls.push(
        `delete ${ref.kind} ${ref.namespace ?? ''}/${ref.name}${o.wait === true ? ` (wait ${o.timeoutMs ?? '?'} ms)` : ''}`,
      );
      return Promise.resolve('deleted' as const);
    },
  } as unknown as KubeClient;
  const helm = {
    uninstall: (release: string, ns: string, timeout: string) => {
      calls.push(`helm uninstall ${release} ${ns} ${timeout}`);
      return opts.helm();
    },
  } as unknown as HelmClient;
  return { calls, deps: { kube, helm, log: () => undefined, now: () => 0 } };
}

describe('uninstallHub', () => {
  it('on EKS: helm, then the owned core kinds of the hub (waiting for the Ingress to go), then lists what is kept', async () => {
    const { calls, deps } = fakes({ helm: () => Promise.resolve('uninstalled'), namespace: true });
    const report = await uninstallHub({ cluster: eks, hub: 'old', timeout: '7m' }, deps);
    const sel = 'app.kubernetes.io/managed-by=hubfleet,hubfleet.dev/hub=old';
    expect(calls).toEqual([
      'preflight',
      'helm uninstall old old 7m',
      `list networking.k8s.io/v1 Ingress old ${sel}`,
      'delete Ingress old/old (wait 420000 ms)',
      `list rbac.authorization.k8s.io/v1 RoleBinding old ${sel}`,
      `list rbac.authorization.k8s.io/v1 Role old ${sel}`,
      `list v1 Secret old ${sel}`,
      `list v1 ServiceAccount old ${sel}`,
      'delete ServiceAccount old/user-sa',
      'get Namespace old',
      'list v1 PersistentVolumeClaim old',
    ]);
    expect(report.removed).toEqual([
      { kind: 'Ingress', name: 'old', outcome: 'deleted' },
      { kind: 'ServiceAccount', name: 'user-sa', outcome: 'deleted' },
    ]);
    expect(report.kept.map((k) => `${k.kind} ${k.name}`)).toEqual([
      'Namespace old',
      'PersistentVolumeClaim claim-a',
      'PersistentVolumeClaim claim-b',
    ]);
    expect(report.error).toBeUndefined();
    expect(manualDeletion(report)).toEqual([
      '# first keep what users need: snapshot the disks behind the claims (kubectl -n old get pvc -o wide shows their volumes)',
      'kubectl delete namespace old',
    ]);
  });

  it('deletes nothing after helm fails, and says what to do', async () => {
    const { calls, deps } = fakes({
      helm: () => Promise.reject(new HubfleetError('helm uninstall of release old failed', { hint: 'do X' })),
      namespace: true,
    });
    const report = await uninstallHub({ cluster: gke, hub: 'old', timeout: '7m' }, deps);
    expect(calls).toEqual(['preflight', 'helm uninstall old old 7m']);
    expect(report).toMatchObject({
      helm: 'not run',
      error: 'helm uninstall of release old failed',
      hint: 'do X',
    });
    expect(report.steps.map((s) => s.step)).toEqual(['preflight', 'helm uninstall']);
  });
});

describe('uninstallSummary', () => {
  const base: UninstallReport = {
    cluster: 'gke',
    hub: 'old',
    namespace: 'old',
    release: 'old',
    helm: 'absent',
    removed: [],
    kept: [],
    steps: [{ step: 'preflight', ms: 1500 }],
  };

  it('says when nothing was left at all', () => {
    expect(uninstallSummary([base])).toEqual([
      '### ✅ 1 hub uninstalled: old (namespaces and user data kept)',
      '| hub | namespace | helm | hubfleet objects deleted | kept | result |\n| --- | --- | --- | --- | --- | --- |\n| old | old | release old was already gone | 0 | - | ok |',
      '<details open><summary>gke/old</summary>\n\nhelm: release old was already gone.\n\nNo hubfleet objects were left in the namespace.\n\nNamespace old does not exist: no user data was left behind.\n\n| step | duration |\n| --- | --- |\n| preflight | 1.5 s |\n\n</details>',
    ]);
  });

  it('leads with the failure and what to do', () => {
    const failed: UninstallReport = { ...base, helm: 'not run', error: 'boom', hint: 'retry' };
    const [verdict, rows, detail] = uninstallSummary([failed]);
    expect(verdict).toBe('### ❌ uninstall failed for 1 of 1 hub: old');
    expect(rows).toContain('| old | old | not run | 0 | - | failed at preflight |');
    expect(detail).toContain(
      '<summary>gke/old (failed)</summary>\n\n**Failed:** boom\n\n**What to do:** retry',
    );
  });
});
