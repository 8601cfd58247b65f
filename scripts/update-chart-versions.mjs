// Refreshes src/config/chart-versions.ts from each chart repository's index.yaml (needs the
// network). Run as `npm run chart-versions`, then review and commit the diff: a new version becomes
// valid in hub files only through that commit.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHART_SOURCES } from '../lib/src/config/charts.js';
import { publishedVersions, renderChartVersionsModule } from '../lib/src/config/chart-index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const today = new Date().toISOString().slice(0, 10);
const data = {};
for (const [name, { chart, repo, floor }] of Object.entries(CHART_SOURCES)) {
  const url = new URL('index.yaml', repo).href;
  const response = await globalThis.fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const versions = publishedVersions(await response.text(), chart, floor);
  data[name] = { source: `${url} on ${today}`, versions };
  console.log(`${name} (${chart} from ${repo}): ${versions.length} versions, newest ${versions[0]}`);
}
await writeFile(join(root, 'src/config/chart-versions.ts'), renderChartVersionsModule(data));
