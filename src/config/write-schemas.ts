// `npm run schema`: writes config/schema/*.schema.json and the generated validators module from
// the model. Does nothing on import.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { schemaFiles } from './schema-files.js';
import { GENERATED_VALIDATORS_PATH, generatedValidatorsSource } from './validator-code.js';

/** Writes every schema file into `dir`; returns the paths written. */
export async function writeSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries<string>({ ...schemaFiles() })) {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    written.push(path);
  }
  return written;
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(resolve(entry)).href) {
  const dir = process.argv[2] ?? join('config', 'schema');
  try {
    for (const path of await writeSchemas(dir)) process.stdout.write(`wrote ${path}\n`);
    await writeFile(GENERATED_VALIDATORS_PATH, generatedValidatorsSource(), 'utf8');
    process.stdout.write(`wrote ${GENERATED_VALIDATORS_PATH}\n`);
  } catch (err: unknown) {
    process.stderr.write(`write-schemas: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
