/**
 * Network policy for every mail connection (M53, SECURITY.md §1.2 items 2–6, 8, 9):
 * validate the typed host, check the port before DNS, refuse special names, resolve ONCE
 * with the system resolver, refuse if any answer is non-public (unless the operator
 * allow-listed it), and hand back one validated IP. The caller dials that IP and verifies
 * TLS against the typed host; nothing re-resolves after the check.
 */
import { lookup as systemLookup } from 'node:dns/promises';
import type { MailProtocol } from '../../domain/mailbox/connection.js';
import { sanitizeServerText } from '../../domain/mailbox/mail-failure.js';
import type {
  MailTargetResolver,
  MailTargetScope,
  ResolvedMailTarget,
} from '../../ports/mail-target-resolver.js';
import {
  type AllowEntry,
  allowsAddress,
  allowsHost,
  anyAddressEntryAllowsPort,
  normalizeHostName,
} from './allow-list.js';
import { type IpAddress, parseIpLiteral } from './ip-address.js';
import { hostNotFound, targetRefused } from './mail-target-error.js';
import { classifyAddress, unmapIpv4 } from './special-ranges.js';

/** Mail ports allowed by default (M53). Anything else needs an allow-list entry. */
export const DEFAULT_MAIL_PORTS: readonly number[] = [25, 465, 587, 2525, 110, 995, 143, 993];
export const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;

export type HostLookup = (host: string) => Promise<{ address: string; family: number }[]>;

export interface MailTargetPolicyDeps {
  /** The operator's entries (`MAILROOM_ALLOWED_MAIL_HOSTS`): every workspace. */
  allowList: readonly AllowEntry[];
  /** The built-in sandbox's ports (decision 0010): only connections scoped `sandbox`. */
  sandboxAllowList?: readonly AllowEntry[];
  allowedPorts?: readonly number[];
  /** Default: the system resolver, `dns.lookup(host, { all: true, verbatim: true })` (§1.2 item 6). */
  lookup?: HostLookup;
  lookupTimeoutMs?: number;
}

const systemResolver: HostLookup = (host) => systemLookup(host, { all: true, verbatim: true });

/** Special-use names refused before any lookup (RFC 6761/6762, cloud metadata names). */
function specialName(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost name';
  if (host === 'local' || host.endsWith('.local')) return 'mDNS .local name';
  if (host === 'internal' || host.endsWith('.internal')) return '.internal name (metadata.google.internal)';
  if (host === 'home.arpa' || host.endsWith('.home.arpa')) return 'home.arpa name';
  if (host.endsWith('.in-addr.arpa') || host.endsWith('.ip6.arpa')) return 'reverse-DNS name';
  if (!host.includes('.')) return 'single-label name';
  return null;
}

/**
 * Creates the resolver. Choice of address: the first IPv4 answer in resolver order, else the
 * first IPv6 answer — IPv4 first because many hosts have no IPv6 route, and a fixed rule
 * keeps logs and tests deterministic. Every answer is validated before any is chosen.
 */
export function createMailTargetResolver(deps: MailTargetPolicyDeps): MailTargetResolver {
  const sandboxAllowList = [...deps.allowList, ...(deps.sandboxAllowList ?? [])];
  const ports = deps.allowedPorts ?? DEFAULT_MAIL_PORTS;
  const lookup = deps.lookup ?? systemResolver;
  const timeoutMs = deps.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;

  return {
    async resolve(
      rawHost: string,
      port: number,
      protocol: MailProtocol,
      scope: MailTargetScope = {},
    ): Promise<ResolvedMailTarget> {
      const allowList = scope.sandbox === true ? sandboxAllowList : deps.allowList;
      const checkAddress = (ip: IpAddress, p: number) => addressVerdict(allowList, ip, p);
      const refuse = (host: string, detail: string) => targetRefused(protocol, host, detail);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw refuse(safeText(rawHost), `invalid port ${port}`);

      const literal = typeof rawHost === 'string' ? parseIpLiteral(rawHost) : null;
      if (literal) {
        const ip = unmapIpv4(literal) ?? literal;
        const verdict = checkAddress(ip, port);
        if (verdict) throw refuse(literal.text, verdict);
        return target(ip.text, port, ip);
      }

      const host = typeof rawHost === 'string' ? normalizeHostName(rawHost) : null;
      if (!host) throw refuse(safeText(rawHost), 'invalid host syntax');
      // A numeric last label is an IPv4 spelling we did not accept: never let DNS guess.
      if (/^(0x[0-9a-f]*|[0-9]+)$/.test(host.slice(host.lastIndexOf('.') + 1))) {
        throw refuse(host, 'malformed IPv4 literal');
      }

      const hostAllowed = allowsHost(allowList, host, port);
      if (!hostAllowed) {
        // Port before DNS: a refused port costs no lookup and opens no socket.
        if (!ports.includes(port) && !anyAddressEntryAllowsPort(allowList, port)) {
          throw refuse(host, `port ${port} not allowed`);
        }
        const special = specialName(host);
        if (special) throw refuse(host, special);
      }

      const answers = await resolveOnce(host);
      const addresses: IpAddress[] = [];
      for (const answer of answers) {
        const parsed = parseIpLiteral(answer.address);
        if (!parsed) throw refuse(host, `resolver returned a non-address ${safeText(answer.address)}`);
        const ip = unmapIpv4(parsed) ?? parsed;
        if (!hostAllowed) {
          // Any non-public answer refuses the whole name: mixed answers are a rebinding tool.
          const verdict = checkAddress(ip, port);
          if (verdict) throw refuse(host, `${ip.text}: ${verdict}`);
        }
        addresses.push(ip);
      }
      const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
      if (!chosen) throw hostNotFound(protocol, host, 'ENODATA', 'empty answer');
      return target(host, port, chosen);

      function target(name: string, p: number, ip: IpAddress): ResolvedMailTarget {
        const address = ip.zone ? `${ip.text}%${ip.zone}` : ip.text;
        return { host: name, port: p, address, family: ip.family };
      }

      async function resolveOnce(name: string): Promise<{ address: string; family: number }[]> {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(Object.assign(new Error(`lookup timed out after ${timeoutMs} ms`), { code: 'ETIMEOUT' }));
          }, timeoutMs);
        });
        try {
          const result = await Promise.race([lookup(name), deadline]);
          return Array.isArray(result) ? result : [];
        } catch (err) {
          const code = (err as { code?: unknown })?.code;
          const message = err instanceof Error ? err.message : String(err);
          throw hostNotFound(
            protocol,
            name,
            typeof code === 'string' ? code : 'EDNS',
            safeText(message),
            err,
          );
        } finally {
          clearTimeout(timer);
        }
      }
    },
  };

  /** Null when the address may be dialled on this port, else the rule that refuses it. */
  function addressVerdict(allowList: readonly AllowEntry[], ip: IpAddress, port: number): string | null {
    if (allowsAddress(allowList, ip, port)) return null;
    // Operator-allowed ports apply to public addresses only.
    if (!ports.includes(port)) return `port ${port} not allowed`;
    const verdict = classifyAddress(ip);
    return verdict.public ? null : verdict.reason;
  }
}

function safeText(value: unknown): string {
  return sanitizeServerText(typeof value === 'string' ? value : String(value), 120);
}
