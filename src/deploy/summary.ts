// The deploy-hub job summary (pure): a verdict line, one row per hub, then per hub what changed and
// how long each step took.
import { details, table, verdictLine } from '../action/summary.js';
import type { HubReport } from './deploy-hub.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function changed(report: HubReport): string {
  if (report.objects.length === 0) return '-';
  const counts = new Map<string, number>();
  for (const o of report.objects) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  return ['created', 'configured', 'unchanged', 'kept']
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k) ?? 0} ${k}`)
    .join(', ');
}

function audienceText(report: HubReport): string {
  switch (report.audience.state) {
    case 'pinned':
      return `${report.audience.audience}${report.rolledForAudience ? ' (hub rolled to pin it)' : ''}`;
    case 'project-wide':
      return `project-wide: ${report.audience.reason}`;
    default:
      return 'n/a';
  }
}

export function deploySummary(reports: readonly HubReport[]): string[] {
  const failed = reports.filter((r) => r.error !== undefined);
  const mode = reports[0]?.mode ?? 'deploy';
  const verb = mode === 'rollback' ? 'rolled back' : 'deployed';
  const headline =
    failed.length === 0
      ? `${reports.length} hub${reports.length === 1 ? '' : 's'} ${verb}: ${reports.map((r) => r.hub).join(', ')}`
      : `${failed.length} of ${reports.length} hub${reports.length === 1 ? '' : 's'} failed: ${failed.map((r) => r.hub).join(', ')}`;
  const parts = [
    verdictLine(failed.length === 0 ? 'pass' : 'fail', headline),
    table(
      ['hub', 'domain', 'chart', 'version', 'objects', 'static IP', 'certificate', 'revision', 'result'],
      reports.map((r) => [
        r.hub,
        r.domain,
        r.chart,
        r.version,
        changed(r),
        r.staticIp,
        r.certificate,
        r.rolledBack === undefined
          ? r.revision
          : `${r.rolledBack.from} → ${r.rolledBack.to} (now ${r.revision ?? '?'})`,
        r.error === undefined ? 'ok' : `failed at ${r.steps[r.steps.length - 1]?.step ?? 'start'}`,
      ]),
    ),
  ];
  for (const r of reports) {
    const body: string[] = [];
    if (r.error !== undefined)
      body.push(`**Failed:** ${r.error}`, `**What to do:** ${r.hint ?? 're-run the job'}`);
    if (r.rolledBack !== undefined) {
      body.push(
        `Left revision ${r.rolledBack.from}, restored revision ${r.rolledBack.to} (helm recorded it as revision ${r.rolledBack.recordedAs ?? r.revision ?? '?'}).`,
      );
      if (r.rolledForAudience) {
        body.push(
          `The restored values did not pin the live IAP audience: revision ${r.revision ?? '?'} puts it back.`,
        );
      }
      if (r.audience.state !== 'not-applicable') body.push(`IAP audience: ${audienceText(r)}`);
    }
    if (r.mode === 'deploy') {
      body.push(
        r.objects.length === 0
          ? 'No objects were applied.'
          : table(
              ['object', 'name', 'outcome'],
              r.objects.map((o) => [o.kind, o.name, o.outcome]),
            ),
      );
      if (r.audience.state !== 'not-applicable') body.push(`IAP audience: ${audienceText(r)}`);
    }
    body.push(
      table(
        ['step', 'duration'],
        r.steps.map((s) => [s.step, seconds(s.ms)]),
      ),
    );
    body.push(`URL: ${r.url} · Ingress: ${r.ingress} · namespace: ${r.namespace}`);
    parts.push(
      details(
        `${r.cluster}/${r.hub}${r.error === undefined ? '' : ' (failed)'}`,
        body.join('\n\n'),
        r.error !== undefined,
      ),
    );
  }
  return parts;
}
