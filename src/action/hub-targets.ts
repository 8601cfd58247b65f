// The inputs that say which hubs an action reaches over HTTPS and how (smoke-iap, hub-health):
// read the same way, with the same messages, so that the two actions cannot drift apart.
import { parseConnectTo, type ConnectTo } from '../adapters/connect-to.js';
import { errorMessage } from '../errors.js';
import { parseHubList } from './hub-selection.js';

/** `hubs` and `connect-to`, parsed; each problem is appended to `problems` (all are reported at once). */
export function readHubTargets(
  inputs: { hubs: string; connectTo?: string | undefined },
  problems: string[],
): { hubs: 'all' | string[]; connectTo: ConnectTo[] } {
  let connectTo: ConnectTo[] = [];
  try {
    connectTo = parseConnectTo(inputs.connectTo ?? '');
  } catch (error: unknown) {
    problems.push(`input "connect-to": ${errorMessage(error).replace(/^connect-to: /, '')}`);
  }
  const hubs = parseHubList(inputs.hubs);
  if (hubs !== 'all' && hubs.length === 0)
    problems.push('input "hubs": names no hub (give one, a list, or all)');
  return { hubs, connectTo };
}

/** An optional input's value, trimmed; undefined when it is absent or only blanks. */
export function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}
