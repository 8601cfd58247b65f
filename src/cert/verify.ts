// The three verify-cert modes, each from typed inputs and adapters to a report (summary parts,
// failing hubs, verdict). The action's main only wires adapters and writes the result.
import type { GitHubClient } from '../adapters/github.js';
import { details, table, verdictLine, type Verdict } from '../action/summary.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { errorMessage } from '../errors.js';
import type { ComputeClient } from '../adapters/gcp-compute.js';
import { durationMs, type HelmClient } from '../adapters/helm.js';
import type { KubeClient } from '../adapters/kube.js';
import { verifyRollout } from '../deploy/deploy-hub.js';
import { repinAudience } from '../deploy/iap-audience.js';
import { helmReleaseName, namespaceName, requireGcp } from '../render/names.js';
import { renderManifests, type KubeObject } from '../render/manifests.js';
import { syncHubIssues, type HubIssuePlan } from '../report/hub-issues.js';
import { checkHubs, type CheckDeps, type CheckOptions } from './check.js';
import { STUCK_PROVISIONING_MINUTES } from './hub-verdict.js';
import { refOf, type CertKube } from './kube-port.js';
import { mapLimit } from './map-limit.js';
import { recreate, type RecreateStep } from './recreate.js';
import { checkSummary, issueBody, issueKey, issueTitle, overallVerdict } from './report.js';
import { finishDomainChange, waitForCertificate, type WaitOutcome } from './wait.js';

export interface VerifyReport {
  summary: string[];
  failingHubs: string[];
  verdict: 'pass' | 'warn' | 'fail';
  headline: string;
}

export interface HubObjects {
  hub: LoadedHub;
  certificate: KubeObject;
  ingress: KubeObject;
}

/** The ManagedCertificate and Ingress hubfleet renders for each hub (names from the config). */
export function hubObjects(cluster: LoadedCluster, hubs: readonly LoadedHub[]): HubObjects[] {
  return hubs.map((hub) => {
    const objects = renderManifests(cluster, hub);
    const find = (kind: string): KubeObject => {
      const found = objects.find((o) => o.kind === kind);
      if (found === undefined) throw new Error(`renderManifests gave no ${kind} for ${hub.config.name}`);
      return found;
    };
    return { hub, certificate: find('ManagedCertificate'), ingress: find('Ingress') };
  });
}

export async function runCheck(
  deps: CheckDeps & { github?: GitHubClient; runUrl?: string },
  cluster: LoadedCluster,
  hubs: readonly HubObjects[],
  opts: CheckOptions & { reportIssues: boolean },
): Promise<VerifyReport> {
  const name = cluster.config.name;
  const verdicts = await checkHubs(
    deps,
    hubs.map((h) => ({
      cluster: name,
      hub: h.hub.config.name,
      domain: h.hub.config.domain,
      certificate: h.certificate,
      ingress: h.ingress,
    })),
    opts,
  );
  const summary = checkSummary(name, verdicts);
  if (opts.reportIssues && deps.github !== undefined) {
    // Still provisioning (warn) is neither broken nor recovered: the hub's issue stays as it is.
    const plans = verdicts
      .filter((v) => v.verdict !== 'warn')
      .map((v): HubIssuePlan => ({
        key: issueKey(name, v.hub),
        hub: v.hub,
        outcome:
          v.verdict === 'fail'
            ? { status: 'failing', title: issueTitle(v), body: issueBody(v, deps.runUrl) }
            : { status: 'passing', body: issueBody(v, deps.runUrl) },
      }));
    const synced = await syncHubIssues(
      deps.github,
      plans,
      { kinds: ['cert'], cluster: name, hubs: cluster.hubs.map((h) => h.config.name) },
      opts.log,
    );
    const rows = synced
      .filter((r) => r.action !== 'none')
      .map((r) => [
        r.removed === true ? `${r.hub} (removed)` : r.hub,
        r.action,
        r.issueNumber === undefined ? '' : `#${r.issueNumber}`,
      ]);
    if (rows.length > 0)
      summary.push(details(`Issues (${rows.length})`, table(['hub', 'issue action', 'issue'], rows), true));
  }
  const overall = overallVerdict(verdicts);
  const failingHubs = verdicts.filter((v) => v.verdict === 'fail').map((v) => v.hub);
  return {
    summary,
    failingHubs,
    verdict: overall === 'ok' ? 'pass' : overall,
    headline: summary[0]?.replace(/^### \S+ /, '') ?? '',
  };
}

export interface WaitDeps {
  kube: CertKube;
  log: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface HubWaitResult {
  hub: string;
  certificate: string;
  outcome: WaitOutcome | { state: 'error'; message: string };
  dropped: string[];
  steps: RecreateStep[];
}

async function waitAndFinish(
  deps: WaitDeps,
  h: HubObjects,
  timeoutMs: number,
  steps: RecreateStep[] = [],
): Promise<HubWaitResult> {
  const hub = h.hub.config.name;
  const outcome = await waitForCertificate(deps.kube, refOf(h.certificate), {
    timeoutMs,
    log: (line) => deps.log(`${hub}: ${line}`),
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  let dropped: string[] = [];
  if (outcome.state === 'active') {
    const finished = await finishDomainChange(deps.kube, hub, h, (line) => deps.log(`${hub}: ${line}`));
    dropped = finished.deleted;
  }
  return { hub, certificate: h.certificate.metadata.name, outcome, dropped, steps };
}

export async function runWait(
  deps: WaitDeps,
  clusterName: string,
  hubs: readonly HubObjects[],
  opts: { timeoutMs: number; concurrency: number },
): Promise<VerifyReport> {
  const settled = await mapLimit(hubs, opts.concurrency, (h) => waitAndFinish(deps, h, opts.timeoutMs));
  const results = settled.map((r, i): HubWaitResult =>
    r.ok
      ? r.value
      : {
          hub: hubs[i]?.hub.config.name ?? '',
          certificate: hubs[i]?.certificate.metadata.name ?? '',
          outcome: { state: 'error', message: errorMessage(r.error) },
          dropped: [],
          steps: [],
        },
  );
  return waitReport(`${clusterName}`, results, 'wait');
}

export interface RecreateDeps extends WaitDeps {
  /** Compute: whether Google still has the old SslCertificate, and the new backend service's id. */
  compute: ComputeClient;
  /** Upgrades the release when the hub pins the audience of the backend service that was GC'd. */
  helm: HelmClient;
  kube: KubeClient;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Between Compute and Ingress polls. */
  pollMs?: number;
}

export async function runRecreate(
  deps: RecreateDeps,
  cluster: LoadedCluster,
  h: HubObjects,
  opts: { timeoutMs: number; helmTimeout: string },
): Promise<VerifyReport> {
  const hub = h.hub.config.name;
  const log = (line: string): void => deps.log(`${hub}: ${line}`);
  const start = deps.now();
  const steps = await recreate(deps.kube, deps.compute, hub, h, {
    deletionTimeoutMs: opts.timeoutMs,
    log,
    project: requireGcp(cluster).project,
    now: deps.now,
    sleep: deps.sleep,
    ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }),
  });
  const left = Math.max(1000, opts.timeoutMs - (deps.now() - start));
  const result = await waitAndFinish(deps, h, left, steps);
  // The new Ingress has a new backend service (ingress-gce GC'd the old one with the old Ingress),
  // so IAP signs a new audience: the hub follows it, or every login is refused (decision 0023).
  const audience = await reestablishAudience(deps, cluster, h.hub, opts.helmTimeout);
  const report = waitReport(cluster.config.name, [result], 'recreate');
  report.summary.splice(2, 0, `IAP audience: ${audience.text}`);
  if (audience.failed) {
    report.verdict = 'fail';
    if (!report.failingHubs.includes(hub)) report.failingHubs.push(hub);
    report.headline = `${report.headline}; the IAP audience was not re-established: ${audience.text}`;
    report.summary[0] = verdictLine('fail', report.headline);
  }
  return report;
}

async function reestablishAudience(
  deps: RecreateDeps,
  cluster: LoadedCluster,
  hub: LoadedHub,
  helmTimeout: string,
): Promise<{ text: string; failed: boolean }> {
  const name = hub.config.name;
  const fix = `deploy ${cluster.config.name}/${name} again (deploy-hub mode deploy with gcp-access-token), which pins the audience of the hub's current backend service`;
  try {
    const outcome = await repinAudience({ ...deps, log: (line) => deps.log(line) }, cluster, hub, {
      budgetMs: durationMs(helmTimeout),
      pollMs: deps.pollMs ?? 5000,
      timeout: helmTimeout,
    });
    switch (outcome.state) {
      case 'kept':
        return { text: `${outcome.audience} (unchanged)`, failed: false };
      case 'repinned': {
        await verifyRollout(
          { ...deps, ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }) },
          namespaceName(name),
          helmReleaseName(name),
          durationMs(helmTimeout),
        );
        return {
          text: `re-pinned to ${outcome.audience} (backend service ${outcome.backendService}; was ${outcome.was}), helm revision ${outcome.revision ?? '?'}`,
          failed: false,
        };
      }
      case 'unknown':
        return {
          text: `the live audience could not be read (${outcome.reason}); until the hub pins it, IAP's assertions are refused: ${fix}`,
          failed: true,
        };
    }
  } catch (error) {
    return { text: `${errorMessage(error)}; ${fix}`, failed: true };
  }
}

function describeOutcome(o: HubWaitResult['outcome']): { verdict: Verdict; text: string; todo: string } {
  switch (o.state) {
    case 'active':
      return { verdict: 'pass', text: 'Active', todo: '' };
    case 'failed':
      return { verdict: 'fail', text: o.cause, todo: o.todo };
    case 'timeout':
      return {
        verdict: 'fail',
        text: `not Active before the timeout (last: ${o.last})`,
        todo: `run verify-cert in check mode for the DNS and TLS findings; Google keeps retrying, and check advises recreate-cert once the certificate has been failing for over ${STUCK_PROVISIONING_MINUTES} min`,
      };
    case 'error':
      return { verdict: 'fail', text: o.message, todo: 'check the runner’s cluster access, then re-run' };
  }
}

function waitReport(
  cluster: string,
  results: readonly HubWaitResult[],
  mode: 'wait' | 'recreate',
): VerifyReport {
  const rows = results.map((r) => {
    const d = describeOutcome(r.outcome);
    return [
      r.hub,
      r.certificate,
      d.verdict === 'pass' ? '✅ Active' : '❌ fail',
      d.text,
      r.dropped.join(', '),
      d.todo,
    ];
  });
  const failingHubs = results.filter((r) => r.outcome.state !== 'active').map((r) => r.hub);
  const verdict = failingHubs.length > 0 ? 'fail' : 'pass';
  const what =
    mode === 'recreate'
      ? `recreated the certificate of ${results[0]?.hub ?? ''}`
      : `waited for ${results.length} certificate${results.length === 1 ? '' : 's'}`;
  const headline =
    failingHubs.length > 0
      ? `${cluster}: ${what}; not Active: ${failingHubs.join(', ')}`
      : `${cluster}: ${what}; all Active`;
  const summary = [
    verdictLine(verdict, headline),
    table(['hub', 'certificate', 'result', 'detail', 'replaced certificate deleted', 'what to do'], rows),
  ];
  const steps = results.flatMap((r) => r.steps.map((s) => [r.hub, s.step, s.object, s.outcome]));
  if (steps.length > 0)
    summary.push(details('Recreate steps', table(['hub', 'step', 'object', 'outcome'], steps), true));
  return { summary, failingHubs, verdict, headline };
}
