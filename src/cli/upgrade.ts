// `hubfleet upgrade [dir]`: moves a fleet repository to another hubfleet (src/fleet-repo/upgrade.ts).
// It shows the diff and writes only with --write: the files it changes run with the fleet's cloud
// identities, so a person reads them first (as `terraform plan` before `apply`).
import { resolve } from 'node:path';
import { type Command, list } from './common.js';
import { chosenTool, toolOptions } from './tool-option.js';

export const upgradeCommand: Command = {
  summary: 'move a fleet repository to another hubfleet: diff of the files hubfleet owns, --write to write',
  usage: `hubfleet upgrade [dir] [--to OWNER/REPO@SHA#VERSION | --local-tool PATH] [--write] [--force]

Regenerates the files .hubfleet/owned.json lists (the workflows) for the running hubfleet release,
or the one --to names, and prints their unified diff. Nothing is written without --write. config/
is never touched. A file changed by hand since hubfleet wrote it (its hash differs from the
recorded one; Dependabot's updates of the hubfleet pins do not count) is refused, and nothing is
written, unless --force. Exit 0 when written or nothing to do, 1 when a file is refused.`,
  positionals: 1,
  options: {
    to: toolOptions['tool-ref'],
    'local-tool': toolOptions['local-tool'],
    write: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
  },
  run: async (v, io) => {
    const dir = resolve(io.cwd, list(v._)[0] ?? '.');
    const to = await chosenTool(v, io, 'to');
    const { applyUpgrade, describeUpgrade, planUpgrade, refusedFiles, upgradeDiff } =
      await import('../fleet-repo/upgrade.js');
    const plan = await planUpgrade(dir, to);
    io.stdout(upgradeDiff(plan));
    io.stdout(`${describeUpgrade(plan)}\n`);
    const refused = refusedFiles(plan);
    if (refused.length > 0 && v.force !== true) {
      io.stderr(
        `hubfleet upgrade: changed by hand since hubfleet wrote them: ${refused.join(', ')}; nothing was written\nnext: move those changes into hubfleet (or drop them), or run again with --force to overwrite them\n`,
      );
      return 1;
    }
    if (v.write !== true) {
      io.stdout('nothing written; run again with --write to write these changes\n');
      return 0;
    }
    const touched = await applyUpgrade(dir, plan);
    io.stdout(
      `${touched.map((p) => `wrote ${p}`).join('\n')}${touched.length > 0 ? '\n' : ''}wrote .hubfleet/owned.json\n`,
    );
    return 0;
  },
};
