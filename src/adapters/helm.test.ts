// The helm adapter runs the fake helm (test/support/fake-helm), which installs into the API double.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeHelm, type FakeHelm } from '../../test/support/fake-helm.js';
import { startKubeApiDouble, type KubeApiDouble } from '../../test/support/kube-api-double.js';
import {
  createHelmClient,
  durationMs,
  helmFailedStep,
  previousSuccessfulRevision,
  type HelmClient,
  type HelmRevision,
} from './helm.js';

const request = {
  release: 'ocean',
  namespace: 'ocean',
  chart: 'jupyterhub',
  repo: 'https://hub.jupyter.org/helm-chart/',
  version: '4.2.0',
  values: 'proxy:\n  service:\n    type: NodePort\n',
  timeout: '10m',
};

it('reads helm durations', () => {
  expect(['10m', '90s', '1h30m', '500ms'].map(durationMs)).toEqual([600_000, 90_000, 5_400_000, 500]);
  expect(() => durationMs('ten minutes')).toThrow('timeout "ten minutes" is not a duration');
});

it('finds the previous successful revision', () => {
  const rev = (revision: number, status: string): HelmRevision => ({
    revision,
    status,
    updated: '',
    chart: '',
    appVersion: '',
    description: '',
  });
  expect(previousSuccessfulRevision([rev(1, 'superseded'), rev(2, 'failed'), rev(3, 'deployed')])).toEqual({
    current: rev(3, 'deployed'),
    target: rev(1, 'superseded'),
  });
  expect(previousSuccessfulRevision([rev(1, 'deployed')])).toBeUndefined();
  expect(previousSuccessfulRevision([])).toBeUndefined();
});

it.each([
  [
    'Error: UPGRADE FAILED: release ocean failed, and has been rolled back due to atomic being set: timed out waiting for the condition',
    'waiting for the release (rolled back by --atomic)',
  ],
  [
    'Error: INSTALLATION FAILED: chart "jupyterhub" version "9.9.9" not found in https://hub.jupyter.org/helm-chart/ repository',
    'fetching the chart',
  ],
  [
    "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
    'validating values',
  ],
  [
    'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    'locking the release',
  ],
  ['Error: UPGRADE FAILED: something else', 'upgrading'],
])('names the step of %j', (output, step) => {
  expect(helmFailedStep(output).step).toBe(step);
});

describe('helm adapter with the fake helm', () => {
  let api: KubeApiDouble;
  let fake: FakeHelm;
  let helm: HelmClient;
  let logs: string[];

  beforeEach(async () => {
    api = await startKubeApiDouble();
    api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ocean' } });
    fake = createFakeHelm(api.url);
    logs = [];
    helm = createHelmClient({ log: (l) => logs.push(l), killGraceMs: 300, env: fake.env() });
  });
  afterEach(async () => {
    fake.close();
    await api.close();
  });

  it('runs exactly the documented command with a private values file that is removed afterwards', async () => {
    const result = await helm.upgradeInstall(request);
    expect(result.revision).toBe(1);
    const [call] = fake.calls();
    const valuesFile = call?.args[11] as string;
    expect(call?.args).toEqual([
      'upgrade',
      '--install',
      'ocean',
      'jupyterhub',
      '--repo',
      'https://hub.jupyter.org/helm-chart/',
      '--namespace',
      'ocean',
      '--version',
      '4.2.0',
      '--values',
      valuesFile,
      '--atomic',
      '--wait',
      '--timeout',
      '10m',
    ]);
    expect(call?.values).toBe(request.values);
    expect(call?.valuesMode).toBe('600');
    expect(existsSync(valuesFile)).toBe(false);
    expect(
      api.getObject({ apiVersion: 'v1', kind: 'Service', name: 'proxy-public', namespace: 'ocean' })?.spec,
    ).toMatchObject({ type: 'NodePort' });
    expect(logs[0]).toBe(
      'helm upgrade --install ocean jupyterhub --repo https://hub.jupyter.org/helm-chart/ --namespace ocean --version 4.2.0 --atomic --wait --timeout 10m',
    );
  });

  it('turns a failure into a message naming the release, the step and the last lines', async () => {
    await helm.upgradeInstall(request);
    fake.behave({ upgrades: ['fail'], failMessage: 'timed out waiting for the condition' });
    const error = await helm.upgradeInstall(request).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'helm upgrade --install of release ocean (namespace ocean, chart jupyterhub 4.2.0) failed while waiting for the release (rolled back by --atomic):\nError: UPGRADE FAILED: release ocean failed, and has been rolled back due to atomic being set: timed out waiting for the condition',
    );
    expect(existsSync(fake.calls()[1]?.args[11] as string)).toBe(false);
  });

  it('stops a hung helm after its timeout and says so', async () => {
    fake.behave({ upgrades: ['hang'] });
    const error = await helm.upgradeInstall({ ...request, timeout: '1s' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'helm upgrade --install of release ocean (namespace ocean) did not finish within 1s plus 0.3s and was stopped; last output:\nRelease "ocean" does not exist. Installing it now.',
    );
  });

  it('reads history and rolls back', async () => {
    expect(await helm.history('ocean', 'ocean')).toEqual([]);
    await helm.upgradeInstall(request);
    await helm.upgradeInstall({ ...request, values: 'proxy:\n  service:\n    type: ClusterIP\n' });
    const history = await helm.history('ocean', 'ocean');
    expect(history.map((r) => [r.revision, r.status, r.chart])).toEqual([
      [1, 'superseded', 'jupyterhub-4.2.0'],
      [2, 'deployed', 'jupyterhub-4.2.0'],
    ]);
    await helm.rollback('ocean', 'ocean', 1, '5m');
    expect((await helm.history('ocean', 'ocean')).map((r) => [r.revision, r.status, r.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    expect(
      api.getObject({ apiVersion: 'v1', kind: 'Service', name: 'proxy-public', namespace: 'ocean' })?.spec,
    ).toMatchObject({ type: 'NodePort' });
  });

  it('fails when the values do not fit the chart schema the test gives the fake helm', async () => {
    const schema = join(fake.stateDir, 'values.schema.json');
    writeFileSync(
      schema,
      JSON.stringify({
        type: 'object',
        additionalProperties: false,
        properties: { hub: { type: 'object' } },
      }),
    );
    fake.behave({ schema });
    const error = await helm.upgradeInstall(request).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "helm upgrade --install of release ocean (namespace ocean, chart jupyterhub 4.2.0) failed while validating values:\nError: values don't meet the specifications of the schema(s) in the following chart(s):\njupyterhub:\n- (root): must NOT have additional properties",
    );
    expect(api.listObjects('apps/v1', 'Deployment', 'ocean')).toEqual([]);
  });

  it('uninstalls with --wait; a release that is already gone is not an error (helm 3 says "Release not loaded")', async () => {
    await helm.upgradeInstall(request);
    expect(await helm.uninstall('ocean', 'ocean', '5m')).toBe('uninstalled');
    expect(api.listObjects('apps/v1', 'Deployment', 'ocean')).toEqual([]);
    expect(api.listObjects('v1', 'Service', 'ocean')).toEqual([]);
    expect(await helm.history('ocean', 'ocean')).toEqual([]);
    expect(await helm.uninstall('ocean', 'ocean', '5m')).toBe('absent');
    expect(fake.calls().slice(-3)).toEqual([
      { args: ['uninstall', 'ocean', '--namespace', 'ocean', '--wait', '--timeout', '5m'], exit: 0 },
      { args: ['history', 'ocean', '--namespace', 'ocean', '--max', '256', '-o', 'json'], exit: 1 },
      { args: ['uninstall', 'ocean', '--namespace', 'ocean', '--wait', '--timeout', '5m'], exit: 1 },
    ]);
    expect(logs.slice(-2)).toEqual([
      'helm uninstall ocean --namespace ocean --wait --timeout 5m',
      '  helm: Error: uninstall: Release not loaded: ocean: release: not found',
    ]);
  });

  it('fails an uninstall that helm cannot finish, naming the release', async () => {
    const failing = createHelmClient({ helm: join(fake.stateDir, 'failing-helm'), env: fake.env() });
    writeFileSync(
      join(fake.stateDir, 'failing-helm'),
      '#!/bin/sh\necho "Error: uninstallation completed with 1 error(s): timed out waiting for the condition" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    await expect(failing.uninstall('ocean', 'ocean', '5m')).rejects.toThrow(
      'helm uninstall of release ocean (namespace ocean) failed:\nError: uninstallation completed with 1 error(s): timed out waiting for the condition',
    );
  });

  it('says clearly when helm is missing', async () => {
    const missing = createHelmClient({ helm: '/nonexistent/helm' });
    await expect(missing.history('ocean', 'ocean')).rejects.toThrow(
      "helm not found: cannot run '/nonexistent/helm'",
    );
  });
});
