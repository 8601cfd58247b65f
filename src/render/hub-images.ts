// The images one hub pulls, as source → mirror pairs: what `hubfleet images` lists for the
// mirroring job. The same render as deploy-hub's (renderHelmValues), whose last step rewrites the
// images; here the sources are kept too.
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { type MirroredImage, mirrorImages } from './image-mirror.js';
import { renderHelmValues } from './values.js';

/** Every image of the hub with where it is mirrored to; none when the cluster has no mirror. */
export function hubImages(cluster: LoadedCluster, hub: LoadedHub): MirroredImage[] {
  const { images, ...rest } = cluster.config;
  const mirror = images?.mirror;
  if (mirror === undefined) return [];
  const values = renderHelmValues({ ...cluster, config: rest }, hub);
  return mirrorImages(values, hub.config.chart.name, hub.config.chart.version, mirror, hub.file);
}
