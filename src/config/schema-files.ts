// The JSON Schema files editors use (`# yaml-language-server: $schema=…`), generated from the
// TypeBox model so they cannot drift from what the loader validates.
import { ClusterSchema, HubSchema } from './model.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export interface SchemaFiles {
  'cluster.schema.json': string;
  'hub.schema.json': string;
}

function render(schema: object): string {
  // JSON.stringify drops TypeBox's symbol-keyed metadata, leaving plain JSON Schema.
  return `${JSON.stringify({ $schema: DRAFT_07, ...schema }, null, 2)}\n`;
}

export function schemaFiles(): SchemaFiles {
  return { 'cluster.schema.json': render(ClusterSchema), 'hub.schema.json': render(HubSchema) };
}
