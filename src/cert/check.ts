// `check`: reads each hub's certificate, Ingress, DNS and TLS, with bounded concurrency, and turns
// them into verdicts. The static IP is read from the Ingress status (status.loadBalancer.ingress
// [].ip): a scheduled check has no Terraform outputs, and that address is what the load balancer
// actually serves and what the A record must name.
import type { DnsAdapter } from '../adapters/dns.js';
import type { TlsProbe, TlsProbeOptions } from '../adapters/tls.js';
import type { ConnectTo } from '../adapters/connect-to.js';
import { errorMessage } from '../errors.js';
import type { KubeObject } from '../render/manifests.js';
import { certificateState, ingressState } from './certificate-status.js';
import { hubVerdict, type HubVerdict } from './hub-verdict.js';
import { refOf, type CertKube } from './kube-port.js';
import { mapLimit } from './map-limit.js';

export interface CheckTarget {
  cluster: string;
  hub: string;
  domain: string;
  certificate: KubeObject;
  ingress: KubeObject;
}

export interface CheckDeps {
  kube: Pick<CertKube, 'get'>;
  dns: DnsAdapter;
  probeTls: (opts: TlsProbeOptions) => Promise<TlsProbe>;
  now: () => Date;
}

export interface CheckOptions {
  concurrency: number;
  minDaysValid: number;
  connectTo: readonly ConnectTo[];
  tlsTimeoutMs: number;
  log: (line: string) => void;
}

export async function checkHubs(
  deps: CheckDeps,
  targets: readonly CheckTarget[],
  opts: CheckOptions,
): Promise<HubVerdict[]> {
  const settled = await mapLimit(targets, opts.concurrency, (t) => checkHub(deps, t, opts));
  return settled.map((r, i) => {
    if (r.ok) return r.value;
    const t = targets[i] as CheckTarget;
    // A failure to read at all is a failing hub with the reason, not a crash of the whole check.
    return {
      cluster: t.cluster,
      hub: t.hub,
      domain: t.domain,
      verdict: 'fail',
      status: 'unknown',
      domainStatus: '',
      dns: '',
      tls: '',
      daysLeft: undefined,
      findings: [
        {
          severity: 'fail',
          area: 'certificate',
          message: errorMessage(r.error),
          todo: 'check the cluster access of the runner, then re-run the check',
        },
      ],
      todo: 'check the cluster access of the runner, then re-run the check',
    };
  });
}

async function checkHub(deps: CheckDeps, t: CheckTarget, opts: CheckOptions): Promise<HubVerdict> {
  const [cert, ingress, dns] = await Promise.all([
    deps.kube.get(refOf(t.certificate)),
    deps.kube.get(refOf(t.ingress)),
    deps.dns.lookup(t.domain),
  ]);
  // Connect where users go: the address DNS gives (a connect-to rule overrides it).
  const address = dns.state === 'resolved' ? dns.a[0] : undefined;
  const tls = await deps.probeTls({
    domain: t.domain,
    connectTo: opts.connectTo,
    timeoutMs: opts.tlsTimeoutMs,
    now: deps.now,
    ...(address === undefined ? {} : { address }),
  });
  const verdict = hubVerdict({
    cluster: t.cluster,
    hub: t.hub,
    domain: t.domain,
    certificateName: t.certificate.metadata.name,
    certificate: cert === undefined ? undefined : certificateState(cert),
    ingress: ingress === undefined ? undefined : ingressState(ingress),
    dns,
    tls,
    minDaysValid: opts.minDaysValid,
    now: deps.now(),
  });
  opts.log(`${t.cluster}/${t.hub}: ${verdict.verdict}${verdict.todo === '' ? '' : ` — ${verdict.todo}`}`);
  return verdict;
}
