// The deploy-hub job summary for `mode: uninstall` (pure): a verdict, one row per hub, then per hub
// what was removed, what was kept on purpose and how a person deletes it by hand.
import { codeBlock, details, table, verdictLine } from '../action/summary.js';
import { manualDeletion, type UninstallReport } from './uninstall-hub.js';

function helmText(r: UninstallReport): string {
  switch (r.helm) {
    case 'uninstalled':
      return `release ${r.release} uninstalled`;
    case 'absent':
      return `release ${r.release} was already gone`;
    default:
      return 'not run';
  }
}

export function uninstallSummary(reports: readonly UninstallReport[]): string[] {
  const failed = reports.filter((r) => r.error !== undefined);
  const names = (rs: readonly UninstallReport[]): string => rs.map((r) => r.hub).join(', ');
  const headline =
    failed.length === 0
      ? `${reports.length} hub${reports.length === 1 ? '' : 's'} uninstalled: ${names(reports)} (namespaces and user data kept)`
      : `uninstall failed for ${failed.length} of ${reports.length} hub${reports.length === 1 ? '' : 's'}: ${names(failed)}`;
  const parts = [
    verdictLine(failed.length === 0 ? 'pass' : 'fail', headline),
    table(
      ['hub', 'namespace', 'helm', 'hubfleet objects deleted', 'kept', 'result'],
      reports.map((r) => [
        r.hub,
        r.namespace,
        helmText(r),
        r.removed.filter((o) => o.outcome === 'deleted').length,
        r.kept.length === 0 ? '-' : r.kept.map((k) => `${k.kind} ${k.name}`).join(', '),
        r.error === undefined ? 'ok' : `failed at ${r.steps[r.steps.length - 1]?.step ?? 'start'}`,
      ]),
    ),
  ];
  for (const r of reports) {
    const body: string[] = [];
    if (r.error !== undefined)
      body.push(`**Failed:** ${r.error}`, `**What to do:** ${r.hint ?? 're-run the job'}`);
    body.push(`helm: ${helmText(r)}.`);
    body.push(
      r.removed.length === 0
        ? 'No hubfleet objects were left in the namespace.'
        : table(
            ['removed', 'name', 'outcome'],
            r.removed.map((o) => [o.kind, o.name, o.outcome === 'deleted' ? 'deleted' : 'already gone']),
          ),
    );
    if (r.kept.length > 0) {
      body.push(
        table(
          ['kept', 'name', 'why'],
          r.kept.map((k) => [k.kind, k.name, k.why]),
        ),
        'To delete the data as well, after making sure no one needs it (this cannot be undone):',
        codeBlock(manualDeletion(r).join('\n'), 'sh'),
      );
    } else if (r.error === undefined) {
      body.push(`Namespace ${r.namespace} does not exist: no user data was left behind.`);
    }
    body.push(
      table(
        ['step', 'duration'],
        r.steps.map((s) => [s.step, `${(s.ms / 1000).toFixed(1)} s`]),
      ),
    );
    parts.push(
      details(`${r.cluster}/${r.hub}${r.error === undefined ? '' : ' (failed)'}`, body.join('\n\n'), true),
    );
  }
  return parts;
}
