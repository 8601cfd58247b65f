// One hub's certificate verdict from everything `check` read: the ManagedCertificate, the Ingress,
// DNS and a TLS handshake. Pure, so every rule is tested as a table. Each finding says what to do.
import type { DnsLookup } from '../adapters/dns.js';
import type { TlsProbe } from '../adapters/tls.js';
import type { CertificateState, IngressState } from './certificate-status.js';
import { decideWait, domainFailure } from './wait-state.js';

export type Severity = 'ok' | 'warn' | 'fail';

export interface Finding {
  severity: Exclude<Severity, 'ok'>;
  area: 'certificate' | 'ingress' | 'dns' | 'tls';
  message: string;
  todo: string;
}

export interface HubFacts {
  cluster: string;
  hub: string;
  domain: string;
  /** The rendered certificate name. */
  certificateName: string;
  certificate: CertificateState | undefined;
  ingress: IngressState | undefined;
  dns: DnsLookup;
  tls: TlsProbe;
  minDaysValid: number;
  now: Date;
}

export interface HubVerdict {
  cluster: string;
  hub: string;
  domain: string;
  verdict: Severity;
  status: string;
  domainStatus: string;
  dns: string;
  tls: string;
  daysLeft: number | undefined;
  findings: Finding[];
  /** The first thing to do (the worst finding's), or '' when all is well. */
  todo: string;
}

/** Provisioning normally ends within ~60 min (design §6); longer is stuck. */
export const STUCK_PROVISIONING_MINUTES = 90;

export function hubVerdict(f: HubFacts): HubVerdict {
  const findings = [...certificateFindings(f), ...dnsFindings(f), ...tlsFindings(f)];
  const verdict: Severity = findings.some((x) => x.severity === 'fail')
    ? 'fail'
    : findings.length > 0
      ? 'warn'
      : 'ok';
  const first = findings.find((x) => x.severity === 'fail') ?? findings[0];
  return {
    cluster: f.cluster,
    hub: f.hub,
    domain: f.domain,
    verdict,
    status: f.certificate?.certificateStatus ?? (f.certificate === undefined ? 'absent' : 'no status yet'),
    domainStatus:
      f.certificate === undefined || f.certificate.domainStatus.length === 0
        ? ''
        : f.certificate.domainStatus.map((d) => `${d.domain}: ${d.status}`).join(', '),
    dns: dnsCell(f.dns),
    tls: tlsCell(f.tls),
    daysLeft: f.tls.state === 'handshake' ? f.tls.certificate.daysLeft : undefined,
    findings,
    todo: first?.todo ?? '',
  };
}

function certificateFindings(f: HubFacts): Finding[] {
  const out: Finding[] = [];
  const cert = f.certificate;
  if (cert === undefined) {
    out.push({
      severity: 'fail',
      area: 'certificate',
      message: `ManagedCertificate ${f.hub}/${f.certificateName} does not exist`,
      todo: `deploy the hub (deploy-hub) or run recreate-cert for ${f.cluster}/${f.hub}`,
    });
  } else {
    const decision = decideWait(cert);
    if (decision.state === 'failed') {
      out.push({ severity: 'fail', area: 'certificate', message: decision.cause, todo: decision.todo });
    } else if (decision.state === 'waiting') {
      const created = cert.creationTimestamp === undefined ? NaN : Date.parse(cert.creationTimestamp);
      const minutes = Math.floor((f.now.getTime() - created) / 60_000);
      const stuck = Number.isFinite(minutes) && minutes > STUCK_PROVISIONING_MINUTES;
      const rateLimited = cert.domainStatus.some((d) => d.status === 'FailedRateLimited');
      // Stuck past the threshold: the cause of the first failed domain says what to fix.
      const cause = cert.domainStatus
        .map((d) => (d.status.startsWith('Failed') ? domainFailure(d.status, d.domain) : undefined))
        .find((x) => x !== undefined);
      out.push(
        stuck && !rateLimited
          ? {
              severity: 'fail',
              area: 'certificate',
              message: `${cert.name} has been ${cert.certificateStatus ?? 'without status'} for ${minutes} min (provisioning takes up to ~60 min)${cause === undefined ? '' : `; ${cause.cause}`}`,
              todo:
                cause?.todo ??
                `fix what the DNS and Ingress findings say, then run recreate-cert for ${f.cluster}/${f.hub}`,
            }
          : {
              severity: 'warn',
              area: 'certificate',
              message: `${decision.note}${Number.isFinite(minutes) ? ` (for ${minutes} min)` : ''}`,
              todo: rateLimited
                ? 'wait: the CA rate-limits issuance and the controller retries'
                : `wait for provisioning (up to ~60 min; Google retries failed attempts while the load balancer is built); check again after ${STUCK_PROVISIONING_MINUTES} min`,
            },
      );
    }
  }
  const ingress = f.ingress;
  if (ingress === undefined) {
    out.push({
      severity: 'fail',
      area: 'ingress',
      message: `Ingress ${f.hub}/${f.hub} does not exist: no load balancer serves the certificate`,
      todo: `deploy the hub (deploy-hub) or run recreate-cert for ${f.cluster}/${f.hub}`,
    });
  } else if (!ingress.certificates.includes(f.certificateName)) {
    out.push({
      severity: 'fail',
      area: 'ingress',
      message: `Ingress ${f.hub}/${ingress.name} names ${ingress.certificates.join(', ') || 'no certificate'}, not ${f.certificateName}`,
      todo: `deploy the hub again (deploy-hub) so the Ingress names ${f.certificateName}`,
    });
  } else if (ingress.addresses.length === 0) {
    out.push({
      severity: 'warn',
      area: 'ingress',
      message: `Ingress ${f.hub}/${ingress.name} has no address yet, so DNS cannot be compared`,
      todo: 'wait for the load balancer; if it stays without an address, check the static IP name annotation and the Ingress events',
    });
  }
  return out;
}

function staticIp(f: HubFacts): string | undefined {
  return f.ingress?.addresses[0];
}

function dnsFindings(f: HubFacts): Finding[] {
  const d = f.dns;
  const ip = staticIp(f);
  const record = `an A record ${f.domain} → ${ip ?? "the hub's static IP"}`;
  if (d.state === 'nxdomain') {
    return [{ severity: 'fail', area: 'dns', message: d.message, todo: `create ${record}` }];
  }
  if (d.state === 'timeout' || d.state === 'error') {
    return [
      {
        severity: 'fail',
        area: 'dns',
        message: d.message,
        todo: 'check the resolvers (dns-servers input) and the zone’s name servers, then re-run the check',
      },
    ];
  }
  const out: Finding[] = [];
  if (d.aaaa.length > 0) {
    out.push({
      severity: 'fail',
      area: 'dns',
      message: `${f.domain} has AAAA record(s) ${d.aaaa.join(', ')}: the load balancer has no IPv6 address, which blocks provisioning`,
      todo: `delete the AAAA record(s) of ${f.domain}`,
    });
  }
  const via = d.cname.length > 0 ? ` (CNAME → ${d.cname.join(', ')})` : '';
  if (d.a.length === 0) {
    out.push({
      severity: 'fail',
      area: 'dns',
      message: `${f.domain}${via} has no A record`,
      todo: d.cname.length > 0 ? `replace the CNAME by ${record}` : `create ${record}`,
    });
  } else if (ip !== undefined && !d.a.includes(ip)) {
    out.push({
      severity: 'fail',
      area: 'dns',
      message:
        d.cname.length > 0
          ? `${f.domain} is a CNAME to ${d.cname.join(', ')} that ends at ${d.a.join(', ')}, not the static IP ${ip}`
          : `${f.domain} resolves to ${d.a.join(', ')}, not the static IP ${ip} (a stale record, or a proxied DNS provider answering with its own address)`,
      todo: `make ${f.domain} ${record} (DNS only, no proxy)`,
    });
  } else if (ip !== undefined && d.a.length > 1) {
    out.push({
      severity: 'fail',
      area: 'dns',
      message: `${f.domain} has extra A records besides the static IP ${ip}: ${d.a.filter((a) => a !== ip).join(', ')}`,
      todo: `keep only ${record}`,
    });
  }
  return out;
}

function tlsFindings(f: HubFacts): Finding[] {
  const t = f.tls;
  const notActive = f.certificate?.certificateStatus !== 'Active';
  if (t.state === 'failed') {
    return [
      {
        severity: 'fail',
        area: 'tls',
        message: t.message,
        todo: notActive
          ? 'the load balancer serves the certificate only once it is Active; fix the certificate findings first'
          : `check that the load balancer at ${t.via} serves the hub (Ingress events, firewall), then re-run the check`,
      },
    ];
  }
  const out: Finding[] = t.problems.map((p) => ({
    severity: 'fail' as const,
    area: 'tls' as const,
    message: p.message,
    todo:
      p.kind === 'name-mismatch'
        ? `something other than this hub's load balancer answers for ${f.domain} at ${t.via} (DNS, a proxy, or another certificate on the Ingress); fix DNS, then run recreate-cert`
        : p.kind === 'self-signed' || p.kind === 'untrusted-chain'
          ? `something other than Google's load balancer (a proxy or middlebox) answers for ${f.domain} at ${t.via}; point DNS straight at the static IP`
          : `run recreate-cert for ${f.cluster}/${f.hub} (managed certificates renew ~30 days before expiry; this one did not)`,
  }));
  const days = t.certificate.daysLeft;
  if (!t.problems.some((p) => p.kind === 'expired' || p.kind === 'not-yet-valid') && days < f.minDaysValid) {
    out.push({
      severity: 'fail',
      area: 'tls',
      message: `the certificate served for ${f.domain} expires in ${days} day${days === 1 ? '' : 's'} (${t.certificate.validTo}), less than min-days-valid ${f.minDaysValid}`,
      todo: `Google renews managed certificates ~30 days before expiry and this one was not: check the ManagedCertificate status and run recreate-cert for ${f.cluster}/${f.hub}`,
    });
  }
  return out;
}

function dnsCell(d: DnsLookup): string {
  if (d.state !== 'resolved') return d.state === 'error' ? d.code : d.state.toUpperCase();
  const parts: string[] = [];
  if (d.cname.length > 0) parts.push(`CNAME ${d.cname.join(', ')}`);
  parts.push(d.a.length > 0 ? `A ${d.a.join(', ')}` : 'no A');
  if (d.aaaa.length > 0) parts.push(`AAAA ${d.aaaa.join(', ')}`);
  return parts.join('; ');
}

function tlsCell(t: TlsProbe): string {
  if (t.state === 'failed') return t.reason;
  return t.problems.length === 0 ? 'ok' : t.problems.map((p) => p.kind).join(', ');
}
