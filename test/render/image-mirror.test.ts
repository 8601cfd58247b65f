// No image escapes the mirror (issue 21, decision 0060). The full values helm installs are the
// chart's own values.yaml under the rendered ones; both are walked for images by shape
// (findImages: any {name, tag} mapping, any `image:` mapping or string), not by a list of keys. The
// charts' values.yaml files are committed under test/fixtures/charts exactly as released (z2jh 4.4.0
// for a basehub; daskhub 2024.1.1 = its values.yaml over z2jh 3.2.1 and dask-gateway 2024.1.0),
// with chartpress's "set-by-chartpress" tags resolved to the release version as the published
// charts have them.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { CHART_IMAGES } from '../../src/config/chart-images.js';
import type { LoadedCluster, LoadedHub } from '../../src/config/model.js';
import { deepMerge } from '../../src/render/deep-merge.js';
import { hubImages } from '../../src/render/hub-images.js';
import { findImages, parseImageReference, repositoryOf } from '../../src/render/image-reference.js';
import { renderHelmValues } from '../../src/render/values.js';
import { gcpBasehub, gcpCluster, gcpDaskhub } from '../fixtures/render/fleet.js';

const MIRROR = 'us-docker.pkg.dev/pangeo-prod/mirror';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

type Tree = Record<string, unknown>;

function chartValues(file: string, version: string): Tree {
  const text = readFileSync(join(process.cwd(), 'test/fixtures/charts', file), 'utf8');
  return yaml.load(text.replaceAll('"set-by-chartpress"', JSON.stringify(version))) as Tree;
}

/** What helm merges the rendered values onto. */
const CHART_DEFAULTS: Record<'basehub' | 'daskhub', Tree> = {
  basehub: chartValues('z2jh-4.4.0.values.yaml', '4.4.0'),
  daskhub: deepMerge(
    {
      jupyterhub: chartValues('z2jh-3.2.1.values.yaml', '3.2.1'),
      'dask-gateway': chartValues('dask-gateway-2024.1.0.values.yaml', '2024.1.0'),
    },
    chartValues('daskhub-2024.1.1.values.yaml', '2024.1.1'),
  ),
};

const cluster: LoadedCluster = {
  ...gcpCluster,
  config: { ...gcpCluster.config, images: { mirror: MIRROR } },
};

/** A basehub whose files name images in every shape z2jh and KubeSpawner take. */
const basehub: LoadedHub = {
  ...gcpBasehub,
  config: {
    ...gcpBasehub.config,
    values: {
      singleuser: {
        image: { name: 'pangeo/pangeo-notebook', tag: '2026.03.01' },
        profileList: [
          { display_name: 'default' },
          {
            display_name: 'GPU',
            kubespawner_override: { image: `ghcr.io/acme/gpu-notebook:1.2@${DIGEST}` },
            profile_options: {
              flavour: {
                display_name: 'Flavour',
                choices: { r: { display_name: 'R', kubespawner_override: { image: 'rocker/binder:4.3' } } },
              },
            },
          },
        ],
      },
      prePuller: { extraImages: { extra: { name: 'docker.io/library/python', tag: '3.12' } } },
    },
  },
  platform: {
    file: 'config/clusters/pangeo-gcp/platform/staging.yaml',
    values: {
      singleuser: { initContainers: [{ name: 'fetch', image: 'alpine:3.20' }] },
      hub: { extraContainers: [{ name: 'sidecar', image: 'busybox' }] },
    },
  },
};

const daskhub: LoadedHub = {
  ...gcpDaskhub,
  config: {
    ...gcpDaskhub.config,
    values: deepMerge(gcpDaskhub.config.values ?? {}, {
      'dask-gateway': { gateway: { backend: { image: { tag: '2024.1.0-cuda' } } } },
    }),
  },
};

function escapes(tree: unknown): string[] {
  return findImages(tree).flatMap((image) => {
    const text =
      image.kind === 'reference'
        ? image.reference
        : image.tag === undefined
          ? image.name
          : `${image.name}:${image.tag}`;
    const ref = parseImageReference(text);
    return ref !== undefined && repositoryOf(ref).startsWith(`${MIRROR}/`)
      ? []
      : [`${image.path.join('.')}: ${text}`];
  });
}

const paths = (tree: unknown): string[] => findImages(tree).map((i) => i.path.join('.'));

describe('image mirroring over the full values helm installs', () => {
  it.each([
    ['basehub (z2jh 4.4.0)', basehub],
    ['daskhub 2024.1.1', daskhub],
  ])('no image of a %s escapes the mirror', (_title, hub) => {
    const rendered = renderHelmValues(cluster, hub);
    const full = deepMerge(CHART_DEFAULTS[hub.config.chart.name], rendered);
    // The walk is not vacuous: without the mirror the same hub's full values escape everywhere.
    const unmirrored = deepMerge(CHART_DEFAULTS[hub.config.chart.name], renderHelmValues(gcpCluster, hub));
    expect(escapes(unmirrored).length).toBe(paths(unmirrored).length);
    expect(paths(full)).toEqual(paths(unmirrored));
    expect(escapes(full)).toEqual([]);
  });

  it('finds every image of the basehub, the chart’s and the files’', () => {
    const full = deepMerge(CHART_DEFAULTS.basehub, renderHelmValues(cluster, basehub));
    expect(paths(full).sort()).toEqual(
      [
        'hub.image',
        'hub.extraContainers.0.image',
        'proxy.chp.image',
        'proxy.traefik.image',
        'proxy.secretSync.image',
        'singleuser.networkTools.image',
        'singleuser.image',
        'singleuser.initContainers.0.image',
        'singleuser.profileList.1.kubespawner_override.image',
        'singleuser.profileList.1.profile_options.flavour.choices.r.kubespawner_override.image',
        'scheduling.userScheduler.image',
        'scheduling.userPlaceholder.image',
        'prePuller.hook.image',
        'prePuller.pause.image',
        'prePuller.extraImages.extra',
      ].sort(),
    );
  });

  it('lists the basehub’s images as source → mirror, same tag and digest', () => {
    const pairs = hubImages(cluster, basehub).map(({ source, mirror }) => `${source} ${mirror}`);
    expect(pairs).toEqual([
      `quay.io/jupyterhub/k8s-hub:4.4.0 ${MIRROR}/jupyterhub/k8s-hub:4.4.0`,
      `quay.io/jupyterhub/configurable-http-proxy:5.2.0 ${MIRROR}/jupyterhub/configurable-http-proxy:5.2.0`,
      `docker.io/library/traefik:v3.6.12 ${MIRROR}/library/traefik:v3.6.12`,
      `quay.io/jupyterhub/k8s-secret-sync:4.4.0 ${MIRROR}/jupyterhub/k8s-secret-sync:4.4.0`,
      `quay.io/jupyterhub/k8s-network-tools:4.4.0 ${MIRROR}/jupyterhub/k8s-network-tools:4.4.0`,
      `docker.io/pangeo/pangeo-notebook:2026.03.01 ${MIRROR}/pangeo/pangeo-notebook:2026.03.01`,
      `registry.k8s.io/kube-scheduler:v1.30.14 ${MIRROR}/kube-scheduler:v1.30.14`,
      `registry.k8s.io/pause:3.10.1 ${MIRROR}/pause:3.10.1`,
      `quay.io/jupyterhub/k8s-image-awaiter:4.4.0 ${MIRROR}/jupyterhub/k8s-image-awaiter:4.4.0`,
      `registry.k8s.io/pause:3.10.1 ${MIRROR}/pause:3.10.1`,
      `ghcr.io/acme/gpu-notebook:1.2@${DIGEST} ${MIRROR}/acme/gpu-notebook:1.2@${DIGEST}`,
      `docker.io/rocker/binder:4.3 ${MIRROR}/rocker/binder:4.3`,
      `docker.io/library/alpine:3.20 ${MIRROR}/library/alpine:3.20`,
      `docker.io/library/busybox ${MIRROR}/library/busybox`,
      `docker.io/library/python:3.12 ${MIRROR}/library/python:3.12`,
    ]);
  });

  it('writes the chart’s images out in full, keeping a tag the hub set', () => {
    const values = renderHelmValues(cluster, daskhub);
    expect(values['dask-gateway']).toMatchObject({
      gateway: {
        image: { name: `${MIRROR}/dask/dask-gateway-server`, tag: '2024.1.0' },
        backend: { image: { name: `${MIRROR}/dask/dask-gateway`, tag: '2024.1.0-cuda' } },
      },
      controller: { image: { name: `${MIRROR}/dask/dask-gateway-server`, tag: '2024.1.0' } },
      traefik: { image: { name: `${MIRROR}/library/traefik`, tag: '2.10.6' } },
    });
    expect(values.jupyterhub).toMatchObject({
      singleuser: { image: { name: `${MIRROR}/pangeo/base-notebook`, tag: '2024.01.15' } },
    });
  });

  it('renders no image at all without a mirror (the charts’ defaults apply)', () => {
    expect(findImages(renderHelmValues(gcpCluster, gcpDaskhub))).toEqual([]);
  });
});

describe('chart image table (src/config/chart-images.ts)', () => {
  const table = (chart: 'basehub' | 'daskhub', version: string): string[] =>
    (CHART_IMAGES[chart][version] ?? []).map((i) => `${i.path.join('.')} ${i.name}:${i.tag}`);
  const fromValues = (tree: Tree): string[] =>
    findImages(tree).map((i) => `${i.path.join('.')} ${i.kind === 'name-tag' ? `${i.name}:${i.tag}` : ''}`);

  it('holds exactly the images of the released values.yaml files', () => {
    expect(table('basehub', '4.4.0')).toEqual(fromValues(CHART_DEFAULTS.basehub));
    expect(table('daskhub', '2024.1.1').sort()).toEqual(fromValues(CHART_DEFAULTS.daskhub).sort());
  });

  it('has the z2jh images one expects from reading the chart (hub, proxy, user pods, puller, scheduler)', () => {
    expect((CHART_IMAGES.basehub['4.4.0'] ?? []).map((i) => i.path.join('.'))).toEqual([
      'hub.image',
      'proxy.chp.image',
      'proxy.traefik.image',
      'proxy.secretSync.image',
      'singleuser.networkTools.image',
      'singleuser.image',
      'scheduling.userScheduler.image',
      'scheduling.userPlaceholder.image',
      'prePuller.hook.image',
      'prePuller.pause.image',
    ]);
  });
});

describe('mirrored values still fit the chart', () => {
  it('a mirrored basehub’s values pass z2jh 4.4.0’s values schema', async () => {
    const { Ajv } = await import('ajv');
    const schema = JSON.parse(
      readFileSync(join(process.cwd(), 'test/fixtures/charts/z2jh.values.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const full = deepMerge(CHART_DEFAULTS.basehub, renderHelmValues(cluster, basehub));
    expect(validate(full) ? [] : validate.errors).toEqual([]);
  });
});

describe('images hubfleet cannot mirror', () => {
  const withValues = (values: Record<string, unknown>): LoadedHub => ({
    ...gcpBasehub,
    config: { ...gcpBasehub.config, values },
  });

  it('refuses an image reference it cannot parse, naming the file and the value', () => {
    const hub = withValues({
      singleuser: { profileList: [{ kubespawner_override: { image: 'Acme/NB:1' } }] },
    });
    expect(() => renderHelmValues(cluster, hub)).toThrow(
      'config/clusters/pangeo-gcp/hubs/staging.yaml: values.singleuser.profileList.0.kubespawner_override.image is "Acme/NB:1", which is no image reference hubfleet can mirror',
    );
  });

  it('refuses two sources that would meet in one mirror repository', () => {
    const hub = withValues({
      singleuser: {
        image: { name: 'ghcr.io/pangeo/notebook', tag: '1' },
        profileList: [{ kubespawner_override: { image: 'quay.io/pangeo/notebook:1' } }],
      },
    });
    expect(() => renderHelmValues(cluster, hub)).toThrow(
      `config/clusters/pangeo-gcp/hubs/staging.yaml: images ghcr.io/pangeo/notebook and quay.io/pangeo/notebook would both be mirrored to ${MIRROR}/pangeo/notebook`,
    );
  });

  it('leaves an image already under the mirror as it is, and does not list it', () => {
    const hub = withValues({ singleuser: { image: { name: `${MIRROR}/custom/nb`, tag: '7' } } });
    expect(renderHelmValues(cluster, hub)).toMatchObject({
      singleuser: { image: { name: `${MIRROR}/custom/nb`, tag: '7' } },
    });
    expect(hubImages(cluster, hub).map((i) => i.at)).not.toContain('singleuser.image');
  });
});

describe('chart image table covers every supported chart version', () => {
  it.each(['basehub', 'daskhub'] as const)(
    '%s: one entry per version chart-versions.ts lists',
    async (chart) => {
      const { KNOWN_CHART_VERSIONS } = await import('../../src/config/chart-versions.js');
      expect(Object.keys(CHART_IMAGES[chart]).sort()).toEqual(
        [...KNOWN_CHART_VERSIONS[chart].versions].sort(),
      );
    },
  );
});
