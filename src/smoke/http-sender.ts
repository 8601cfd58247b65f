// Sends a probe through the HTTP adapter: the probe's own headers plus its token (when it carries
// one) in the header it names. The token is added here, at the last moment, and goes nowhere else.
import { httpRequest, type ConnectToResolver, type HttpOutcome } from '../adapters/http.js';
import type { HttpProbe } from './probes.js';

export interface SenderOptions {
  connectTo?: ConnectToResolver;
  /** Trusted CAs replacing node's default store; leave unset outside tests (see http.ts). */
  ca?: string;
}

export function httpSender(
  options: SenderOptions = {},
): (probe: HttpProbe, token: string | undefined, timeoutMs: number) => Promise<HttpOutcome> {
  return (probe, token, timeoutMs) => {
    const headers: Record<string, string> = { ...probe.headers };
    if (token !== undefined && probe.tokenHeader !== undefined)
      headers[probe.tokenHeader] = `Bearer ${token}`;
    return httpRequest({
      url: probe.url,
      headers,
      timeoutMs,
      ...(options.connectTo === undefined ? {} : { connectTo: options.connectTo }),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    });
  };
}
