// `npm run docs`: regenerates the config reference and the audit rule table inside README.md.
import { readFile, writeFile } from 'node:fs/promises';
import { withReference } from './config-reference.js';
import { withRuleTable } from '../audit/rule-table.js';

const path = process.argv[2] ?? 'README.md';
await writeFile(path, withRuleTable(withReference(await readFile(path, 'utf8'))));
process.stdout.write(`updated the config reference and the audit rule table in ${path}\n`);
