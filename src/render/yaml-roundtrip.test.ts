// Property: any text, as a key or a value, reaches a hub's rendered values.yaml so that two
// independent YAML readers read back exactly what the hub file said. js-yaml refuses raw
// non-printable characters (its PATTERN_NON_PRINTABLE: C0 but tab/LF/CR, DEL, C1 but NEL, U+FFFE/F,
// lone surrogates), and the `yaml` package in 1.1 mode reads as go-yaml (helm, kubectl) does; the
// emitter must escape what either would refuse or fold (NEL, U+2028/2029, the BOM).
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { parse } from 'yaml';
import { loadFleet } from '../config/load.js';
import type { LoadedCluster, LoadedHub } from '../config/model.js';
import { renderHubFiles } from './files.js';

let cluster: LoadedCluster;
let hub: LoadedHub;

beforeAll(async () => {
  const result = await loadFleet('config');
  if (!result.ok) throw new Error('the example fleet must load');
  const gcp = result.fleet.clusters.find((c) => c.config.provider === 'gcp');
  const basehub = gcp?.hubs.find((h) => h.config.chart.name === 'basehub');
  if (gcp === undefined || basehub === undefined)
    throw new Error('the example fleet needs a GKE basehub hub');
  cluster = gcp;
  hub = basehub;
});

/** Characters YAML forbids raw, or that a 1.1 reader folds into a line break. */
const HOSTILE = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\u2028',
  '\u2029',
  '\ufeff',
];
// eslint-disable-next-line no-control-regex
const RAW_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({
    unit: fc.constantFrom(...HOSTILE, 'a', ' ', ':', '#', "'", '"', '\n', '\t', '\\'),
    maxLength: 12,
  }),
);

function rendered(custom: Record<string, unknown>): string {
  const withCustom: LoadedHub = { ...hub, config: { ...hub.config, values: { custom } } };
  return renderHubFiles(cluster, withCustom).values;
}

describe('rendered values.yaml', () => {
  it('reads back every key and string exactly, in js-yaml and in yaml as YAML 1.1 and 1.2', () => {
    fc.assert(
      fc.property(
        fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxKeys: 4 }),
        (custom) => {
          const values = rendered(custom);
          expect(RAW_FORBIDDEN.test(values)).toBe(false);
          const expected = JSON.parse(JSON.stringify(custom)) as unknown;
          expect((jsYaml.load(values) as { custom: unknown }).custom).toEqual(expected);
          expect((parse(values, { version: '1.1' }) as { custom: unknown }).custom).toEqual(expected);
          expect((parse(values) as { custom: unknown }).custom).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['NEL', '\u0085', '"a\\x85b"'],
    ['DEL', '\u007f', '"a\\x7fb"'],
    ['a C1 control', '\u009b', '"a\\x9bb"'],
    ['LINE SEPARATOR', '\u2028', '"a\\u2028b"'],
    ['PARAGRAPH SEPARATOR', '\u2029', '"a\\u2029b"'],
    ['BOM', '\ufeff', '"a\\ufeffb"'],
    ['NUL', '\u0000', '"a\\u0000b"'],
  ])('escapes %s in a value and in a key', (_name, char, written) => {
    const values = rendered({ [`a${char}b`]: `a${char}b` });
    expect(values).toContain(`\n  ${written}: ${written}\n`);
  });
});
