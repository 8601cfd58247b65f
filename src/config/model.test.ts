import { describe, expect, it } from '@jest/globals';
import { ClusterSchema, HubSchema } from './model.js';

describe('config model', () => {
  it('gives both schemas a stable $id', () => {
    expect(ClusterSchema.$id).toBe('https://hubfleet.dev/schema/cluster.schema.json');
    expect(HubSchema.$id).toBe('https://hubfleet.dev/schema/hub.schema.json');
  });
});
