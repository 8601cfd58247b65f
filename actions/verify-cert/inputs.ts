import { defineInputs, invalidInputs, readInputs } from '../../src/action/inputs.js';
import { defineOutputs, type OutputsOf } from '../../src/action/outputs.js';
import { parseConnectTo, type ConnectTo } from '../../src/adapters/connect-to.js';
import { parseDnsServers } from '../../src/adapters/dns.js';
import { parseHubList } from '../../src/action/hub-selection.js';
import { errorMessage } from '../../src/errors.js';

export const verifyCertInputs = defineInputs({
  cluster: { kind: 'string', required: true },
  hubs: { kind: 'string', required: true },
  'config-dir': { kind: 'string', default: 'config' },
  mode: { kind: 'enum', values: ['check', 'wait', 'recreate'], default: 'check' },
  'wait-timeout': { kind: 'duration', default: '60m', min: 1000 },
  'min-days-valid': { kind: 'integer', default: '21', min: 0, max: 397 },
  concurrency: { kind: 'integer', default: '32', min: 1, max: 256 },
  'dns-servers': { kind: 'string' },
  'connect-to': { kind: 'string' },
  'github-token': { kind: 'string', secret: true, default: '${{ github.token }}' },
  'report-issues': { kind: 'boolean', default: 'false' },
  'gcp-access-token': { kind: 'string', secret: true },
  'compute-api-url': { kind: 'string', default: 'https://compute.googleapis.com' },
  'helm-timeout': { kind: 'duration', default: '10m', min: 1000 },
});

export const verifyCertOutputs = defineOutputs(['failing-hubs', 'verdict']);
export type VerifyCertOutputs = OutputsOf<typeof verifyCertOutputs>;

export interface VerifyCertRequest {
  cluster: string;
  hubs: 'all' | string[];
  configDir: string;
  mode: 'check' | 'wait' | 'recreate';
  waitTimeoutMs: number;
  minDaysValid: number;
  concurrency: number;
  dnsServers: string[];
  connectTo: ConnectTo[];
  githubToken: string;
  reportIssues: boolean;
  gcpAccessToken: string | undefined;
  computeApiUrl: string;
  /** helm's own duration text (e.g. 10m), as deploy-hub passes it. */
  helmTimeout: string;
}

/** Reads the inputs and checks how they combine; every problem is reported at once. */
export function readVerifyCertInputs(): VerifyCertRequest {
  const inputs = readInputs(verifyCertInputs);
  const problems: string[] = [];
  const hubs = parseHubList(inputs.hubs);
  if (inputs.mode === 'recreate' && (hubs === 'all' || hubs.length !== 1)) {
    problems.push('input "hubs": recreate repairs one hub at a time; name exactly one');
  }
  if (inputs.reportIssues && inputs.mode !== 'check') {
    problems.push(`input "report-issues": applies to mode check only, but mode is ${inputs.mode}`);
  }
  if (inputs.mode === 'recreate' && inputs.gcpAccessToken === undefined) {
    problems.push(
      'input "gcp-access-token": required in mode recreate (it waits until Compute has deleted the old SslCertificate, and re-pins the IAP audience of the new backend service)',
    );
  }
  let dnsServers: string[] = [];
  let connectTo: ConnectTo[] = [];
  try {
    dnsServers = parseDnsServers(inputs.dnsServers ?? '');
  } catch (error: unknown) {
    problems.push(`input ${errorMessage(error)}`);
  }
  try {
    connectTo = parseConnectTo(inputs.connectTo ?? '');
  } catch (error: unknown) {
    problems.push(`input ${errorMessage(error)}`);
  }
  if (problems.length > 0) throw invalidInputs(problems);
  return {
    cluster: inputs.cluster,
    hubs,
    configDir: inputs.configDir,
    mode: inputs.mode,
    waitTimeoutMs: inputs.waitTimeout,
    minDaysValid: inputs.minDaysValid,
    concurrency: inputs.concurrency,
    dnsServers,
    connectTo,
    githubToken: inputs.githubToken,
    reportIssues: inputs.reportIssues,
    gcpAccessToken: inputs.gcpAccessToken,
    computeApiUrl: inputs.computeApiUrl,
    helmTimeout: `${Math.round(inputs.helmTimeout / 1000)}s`,
  };
}
