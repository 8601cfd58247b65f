// `npm run workflows`: writes .github/workflows/*.yml from the sources in workflows/ and removes
// generated files whose source is gone. Hand-written workflow files (no generated header) are kept.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFleetSettings } from '../src/config/fleet-settings.js';
import { renderAll } from './index.js';
import { WORKFLOWS_DIR } from './render.js';
import { OTHER_CHECK_SCHEDULES } from './scheduled.js';

const root = process.argv[2] ?? process.cwd();
const dir = join(root, WORKFLOWS_DIR);
await mkdir(dir, { recursive: true });
// The fleet's own settings (config/fleet.yaml, checked; the defaults without it).
const rendered = renderAll(readFleetSettings(join(root, 'config'), OTHER_CHECK_SCHEDULES));
const wanted = new Set(rendered.map((w) => w.path.split('/').pop()));
for (const name of await readdir(dir)) {
  if (wanted.has(name) || !/\.ya?ml$/.test(name)) continue;
  const text = await readFile(join(dir, name), 'utf8');
  if (text.startsWith('# GENERATED FILE')) {
    await rm(join(dir, name));
    process.stdout.write(`removed ${WORKFLOWS_DIR}/${name} (its source is gone)\n`);
  }
}
for (const workflow of rendered) {
  await writeFile(join(root, workflow.path), workflow.content);
  process.stdout.write(`wrote ${workflow.path}\n`);
}
