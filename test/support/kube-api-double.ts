// A Kubernetes API server double that the real kubectl (1.32) talks to through a kubeconfig.
//
// The contract it copies, with its sources:
// - Discovery: `GET /version`, `/api` (APIVersions), `/apis` (APIGroupList) and one APIResourceList
//   per group-version (k8s.io/apimachinery meta/v1 types). kubectl asks for aggregated discovery
//   first (Accept: …as=APIGroupDiscoveryList) and falls back to these legacy documents when the
//   answer is plain `application/json`, which is what this double sends.
// - Paths and verbs: the API conventions (community/contributors/devel/sig-architecture/
//   api-conventions.md): `/api/v1/namespaces/<ns>/<plural>/<name>` for the core group,
//   `/apis/<group>/<version>/…` for the others; GET (one object or a `<Kind>List`), POST (create),
//   PUT (replace), PATCH (`application/apply-patch+yaml` = server-side apply,
//   `application/merge-patch+json` = RFC 7386), DELETE; `?watch=true` streams newline-separated
//   `{"type":…,"object":…}` events; errors are `Status` objects with the HTTP code and `reason`.
// - Resource versions: one cluster-wide counter; a write that changes nothing keeps the object's
//   resourceVersion and sends no watch event (the real API server skips no-op writes).
//   `metadata.generation` starts at 1 and grows when anything outside metadata and status changes.
//
// Server-side apply, simplified (the documented rules of this double; the real merge uses the
// OpenAPI schema's list types, which the double does not know):
// 1. A field is a leaf path through maps. Lists and scalars are atomic leaves (real Kubernetes
//    merges associative lists such as containers by key; hubfleet's own objects never rely on it).
// 2. Applying config C as manager M: leaves M owned before and C no longer has are removed (unless
//    another manager also owns them); then C is merged into the live object; M then owns exactly
//    the leaves of C. `status` is ignored on the main resource, as the API server does.
// 3. A leaf of C owned by another manager with a different live value is a conflict: 409 with
//    `reason: Conflict` and one cause per field, unless `force=true`, which moves the ownership.
// 4. managedFields records each manager as `{manager, operation: 'Apply', apiVersion, time,
//    fieldsType: 'FieldsV1', fieldsV1}`; `put()` and POST/PUT/merge-patch writes own nothing.
// 5. Secret `stringData` is folded into base64 `data`, as the API server does on write.
//
// Also: Deployment rollout status and Pod readiness are set by tests (`setStatus`) or by a client
// through the `/status` subresource; the Service proxy subresource answers for Services whose
// selector matches a Ready Pod (`serviceProxy` decides the answer); deleting an object that has
// finalizers sets `deletionTimestamp` and removes it after `finalizerDelayMs` (the controller that
// would clear the finalizers); deleting a Namespace deletes its objects.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { KubeRef } from '../../src/adapters/kube.js';
import type { KubeObject } from '../../src/render/manifests.js';

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
}

/** The kinds the double serves (CONTRACTS §2 plus Services, Deployments, Pods, PersistentVolumeClaims, Roles, RoleBindings). */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
  },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true },
  {
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    singular: 'configmap',
    namespaced: true,
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    singular: 'service',
    namespaced: true,
    shortNames: ['svc'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
  },
  {
    // User home directories (KubeSpawner's claim-<user>); deploy-hub's uninstall must leave them.
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    namespaced: true,
    shortNames: ['pvc'],
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
  },
  // RBAC (rbac.authorization.k8s.io/v1, Kubernetes API reference "Role v1" / "RoleBinding v1"):
  // deploy-hub's health token reader (src/render/health-reader.ts).
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    plural: 'roles',
    singular: 'role',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    singular: 'rolebinding',
    namespaced: true,
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    plural: 'ingresses',
    singular: 'ingress',
    namespaced: true,
    shortNames: ['ing'],
  },
  {
    group: 'cloud.google.com',
    version: 'v1',
    kind: 'BackendConfig',
    plural: 'backendconfigs',
    singular: 'backendconfig',
    namespaced: true,
    shortNames: ['bc'],
  },
  {
    group: 'networking.gke.io',
    version: 'v1beta1',
    kind: 'FrontendConfig',
    plural: 'frontendconfigs',
    singular: 'frontendconfig',
    namespaced: true,
  },
  {
    group: 'networking.gke.io',
    version: 'v1',
    kind: 'ManagedCertificate',
    plural: 'managedcertificates',
    singular: 'managedcertificate',
    namespaced: true,
    shortNames: ['mcrt'],
  },
];

const SUBRESOURCES: Record<string, string[]> = {
  deployments: ['status', 'scale'],
  pods: ['status', 'log'],
  services: ['status', 'proxy'],
  ingresses: ['status'],
  managedcertificates: ['status'],
  namespaces: ['status', 'finalize'],
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  body: string;
}

export interface FaultMatch {
  /** Upper-case method; any when omitted. */
  method?: string;
  pathIncludes?: string;
  /** Only watch requests (`?watch=true`) when true; only non-watch requests when false. */
  watch?: boolean;
}

/**
 * Faults for requests that match, each for `times` requests: an HTTP status answered as a
 * Kubernetes `Status` with its reason (409 Conflict, 429 TooManyRequests, 500 InternalError, 403
 * Forbidden, …), a delay before the normal answer, a reset connection, or a watch that is cut after
 * n events (once unless `times` says more).
 */
export type Fault =
  | {
      status: number;
      times: number;
      match?: FaultMatch;
      message?: string;
      retryAfterSeconds?: number;
    }
  | { delayMs: number; times: number; match?: FaultMatch }
  | { resetConnection: true; times: number; match?: FaultMatch }
  | { dropWatchAfterEvents: number; times?: number; match?: FaultMatch };

/** What the Service proxy answers: status and body. */
export interface ProxyAnswer {
  status: number;
  body: string;
  contentType?: string;
}
export type ServiceProxyHandler = (req: {
  namespace: string;
  service: string;
  port: string;
  path: string;
  /** Ready Pods the Service's selector matches (its endpoints). */
  readyPods: KubeObject[];
  /** Every Ready Pod of the namespace. */
  namespaceReadyPods: KubeObject[];
}) => ProxyAnswer;

export type RequestHook = (req: RecordedRequest, double: KubeApiDouble) => void;

export interface KubeApiDouble {
  url: string;
  kubeconfigPath: string;
  /** A kubectl discovery cache directory private to this double (set KUBECACHEDIR to it). */
  cacheDir: string;
  requests: RecordedRequest[];
  put(object: KubeObject): void;
  getObject(ref: KubeRef): KubeObject | undefined;
  /** Every object of a kind (optionally in one namespace), sorted by namespace and name. */
  listObjects(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  setStatus(ref: KubeRef, status: unknown): void;
  remove(ref: KubeRef): void;
  inject(fault: Fault): void;
  /** Called after each request is answered (e.g. a test's controller). */
  onRequest(hook: RequestHook): void;
  /** What `…/services/<svc>:<port>/proxy/<path>` answers; the default is described below. */
  serviceProxy: ServiceProxyHandler;
  close(): Promise<void>;
}

export interface KubeApiDoubleOptions {
  /** How long an object with finalizers stays soft-deleted (deletionTimestamp set). Default 0. */
  finalizerDelayMs?: number;
}

interface Managed {
  manager: string;
  apiVersion: string;
  time: string;
  leaves: Set<string>;
}
interface Stored {
  type: ResourceType;
  object: KubeObject;
  managers: Managed[];
}
interface Event {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  type_: ResourceType;
  object: KubeObject;
}
interface Watcher {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  labelSelector: string | undefined;
  res: ServerResponse;
  sent: number;
  dropAfter: number | undefined;
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

function findType(apiVersion: string, kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  if (type === undefined) throw new Error(`kube-api-double: no resource type ${apiVersion} ${kind}`);
  return type;
}

const keyOf = (type: ResourceType, ns: string | undefined, name: string): string =>
  `${apiVersionOf(type)}|${type.kind}|${type.namespaced ? (ns ?? '') : ''}|${name}`;

/** Leaf paths of a map, JSON-encoded segment arrays so any key is safe. */
function leaves(value: Json, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = [...prefix, k];
    if (isMap(v) && Object.keys(v).length > 0) out.push(...leaves(v, path));
    else out.push(JSON.stringify(path));
  }
  return out;
}
function getPath(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}
function setPath(obj: Json, path: string[], value: unknown): void {
  let cur = obj;
  for (const seg of path.slice(0, -1)) {
    if (!isMap(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Json;
  }
  cur[path[path.length - 1] as string] = clone(value);
}
function deletePath(obj: Json, path: string[]): void {
  const parents: Json[] = [];
  let cur: unknown = obj;
  for (const seg of path.slice(0, -1)) {
    if (!isMap(cur)) return;
    parents.push(cur);
    cur = cur[seg];
  }
  if (!isMap(cur)) return;
  delete cur[path[path.length - 1] as string];
  // Drop maps the removal left empty, as an apply that removes the last label drops `labels`.
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = parents[i] as Json;
    const child = parent[path[i] as string];
    if (isMap(child) && Object.keys(child).length === 0 && i > 0) delete parent[path[i] as string];
    else break;
  }
}
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Json = isMap(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
/** fieldsV1 as the API server writes it: `{"f:metadata":{"f:labels":{"f:a":{}}}}`. */
function fieldsV1(set: Set<string>): Json {
  const root: Json = {};
  for (const leaf of [...set].sort()) {
    let cur = root;
    for (const seg of JSON.parse(leaf) as string[]) {
      const k = `f:${seg}`;
      if (!isMap(cur[k])) cur[k] = {};
      cur = cur[k] as Json;
    }
  }
  return root;
}
/** The part of an object that generation tracks: everything but metadata and status. */
function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
}
function matchesLabels(obj: KubeObject, selector: string | undefined): boolean {
  if (selector === undefined || selector === '') return true;
  const labels = obj.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const t = term.trim();
    let m = /^([^!=]+)!=(.*)$/.exec(t);
    if (m) return labels[(m[1] as string).trim()] !== (m[2] as string).trim();
    m = /^([^=]+)==?(.*)$/.exec(t);
    if (m) return labels[(m[1] as string).trim()] === (m[2] as string).trim();
    if (t.startsWith('!')) return !(t.slice(1) in labels);
    return t in labels;
  });
}
function podReady(pod: KubeObject): boolean {
  const conditions = getPath(pod, ['status', 'conditions']);
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isMap(c) && c.type === 'Ready' && c.status === 'True') &&
    getPath(pod, ['metadata', 'deletionTimestamp']) === undefined
  );
}

/**
 * The default Service proxy: 503 "no endpoints available" unless a Ready Pod matches the Service's
 * selector; then `/hub/health` answers 200 when a Ready hub Pod (`component: hub`) also runs in
 * the namespace, as z2jh's proxy forwards it to the hub, and anything else 404.
 */
export const defaultServiceProxy: ServiceProxyHandler = ({
  service,
  readyPods,
  namespaceReadyPods,
  path,
}) => {
  if (readyPods.length === 0) {
    return { status: 503, body: `no endpoints available for service "${service}"` };
  }
  if (path === '/hub/health') {
    const hubReady = namespaceReadyPods.some((p) => p.metadata.labels?.component === 'hub');
    return hubReady
      ? { status: 200, body: '', contentType: 'text/plain' }
      : { status: 503, body: '503 Service Unavailable: the hub is not running', contentType: 'text/html' };
  }
  return { status: 404, body: `404 page not found: ${path}` };
};

function status(code: number, reason: string, message: string, details?: Json): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
const REASONS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export async function startKubeApiDouble(opts: KubeApiDoubleOptions = {}): Promise<KubeApiDouble> {
  const store = new Map<string, Stored>();
  const events: Event[] = [];
  const watchers = new Set<Watcher>();
  const faults: (Fault & { left: number })[] = [];
  const hooks: RequestHook[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let rv = 100;
  const dir = mkdtempSync(join(tmpdir(), 'kube-api-double-'));

  const nextRv = (): string => String(++rv);
  const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

  function publicObject(s: Stored): KubeObject {
    const o = clone(s.object);
    if (s.managers.length > 0) {
      (o.metadata as unknown as Json).managedFields = s.managers.map((m) => ({
        manager: m.manager,
        operation: 'Apply',
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: 'FieldsV1',
        fieldsV1: fieldsV1(m.leaves),
      }));
    }
    return o;
  }

  function emit(type: Event['type'], s: Stored): void {
    const object = publicObject(s);
    const ev: Event = { rv, type, type_: s.type, object };
    events.push(ev);
    for (const w of watchers) sendEvent(w, ev);
  }

  function watcherMatches(w: Watcher, type: ResourceType, o: KubeObject): boolean {
    return (
      w.type === type &&
      (w.namespace === undefined || o.metadata.namespace === w.namespace) &&
      (w.name === undefined || o.metadata.name === w.name) &&
      matchesLabels(o, w.labelSelector)
    );
  }

  function sendEvent(
    w: Watcher,
    ev: Event | { type: 'ADDED'; type_: ResourceType; object: KubeObject },
  ): void {
    if (!watcherMatches(w, ev.type_, ev.object)) return;
    w.sent += 1;
    const drop = w.dropAfter !== undefined && w.sent >= w.dropAfter;
    if (drop) watchers.delete(w);
    w.res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`, () => {
      // A dropped watch: the connection ends mid-stream (no final chunk), as an idle cut does.
      if (drop) w.res.socket?.destroy();
    });
  }

  function write(
    type: ResourceType,
    next: KubeObject,
    managers: Managed[],
    existing: Stored | undefined,
  ): Stored {
    const ns = next.metadata.namespace;
    const key = keyOf(type, ns, next.metadata.name);
    if (existing === undefined) {
      const m = next.metadata as unknown as Json;
      m.uid = randomUUID();
      m.creationTimestamp = now();
      m.generation = 1;
      m.resourceVersion = nextRv();
      const s: Stored = { type, object: next, managers };
      store.set(key, s);
      emit('ADDED', s);
      return s;
    }
    const before = publicObject(existing);
    const prevMeta = existing.object.metadata as unknown as Json;
    const m = next.metadata as unknown as Json;
    for (const k of ['uid', 'creationTimestamp', 'generation', 'resourceVersion', 'deletionTimestamp']) {
      if (prevMeta[k] !== undefined) m[k] = prevMeta[k];
      else delete m[k];
    }
    const candidate: Stored = { type, object: next, managers };
    const sameManagers =
      JSON.stringify(existing.managers.map((x) => [x.manager, [...x.leaves].sort()])) ===
      JSON.stringify(managers.map((x) => [x.manager, [...x.leaves].sort()]));
    if (
      JSON.stringify(withoutTimes(publicObject(candidate))) === JSON.stringify(withoutTimes(before)) &&
      sameManagers
    ) {
      return existing; // no-op write: same resourceVersion, no event
    }
    if (specPart(existing.object) !== specPart(next)) m.generation = Number(prevMeta.generation ?? 1) + 1;
    m.resourceVersion = nextRv();
    store.set(key, candidate);
    emit('MODIFIED', candidate);
    return candidate;
  }

  function withoutTimes(o: KubeObject): KubeObject {
    const c = clone(o);
    const mf = (c.metadata as unknown as Json).managedFields;
    if (Array.isArray(mf)) for (const e of mf) if (isMap(e)) delete e.time;
    return c;
  }

  function removeStored(s: Stored): void {
    const key = keyOf(s.type, s.object.metadata.namespace, s.object.metadata.name);
    if (!store.has(key)) return;
    store.delete(key);
    (s.object.metadata as unknown as Json).resourceVersion = nextRv();
    emit('DELETED', s);
    if (s.type.kind === 'Namespace') {
      for (const other of [...store.values()]) {
        if (other.type.namespaced && other.object.metadata.namespace === s.object.metadata.name)
          removeStored(other);
      }
    }
  }

  function deleteStored(s: Stored): void {
    const finalizers = getPath(s.object, ['metadata', 'finalizers']);
    const hasFinalizers = Array.isArray(finalizers) && finalizers.length > 0;
    if (!hasFinalizers || !opts.finalizerDelayMs) {
      removeStored(s);
      return;
    }
    if (getPath(s.object, ['metadata', 'deletionTimestamp']) !== undefined) return;
    const next = clone(s.object);
    (next.metadata as unknown as Json).deletionTimestamp = now();
    const key = keyOf(s.type, next.metadata.namespace, next.metadata.name);
    (next.metadata as unknown as Json).resourceVersion = nextRv();
    const soft: Stored = { type: s.type, object: next, managers: s.managers };
    store.set(key, soft);
    emit('MODIFIED', soft);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const current = store.get(key);
      if (current !== undefined) removeStored(current);
    }, opts.finalizerDelayMs);
    timers.add(timer);
  }

  /** Server-side apply by `manager` (the rules at the top of this file). */
  function apply(
    type: ResourceType,
    ns: string | undefined,
    name: string,
    config: KubeObject,
    manager: string,
    force: boolean,
  ): { code: number; body: Json } {
    const key = keyOf(type, ns, name);
    const existing = store.get(key);
    const cfg = clone(config) as Json;
    delete cfg.status;
    const meta = isMap(cfg.metadata) ? cfg.metadata : {};
    for (const k of [
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'managedFields',
      'deletionTimestamp',
    ])
      delete meta[k];
    meta.name = name;
    if (type.namespaced) meta.namespace = ns;
    cfg.metadata = meta;
    foldStringData(type, cfg);
    const applied = new Set(leaves(cfg).filter((l) => !['["apiVersion"]', '["kind"]'].includes(l)));
    const live = (
      existing
        ? clone(existing.object)
        : { apiVersion: apiVersionOf(type), kind: type.kind, metadata: { name } }
    ) as Json;
    const others = (existing?.managers ?? [])
      .filter((m) => m.manager !== manager)
      .map((m) => ({ ...m, leaves: new Set(m.leaves) }));
    const mine = existing?.managers.find((m) => m.manager === manager);

    const conflicts: Json[] = [];
    for (const leaf of applied) {
      const path = JSON.parse(leaf) as string[];
      for (const other of others) {
        if (
          other.leaves.has(leaf) &&
          JSON.stringify(getPath(live, path)) !== JSON.stringify(getPath(cfg, path))
        ) {
          if (force) other.leaves.delete(leaf);
          else
            conflicts.push({
              type: 'FieldManagerConflict',
              message: `conflict with "${other.manager}"`,
              field: `.${path.join('.')}`,
            });
        }
      }
    }
    if (conflicts.length > 0) {
      const fields = conflicts.map((c) => `- ${String(c.message)}: ${String(c.field)}`).join('\n');
      return {
        code: 409,
        body: status(
          409,
          'Conflict',
          `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${fields}`,
          {
            name,
            kind: type.plural,
            causes: conflicts,
          },
        ),
      };
    }
    for (const leaf of mine?.leaves ?? []) {
      if (applied.has(leaf) || others.some((o) => o.leaves.has(leaf))) continue;
      deletePath(live, JSON.parse(leaf) as string[]);
    }
    for (const leaf of applied) {
      const path = JSON.parse(leaf) as string[];
      setPath(live, path, getPath(cfg, path));
    }
    live.apiVersion = apiVersionOf(type);
    live.kind = type.kind;
    const managers = [
      ...(existing?.managers ?? [])
        .map((m) => (m.manager === manager ? undefined : others.find((o) => o.manager === m.manager)))
        .filter((m): m is Managed => m !== undefined && m.leaves.size > 0),
    ];
    const prevTime =
      mine && [...mine.leaves].sort().join() === [...applied].sort().join() ? mine.time : now();
    const entry: Managed = { manager, apiVersion: apiVersionOf(type), time: prevTime, leaves: applied };
    const at = existing?.managers.findIndex((m) => m.manager === manager) ?? -1;
    if (at >= 0) managers.splice(Math.min(at, managers.length), 0, entry);
    else managers.push(entry);
    const s = write(type, live as KubeObject, managers, existing);
    return { code: existing ? 200 : 201, body: publicObject(s) };
  }

  function foldStringData(type: ResourceType, obj: Json): void {
    if (type.kind !== 'Secret' || !isMap(obj.stringData)) return;
    const data = isMap(obj.data) ? obj.data : {};
    for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    obj.data = data;
    delete obj.stringData;
  }

  function takeFault(req: RecordedRequest, isWatch: boolean): (Fault & { left: number }) | undefined {
    for (const f of faults) {
      if (f.left <= 0) continue;
      const m = f.match ?? {};
      if (m.method !== undefined && m.method !== req.method) continue;
      if (m.pathIncludes !== undefined && !req.path.includes(m.pathIncludes)) continue;
      if (m.watch !== undefined && m.watch !== isWatch) continue;
      if ('dropWatchAfterEvents' in f && !isWatch) continue;
      f.left -= 1;
      return f;
    }
    return undefined;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '',
      body,
    };
    double.requests.push(recorded);
    const isWatch = recorded.query.watch === 'true' || recorded.query.watch === '1';
    let fault = takeFault(recorded, isWatch);
    while (fault !== undefined && 'delayMs' in fault) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(
          () => {
            timers.delete(t);
            resolve();
          },
          fault && 'delayMs' in fault ? fault.delayMs : 0,
        );
        timers.add(t);
      });
      fault = takeFault(recorded, isWatch);
    }
    try {
      if (fault !== undefined && 'resetConnection' in fault) {
        req.socket.destroy();
        return;
      }
      if (fault !== undefined && 'status' in fault) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        const reason = REASONS[fault.status] ?? 'Unknown';
        res
          .writeHead(fault.status, headers)
          .end(
            JSON.stringify(
              status(fault.status, reason, fault.message ?? `injected ${fault.status} ${reason}`),
            ),
          );
        return;
      }
      route(
        recorded,
        res,
        isWatch,
        fault !== undefined && 'dropWatchAfterEvents' in fault ? fault.dropWatchAfterEvents : undefined,
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status(500, 'InternalError', `kube-api-double: ${message}`)));
    } finally {
      for (const hook of hooks) hook(recorded, double);
    }
  }

  function sendJson(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  function discovery(path: string, res: ServerResponse): boolean {
    if (path === '/version') {
      sendJson(res, 200, {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-kube-api-double',
        platform: 'linux/amd64',
      });
      return true;
    }
    if (path === '/api') {
      sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: double.url.replace(/^https?:\/\//, '') },
        ],
      });
      return true;
    }
    if (path === '/apis') {
      const groups = new Map<string, string[]>();
      for (const t of RESOURCE_TYPES) {
        if (t.group === '') continue;
        const vs = groups.get(t.group) ?? [];
        if (!vs.includes(t.version)) vs.push(t.version);
        groups.set(t.group, vs);
      }
      sendJson(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0] as string}`, version: versions[0] },
        })),
      });
      return true;
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/?$/.exec(path);
    if (m) {
      const group = m[2] ?? '';
      const version = m[1] ?? m[3] ?? '';
      const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
      if (types.length === 0) {
        sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
        return true;
      }
      const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
      sendJson(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group === '' ? version : `${group}/${version}`,
        resources: types.flatMap((t) => [
          {
            name: t.plural,
            singularName: t.singular,
            namespaced: t.namespaced,
            kind: t.kind,
            verbs,
            ...(t.shortNames ? { shortNames: t.shortNames } : {}),
          },
          ...(SUBRESOURCES[t.plural] ?? []).map((sub) => ({
            name: `${t.plural}/${sub}`,
            singularName: '',
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['get', 'patch', 'update'],
          })),
        ]),
      });
      return true;
    }
    return false;
  }

  function route(
    r: RecordedRequest,
    res: ServerResponse,
    isWatch: boolean,
    dropAfter: number | undefined,
  ): void {
    if (r.method === 'GET' && discovery(r.path, res)) return;
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?(\/.*)?$/.exec(
        r.path,
      );
    if (!m) {
      sendJson(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      return;
    }
    const group = m[2] ?? '';
    const version = m[1] ?? m[3] ?? '';
    let ns = m[4];
    let plural = m[5] as string;
    let name = m[6];
    let sub = m[7];
    const rest = m[8];
    if (
      group === '' &&
      ns !== undefined &&
      !RESOURCE_TYPES.some((t) => t.group === '' && t.plural === plural)
    ) {
      // /api/v1/namespaces/<ns>/<sub> (e.g. /status, /finalize) addresses the Namespace
      sub = plural;
      plural = 'namespaces';
      name = ns;
      ns = undefined;
    }
    if (ns !== undefined && r.path === `/api/v1/namespaces/${ns}`) {
      plural = 'namespaces';
      name = ns;
      ns = undefined;
    }
    const type = RESOURCE_TYPES.find(
      (t) => t.group === group && t.version === version && t.plural === plural,
    );
    if (type === undefined) {
      sendJson(
        res,
        404,
        status(404, 'NotFound', `the server could not find the requested resource (${r.method} ${plural})`),
      );
      return;
    }
    if (sub === 'proxy' && type.kind === 'Service' && ns !== undefined && name !== undefined) {
      serviceProxy(ns, name, rest ?? '/', res);
      return;
    }
    const collection = name === undefined;
    if (r.method === 'GET' && collection) {
      const namespace = type.namespaced ? ns : undefined;
      const fieldName = /(?:^|,)metadata\.name=([^,]+)/.exec(r.query.fieldSelector ?? '')?.[1];
      const labelSelector = r.query.labelSelector;
      const items = [...store.values()]
        .filter(
          (s) => s.type === type && (namespace === undefined || s.object.metadata.namespace === namespace),
        )
        .filter((s) => fieldName === undefined || s.object.metadata.name === fieldName)
        .filter((s) => matchesLabels(s.object, labelSelector))
        .sort((a, b) =>
          `${a.object.metadata.namespace ?? ''}/${a.object.metadata.name}`.localeCompare(
            `${b.object.metadata.namespace ?? ''}/${b.object.metadata.name}`,
          ),
        );
      if (isWatch) {
        startWatch(res, type, namespace, fieldName, labelSelector, r.query.resourceVersion, dropAfter, items);
        return;
      }
      sendJson(res, 200, {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(rv) },
        items: items.map(publicObject),
      });
      return;
    }
    if (collection && r.method === 'POST') {
      const obj = parseBody(r) as KubeObject;
      if (store.has(keyOf(type, ns, obj.metadata.name))) {
        sendJson(
          res,
          409,
          status(409, 'AlreadyExists', `${type.plural} "${obj.metadata.name}" already exists`),
        );
        return;
      }
      if (type.namespaced && ns !== undefined) obj.metadata.namespace = ns;
      foldStringData(type, obj);
      sendJson(res, 201, publicObject(write(type, obj, [], undefined)));
      return;
    }
    if (collection) {
      sendJson(
        res,
        405,
        status(405, 'MethodNotAllowed', `${r.method} on a collection is not supported by the double`),
      );
      return;
    }
    const key = keyOf(type, ns, name as string);
    const existing = store.get(key);
    if (
      type.namespaced &&
      ns !== undefined &&
      !store.has(keyOf(findType('v1', 'Namespace'), undefined, ns)) &&
      r.method === 'PATCH' &&
      existing === undefined
    ) {
      sendJson(
        res,
        404,
        status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' }),
      );
      return;
    }
    const notFound = (): void =>
      sendJson(
        res,
        404,
        status(
          404,
          'NotFound',
          `${type.plural}${type.group ? `.${type.group}` : ''} "${name as string}" not found`,
          { name, group: type.group, kind: type.plural },
        ),
      );

    switch (r.method) {
      case 'GET':
        if (existing === undefined) return notFound();
        sendJson(res, 200, publicObject(existing));
        return;
      case 'DELETE':
        if (existing === undefined) return notFound();
        deleteStored(existing);
        sendJson(
          res,
          200,
          store.has(key)
            ? publicObject(store.get(key) as Stored)
            : {
                kind: 'Status',
                apiVersion: 'v1',
                metadata: {},
                status: 'Success',
                details: {
                  name,
                  group: type.group,
                  kind: type.plural,
                  uid: existing.object.metadata && (existing.object.metadata as unknown as Json).uid,
                },
              },
        );
        return;
      case 'PUT': {
        const obj = parseBody(r) as KubeObject;
        if (existing === undefined) return notFound();
        if (sub === 'status') {
          const next = clone(existing.object);
          next.status = obj.status;
          sendJson(res, 200, publicObject(write(type, next, existing.managers, existing)));
          return;
        }
        obj.status = existing.object.status;
        foldStringData(type, obj);
        sendJson(res, 200, publicObject(write(type, obj, existing.managers, existing)));
        return;
      }
      case 'PATCH': {
        if (r.contentType === 'application/apply-patch+yaml') {
          if (r.query.fieldManager === undefined || r.query.fieldManager === '') {
            sendJson(res, 422, status(422, 'Invalid', 'PATCH: fieldManager is required for apply requests'));
            return;
          }
          const cfg = parseBody(r) as KubeObject;
          if (!isMap(cfg) || cfg.kind !== type.kind || cfg.apiVersion !== apiVersionOf(type)) {
            sendJson(
              res,
              400,
              status(400, 'BadRequest', `apply body is not a ${apiVersionOf(type)} ${type.kind}`),
            );
            return;
          }
          if (sub === 'status') {
            sendJson(
              res,
              415,
              status(415, 'UnsupportedMediaType', 'the double applies status through merge patches only'),
            );
            return;
          }
          const out = apply(type, ns, name as string, cfg, r.query.fieldManager, r.query.force === 'true');
          sendJson(res, out.code, out.body);
          return;
        }
        if (
          r.contentType === 'application/merge-patch+json' ||
          r.contentType === 'application/strategic-merge-patch+json'
        ) {
          if (existing === undefined) return notFound();
          const patch = parseBody(r) as Json;
          let next = clone(existing.object);
          if (sub === 'status') next.status = mergePatch(next.status, patch.status);
          else {
            const { status: _ignored, ...rest } = patch;
            next = mergePatch(next, rest) as KubeObject;
          }
          sendJson(res, 200, publicObject(write(type, next, existing.managers, existing)));
          return;
        }
        sendJson(
          res,
          415,
          status(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml, application/merge-patch+json`,
          ),
        );
        return;
      }
      default:
        sendJson(res, 405, status(405, 'MethodNotAllowed', `${r.method} is not supported`));
    }
  }

  function parseBody(r: RecordedRequest): unknown {
    return r.contentType.includes('yaml') ? parseYaml(r.body) : JSON.parse(r.body === '' ? '{}' : r.body);
  }

  function startWatch(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    name: string | undefined,
    labelSelector: string | undefined,
    fromRv: string | undefined,
    dropAfter: number | undefined,
    current: Stored[],
  ): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: Watcher = { type, namespace, name, labelSelector, res, sent: 0, dropAfter };
    watchers.add(w);
    res.on('close', () => watchers.delete(w));
    if (fromRv === undefined || fromRv === '' || fromRv === '0') {
      // No resourceVersion: the current state as ADDED events, then changes (watch semantics).
      for (const s of current)
        if (watchers.has(w)) sendEvent(w, { type: 'ADDED', type_: type, object: publicObject(s) });
    } else {
      const from = Number(fromRv);
      for (const ev of events) if (ev.rv > from && watchers.has(w)) sendEvent(w, ev);
    }
  }

  function serviceProxy(ns: string, service: string, path: string, res: ServerResponse): void {
    const [svcName, port = ''] = service.split(':');
    const svc = store.get(keyOf(findType('v1', 'Service'), ns, svcName as string));
    if (svc === undefined) {
      sendJson(res, 404, status(404, 'NotFound', `services "${svcName as string}" not found`));
      return;
    }
    const selector = getPath(svc.object, ['spec', 'selector']);
    const selectorText = isMap(selector)
      ? Object.entries(selector)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',')
      : undefined;
    const namespaceReadyPods = [...store.values()]
      .filter((s) => s.type.kind === 'Pod' && s.object.metadata.namespace === ns && podReady(s.object))
      .map(publicObject);
    const readyPods = namespaceReadyPods.filter(
      (p) => selectorText !== undefined && selectorText !== '' && matchesLabels(p, selectorText),
    );
    const answer = double.serviceProxy({
      namespace: ns,
      service: svcName as string,
      port,
      path,
      readyPods,
      namespaceReadyPods,
    });
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain' }).end(answer.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: double`,
      `  cluster: {server: "${url}"}`,
      'users:',
      `- name: tester`,
      `  user: {token: double-token}`,
      'contexts:',
      `- name: double`,
      `  context: {cluster: double, user: tester, namespace: default}`,
      'current-context: double',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );

  const double: KubeApiDouble = {
    url,
    kubeconfigPath,
    cacheDir: join(dir, 'cache'),
    requests: [],
    put(object) {
      const type = findType(object.apiVersion, object.kind);
      const existing = store.get(keyOf(type, object.metadata.namespace, object.metadata.name));
      const next = clone(object);
      foldStringData(type, next);
      write(type, next, existing?.managers ?? [], existing);
    },
    getObject(ref) {
      const type = findType(ref.apiVersion, ref.kind);
      const s = store.get(keyOf(type, ref.namespace, ref.name));
      return s === undefined ? undefined : publicObject(s);
    },
    listObjects(apiVersion, kind, namespace) {
      const type = findType(apiVersion, kind);
      return [...store.values()]
        .filter(
          (s) => s.type === type && (namespace === undefined || s.object.metadata.namespace === namespace),
        )
        .map(publicObject)
        .sort((a, b) =>
          `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
            `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
          ),
        );
    },
    setStatus(ref, newStatus) {
      const type = findType(ref.apiVersion, ref.kind);
      const s = store.get(keyOf(type, ref.namespace, ref.name));
      if (s === undefined)
        throw new Error(
          `kube-api-double: setStatus on missing ${ref.kind} ${ref.namespace ?? ''}/${ref.name}`,
        );
      const next = clone(s.object);
      next.status = clone(newStatus);
      write(type, next, s.managers, s);
    },
    remove(ref) {
      const type = findType(ref.apiVersion, ref.kind);
      const s = store.get(keyOf(type, ref.namespace, ref.name));
      if (s !== undefined) removeStored(s);
    },
    inject(fault) {
      faults.push({ ...fault, left: 'times' in fault && fault.times !== undefined ? fault.times : 1 });
    },
    onRequest(hook) {
      hooks.push(hook);
    },
    serviceProxy: defaultServiceProxy,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const w of watchers) w.res.end();
      watchers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return double;
}
