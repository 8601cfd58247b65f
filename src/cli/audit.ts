// `hubfleet audit`: the fleet's security posture against the rules in src/audit/rules.ts.
import { dirname, resolve } from 'node:path';
import { type Command, configOption, loadFromDir, report, str } from './common.js';
import { UsageError } from './usage-error.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;

function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
}

/** A ceiling flag's number; undefined when not given (the fleet's setting or the default holds). */
function ceiling(flag: string, value: string): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !Number.isFinite(n))
    throw new UsageError(`--${flag} must be a number, not ${JSON.stringify(value)}`);
  return n;
}

export const auditCommand: Command = {
  summary: 'check the fleet against the security rules; text, JSON or SARIF for code scanning',
  usage: `hubfleet audit [--config DIR] [--format text|json|sarif] [--fail-on error|warning|note|none]
               [--max-cpu N] [--max-gpu N] [--live --cluster C]

Checks the cluster and hub files, what they render (helm values, Terraform inputs), the Terraform
modules' bucket settings, the fleet's workflows (.github/workflows beside DIR) and the runner
service accounts (DIR/runners) against the rules in the README's "Audit rules" table. Each
finding names its rule, file:line and fix. --max-cpu and --max-gpu set the ceiling of HF009
over config/fleet.yaml's audit.maxCpu and audit.maxGpu (default 8 cores, 1 GPU per pod). --live also reads each GKE hub's release on cluster C through
helm (the current kube context) for HF004. Exit 1 when a finding is at or above --fail-on
(default error), 2 on a usage error.`,
  options: {
    ...configOption,
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string', default: 'error' },
    'max-cpu': { type: 'string', default: '' },
    'max-gpu': { type: 'string', default: '' },
    live: { type: 'boolean', default: false },
    cluster: { type: 'string', default: '' },
  },
  run: async (v, io) => {
    const format = choice('format', str(v.format), FORMATS);
    const failOn = choice('fail-on', str(v['fail-on']), FAIL_ON);
    const maxCpu = ceiling('max-cpu', str(v['max-cpu']));
    const maxGpu = ceiling('max-gpu', str(v['max-gpu']));
    const live = v.live === true;
    const clusterName = str(v.cluster);
    if (live && clusterName === '')
      throw new UsageError(
        '--live needs --cluster C: helm reads the releases of the current kube context only',
      );
    if (!live && clusterName !== '') throw new UsageError('--cluster is used only with --live');

    const result = await loadFromDir(str(v.config), io);
    if (!report(result, io)) return 1;
    const fleet = result.fleet;
    const { DEFAULT_CEILINGS, buildAuditContext } = await import('../audit/context.js');
    // A flag overrides the fleet's own ceiling (config/fleet.yaml), which overrides the default.
    const ceilings = {
      cpu: maxCpu ?? fleet.settings?.audit?.maxCpu ?? DEFAULT_CEILINGS.cpu,
      gpu: maxGpu ?? fleet.settings?.audit?.maxGpu ?? DEFAULT_CEILINGS.gpu,
    };
    let liveAudiences;
    if (live) {
      const cluster = fleet.clusters.find((c) => c.config.name === clusterName);
      if (cluster === undefined)
        throw new UsageError(`no cluster ${JSON.stringify(clusterName)} in the fleet`, {
          hint: `one of ${fleet.clusters.map((c) => c.config.name).join(', ')}`,
        });
      const { createHelmClient } = await import('../adapters/helm.js');
      const { readLiveAudiences } = await import('../audit/live.js');
      const hubs = cluster.config.provider === 'gcp' ? cluster.hubs : [];
      // helm runs with the command's environment (PATH, KUBECONFIG), as the CLI was given it.
      const env = Object.fromEntries(
        Object.entries(io.env).filter((e): e is [string, string] => e[1] !== undefined),
      );
      liveAudiences = await readLiveAudiences(createHelmClient({ env }), hubs);
    }
    const configDir = resolve(io.cwd, str(v.config));
    const ctx = await buildAuditContext(fleet, {
      root: dirname(configDir),
      configDir,
      displayRoot: io.cwd,
      ceilings,
      ...(liveAudiences === undefined ? {} : { live: liveAudiences }),
    });
    const { auditFails, runAudit } = await import('../audit/run.js');
    const findings = runAudit(ctx);
    if (format === 'sarif') {
      const { toSarif } = await import('../audit/sarif.js');
      const { packageVersion } = await import('./version.js');
      io.stdout(`${JSON.stringify(toSarif(findings, await packageVersion()), null, 2)}\n`);
    } else {
      const { formatJson, formatText } = await import('../audit/format.js');
      io.stdout(format === 'json' ? formatJson(findings) : formatText(findings));
    }
    return auditFails(findings, failOn) ? 1 : 0;
  },
};
