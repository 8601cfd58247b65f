// `hubfleet render`: the fleet's tfvars, helm values and manifests under --out.
import { resolve } from 'node:path';
import { type Command, configOption, loadFromDir, report, str } from './common.js';
import { checkTarget, requireDnsLabel } from './names.js';
import { UsageError } from './usage-error.js';

export const renderCommand: Command = {
  summary: 'write tfvars, helm values and manifests for the fleet (or one cluster/hub)',
  usage: `hubfleet render --out DIR [--cluster C] [--hub H] [--config DIR]

Validates the fleet, then writes <cluster>/terraform.tfvars.json and
<cluster>/hubs/<hub>/{values.yaml,manifests.yaml} under DIR. Output is deterministic: rendering
twice gives the same bytes, so a diff shows exactly what changed. Secret values are never written.
Every directory render writes holds a \`.hubfleet-rendered\` marker; the directories of hubs and
clusters that have left the fleet are removed (on cluster C only with --cluster; none with --hub),
and only render's own files in them. Directories without the marker are never touched.`,
  options: {
    ...configOption,
    out: { type: 'string' },
    cluster: { type: 'string' },
    hub: { type: 'string' },
  },
  run: async (v, io) => {
    const out = str(v.out);
    if (out === '') throw new UsageError('--out DIR is required');
    if (v.hub !== undefined && v.cluster === undefined) throw new UsageError('--hub needs --cluster');
    const filter = {
      ...(typeof v.cluster === 'string' ? { cluster: requireDnsLabel('cluster', v.cluster) } : {}),
      ...(typeof v.hub === 'string' ? { hub: requireDnsLabel('hub', v.hub) } : {}),
    };
    const result = await loadFromDir(str(v.config), io);
    if (!report(result, io)) return 1;
    checkTarget(result.fleet, filter.cluster, filter.hub);
    const [{ writeRenderedFleet }, { formatTable }] = await Promise.all([
      import('./write-rendered.js'),
      import('./text-table.js'),
    ]);
    const { rows, removed } = writeRenderedFleet(result.fleet, resolve(io.cwd, out), filter);
    io.stdout(
      formatTable(
        ['cluster', 'hub', 'stage', 'domain', 'files written'],
        rows.map((r) => [r.cluster, r.hub, r.stage, r.domain, r.files.join(', ')]),
      ),
    );
    for (const dir of removed) io.stdout(`removed ${out}/${dir}: no longer in the fleet\n`);
    const count = rows.reduce((n, r) => n + r.files.length, 0);
    io.stdout(`\nrendered ${rows.length} rows, ${count} files into ${out}\n`);
    return 0;
  },
};
