import { describe, expect, it } from '@jest/globals';
import { findImages, formatImageReference, mirrorReference, parseImageReference } from './image-reference.js';

const DIGEST = `sha256:${'0f'.repeat(32)}`;

describe('parseImageReference (distribution/reference normalization)', () => {
  it.each([
    ['traefik', 'docker.io/library/traefik'],
    ['traefik:v3.6.12', 'docker.io/library/traefik:v3.6.12'],
    ['pangeo/base-notebook:2024.01.15', 'docker.io/pangeo/base-notebook:2024.01.15'],
    ['index.docker.io/pangeo/base-notebook', 'docker.io/pangeo/base-notebook'],
    ['quay.io/jupyterhub/k8s-hub:4.4.0', 'quay.io/jupyterhub/k8s-hub:4.4.0'],
    ['registry.k8s.io/pause:3.10.1', 'registry.k8s.io/pause:3.10.1'],
    ['localhost/x/y:1', 'localhost/x/y:1'],
    ['registry.example.org:5000/team/img:1.0', 'registry.example.org:5000/team/img:1.0'],
    [`ghcr.io/acme/nb@${DIGEST}`, `ghcr.io/acme/nb@${DIGEST}`],
    [`ghcr.io/acme/nb:1.2@${DIGEST}`, `ghcr.io/acme/nb:1.2@${DIGEST}`],
  ])('%s → %s', (text, normalized) => {
    const ref = parseImageReference(text);
    expect(ref === undefined ? undefined : formatImageReference(ref)).toBe(normalized);
  });

  it.each(['', ' traefik', 'UPPER/case', 'quay.io/', 'a//b', 'img:bad tag', 'img:'])('refuses %j', (text) => {
    expect(parseImageReference(text)).toBeUndefined();
  });
});

describe('mirrorReference', () => {
  const mirror = 'us-docker.pkg.dev/proj/mirror';
  it.each([
    ['quay.io/jupyterhub/k8s-hub:4.4.0', `${mirror}/jupyterhub/k8s-hub:4.4.0`],
    ['traefik:v3.6.12', `${mirror}/library/traefik:v3.6.12`],
    ['registry.k8s.io/pause:3.10.1', `${mirror}/pause:3.10.1`],
    [`ghcr.io/acme/nb:1.2@${DIGEST}`, `${mirror}/acme/nb:1.2@${DIGEST}`],
    [`${mirror}/jupyterhub/k8s-hub:4.4.0`, `${mirror}/jupyterhub/k8s-hub:4.4.0`],
  ])('%s → %s', (text, expected) => {
    const ref = parseImageReference(text);
    if (ref === undefined) throw new Error(`unparsed ${text}`);
    expect(formatImageReference(mirrorReference(ref, mirror))).toBe(expected);
  });

  it('puts images at the root of a registry mirror that has no path', () => {
    const ref = parseImageReference('quay.io/jupyterhub/k8s-hub:4.4.0');
    if (ref === undefined) throw new Error('unparsed');
    expect(formatImageReference(mirrorReference(ref, 'mirror.example.org:5000'))).toBe(
      'mirror.example.org:5000/jupyterhub/k8s-hub:4.4.0',
    );
  });
});

describe('findImages', () => {
  it('finds images by shape: {name, tag}, image: {name}, image: "ref", in mappings and lists', () => {
    expect(
      findImages({
        hub: { image: { name: 'a/hub', tag: '1', pullPolicy: null }, extraEnv: [{ name: 'X', value: 'y' }] },
        singleuser: { image: { name: 'a/user' }, initContainers: [{ name: 'init', image: 'busybox:1' }] },
        prePuller: { extraImages: { py: { name: 'python', tag: 3.12 } } },
        other: { image: '', name: 'not-an-image' },
      }),
    ).toEqual([
      { kind: 'name-tag', path: ['hub', 'image'], name: 'a/hub', tag: '1' },
      { kind: 'name-tag', path: ['singleuser', 'image'], name: 'a/user', tag: undefined },
      { kind: 'reference', path: ['singleuser', 'initContainers', 0, 'image'], reference: 'busybox:1' },
      { kind: 'name-tag', path: ['prePuller', 'extraImages', 'py'], name: 'python', tag: '3.12' },
    ]);
  });
});
