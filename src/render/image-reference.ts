// Container image references: parsing, the source → mirror mapping, and finding every image in a
// tree of chart values by its shape. The grammar is the OCI distribution reference's
// (github.com/distribution/reference, normalize.go ParseNormalizedNamed / splitDockerDomain): the
// first path component is a registry host only when it has a "." or ":" or is "localhost";
// otherwise the image is on Docker Hub (docker.io), where a one-component name lives under library/.

/** One image reference, normalized: `registry/path[:tag][@digest]`. */
export interface ImageReference {
  registry: string;
  /** Repository path below the registry, e.g. jupyterhub/k8s-hub or library/traefik. */
  path: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/** Parses `name[:tag][@digest]`, or undefined when `text` is no image reference. */
export function parseImageReference(text: string): ImageReference | undefined {
  let rest = text.trim();
  if (rest === '' || rest !== text) return undefined;
  let digest: string | undefined;
  const d = DIGEST.exec(rest);
  if (d !== null) {
    digest = d[1];
    rest = rest.slice(0, d.index);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : DOCKER_HUB;
  const pathParts = hasRegistry ? parts.slice(1) : parts;
  if (registry === DOCKER_HUB && pathParts.length === 1) pathParts.unshift('library');
  if (pathParts.length === 0 || !pathParts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  return {
    registry: registry === 'index.docker.io' ? DOCKER_HUB : registry,
    path: pathParts.join('/'),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** `registry/path`, the repository without tag or digest. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.registry}/${ref.path}`;
}

/** The full reference text: `registry/path[:tag][@digest]`. */
export function formatImageReference(ref: ImageReference): string {
  return `${repositoryOf(ref)}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** Whether the repository already lives under the mirror prefix. */
export function isUnderMirror(ref: ImageReference, mirror: string): boolean {
  return repositoryOf(ref).startsWith(`${mirror}/`);
}

/**
 * The same image under the mirror: `<mirror>/<path>`, same tag and digest. An image already under
 * the mirror stays as it is. The source registry is dropped from the path (as Artifact Registry and
 * ECR pull-through mirrors lay images out); images.ts refuses two sources that would meet.
 */
export function mirrorReference(ref: ImageReference, mirror: string): ImageReference {
  if (isUnderMirror(ref, mirror)) return ref;
  const slash = mirror.indexOf('/');
  const registry = slash < 0 ? mirror : mirror.slice(0, slash);
  const prefix = slash < 0 ? '' : `${mirror.slice(slash + 1)}/`;
  return { ...ref, registry, path: `${prefix}${ref.path}` };
}

/** Where an image sits in a values tree and in which shape. */
export type FoundImage =
  | { kind: 'name-tag'; path: readonly (string | number)[]; name: string; tag: string | undefined }
  | { kind: 'reference'; path: readonly (string | number)[]; reference: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every image in `tree`, found by shape, not by a list of keys: a mapping with a string `name` and
 * a string or numeric `tag` (the z2jh and dask-gateway `image: {name, tag}` shape, and z2jh's
 * `prePuller.extraImages` entries), a mapping under a key `image` with a string `name` (a tag left to
 * the chart's default), and a string under a key `image` (a full reference, as KubeSpawner's
 * `kubespawner_override.image` and containers' `image` take it).
 */
export function findImages(tree: unknown): FoundImage[] {
  const found: FoundImage[] = [];
  const walk = (node: unknown, path: (string | number)[], key: string | number | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i], i));
      return;
    }
    if (!isRecord(node)) {
      if (key === 'image' && typeof node === 'string' && node !== '') {
        found.push({ kind: 'reference', path, reference: node });
      }
      return;
    }
    const { name, tag } = node;
    const tagText = typeof tag === 'number' ? String(tag) : typeof tag === 'string' ? tag : undefined;
    if (typeof name === 'string' && (tagText !== undefined || (key === 'image' && tag == null))) {
      found.push({ kind: 'name-tag', path, name, tag: tagText });
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k], k);
  };
  walk(tree, [], undefined);
  return found;
}
