// Bundles every actions/<name>/index.ts into actions/<name>/dist/index.js with ncc (minified).
//
//   node scripts/build-actions.mjs            all actions
//   node scripts/build-actions.mjs report     only the named ones
//
// Two steps. First the TypeScript compiler type-checks and emits exactly the files the actions
// import (a program rooted at the entry points), so an unfinished file elsewhere in the project
// cannot block a bundle, and a type error in bundled code always does. ncc's own TypeScript
// support cannot do this: it checks the whole tsconfig project, and its transpile-only mode emits
// CommonJS under `module: NodeNext`, which the ESM-only @actions packages refuse.
// Then ncc bundles the emitted ESM.
//
// The output is committed and CI checks it with `git diff --exit-code`, so the build must be
// byte-for-byte reproducible: no source maps or licence files, no cache, no absolute paths, and a
// dist directory emptied first so no stale file survives.
import { Buffer } from 'node:buffer';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ncc from '@vercel/ncc';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const actionsDir = join(root, 'actions');
// Inside the project, so the emitted files resolve node_modules and the package's "type".
const emitDir = join(root, 'node_modules', '.cache', 'hubfleet-actions');

async function actionNames() {
  const entries = await readdir(actionsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(join(actionsDir, e.name, 'index.ts')))
    .map((e) => e.name)
    .sort();
}

/** Type-checks and emits the entry points and everything they import; false on type errors. */
function compile(entries) {
  const configFile = join(root, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configFile);
  const program = ts.createProgram(entries, {
    ...options,
    noEmit: false,
    outDir: emitDir,
    rootDir: root,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: false,
    incremental: false,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
    return false;
  }
  const emitted = program.emit();
  if (emitted.emitSkipped) throw new Error('TypeScript skipped the emit');
  return true;
}

async function bundle(name) {
  const entry = join(emitDir, 'actions', name, 'index.js');
  const dist = join(actionsDir, name, 'dist');
  const started = Date.now();
  const { code, assets } = await ncc(entry, {
    cache: false,
    // @actions/core 3 and @actions/github 9 are ESM-only; so is the bundle.
    esm: true,
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
  // Refuse a bundle that would run someone's path or clock into the committed file.
  if (code.includes(root)) throw new Error(`${name}: the bundle contains the absolute path ${root}`);
}

const all = await actionNames();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`no action "${name}" (known: ${all.join(', ') || 'none'})`);
    process.exit(2);
  }
}
const names = wanted.length > 0 ? wanted : all;
if (names.length === 0) {
  console.log('no actions/*/index.ts to build');
} else {
  await rm(emitDir, { recursive: true, force: true });
  if (!compile(names.map((name) => join(actionsDir, name, 'index.ts')))) {
    console.error('type errors in the code the actions bundle; nothing was built');
    process.exit(1);
  }
  for (const name of names) await bundle(name);
}
