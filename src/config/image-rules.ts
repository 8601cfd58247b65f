// An image a hub or platform file names on a cluster with images.mirror must be one the render can
// mirror (decision 0060): refused here with file:line, as render-agreement.ts does for what render
// would throw, so a fleet that validates renders.
import type { ConfigProblem, LoadedCluster } from './model.js';
import { problemAt, type YamlSource } from './config-source.js';
import { findImages, parseImageReference } from '../render/image-reference.js';

/** Images in `source`'s `values:` that the mirror rewrite could not parse. */
export function mirrorImageProblems(
  cluster: LoadedCluster,
  values: Record<string, unknown> | undefined,
  source: YamlSource,
): ConfigProblem[] {
  if (cluster.config.images === undefined) return [];
  const problems: ConfigProblem[] = [];
  for (const image of findImages(values ?? {})) {
    const text =
      image.kind === 'reference'
        ? image.reference
        : image.tag === undefined
          ? image.name
          : `${image.name}:${image.tag}`;
    if (parseImageReference(text) !== undefined) continue;
    const path = image.kind === 'reference' ? image.path : [...image.path, 'name'];
    problems.push(
      problemAt(
        source,
        ['values', ...path],
        'value',
        `${JSON.stringify(text)} is no image reference hubfleet can mirror to ${cluster.config.images.mirror}: write it as registry/path[:tag][@sha256:…] (lowercase path)`,
      ),
    );
  }
  return problems;
}
