// The Kubernetes adapter: the only place that talks to a cluster. It drives the real kubectl, so
// whatever kubectl handles itself works unchanged on a runner: exec credential plugins
// (gke-gcloud-auth-plugin, aws eks get-token), `proxy-url` in the kubeconfig and HTTPS_PROXY for a
// bastion. @kubernetes/client-node would bundle to about 20 MB per action and re-implement those.
//
// Every object goes to kubectl through stdin (`-f -`), never a file: the Secret's data in
// particular never touches the disk or the log (docs/decisions/0012-server-side-apply-through-kubectl.md).
import { spawn } from 'node:child_process';
import { getExecOutput } from '@actions/exec';
import { childEnv } from './child-env.js';
import { HubfleetError } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { backoffDelay, waitFitsBudget } from '../retry/backoff.js';
import { JsonStreamSplitter } from './json-stream.js';
import { RETRYABLE, classifyKubectlError, kubectlErrorText, type KubeFailureKind } from './kube-errors.js';

export interface KubeRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';
export interface ApplyResult {
  ref: KubeRef;
  outcome: ApplyOutcome;
  /** The object as the server has it after the apply; for a Secret without `data`/`stringData`. */
  object: KubeObject;
}
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}
export interface WatchOptions {
  signal?: AbortSignal;
  resourceVersion?: string;
}

export interface KubeClient {
  /** kubectl present and the API server answers; clear HubfleetError otherwise. */
  preflight(): Promise<void>;
  /** Server-side apply, --field-manager=hubfleet, one object at a time in the given order. */
  apply(object: KubeObject): Promise<ApplyResult>;
  /** Same, but the manifest goes through stdin and is never written to disk or logged. */
  applySecret(secret: KubeObject): Promise<ApplyResult>;
  /** undefined when the object does not exist (404). */
  get(ref: KubeRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  /** 'absent' when it was already gone. Does not wait for finalizers unless wait is true. */
  delete(ref: KubeRef, opts?: { wait?: boolean; timeoutMs?: number }): Promise<'deleted' | 'absent'>;
  /** A watch of one object, parsed as a stream of events. Ends when the watch connection drops
   * (the caller reconnects with the last resourceVersion) or on abort. */
  watch(ref: KubeRef, opts?: WatchOptions): AsyncIterable<WatchEvent>;
  /** GET of a raw API path (e.g. a Service proxy URL) through kubectl; the body and HTTP outcome. */
  getRaw(path: string): Promise<RawResult>;
}

export type RawResult = { ok: true; body: string } | { ok: false; kind: KubeFailureKind; message: string };

export interface KubeClientOptions {
  kubectl?: string;
  kubeconfig?: string;
  context?: string;
  retry?: { budgetMs: number; baseMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  log?: (line: string) => void;
  /** Extra environment for kubectl, over the process environment (e.g. KUBECACHEDIR, HTTPS_PROXY). */
  env?: Record<string, string>;
}

export const FIELD_MANAGER = 'hubfleet';
const DEFAULT_RETRY = { budgetMs: 90_000, baseMs: 500, maxMs: 10_000 };
/** Per kubectl run; a hung connection must not hold the runner until the job timeout. */
const REQUEST_TIMEOUT = '60s';

/** `Kind ns/name` (or `Kind name` for cluster-scoped objects), as every message names an object. */
export function describeRef(ref: KubeRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
}

export function refOf(object: KubeObject): KubeRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace === undefined ? {} : { namespace: object.metadata.namespace }),
  };
}

/** kubectl's fully qualified type argument, `Kind.version.group` (core group: `Kind.v1.`). */
export function typeArg(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `${kind}.${version ?? ''}.${group ?? ''}`;
}

/**
 * The REST resource name of a kind: the known ones, else the guess Kubernetes itself documents
 * (meta.UnsafeGuessKindToResource: lowercase, `s`, `es` after s/x/z/ch/sh, `ies` after a consonant + y).
 */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (
    lower.endsWith('s') ||
    lower.endsWith('x') ||
    lower.endsWith('z') ||
    lower.endsWith('ch') ||
    lower.endsWith('sh')
  ) {
    return `${lower}es`;
  }
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The API path of a collection, e.g. `/apis/networking.gke.io/v1/namespaces/ocean/managedcertificates`. */
export function collectionPath(apiVersion: string, kind: string, namespace?: string): string {
  const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${ns}/${pluralOf(kind)}`;
}

const HINTS: Record<KubeFailureKind, (verb: string, what: string) => string> = {
  'not-found': (_verb, what) =>
    `${what} or its namespace does not exist; apply the Namespace first, or check the name`,
  conflict: () => 'another writer changed the object at the same moment; re-run the job',
  throttled: () => 'the API server is throttling requests; re-run the job later',
  server: () => 'the API server failed; check the cluster control plane status, then re-run the job',
  connection: () =>
    'kubectl cannot reach the API server: on a private cluster run on the in-VPC runner, check the kubeconfig (get-credentials --internal-ip) and HTTPS_PROXY, then re-run',
  forbidden: (verb, what) =>
    `grant the deployer identity RBAC to ${verb} ${what.split(' ')[0] ?? ''} objects (GKE: roles/container.developer or a RoleBinding; EKS: an access entry), then re-run`,
  unauthorized: () =>
    'the API server rejected the credentials: check the auth step and the kubeconfig user (gke-gcloud-auth-plugin / aws eks get-token)',
  invalid: () =>
    'the object was rejected as invalid; check the hub config and the rendered manifest (hubfleet render)',
  'no-such-kind': (_verb, what) =>
    `the cluster does not serve ${what.split(' ')[0] ?? 'this kind'}: is it the right cluster (GKE kinds need GKE), and is the CRD installed?`,
  timeout: (_verb, what) =>
    `${what} did not finish in time; check its finalizers and the controller that owns them`,
  unknown: () => 'read the kubectl message above; re-run the job once the cause is fixed',
};

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function createKubeClient(opts: KubeClientOptions = {}): KubeClient {
  const kubectl = opts.kubectl ?? 'kubectl';
  const retry = opts.retry ?? DEFAULT_RETRY;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  const log = opts.log ?? (() => undefined);
  // Without the action's inputs and the runner's tokens (child-env.ts): exec credential plugins
  // (gke-gcloud-auth-plugin, aws eks get-token) run in kubectl's environment.
  const env = childEnv(process.env, opts.env);
  const globalArgs = [
    ...(opts.kubeconfig === undefined ? [] : [`--kubeconfig=${opts.kubeconfig}`]),
    ...(opts.context === undefined ? [] : [`--context=${opts.context}`]),
  ];

  async function runOnce(args: string[], input?: string): Promise<RunResult> {
    try {
      const out = await getExecOutput(kubectl, [...globalArgs, ...args], {
        silent: true, // never echo the command line or the output: a Secret's data may be in it
        ignoreReturnCode: true,
        env,
        ...(input === undefined ? {} : { input: Buffer.from(input) }),
      });
      return { code: out.exitCode, stdout: out.stdout, stderr: out.stderr };
    } catch (e) {
      throw missingKubectl(kubectl, e);
    }
  }

  /** Runs kubectl, retrying the retryable failures with full-jitter backoff inside the budget. */
  async function run(
    args: string[],
    what: { verb: string; object: string; input?: string; scrub?: string[]; accept?: KubeFailureKind[] },
  ): Promise<RunResult & { kind?: KubeFailureKind }> {
    let spent = 0;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const result = await runOnce(args, what.input);
      spent += Date.now() - started;
      if (result.code === 0) return result;
      const stderr = scrub(result.stderr, what.scrub ?? []);
      const kind = classifyKubectlError(stderr);
      if (what.accept?.includes(kind)) return { ...result, stderr, kind };
      const wait = backoffDelay({ baseMs: retry.baseMs, maxMs: retry.maxMs, random }, attempt);
      if (
        RETRYABLE.has(kind) &&
        waitFitsBudget({ budgetMs: retry.budgetMs, spentMs: spent, waitMs: wait, mayStartAtEnd: true })
      ) {
        log(
          `kubectl ${what.verb} ${what.object}: ${kind} (${kubectlErrorText(stderr, 1)}); retrying in ${(wait / 1000).toFixed(1)}s (attempt ${attempt + 1})`,
        );
        await sleep(wait);
        spent += wait;
        continue;
      }
      const retried = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new HubfleetError(
        `kubectl ${what.verb} ${what.object} failed${retried}: ${kubectlErrorText(stderr)}`,
        {
          hint: HINTS[kind](what.verb, what.object),
        },
      );
    }
  }

  function parseObject(stdout: string, what: string): KubeObject {
    try {
      return JSON.parse(stdout) as KubeObject;
    } catch (e) {
      throw new HubfleetError(`kubectl printed something other than JSON for ${what}`, {
        hint: 'check that the kubectl on PATH is a real kubectl (1.28 or newer)',
        cause: e,
      });
    }
  }

  async function get(ref: KubeRef): Promise<KubeObject | undefined> {
    const out = await run(
      [
        'get',
        typeArg(ref.apiVersion, ref.kind),
        ref.name,
        ...nsArgs(ref.namespace),
        '-o',
        'json',
        // Callers decide what hubfleet owns by its field manager; kubectl drops managedFields otherwise.
        '--show-managed-fields',
        `--request-timeout=${REQUEST_TIMEOUT}`,
      ],
      {
        verb: 'get',
        object: describeRef(ref),
        accept: ['not-found'],
      },
    );
    return out.kind === 'not-found' ? undefined : parseObject(out.stdout, describeRef(ref));
  }

  async function applyObject(object: KubeObject, secret: boolean): Promise<ApplyResult> {
    const ref = refOf(object);
    const what = describeRef(ref);
    const secretValues = secret ? secretStrings(object) : [];
    const before = await get(ref);
    const out = await run(
      [
        'apply',
        '--server-side',
        `--field-manager=${FIELD_MANAGER}`,
        // hubfleet owns these objects: the config in git wins over a hand edit of the same field.
        '--force-conflicts',
        // kubectl's client-side validation downloads the OpenAPI document first; the API server
        // validates the object anyway and kubectl then asks it to ignore unknown fields.
        '--validate=false',
        '-f',
        '-',
        '-o',
        'json',
        `--request-timeout=${REQUEST_TIMEOUT}`,
      ],
      { verb: 'apply', object: what, input: JSON.stringify(object), scrub: secretValues },
    );
    const after = parseObject(out.stdout, what);
    const outcome: ApplyOutcome =
      before === undefined
        ? 'created'
        : resourceVersionOf(before) === resourceVersionOf(after)
          ? 'unchanged'
          : 'configured';
    log(`apply ${what}: ${outcome}`);
    return { ref, outcome, object: secret ? withoutSecretData(after) : after };
  }

  return {
    async preflight() {
      const out = await runOnce([...['version', '-o', 'json', `--request-timeout=20s`]]);
      if (out.code === 0) {
        const server = (JSON.parse(out.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion;
        log(`kubectl reaches the API server (Kubernetes ${server?.gitVersion ?? 'unknown version'})`);
        return;
      }
      const kind = classifyKubectlError(out.stderr);
      throw new HubfleetError(
        `kubectl cannot reach the Kubernetes API server: ${kubectlErrorText(out.stderr)}`,
        {
          hint: HINTS[kind === 'unknown' ? 'connection' : kind]('reach', 'the API server'),
        },
      );
    },
    apply: (object) => applyObject(object, false),
    async applySecret(secret) {
      if (secret.kind !== 'Secret') {
        throw new HubfleetError(`applySecret was given a ${secret.kind}, not a Secret`, {
          hint: 'use apply for other kinds',
        });
      }
      return applyObject(secret, true);
    },
    get,
    async list(apiVersion, kind, namespace, labelSelector) {
      const scope = namespace === undefined ? ['--all-namespaces'] : ['-n', namespace];
      const out = await run(
        [
          'get',
          typeArg(apiVersion, kind),
          ...scope,
          ...(labelSelector === undefined ? [] : ['-l', labelSelector]),
          '-o',
          'json',
          '--show-managed-fields',
          `--request-timeout=${REQUEST_TIMEOUT}`,
        ],
        { verb: 'list', object: `${kind} objects${namespace === undefined ? '' : ` in ${namespace}`}` },
      );
      const items =
        (parseObject(out.stdout, `${kind} list`) as unknown as { items?: KubeObject[] }).items ?? [];
      // The API server leaves apiVersion and kind off list items; callers get whole objects.
      return items.map((item) => ({ ...item, apiVersion, kind }));
    },
    async delete(ref, deleteOpts = {}) {
      const wait = deleteOpts.wait === true;
      const args = [
        'delete',
        typeArg(ref.apiVersion, ref.kind),
        ref.name,
        ...nsArgs(ref.namespace),
        `--wait=${wait}`,
      ];
      // With --wait, kubectl's own --timeout bounds the wait; a per-request timeout would cut its watch.
      if (wait) args.push(`--timeout=${Math.ceil((deleteOpts.timeoutMs ?? 300_000) / 1000)}s`);
      else args.push(`--request-timeout=${REQUEST_TIMEOUT}`);
      const out = await run(args, { verb: 'delete', object: describeRef(ref), accept: ['not-found'] });
      const result = out.kind === 'not-found' ? 'absent' : 'deleted';
      log(
        `delete ${describeRef(ref)}: ${result === 'absent' ? 'already absent' : wait ? 'deleted (gone)' : 'deletion requested'}`,
      );
      return result;
    },
    watch: (ref, watchOpts = {}) => watchObject(ref, watchOpts),
    async getRaw(path) {
      const out = await run(['get', '--raw', path, `--request-timeout=${REQUEST_TIMEOUT}`], {
        verb: 'get --raw',
        object: path,
        accept: [
          'not-found',
          'server',
          'forbidden',
          'unknown',
          'connection',
          'throttled',
          'unauthorized',
          'invalid',
          'timeout',
          'conflict',
          'no-such-kind',
        ],
      });
      if (out.kind === undefined) return { ok: true, body: out.stdout };
      return { ok: false, kind: out.kind, message: kubectlErrorText(out.stderr) };
    },
  };

  /**
   * The watch runs `kubectl get --raw <path>?watch=true&fieldSelector=metadata.name=<name>`: unlike
   * `kubectl get --watch` it can resume from a resourceVersion, works before the object exists
   * and streams the API's own `{type, object}` events (BOOKMARKs included).
   */
  async function* watchObject(ref: KubeRef, watchOpts: WatchOptions): AsyncGenerator<WatchEvent> {
    let resourceVersion = watchOpts.resourceVersion;
    for (;;) {
      const ended = yield* watchOnce(ref, resourceVersion, watchOpts.signal);
      if (ended === 'expired') {
        // 410 Gone: the resourceVersion is older than the API server keeps; start from now.
        log(
          `watch ${describeRef(ref)}: resourceVersion ${resourceVersion ?? ''} expired; restarting from the current state`,
        );
        resourceVersion = undefined;
        continue;
      }
      return;
    }
  }

  async function* watchOnce(
    ref: KubeRef,
    resourceVersion: string | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<WatchEvent, 'ended' | 'expired'> {
    if (signal?.aborted) return 'ended';
    const query = new URLSearchParams({
      watch: 'true',
      fieldSelector: `metadata.name=${ref.name}`,
      allowWatchBookmarks: 'true',
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    });
    const path = `${collectionPath(ref.apiVersion, ref.kind, ref.namespace)}?${query.toString()}`;
    const child = spawn(kubectl, [...globalArgs, 'get', '--raw', path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
      child.on('error', (error) => resolve({ code: null, error }));
      child.on('close', (code) => resolve({ code }));
    });
    const splitter = new JsonStreamSplitter();
    child.stdout.setEncoding('utf8');
    try {
      for await (const chunk of child.stdout as AsyncIterable<string>) {
        for (const value of splitter.push(chunk)) {
          const ev = value as { type?: string; object?: KubeObject & { code?: number } };
          if (ev.type === 'ERROR') {
            if (ev.object?.code === 410) return 'expired';
            throw new HubfleetError(`watch ${describeRef(ref)} failed: ${JSON.stringify(ev.object)}`, {
              hint: 'the API server ended the watch with an error; re-run the job',
            });
          }
          if (
            ev.type === 'ADDED' ||
            ev.type === 'MODIFIED' ||
            ev.type === 'DELETED' ||
            ev.type === 'BOOKMARK'
          ) {
            yield {
              type: ev.type,
              object: { apiVersion: ref.apiVersion, kind: ref.kind, ...ev.object } as KubeObject,
            };
          }
        }
      }
      const { code, error } = await exited;
      if (error !== undefined) throw missingKubectl(kubectl, error);
      if (signal?.aborted || code === 0) return 'ended';
      const kind = classifyKubectlError(stderr);
      // A dropped connection ends the watch; the caller reconnects. Anything else is an error.
      if (kind === 'connection' || kind === 'server' || kind === 'throttled' || kind === 'unknown') {
        log(`watch ${describeRef(ref)} ended: ${kubectlErrorText(stderr, 1)}`);
        return 'ended';
      }
      throw new HubfleetError(`kubectl watch ${describeRef(ref)} failed: ${kubectlErrorText(stderr)}`, {
        hint: HINTS[kind]('watch', describeRef(ref)),
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
  }
}

export function resourceVersionOf(object: KubeObject): string | undefined {
  const rv = (object.metadata as { resourceVersion?: unknown }).resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}

function nsArgs(namespace: string | undefined): string[] {
  return namespace === undefined ? [] : ['-n', namespace];
}

function missingKubectl(kubectl: string, cause: unknown): HubfleetError {
  return new HubfleetError(`kubectl not found: cannot run '${kubectl}'`, {
    hint: 'install kubectl 1.28 or newer on the runner (Debian: apt-get install kubernetes-client; or azure/setup-kubectl) and put it on PATH',
    cause,
  });
}

/** A Secret's values as they could appear in kubectl's text: base64 and decoded. */
function secretStrings(secret: KubeObject): string[] {
  const out: string[] = [];
  for (const field of ['data', 'stringData'] as const) {
    const values = secret[field];
    if (typeof values !== 'object' || values === null) continue;
    for (const v of Object.values(values as Record<string, unknown>)) {
      if (typeof v !== 'string' || v === '') continue;
      out.push(v);
      if (field === 'data') out.push(Buffer.from(v, 'base64').toString('utf8'));
      else out.push(Buffer.from(v).toString('base64'));
    }
  }
  return out.filter((s) => s.length >= 4);
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

function withoutSecretData(secret: KubeObject): KubeObject {
  const { data: _data, stringData: _stringData, ...rest } = secret;
  return rest;
}
