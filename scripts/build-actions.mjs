// Bundles every actions/<name>/index.ts into actions/<name>/dist/index.js with ncc.
//
//   node scripts/build-actions.mjs            all actions
//   node scripts/build-actions.mjs report     only the named ones
//
// The output is committed and CI checks it with `git diff --exit-code`, so the build must be
// byte-for-byte reproducible: no source maps or licence files (they carry paths), no cache, and a
// dist directory emptied first so no stale file survives.
import { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ncc from '@vercel/ncc';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const actionsDir = join(root, 'actions');

async function actionNames() {
  const entries = await readdir(actionsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(actionsDir, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
}

async function build(name) {
  const entry = join(actionsDir, name, 'index.ts');
  const dist = join(actionsDir, name, 'dist');
  const started = Date.now();
  const { code, assets } = await ncc(entry, {
    cache: false,
    minify: true,
    sourceMap: false,
    license: '',
    quiet: true,
    target: 'es2022',
  });
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'index.js'), code);
  // The bundle is ESM; this file makes node load it as such wherever the action is checked out.
  await writeFile(join(dist, 'package.json'), '{ "type": "module" }\n');
  const extra = [];
  for (const [file, asset] of Object.entries(assets).sort(([a], [b]) => a.localeCompare(b))) {
    if (file === 'package.json') continue;
    const target = resolve(dist, file);
    if (!target.startsWith(dist + sep))
      throw new Error(`${name}: ncc asset ${file} would land outside dist/`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, asset.source, asset.permissions ? { mode: asset.permissions } : undefined);
    extra.push(file);
  }
  const size = Buffer.byteLength(code);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const assetsNote = extra.length > 0 ? `, assets: ${extra.join(', ')}` : '';
  console.log(
    `${relative(root, join(dist, 'index.js'))}  ${size} bytes (${(size / 1024 / 1024).toFixed(2)} MB)  ${seconds}s${assetsNote}`,
  );
}

const all = await actionNames();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`no action "${name}" (known: ${all.join(', ') || 'none'})`);
    process.exit(2);
  }
}
if (all.length === 0) console.log('no actions/*/index.ts to build');
for (const name of wanted.length > 0 ? wanted : all) {
  await build(name);
}
