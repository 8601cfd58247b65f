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
import type { CertKube } from './kube-port.js';
import { mapLimit } from './map-limit.js';

export interface CheckTarget {
  cluster: string;
  hub: string;
  domain: string;
  certificate: KubeObject;
  ingress: KubeObject;
}

export interface CheckDeps {
  kube: Pick<CertKube, 'list'>;
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
  // Two list calls for the whole cluster instead of two gets per hub: each kubectl call is a
  // process, and a 1,000-hub check must not start 2,000 of them.
  const [certificates, ingresses] = await Promise.all([
    deps.kube.list('networking.gke.io/v1', 'ManagedCertificate'),
    deps.kube.list('networking.k8s.io/v1', 'Ingress'),
  ]);
  const live = new Map<string, KubeObject>();
  for (const o of [...certificates, ...ingresses]) live.set(liveKey(o), o);
  const settled = await mapLimit(targets, opts.concurrency, (t) =>
    checkHub(deps, t, live.get(liveKey(t.certificate)), live.get(liveKey(t.ingress)), opts),
  );
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

const liveKey = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

async function checkHub(
  deps: CheckDeps,
  t: CheckTarget,
  cert: KubeObject | undefined,
  ingress: KubeObject | undefined,
  opts: CheckOptions,
): Promise<HubVerdict> {
  const dns = await deps.dns.lookup(t.domain);
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
