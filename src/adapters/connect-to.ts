// curl's `--connect-to HOST1:PORT1:HOST2:PORT2`: reach a domain at another address while SNI, the
// Host header and certificate checks still use the domain. Tests point hubs at local doubles with
// it; bastion setups reach hubs through a forwarded port. Pure: parsing and matching only.
import { HubfleetError } from '../errors.js';

/** One rule. An empty `fromHost`/`fromPort` matches any; an empty `toHost`/`toPort` keeps the original. */
export interface ConnectTo {
  fromHost?: string;
  fromPort?: number;
  toHost?: string;
  toPort?: number;
  /** 1-based line in the input text, for messages. */
  line: number;
}

export interface ConnectTarget {
  host: string;
  port: number;
}

const FORMAT_HINT =
  'write one rule per line as HOST1:PORT1:HOST2:PORT2 (curl --connect-to), e.g. ocean.example.org:443:127.0.0.1:8443; empty fields mean "any" (left) or "unchanged" (right); IPv6 addresses go in brackets';

/**
 * Parses rules, one per line; blank lines and lines starting with `#` are skipped. Every bad line
 * is reported in one error naming its line number.
 */
export function parseConnectTo(text: string): ConnectTo[] {
  const rules: ConnectTo[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const parsed = parseRule(trimmed, line);
    if (typeof parsed === 'string') problems.push(`line ${line} "${trimmed}": ${parsed}`);
    else rules.push(parsed);
  });
  if (problems.length > 0) {
    throw new HubfleetError(`connect-to: ${problems.join('; ')}`, { hint: FORMAT_HINT });
  }
  return rules;
}

/** Where to connect for `host:port`: the first matching rule wins, as in curl. */
export function resolveConnectTo(list: readonly ConnectTo[], host: string, port: number): ConnectTarget {
  const wanted = normalizeHost(host);
  for (const rule of list) {
    if (rule.fromHost !== undefined && rule.fromHost !== wanted) continue;
    if (rule.fromPort !== undefined && rule.fromPort !== port) continue;
    return { host: rule.toHost ?? host, port: rule.toPort ?? port };
  }
  return { host, port };
}

function parseRule(text: string, line: number): ConnectTo | string {
  const fields = splitFields(text);
  if (typeof fields === 'string') return fields;
  if (fields.length !== 4) {
    return `expected 4 fields separated by ":", found ${fields.length}`;
  }
  const [fromHost = '', fromPort = '', toHost = '', toPort = ''] = fields;
  const problems: string[] = [];
  const rule: ConnectTo = { line };
  const host = (value: string, which: string): string | undefined => {
    if (value === '') return undefined;
    if (!/^[A-Za-z0-9._-]+$/.test(value) && !/^\[[0-9A-Fa-f:.]+\]$/.test(value)) {
      problems.push(`${which} "${value}" is not a host name or address`);
      return undefined;
    }
    return normalizeHost(value);
  };
  const port = (value: string, which: string): number | undefined => {
    if (value === '') return undefined;
    const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= 65535)) {
      problems.push(`${which} "${value}" is not a port (1-65535)`);
      return undefined;
    }
    return n;
  };
  const fh = host(fromHost, 'HOST1');
  const fp = port(fromPort, 'PORT1');
  const th = host(toHost, 'HOST2');
  const tp = port(toPort, 'PORT2');
  if (problems.length > 0) return problems.join(', ');
  if (fh !== undefined) rule.fromHost = fh;
  if (fp !== undefined) rule.fromPort = fp;
  if (th !== undefined) rule.toHost = th;
  if (tp !== undefined) rule.toPort = tp;
  return rule;
}

/** Splits on ":" outside brackets, so `[::1]` stays one field. */
function splitFields(text: string): string[] | string {
  const fields: string[] = [];
  let current = '';
  let inBracket = false;
  for (const ch of text) {
    if (ch === '[') {
      if (inBracket) return 'nested "["';
      inBracket = true;
    } else if (ch === ']') {
      if (!inBracket) return 'unmatched "]"';
      inBracket = false;
    }
    if (ch === ':' && !inBracket) {
      fields.push(current);
      current = '';
    } else current += ch;
  }
  if (inBracket) return 'unmatched "["';
  fields.push(current);
  return fields;
}

/** Host names compare case-insensitively and without a trailing dot; `[::1]` becomes `::1`. */
function normalizeHost(host: string): string {
  const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return unbracketed.toLowerCase().replace(/\.$/, '');
}
