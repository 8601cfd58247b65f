// verify-cert's job summary and issue texts, from hub verdicts. Pure text.
import { details, table, verdictLine, type Cell, type Verdict } from '../action/summary.js';
import type { HubVerdict, Severity } from './hub-verdict.js';

export const SUMMARY_COLUMNS = [
  'hub',
  'domain',
  'status',
  'domain status',
  'DNS',
  'TLS',
  'days left',
  'verdict',
  'what to do',
] as const;

const MARK: Record<Severity, string> = { ok: '✅ ok', warn: '⚠️ warn', fail: '❌ fail' };

export function summaryRow(v: HubVerdict): Cell[] {
  return [v.hub, v.domain, v.status, v.domainStatus, v.dns, v.tls, v.daysLeft, MARK[v.verdict], v.todo];
}

export function overallVerdict(verdicts: readonly HubVerdict[]): Severity {
  if (verdicts.some((v) => v.verdict === 'fail')) return 'fail';
  return verdicts.some((v) => v.verdict === 'warn') ? 'warn' : 'ok';
}

export function headline(cluster: string, verdicts: readonly HubVerdict[]): string {
  const failing = verdicts.filter((v) => v.verdict === 'fail').length;
  const warning = verdicts.filter((v) => v.verdict === 'warn').length;
  const n = verdicts.length;
  const hubs = `${n} hub${n === 1 ? '' : 's'}`;
  if (failing > 0) return `${cluster}: certificates failing on ${failing} of ${hubs}`;
  if (warning > 0)
    return `${cluster}: certificates of ${hubs} checked, ${warning} still provisioning or incomplete`;
  return `${cluster}: certificates of ${hubs} are valid`;
}

const SUMMARY_VERDICT: Record<Severity, Verdict> = { ok: 'pass', warn: 'warn', fail: 'fail' };

/** The job summary: verdict line, one row per hub, every finding collapsed per failing hub. */
export function checkSummary(cluster: string, verdicts: readonly HubVerdict[]): string[] {
  const parts = [
    verdictLine(SUMMARY_VERDICT[overallVerdict(verdicts)], headline(cluster, verdicts)),
    table(SUMMARY_COLUMNS, verdicts.map(summaryRow)),
  ];
  const withFindings = verdicts.filter((v) => v.findings.length > 0);
  if (withFindings.length > 0) {
    parts.push(
      details(
        `Findings (${withFindings.length} hub${withFindings.length === 1 ? '' : 's'})`,
        withFindings.map(findingsText).join('\n\n'),
      ),
    );
  }
  return parts;
}

export function findingsText(v: HubVerdict): string {
  const lines = v.findings.map(
    (f) => `- **${f.severity}** (${f.area}): ${f.message}. What to do: ${f.todo}.`,
  );
  return `#### ${v.cluster}/${v.hub} (${v.domain})\n${lines.join('\n')}`;
}

export const issueKey = (cluster: string, hub: string): string => `cert:${cluster}/${hub}`;

export function issueTitle(v: HubVerdict): string {
  return `Certificate of ${v.cluster}/${v.hub} (${v.domain}) is failing`;
}

/** The issue body: the hub's row and findings, and where the run is. */
export function issueBody(v: HubVerdict, runUrl: string | undefined): string {
  const state = v.verdict === 'fail' ? 'failing' : 'healthy again';
  return [
    `verify-cert found the certificate of **${v.cluster}/${v.hub}** (${v.domain}) ${state}.`,
    table(SUMMARY_COLUMNS, [summaryRow(v)]),
    ...(v.findings.length > 0 ? [findingsText(v)] : []),
    ...(runUrl === undefined ? [] : [`Run: ${runUrl}`]),
  ].join('\n\n');
}
