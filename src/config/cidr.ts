// IPv4 CIDR arithmetic for the network rules (gke-cluster-rules.ts, network-rules.ts) and the
// user-pod egress render (user-egress.ts). Addresses are numbers 0 … 2^32-1.

export interface CidrRange {
  /** The address as written (may have host bits set). */
  address: number;
  /** First and last address of the block. */
  start: number;
  end: number;
  prefix: number;
}

/** undefined for anything but `a.b.c.d/n` with octets ≤ 255 and n ≤ 32 (the schema says why). */
export function parseCidr(text: string): CidrRange | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (m === null) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const start = address - (address % size);
  return { address, start, end: start + size - 1, prefix };
}

export const cidrsOverlap = (a: CidrRange, b: CidrRange): boolean => a.start <= b.end && b.start <= a.end;

/** `outer` holds every address of `inner`. */
export const cidrContains = (outer: CidrRange, inner: CidrRange): boolean =>
  outer.start <= inner.start && inner.end <= outer.end;

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The block as GCP and Kubernetes want it: its first address, then the prefix. */
export function canonicalCidr(range: CidrRange): string {
  return `${formatIpv4(range.start)}/${range.prefix}`;
}
