// What a person reads after smoke-iap (summary, issues) and what a workflow reads (outputs).
// Pure: results in, Markdown and issue outcomes out.
import { codeBlock, details, table, verdictLine, type Verdict as SummaryVerdict } from '../action/summary.js';
import type { IssueOutcome } from '../report/issue-upsert.js';
import type { Verdict } from './classify.js';
import { describeExpectation } from './probes.js';
import { audienceRows, staleCheckNote, type HubAudience } from './audience-check.js';
import type { IssueRow } from './report-issues.js';
import { hubVerdict, type HubResult, type ProbeResult } from './run-smoke.js';

export type IssueKind = 'exposure' | 'down' | 'misbehaving';

export interface IssuePlan {
  key: string;
  kind: IssueKind;
  /** Labels beyond the hubfleet label: exposures are critical. */
  extraLabels: string[];
  outcome: IssueOutcome;
}

const KIND_VERDICT: Record<IssueKind, Verdict> = {
  exposure: 'exposed',
  down: 'down',
  misbehaving: 'misbehaving',
};

export const issueKey = (kind: IssueKind, cluster: string, hub: string): string =>
  `${kind}:${cluster}/${hub}`;

const hubName = (r: HubResult): string => `${r.target.cluster}/${r.target.hub}`;

export function expectedText(p: ProbeResult): string {
  return p.probe.kind === 'service'
    ? 'not LoadBalancer, no external IP'
    : describeExpectation(p.probe.expect);
}

function probeTable(probes: readonly ProbeResult[]): string {
  return table(
    ['check', 'expected', 'got', 'verdict', 'attempts', 'why'],
    probes.map((p) => [p.probe.title, expectedText(p), p.answer, p.verdict, p.attempts, p.reason ?? '']),
  );
}

const TITLES: Record<IssueKind, (hub: string) => string> = {
  exposure: (hub) => `Hub ${hub} is reachable without IAP`,
  down: (hub) => `Hub ${hub} is down`,
  misbehaving: (hub) => `Hub ${hub} does not answer as the IAP contract says`,
};

const WHAT_TO_DO: Record<IssueKind, string> = {
  exposure:
    'Treat this as a security incident: the hub answers requests that did not pass IAP. Check the BackendConfig (`spec.iap.enabled: true`) and that the proxy-public Service is a NodePort without external IP, then re-run smoke-iap. This issue closes itself when the hub is sound again.',
  down: 'The hub does not answer (5xx or no answer within the retry budget). Check the hub pod, the Ingress backend health and the load balancer; this issue closes itself when the hub answers again.',
  misbehaving:
    'The hub answers, but not as the contract says (e.g. the authorised identity is refused, or IAP does not redirect to Google sign-in). Check the IAP members binding and the OAuth client; this issue closes itself when every check passes.',
};

/** One plan per issue kind for a hub: failing when a check has that verdict, passing otherwise. */
export function issuePlans(result: HubResult, runUrl: string | undefined): IssuePlan[] {
  const name = hubName(result);
  const run = runUrl === undefined ? '' : `\n\nRun: ${runUrl}`;
  return (['exposure', 'down', 'misbehaving'] as const).map((kind) => {
    const key = issueKey(kind, result.target.cluster, result.target.hub);
    const extraLabels = kind === 'exposure' ? ['critical'] : [];
    const failing = result.probes.filter((p) => p.verdict === KIND_VERDICT[kind]);
    if (failing.length === 0) {
      return {
        key,
        kind,
        extraLabels,
        outcome: {
          status: 'passing',
          body: `smoke-iap: ${name} is no longer ${KIND_VERDICT[kind]}; hub verdict now: ${result.verdict}.${run}`,
        },
      };
    }
    const body = [
      `## ${TITLES[kind](name)}`,
      '',
      `Domain: \`${result.target.domain}\``,
      '',
      probeTable(failing),
      '',
      `**What to do:** ${WHAT_TO_DO[kind]}`,
      '',
      details('Every check of this run', probeTable(result.probes)),
    ].join('\n');
    return {
      key,
      kind,
      extraLabels,
      outcome: {
        status: 'failing',
        title: TITLES[kind](name),
        body: `${body}${run}`,
        // The same checks failing the same way is the same failure: the upsert edits the issue
        // in place instead of commenting every hour.
        fingerprint: `${KIND_VERDICT[kind]} ${name}: ${failing.map((p) => `${p.probe.id}=${p.answer}`).join('; ')}`,
      },
    };
  });
}

export interface FleetOutputs {
  verdict: Verdict;
  exposedHubs: string[];
  downHubs: string[];
  misbehavingHubs: string[];
}

/** Hubs by what is wrong with them; a hub is listed under every kind it shows. */
export function fleetOutputs(results: readonly HubResult[]): FleetOutputs {
  const having = (verdict: Verdict): string[] =>
    results.filter((r) => r.probes.some((p) => p.verdict === verdict)).map((r) => r.target.hub);
  return {
    verdict: hubVerdict(results.flatMap((r) => r.probes)),
    exposedHubs: having('exposed'),
    downHubs: having('down'),
    misbehavingHubs: having('misbehaving'),
  };
}

const SUMMARY_VERDICT: Record<Verdict, SummaryVerdict> = {
  pass: 'pass',
  exposed: 'fail',
  down: 'fail',
  misbehaving: 'fail',
};

/** One line: "2 hubs checked: 1 exposed (pangeo-gcp/ocean), 1 down (pangeo-gcp/climate)". */
export function headline(results: readonly HubResult[]): string {
  const out = fleetOutputs(results);
  const count = `${results.length} hub${results.length === 1 ? '' : 's'} checked`;
  if (out.verdict === 'pass') return `${count}: every hub answers only through its front door`;
  const parts: string[] = [];
  const list = (hubs: string[], what: string): void => {
    if (hubs.length > 0) parts.push(`${hubs.length} ${what} (${hubs.join(', ')})`);
  };
  list(out.exposedHubs, 'exposed');
  list(out.downHubs, 'down');
  list(out.misbehavingHubs, 'misbehaving');
  return `${count}: ${parts.join(', ')}`;
}

const MAX_HUBS_IN_FAILURE = 5;

/**
 * The failure line: the headline plus, per failing hub, its worst check and why, e.g.
 * "… 1 exposed (ocean) — ocean: forged-token answered 200 to a forged token … (+2 more checks)".
 */
export function failureText(results: readonly HubResult[], cluster: string): string {
  const failing = results.filter((r) => r.verdict !== 'pass');
  const rank: Record<string, number> = { exposed: 0, down: 1, misbehaving: 2 };
  const hubs = failing.slice(0, MAX_HUBS_IN_FAILURE).map((r) => {
    const bad = r.probes
      .filter((p) => p.verdict !== 'pass' && p.verdict !== 'skipped')
      .sort((a, b) => (rank[a.verdict] ?? 9) - (rank[b.verdict] ?? 9));
    const first = bad[0];
    const more = bad.length > 1 ? ` (+${bad.length - 1} more check${bad.length === 2 ? '' : 's'})` : '';
    return first === undefined
      ? r.target.hub
      : `${r.target.hub}: ${first.probe.id} ${first.reason ?? first.answer}${more}`;
  });
  const rest =
    failing.length > MAX_HUBS_IN_FAILURE ? ` and ${failing.length - MAX_HUBS_IN_FAILURE} more hubs` : '';
  return `smoke-iap ${cluster}: ${headline(results)} — ${hubs.join('; ')}${rest}`;
}

export interface SummaryExtras {
  issues?: readonly IssueRow[];
  /** Why the issues could not be updated. */
  issueError?: string;
  /** The connect-to rules in effect, one per line. */
  connectTo?: readonly string[];
  /** The IAP audience each GKE hub pins (audience-check.ts). */
  audiences?: readonly HubAudience[];
}

export function summaryParts(
  results: readonly HubResult[],
  cluster: string,
  extras: SummaryExtras = {},
): string[] {
  const out = fleetOutputs(results);
  const skipped = results.flatMap((r) =>
    r.probes.filter((p) => p.verdict === 'skipped').map((p) => ({ r, p })),
  );
  const parts = [
    verdictLine(SUMMARY_VERDICT[out.verdict], `smoke-iap ${cluster}: ${headline(results)}`),
    table(
      ['hub', 'domain', 'verdict', 'failing checks', 'skipped checks'],
      results.map((r) => [
        r.target.hub,
        r.target.domain,
        r.verdict,
        r.probes
          .filter((p) => p.verdict !== 'pass' && p.verdict !== 'skipped')
          .map((p) => `${p.probe.id}: ${p.reason ?? p.answer}`)
          .join('\n'),
        r.probes
          .filter((p) => p.verdict === 'skipped')
          .map((p) => `${p.probe.id}: ${p.reason ?? ''}`)
          .join('\n'),
      ]),
    ),
  ];
  if (skipped.length > 0) {
    parts.push(
      `> Skipped checks are not passes: ${[...new Set(skipped.map(({ p }) => p.reason ?? p.probe.id))].join('; ')}.`,
    );
  }
  for (const r of results)
    parts.push(details(`${hubName(r)}: ${r.verdict}`, probeTable(r.probes), r.verdict !== 'pass'));
  const issues = extras.issues ?? [];
  if (issues.length > 0) {
    const rows = issues.map((i) => [
      i.key,
      i.status,
      i.issueNumber === undefined ? '' : `#${i.issueNumber}`,
      i.action,
    ]);
    parts.push(details('Issues', table(['key', 'status', 'issue', 'action'], rows)));
  }
  if (extras.audiences !== undefined && extras.audiences.length > 0) {
    parts.push(
      details(
        'IAP audience pinned by each GKE hub',
        table(['hub', 'audience', 'detail'], audienceRows(extras.audiences)),
        extras.audiences.some((a) => a.audience.state === 'project-wide' || a.audience.state === 'stale'),
      ),
    );
    const note = staleCheckNote(extras.audiences);
    if (note !== undefined) parts.push(`> ${note}`);
  }
  if (extras.issueError !== undefined)
    parts.push(`> ⚠️ The issues could not be updated: ${extras.issueError}`);
  if (extras.connectTo !== undefined && extras.connectTo.length > 0) {
    parts.push(details('connect-to', codeBlock(extras.connectTo.join('\n'))));
  }
  return parts;
}
