// `npm run docs`: regenerates the config reference inside README.md.
import { readFile, writeFile } from 'node:fs/promises';
import { withReference } from './config-reference.js';

const path = process.argv[2] ?? 'README.md';
await writeFile(path, withReference(await readFile(path, 'utf8')));
process.stdout.write(`updated the config reference in ${path}\n`);
