import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaFiles } from './schema-files.js';
import { writeSchemas } from './write-schemas.js';

const committed = join(import.meta.dirname, '..', '..', 'config', 'schema');

describe('JSON schema files', () => {
  it.each(Object.entries(schemaFiles()))(
    'config/schema/%s matches the model (run `npm run schema`)',
    async (name, text) => {
      expect(await readFile(join(committed, name), 'utf8')).toBe(text);
    },
  );

  it('are draft-07 documents carrying the model $id, ending in a newline', () => {
    const files = schemaFiles();
    const hub = JSON.parse(files['hub.schema.json']) as Record<string, unknown>;
    expect(hub.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(hub.$id).toBe('https://hubfleet.dev/schema/hub.schema.json');
    expect(Object.keys(hub)[0]).toBe('$schema');
    expect(files['cluster.schema.json'].endsWith('}\n')).toBe(true);
  });

  it('writeSchemas writes both files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hubfleet-schema-'));
    try {
      const written = await writeSchemas(join(dir, 'schema'));
      expect(written.map((p) => p.slice(dir.length + 1))).toEqual([
        'schema/cluster.schema.json',
        'schema/hub.schema.json',
      ]);
      expect(await readFile(join(dir, 'schema', 'hub.schema.json'), 'utf8')).toBe(
        schemaFiles()['hub.schema.json'],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
