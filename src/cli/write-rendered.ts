// Writes what the renderers produce. Files are written to a temporary name and renamed, so an
// interrupted run never leaves a half-written values file that a later deploy could pick up.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Fleet } from '../config/model.js';
import { renderFleetFiles } from '../render/files.js';

export interface RenderedRow {
  cluster: string;
  hub: string;
  stage: string;
  domain: string;
  files: string[];
}

export async function writeRenderedFleet(
  fleet: Fleet,
  outDir: string,
  filter: { cluster?: string; hub?: string },
): Promise<RenderedRow[]> {
  const files = renderFleetFiles(fleet, filter);
  const rows = new Map<string, RenderedRow>();
  for (const cluster of fleet.clusters) {
    const key = `${cluster.config.name}/`;
    rows.set(key, { cluster: cluster.config.name, hub: '-', stage: '-', domain: '-', files: [] });
    for (const hub of cluster.hubs) {
      rows.set(`${key}${hub.config.name}`, {
        cluster: cluster.config.name,
        hub: hub.config.name,
        stage: hub.config.stage,
        domain: hub.config.domain,
        files: [],
      });
    }
  }
  for (const file of files) {
    const target = join(outDir, file.path);
    await mkdir(dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}`;
    await writeFile(temporary, file.content);
    await rename(temporary, target);
    rows.get(`${file.cluster}/${file.hub ?? ''}`)?.files.push(file.path.split('/').pop() ?? file.path);
  }
  return [...rows.values()].filter((r) => r.files.length > 0);
}
