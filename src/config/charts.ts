// The one table that maps a hub's `chart.name` to the real Helm chart and repository it installs.
// Beside it, chart-versions.ts lists what each chart publishes (kept current by
// `npm run chart-versions`). helm installs `--repo <repo> <chart> --version <v>`; a version the
// repository never published would fail only at deploy time, on the cluster, so the validator
// refuses it on the pull request instead.
import { KNOWN_CHART_VERSIONS } from './chart-versions.js';
import type { ChartName } from './model.js';

export interface ChartSource {
  /** Chart name inside the repository. */
  chart: string;
  /** Helm repository URL (`helm upgrade --install … --repo <repo>`). */
  repo: string;
  /**
   * Oldest version whose values hubfleet renders correctly: z2jh 3 (JupyterHub 4) brought the
   * `singleuser.cloudMetadata` and `hub.config` shapes the renderer writes; daskhub 2024.1 is the
   * first daskhub on z2jh 3.
   */
  floor: string;
}

export const CHART_SOURCES: Readonly<Record<ChartName, ChartSource>> = {
  basehub: { chart: 'jupyterhub', repo: 'https://hub.jupyter.org/helm-chart/', floor: '3.0.0' },
  daskhub: { chart: 'daskhub', repo: 'https://helm.dask.org/', floor: '2024.1.0' },
};

export const CHART_NAMES = Object.keys(CHART_SOURCES) as ChartName[];

export function chartSource(name: ChartName): ChartSource {
  return CHART_SOURCES[name];
}

/** Published versions of the chart behind `name`, newest first. */
export function knownChartVersions(name: ChartName): readonly string[] {
  return KNOWN_CHART_VERSIONS[name].versions;
}

/** The newest published release (no pre-release): what `hubfleet new-hub` starts a hub on. */
export function latestChartVersion(name: ChartName): string {
  const latest = knownChartVersions(name).find((v) => !v.includes('-'));
  if (latest === undefined) throw new Error(`src/config/chart-versions.ts lists no release of ${name}`);
  return latest;
}
