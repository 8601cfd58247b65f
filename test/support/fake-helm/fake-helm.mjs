// A fake `helm` for tests: it understands the commands hubfleet runs (upgrade --install, history,
// rollback, uninstall), records every call, checks the values file (parses, mode 0600, optional JSON schema)
// and does to the Kubernetes API double what a real z2jh install does to a cluster: the hub and
// proxy Deployments, their Ready Pods and the proxy-public Service, with the values' proxy.service
// settings; `uninstall` deletes those objects again and forgets the release. As helm 3 does,
// `uninstall` of a release it does not know fails with
// `Error: uninstall: Release not loaded: <name>: release: not found` (pkg/action/uninstall.go). Release history lives in FAKE_HELM_DIR/releases.json, as helm keeps it in Secrets.
//
// Environment (set by the test for this process only):
//   FAKE_HELM_DIR       state directory: calls.jsonl (what it was asked), releases.json,
//                       behaviour.json ({"upgrades": ["succeed" | "fail" | "hang" | "no-hub", …],
//                       "failMessage": "…", "schema": "/path/to/values.schema.json"}); each
//                       upgrade takes the next mode, the last one repeats, default "succeed".
//   FAKE_HELM_KUBE_API  the API double's URL (http://127.0.0.1:port).
/* global fetch, setInterval */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_HELM_DIR;
const api = process.env.FAKE_HELM_KUBE_API;
if (!dir || !api) {
  process.stderr.write('fake helm: FAKE_HELM_DIR and FAKE_HELM_KUBE_API must be set\n');
  process.exit(2);
}
const { parse: parseYaml } = await import('yaml');
const args = process.argv.slice(2);
const file = (name) => join(dir, name);
const readJson = (name, fallback) =>
  existsSync(file(name)) ? JSON.parse(readFileSync(file(name), 'utf8')) : fallback;
const call = { args };

function fail(message, code = 1) {
  call.exit = code;
  appendFileSync(file('calls.jsonl'), `${JSON.stringify(call)}\n`);
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
function done(stdout) {
  call.exit = 0;
  appendFileSync(file('calls.jsonl'), `${JSON.stringify(call)}\n`);
  process.stdout.write(stdout);
  process.exit(0);
}
function flag(name) {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
}

async function kube(method, path, body, contentType = 'application/json') {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok && res.status !== 404)
    throw new Error(`fake helm: ${method} ${path} answered ${res.status}: ${text}`);
  return res.status === 404 ? undefined : JSON.parse(text);
}
const applyObj = (path, obj) =>
  kube('PATCH', `${path}?fieldManager=helm&force=true`, obj, 'application/apply-patch+yaml');

/** What a z2jh install creates, as far as deploy-hub looks at it. */
async function install(release, ns, values, withHub) {
  const z2jh = values.jupyterhub ?? values;
  const labels = (component) => ({ app: 'jupyterhub', component, release, heritage: 'Helm' });
  const hubChecksum = createHash('sha256')
    .update(JSON.stringify(z2jh.hub ?? {}))
    .digest('hex');
  const svc = z2jh.proxy?.service ?? {};
  await applyObj(`/api/v1/namespaces/${ns}/services/proxy-public`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'proxy-public',
      namespace: ns,
      labels: labels('proxy-public'),
      annotations: svc.annotations ?? {},
    },
    spec: {
      type: svc.type ?? 'LoadBalancer',
      selector: { component: 'proxy', release },
      ports: [{ name: 'http', port: 80, targetPort: 8000, protocol: 'TCP' }],
    },
  });
  const deployments = [['proxy', 'proxy-checksum']];
  if (withHub) deployments.push(['hub', hubChecksum]);
  for (const [component, checksum] of deployments) {
    const dep = await applyObj(`/apis/apps/v1/namespaces/${ns}/deployments/${component}`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: component, namespace: ns, labels: labels(component) },
      spec: {
        replicas: 1,
        selector: { matchLabels: { component, release } },
        template: {
          metadata: { labels: labels(component), annotations: { 'checksum/config-map': checksum } },
          spec: { containers: [{ name: component, image: `quay.io/jupyterhub/${component}` }] },
        },
      },
    });
    const podName = `${component}-${checksum.slice(0, 10)}`;
    const pods = await kube(
      'GET',
      `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`component=${component}`)}`,
    );
    for (const pod of pods.items) {
      if (pod.metadata.name !== podName)
        await kube('DELETE', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`);
    }
    await applyObj(`/api/v1/namespaces/${ns}/pods/${podName}`, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, namespace: ns, labels: labels(component) },
      spec: { containers: [{ name: component, image: `quay.io/jupyterhub/${component}` }] },
    });
    await kube(
      'PATCH',
      `/api/v1/namespaces/${ns}/pods/${podName}/status`,
      {
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'application/merge-patch+json',
    );
    await kube(
      'PATCH',
      `/apis/apps/v1/namespaces/${ns}/deployments/${component}/status`,
      {
        status: {
          observedGeneration: dep.metadata.generation,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      },
      'application/merge-patch+json',
    );
  }
}

function now() {
  return new Date().toISOString();
}

const behaviour = readJson('behaviour.json', {});
const releases = readJson('releases.json', {});
const saveReleases = () => writeFileSync(file('releases.json'), JSON.stringify(releases, null, 2));

if (args[0] === 'upgrade') {
  const [, install_, release, chart] = args;
  const ns = flag('--namespace');
  const valuesPath = flag('--values');
  const expected = [
    'upgrade',
    '--install',
    release,
    chart,
    '--repo',
    flag('--repo'),
    '--namespace',
    ns,
    '--version',
    flag('--version'),
    '--values',
    valuesPath,
    '--atomic',
    '--wait',
    '--timeout',
    flag('--timeout'),
  ];
  if (
    install_ !== '--install' ||
    JSON.stringify(args) !== JSON.stringify(expected) ||
    expected.includes(undefined)
  ) {
    fail(`fake helm: unexpected upgrade arguments: ${args.join(' ')}`, 64);
  }
  const text = readFileSync(valuesPath, 'utf8');
  call.values = text;
  call.valuesMode = (statSync(valuesPath).mode & 0o777).toString(8);
  let values;
  try {
    values = parseYaml(text) ?? {};
  } catch (e) {
    fail(`Error: failed to parse ${valuesPath}: ${e.message}`);
  }
  if (behaviour.schema) {
    const { default: Ajv } = await import('ajv');
    const AjvClass = Ajv.default ?? Ajv;
    const ajv = new AjvClass({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(behaviour.schema, 'utf8')));
    if (!validate(values)) {
      const problems = validate.errors.map((e) => `- ${e.instancePath || '(root)'}: ${e.message}`).join('\n');
      fail(
        `Error: values don't meet the specifications of the schema(s) in the following chart(s):\n${chart}:\n${problems}`,
      );
    }
  }
  const modes = behaviour.upgrades ?? [];
  const count = readJson('upgrade-count.json', 0);
  writeFileSync(file('upgrade-count.json'), JSON.stringify(count + 1));
  const mode = modes[Math.min(count, modes.length - 1)] ?? 'succeed';
  call.mode = mode;
  const key = `${ns}/${release}`;
  const history = releases[key] ?? [];
  const revision = (history.at(-1)?.revision ?? 0) + 1;
  const entry = {
    revision,
    updated: now(),
    status: 'deployed',
    chart: `${chart}-${flag('--version')}`,
    app_version: '5.3.0',
    description: history.length === 0 ? 'Install complete' : 'Upgrade complete',
    values: text,
  };
  // As helm: a release left pending by an interrupted run blocks every other operation but rollback.
  if (history.at(-1)?.status.startsWith('pending-')) {
    fail('Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress');
  }
  if (mode === 'hang') {
    appendFileSync(file('calls.jsonl'), `${JSON.stringify(call)}\n`);
    process.stdout.write(`Release "${release}" does not exist. Installing it now.\n`);
    setInterval(() => undefined, 1000);
    await new Promise(() => undefined);
  }
  if (mode === 'fail') {
    const why = behaviour.failMessage ?? 'timed out waiting for the condition';
    if (history.length === 0) {
      fail(
        `Error: INSTALLATION FAILED: release ${release} failed, and has been uninstalled due to atomic being set: ${why}`,
      );
    }
    const last = [...history].reverse().find((r) => r.status === 'deployed');
    history.push({ ...entry, status: 'failed', description: `Upgrade "${release}" failed: ${why}` });
    if (last) {
      for (const r of history) if (r.status === 'deployed') r.status = 'superseded';
      history.push({
        ...last,
        revision: revision + 1,
        updated: now(),
        status: 'deployed',
        description: `Rollback to ${last.revision}`,
      });
    }
    releases[key] = history;
    saveReleases();
    fail(
      `Error: UPGRADE FAILED: release ${release} failed, and has been rolled back due to atomic being set: ${why}`,
    );
  }
  await install(release, ns, values, mode !== 'no-hub');
  for (const r of history) if (r.status === 'deployed') r.status = 'superseded';
  history.push(entry);
  releases[key] = history;
  saveReleases();
  done(
    `${history.length === 1 ? `Release "${release}" does not exist. Installing it now.\n` : `Release "${release}" has been upgraded. Happy Helming!\n`}NAME: ${release}\nLAST DEPLOYED: ${entry.updated}\nNAMESPACE: ${ns}\nSTATUS: deployed\nREVISION: ${revision}\nTEST SUITE: None\n`,
  );
} else if (args[0] === 'history') {
  const [, release] = args;
  const history = releases[`${flag('--namespace')}/${release}`];
  if (!history || history.length === 0) fail('Error: release: not found');
  done(JSON.stringify(history.map((r) => ({ ...r, values: undefined }))));
} else if (args[0] === 'get' && args[1] === 'values') {
  // helm get values <release> --namespace <ns> -o json: the user-supplied values of the current
  // revision (helm's pkg/action/get_values.go reads the last release record's Config).
  const [, , release] = args;
  const history = releases[`${flag('--namespace')}/${release}`];
  if (!history || history.length === 0) fail(`Error: release: not found`);
  done(JSON.stringify(parseYaml(history.at(-1).values) ?? null));
} else if (args[0] === 'rollback') {
  const [, release, revisionText] = args;
  const ns = flag('--namespace');
  const history = releases[`${ns}/${release}`] ?? [];
  const target = history.find((r) => r.revision === Number(revisionText));
  if (!target) fail(`Error: release has no ${revisionText} version`);
  if (!args.includes('--wait')) fail('fake helm: rollback without --wait', 64);
  await install(release, ns, parseYaml(target.values) ?? {}, true);
  for (const r of history)
    if (r.status === 'deployed' || r.status.startsWith('pending-')) r.status = 'superseded';
  history.push({
    ...target,
    revision: history.at(-1).revision + 1,
    updated: now(),
    status: 'deployed',
    description: `Rollback to ${target.revision}`,
  });
  saveReleases();
  done('Rollback was a success! Happy Helming!\n');
} else if (args[0] === 'uninstall') {
  const [, release] = args;
  const ns = flag('--namespace');
  const expected = ['uninstall', release, '--namespace', ns, '--wait', '--timeout', flag('--timeout')];
  if (JSON.stringify(args) !== JSON.stringify(expected) || expected.includes(undefined)) {
    fail(`fake helm: unexpected uninstall arguments: ${args.join(' ')}`, 64);
  }
  const key = `${ns}/${release}`;
  if (!releases[key] || releases[key].length === 0) {
    fail(`Error: uninstall: Release not loaded: ${release}: release: not found`);
  }
  // What the chart created, labelled with the release (as helm deletes the release manifest's objects).
  await kube('DELETE', `/api/v1/namespaces/${ns}/services/proxy-public`);
  for (const component of ['hub', 'proxy']) {
    await kube('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/${component}`);
  }
  const pods = await kube(
    'GET',
    `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`release=${release}`)}`,
  );
  for (const pod of pods?.items ?? []) {
    await kube('DELETE', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}`);
  }
  delete releases[key];
  saveReleases();
  done(`release "${release}" uninstalled\n`);
} else {
  fail(`fake helm: unsupported command: ${args.join(' ')}`, 64);
}
