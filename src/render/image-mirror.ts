// Image mirroring (decision 0060): with `images.mirror` in cluster.yaml, every image a hub's pods
// run is pulled from the mirror, same path, tag and digest. Applied last in the render, over the
// merged hub, platform and hubfleet values, so no values file can name an image outside the mirror.
import { HubfleetError } from '../errors.js';
import { CHART_IMAGES, type ChartImage } from '../config/chart-images.js';
import type { ChartName } from '../config/model.js';
import { getPath, isRecord, setOwn } from './deep-merge.js';
import {
  type ImageReference,
  findImages,
  formatImageReference,
  isUnderMirror,
  mirrorReference,
  parseImageReference,
  repositoryOf,
} from './image-reference.js';

/** One image a hub uses: where the values name it, where it comes from, and its mirror copy. */
export interface MirroredImage {
  /** Dotted path in the helm values, e.g. `jupyterhub.hub.image`. */
  at: string;
  source: string;
  mirror: string;
}

/** The images a chart version uses by default (src/config/chart-images.ts, generated). */
export function chartImages(chart: ChartName, version: string): readonly ChartImage[] {
  const images = CHART_IMAGES[chart][version];
  if (images === undefined) {
    throw new HubfleetError(`hubfleet has no image list for ${chart} ${version}`, {
      hint: 'run npm run chart-images (after npm run chart-versions) and commit src/config/chart-images.ts',
    });
  }
  return images;
}

const dotted = (path: readonly (string | number)[]): string => path.join('.');

function parseOrRefuse(text: string, at: string, file: string): ImageReference {
  const ref = parseImageReference(text);
  if (ref === undefined) {
    throw new HubfleetError(
      `${file}: values.${at} is ${JSON.stringify(text)}, which is no image reference hubfleet can mirror`,
      { hint: 'write it as registry/path[:tag][@sha256:…], or drop it' },
    );
  }
  return ref;
}

function setAt(values: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let node: unknown = values;
  for (const key of path.slice(0, -1)) {
    if (Array.isArray(node)) node = node[key as number];
    else if (isRecord(node)) {
      if (!isRecord(node[key]) && !Array.isArray(node[key])) setOwn(node, String(key), {});
      node = node[key];
    } else return;
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (Array.isArray(node)) node[last as number] = value;
  else if (isRecord(node)) setOwn(node, String(last), value);
}

/**
 * Rewrites, in place, every image of `values` to `mirror` and returns them as source → mirror. The
 * chart's own images get their name and tag written out in full (the tag from the values when a
 * file set one, else the chart's default), so the rendered values say exactly what is pulled; every
 * other image the values hold (found by shape: findImages) is rewritten where it is.
 */
export function mirrorImages(
  values: Record<string, unknown>,
  chart: ChartName,
  version: string,
  mirror: string,
  file: string,
): MirroredImage[] {
  const found: MirroredImage[] = [];
  const record = (at: string, source: ImageReference): ImageReference => {
    const target = mirrorReference(source, mirror);
    if (!isUnderMirror(source, mirror)) {
      found.push({ at, source: formatImageReference(source), mirror: formatImageReference(target) });
    }
    return target;
  };
  for (const image of chartImages(chart, version)) {
    const given = getPath(values, image.path);
    const current = isRecord(given) ? given : {};
    const name = typeof current.name === 'string' && current.name !== '' ? current.name : image.name;
    const tag =
      typeof current.tag === 'string' || typeof current.tag === 'number' ? String(current.tag) : image.tag;
    const at = dotted(image.path);
    const target = record(at, parseOrRefuse(`${name}:${tag}`, `${at}.name`, file));
    setAt(values, image.path, { ...current, name: repositoryOf(target), tag });
  }
  for (const image of findImages(values)) {
    const at = dotted(image.path);
    if (image.kind === 'reference') {
      const target = record(at, parseOrRefuse(image.reference, at, file));
      setAt(values, image.path, formatImageReference(target));
    } else {
      const text = image.tag === undefined ? image.name : `${image.name}:${image.tag}`;
      const source = parseOrRefuse(text, `${at}.name`, file);
      if (isUnderMirror(source, mirror)) continue;
      const target = record(at, source);
      setAt(values, [...image.path, 'name'], repositoryOf(target));
    }
  }
  refuseMeetings(found, file);
  return found;
}

/** Two sources that would share one mirror repository (docker.io/x/y and ghcr.io/x/y) would overwrite each other. */
function refuseMeetings(images: readonly MirroredImage[], file: string): void {
  const bySource = new Map<string, string>();
  for (const { source, mirror } of images) {
    const repo = (ref: string): string => {
      const parsed = parseImageReference(ref);
      return parsed === undefined ? ref : repositoryOf(parsed);
    };
    const target = repo(mirror);
    const other = bySource.get(target);
    if (other !== undefined && other !== repo(source)) {
      throw new HubfleetError(
        `${file}: images ${other} and ${repo(source)} would both be mirrored to ${target}`,
        {
          hint: 'use one of them, or mirror the other by hand under a path of its own and name that in the values',
        },
      );
    }
    bySource.set(target, repo(source));
  }
}
