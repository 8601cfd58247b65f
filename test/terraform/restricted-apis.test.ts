// terraform/gcp/restricted-apis.tf: the zones, records and route of gcp.restrictedGoogleApis and the
// perimeter membership of gcp.vpcServiceControls. The real terraform evaluates the module's own
// expressions offline: its variables.tf, its locals, and each resource's for_each/count and
// arguments copied out of the HCL as outputs (no provider needed), fed with what the renderer
// writes. The provider schema test (provider-schema.test.ts) checks every argument's name.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedCluster } from '../../src/config/model.js';
import { renderTfvars } from '../../src/render/tfvars.js';
import { gcpCluster } from '../fixtures/render/fleet.js';
import { terraformAvailable, terraformIn } from '../support/terraform-binary.js';
import { parseHcl, type HclBlock } from './hcl.js';

const root = join(import.meta.dirname, '..', '..');
const FILE = 'terraform/gcp/restricted-apis.tf';
const blocks = parseHcl(readFileSync(join(root, FILE), 'utf8'), FILE).blocks;
const resource = (type: string, name: string): HclBlock => {
  const found = blocks.find((b) => b.type === 'resource' && b.labels[0] === type && b.labels[1] === name);
  if (found === undefined) throw new Error(`no ${type}.${name} in ${FILE}`);
  return found;
};
const attr = (block: HclBlock, name: string): string => {
  const found = block.body.attributes.find((a) => a.name === name);
  if (found === undefined) throw new Error(`no ${name} in ${block.labels.join('.')}`);
  return found.expr;
};

/** A resource's arguments as one object per instance, with `each` bound by a for expression. */
function instances(type: string, name: string, args: string[]): string {
  const block = resource(type, name);
  const object = `{ ${args.map((a) => `${a} = ${attr(block, a).replace(/\beach\./g, 'i.')}`).join(', ')} }`;
  const forEach = block.body.attributes.find((a) => a.name === 'for_each')?.expr;
  if (forEach !== undefined)
    return `{ for k, v in ${forEach} : k => ${object.replace(/\bi\.key\b/g, 'k').replace(/\bi\.value\b/g, 'v')} }`;
  return `[ for n in range(${attr(block, 'count')}) : ${object} ]`;
}

const available = terraformAvailable();
const describeTf = available ? describe : describe.skip;
let dir: string;
let counter = 0;

const tf = (args: string[]): { status: number; output: string } => terraformIn(dir, args);

beforeAll(() => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), 'hubfleet-tf-restricted-'));
  copyFileSync(join(root, 'terraform/gcp/variables.tf'), join(dir, 'variables.tf'));
  const locals = blocks.filter((b) => b.type === 'locals').flatMap((b) => b.body.attributes);
  const outputs: Record<string, string> = {
    zones: instances('google_dns_managed_zone', 'restricted', ['name', 'dns_name', 'visibility']),
    zone_networks: `{ for k, v in local.restricted_zones : k => ${attr(
      resource('google_dns_managed_zone', 'restricted').body.blocks[0]?.body.blocks[0] as HclBlock,
      'network_url',
    )} }`,
    a_records: instances('google_dns_record_set', 'restricted_a', ['name', 'type', 'ttl', 'rrdatas']),
    cname_records: instances('google_dns_record_set', 'restricted_wildcard', [
      'name',
      'type',
      'ttl',
      'rrdatas',
    ]),
    routes: instances('google_compute_route', 'restricted_vip', [
      'name',
      'network',
      'dest_range',
      'next_hop_gateway',
    ]),
    memberships: instances('google_access_context_manager_service_perimeter_resource', 'project', [
      'perimeter_name',
      'resource',
    ]),
  };
  writeFileSync(
    join(dir, 'restricted.tf'),
    [
      `locals {\n${locals.map((a) => `  ${a.name} = ${a.expr}`).join('\n')}\n}`,
      ...Object.entries(outputs).map(([name, expr]) => `output "${name}" {\n  value = ${expr}\n}`),
    ].join('\n\n'),
  );
  const init = tf(['init', '-input=false', '-no-color', '-backend=false']);
  if (init.status !== 0) throw new Error(init.output);
});
afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function evaluate(cluster: LoadedCluster): Record<string, unknown> {
  const vars = join(dir, `vars-${++counter}.json`);
  const state = join(dir, `state-${counter}.tfstate`);
  writeFileSync(vars, JSON.stringify(renderTfvars(cluster)));
  const apply = tf([
    'apply',
    '-auto-approve',
    '-input=false',
    '-no-color',
    `-state=${state}`,
    `-var-file=${vars}`,
  ]);
  if (apply.status !== 0) throw new Error(apply.output);
  const out = tf(['output', '-json', `-state=${state}`]);
  const parsed = JSON.parse(out.output) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
}

const withGcp = (gcp: Record<string, unknown>): LoadedCluster => ({
  ...gcpCluster,
  config: {
    ...gcpCluster.config,
    gcp: { ...(gcpCluster.config.gcp as NonNullable<LoadedCluster['config']['gcp']>), ...gcp },
  },
});

const VIP = ['199.36.153.4', '199.36.153.5', '199.36.153.6', '199.36.153.7'];

describeTf('terraform/gcp restricted Google APIs and perimeter membership (real terraform)', () => {
  it('restrictedGoogleApis: three private zones on the cluster’s VPC answering with the restricted VIP, and the route', () => {
    const out = evaluate(withGcp({ restrictedGoogleApis: true }));
    expect(out).toEqual({
      zones: {
        googleapis: {
          name: 'pangeo-googleapis-restricted',
          dns_name: 'googleapis.com.',
          visibility: 'private',
        },
        gcr: { name: 'pangeo-gcr-restricted', dns_name: 'gcr.io.', visibility: 'private' },
        pkg: { name: 'pangeo-pkg-restricted', dns_name: 'pkg.dev.', visibility: 'private' },
      },
      zone_networks: {
        googleapis: 'projects/pangeo-prod/global/networks/pangeo-vpc',
        gcr: 'projects/pangeo-prod/global/networks/pangeo-vpc',
        pkg: 'projects/pangeo-prod/global/networks/pangeo-vpc',
      },
      // Google's recipe: restricted.googleapis.com and the registries' apexes answer with the VIP …
      a_records: {
        googleapis: { name: 'restricted.googleapis.com.', type: 'A', ttl: 300, rrdatas: VIP },
        gcr: { name: 'gcr.io.', type: 'A', ttl: 300, rrdatas: VIP },
        pkg: { name: 'pkg.dev.', type: 'A', ttl: 300, rrdatas: VIP },
      },
      // … and every other name in the zone is a CNAME to it.
      cname_records: {
        googleapis: {
          name: '*.googleapis.com.',
          type: 'CNAME',
          ttl: 300,
          rrdatas: ['restricted.googleapis.com.'],
        },
        gcr: { name: '*.gcr.io.', type: 'CNAME', ttl: 300, rrdatas: ['gcr.io.'] },
        pkg: { name: '*.pkg.dev.', type: 'CNAME', ttl: 300, rrdatas: ['pkg.dev.'] },
      },
      routes: [
        {
          name: 'pangeo-restricted-vip',
          network: 'pangeo-vpc',
          dest_range: '199.36.153.4/30',
          next_hop_gateway: 'default-internet-gateway',
        },
      ],
      memberships: [],
    });
  });

  it('without restrictedGoogleApis: nothing', () => {
    expect(evaluate(gcpCluster)).toEqual({
      zones: {},
      zone_networks: {},
      a_records: {},
      cname_records: {},
      routes: [],
      memberships: [],
    });
  });

  it('vpcServiceControls with manageMembership: the project (by number) joins the perimeter', () => {
    const perimeter = 'accessPolicies/123456789/servicePerimeters/hubs';
    const out = evaluate(
      withGcp({ restrictedGoogleApis: true, vpcServiceControls: { perimeter, manageMembership: true } }),
    );
    expect(out.memberships).toEqual([{ perimeter_name: perimeter, resource: 'projects/123456789012' }]);
  });

  it('vpcServiceControls without manageMembership: the state leaves the perimeter to the organisation admin', () => {
    const perimeter = 'accessPolicies/123456789/servicePerimeters/hubs';
    const out = evaluate(withGcp({ restrictedGoogleApis: true, vpcServiceControls: { perimeter } }));
    expect(out.memberships).toEqual([]);
  });

  it('the variables refuse a perimeter without the restricted VIP, as validate does', () => {
    const vars = join(dir, `vars-${++counter}.json`);
    writeFileSync(
      vars,
      JSON.stringify({
        ...renderTfvars(gcpCluster),
        vpc_service_controls: {
          perimeter: 'accessPolicies/1/servicePerimeters/hubs',
          manage_membership: false,
        },
      }),
    );
    const plan = tf(['plan', '-input=false', '-no-color', '-lock=false', `-var-file=${vars}`]);
    expect(plan.status).toBe(1);
    expect(plan.output.replace(/\s*\n\s*/g, ' ')).toContain(
      'A project inside a perimeter needs restricted_google_apis: without the restricted VIP, nodes and pods reach Google APIs the perimeter does not protect.',
    );
  });
});
