/**
 * The operator's escape hatch for internal mail servers (SECURITY.md §1.2 item 9):
 * MAILROOM_ALLOWED_MAIL_HOSTS. Never a per-user switch.
 *
 * Syntax: items separated by commas and/or whitespace. Each item is one of
 *
 *   mail.corp.example           a host name (as the user types it): any port
 *   mail.corp.example:2525      a host name on one port
 *   10.0.0.5        10.0.0.5:2525          one IPv4 address, any port / one port
 *   fd00::25        [fd00::25]:587         one IPv6 address (brackets required with a port)
 *   10.0.0.0/8      10.0.0.0/8:587         an IPv4 CIDR, any port / one port
 *   fd00::/8        [fd00::/8]:587         an IPv6 CIDR (brackets required with a port)
 *
 * Meaning: a host-name entry lets that typed name (case-insensitive, trailing dot ignored)
 * through every rule (special names, port list, and whatever addresses it resolves to). An
 * address or CIDR entry lets a dialled address inside it through, whatever name the user
 * typed, on the entry's port or, without a port, on any port. Host names are matched
 * exactly: there are no wildcards.
 */
import { domainToASCII } from 'node:url';
import { type IpAddress, inPrefix, parseIpLiteral } from './ip-address.js';

export type AllowEntry =
  | { kind: 'host'; host: string; port: number | null; source: string }
  | { kind: 'cidr'; family: 4 | 6; network: Uint8Array; prefix: number; port: number | null; source: string };

/** Parses MAILROOM_ALLOWED_MAIL_HOSTS; invalid items are reported in `errors` and skipped. */
export function parseAllowList(spec: string): { entries: AllowEntry[]; errors: string[] } {
  const entries: AllowEntry[] = [];
  const errors: string[] = [];
  for (const item of spec.split(/[\s,]+/)) {
    if (item === '') continue;
    const entry = parseItem(item);
    if (typeof entry === 'string') errors.push(`${item}: ${entry}`);
    else entries.push(entry);
  }
  return { entries, errors };
}

function parsePort(text: string): number | string {
  if (!/^[0-9]{1,5}$/.test(text)) return 'invalid port';
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : 'port out of range';
}

function parseItem(item: string): AllowEntry | string {
  let body = item;
  let port: number | null = null;
  if (item.startsWith('[')) {
    const close = item.indexOf(']');
    if (close === -1) return 'missing ]';
    body = item.slice(1, close);
    const rest = item.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return 'unexpected text after ]';
      const p = parsePort(rest.slice(1));
      if (typeof p === 'string') return p;
      port = p;
    }
    if (!body.includes(':')) return 'brackets are only for IPv6';
  } else if ((item.match(/:/g) ?? []).length === 1) {
    // One colon: name:port, IPv4:port or IPv4-CIDR:port. More colons: bare IPv6 without port.
    const [head, tail] = item.split(':') as [string, string];
    const p = parsePort(tail);
    if (typeof p === 'string') return p;
    body = head;
    port = p;
  }
  const slash = body.indexOf('/');
  if (slash !== -1) return parseCidr(body.slice(0, slash), body.slice(slash + 1), port, item);
  const ip = parseIpLiteral(body);
  if (ip) {
    if (ip.zone) return 'zone ids are not allowed';
    return cidrEntry(ip, ip.family === 4 ? 32 : 128, port, item);
  }
  if (body.includes(':')) return 'invalid IPv6 address';
  const host = normalizeHostName(body);
  if (!host) return 'invalid host name';
  if (/^(0x[0-9a-f]*|[0-9]+)$/.test(host.slice(host.lastIndexOf('.') + 1))) return 'invalid IPv4 address';
  return { kind: 'host', host, port, source: item };
}

function parseCidr(addr: string, bits: string, port: number | null, source: string): AllowEntry | string {
  // CIDR networks are written in plain dotted-quad / IPv6 text, never the legacy forms.
  const ip = parseIpLiteral(addr);
  if (!ip || ip.zone || (ip.family === 4 && !/^\d+\.\d+\.\d+\.\d+$/.test(addr)))
    return 'invalid network address';
  if (!/^[0-9]{1,3}$/.test(bits)) return 'invalid prefix length';
  const prefix = Number(bits);
  if (prefix > (ip.family === 4 ? 32 : 128)) return 'prefix length too long';
  return cidrEntry(ip, prefix, port, source);
}

function cidrEntry(ip: IpAddress, prefix: number, port: number | null, source: string): AllowEntry {
  return { kind: 'cidr', family: ip.family, network: ip.bytes, prefix, port, source };
}

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/**
 * Lower-case ASCII (punycode) form of a host name without its trailing dot, or null when it
 * is not a syntactically valid DNS name (length, label characters).
 */
export function normalizeHostName(input: string): string | null {
  if (input.length === 0 || input.length > 254) return null;
  // Only letters, digits, `-`, `_`, `.` and non-ASCII (IDN) characters; this keeps out
  // CR/LF, spaces, `@`, `/`, `%`, `\`, `:` and every other URL or protocol delimiter.
  if (/[\u0000-\u002c/:-@[-^`{-\u007f]/.test(input)) return null;
  const trimmed = input.endsWith('.') ? input.slice(0, -1) : input;
  const ascii = /[^\u0000-\u007f]/.test(trimmed) ? domainToASCII(trimmed) : trimmed.toLowerCase();
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  return labels.every((l) => LABEL.test(l)) ? ascii : null;
}

/** Whether a host-name entry allows this normalised typed host on this port. */
export function allowsHost(entries: readonly AllowEntry[], host: string, port: number): boolean {
  return entries.some((e) => e.kind === 'host' && e.host === host && (e.port === null || e.port === port));
}

/** Whether an address/CIDR entry allows dialling this address on this port. */
export function allowsAddress(entries: readonly AllowEntry[], ip: IpAddress, port: number): boolean {
  return entries.some(
    (e) =>
      e.kind === 'cidr' &&
      e.family === ip.family &&
      (e.port === null || e.port === port) &&
      inPrefix(ip.bytes, e.network, e.prefix),
  );
}

/** Whether any address/CIDR entry could allow this port (decides if a name is worth resolving). */
export function anyAddressEntryAllowsPort(entries: readonly AllowEntry[], port: number): boolean {
  return entries.some((e) => e.kind === 'cidr' && (e.port === null || e.port === port));
}
