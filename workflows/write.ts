// `npm run workflows`: writes .github/workflows/*.yml from the sources in workflows/ and removes
// generated files whose source is gone. Hand-written workflow files (no generated header) are kept.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderAll } from './index.js';
import { WORKFLOWS_DIR } from './render.js';

const root = process.argv[2] ?? process.cwd();
const dir = join(root, WORKFLOWS_DIR);
await mkdir(dir, { recursive: true });
const rendered = renderAll();
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
