import { type IpAddress, inPrefix, ipv4, parseIpLiteral } from './ip-address.js';

/**
 * The one table of address ranges we never dial for a user (SECURITY.md §1.2 item 4): IANA
 * special-purpose registries for IPv4 and IPv6, plus cloud metadata addresses. Keep it here,
 * and only here, so the tests cover every entry.
 */
interface SpecialRange {
  cidr: string;
  name: string;
  /** For IPv6 transition ranges: where the embedded IPv4 sits (byte offset), for logs and checks. */
  embeddedIpv4At?: number;
  /** Mapped/compatible ranges are not refused on their own: the embedded IPv4 decides. */
  judgeByEmbedded?: boolean;
}

export const SPECIAL_RANGES_V4: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', name: 'this network' },
  { cidr: '10.0.0.0/8', name: 'private' },
  { cidr: '100.64.0.0/10', name: 'shared address space (CGNAT, Alibaba metadata)' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local (cloud metadata 169.254.169.254)' },
  { cidr: '172.16.0.0/12', name: 'private' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments (Oracle metadata 192.0.0.192)' },
  { cidr: '192.0.2.0/24', name: 'documentation TEST-NET-1' },
  { cidr: '192.31.196.0/24', name: 'AS112-v4' },
  { cidr: '192.52.193.0/24', name: 'AMT' },
  { cidr: '192.88.99.0/24', name: '6to4 relay anycast' },
  { cidr: '192.168.0.0/16', name: 'private' },
  { cidr: '192.175.48.0/24', name: 'direct delegation AS112' },
  { cidr: '198.18.0.0/15', name: 'benchmarking' },
  { cidr: '198.51.100.0/24', name: 'documentation TEST-NET-2' },
  { cidr: '203.0.113.0/24', name: 'documentation TEST-NET-3' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved' },
  { cidr: '255.255.255.255/32', name: 'limited broadcast' },
  // Public-looking but host-local in Azure (wire server / DNS / metadata).
  { cidr: '168.63.129.16/32', name: 'Azure platform (wire server)' },
];

export const SPECIAL_RANGES_V6: readonly SpecialRange[] = [
  { cidr: '::/128', name: 'unspecified' },
  { cidr: '::1/128', name: 'loopback' },
  { cidr: '::ffff:0:0/96', name: 'IPv4-mapped', embeddedIpv4At: 12, judgeByEmbedded: true },
  { cidr: '::/96', name: 'IPv4-compatible (deprecated)', embeddedIpv4At: 12, judgeByEmbedded: true },
  { cidr: '64:ff9b::/96', name: 'NAT64 well-known prefix', embeddedIpv4At: 12 },
  { cidr: '64:ff9b:1::/48', name: 'NAT64 local-use', embeddedIpv4At: 12 },
  { cidr: '100::/64', name: 'discard-only' },
  { cidr: '2001::/32', name: 'Teredo' },
  { cidr: '2001::/23', name: 'IETF protocol assignments' },
  { cidr: '2001:db8::/32', name: 'documentation' },
  { cidr: '2002::/16', name: '6to4', embeddedIpv4At: 2 },
  { cidr: '3fff::/20', name: 'documentation' },
  { cidr: '5f00::/16', name: 'SRv6 SIDs' },
  { cidr: 'fc00::/7', name: 'unique local (AWS metadata fd00:ec2::254)' },
  { cidr: 'fe80::/10', name: 'link-local' },
  { cidr: 'fec0::/10', name: 'site-local (deprecated)' },
  { cidr: 'ff00::/8', name: 'multicast' },
];

interface CompiledRange extends SpecialRange {
  network: Uint8Array;
  prefix: number;
}

function compile(ranges: readonly SpecialRange[]): CompiledRange[] {
  return ranges.map((r) => {
    const [addr, bits] = r.cidr.split('/') as [string, string];
    const ip = parseIpLiteral(addr);
    if (!ip) throw new Error(`bad range ${r.cidr}`);
    return { ...r, network: ip.bytes, prefix: Number(bits) };
  });
}

const V4 = compile(SPECIAL_RANGES_V4);
// Most specific first, so `::1/128` is reported as loopback rather than IPv4-compatible.
const V6 = compile(SPECIAL_RANGES_V6).sort((a, b) => b.prefix - a.prefix);
const GLOBAL_UNICAST_V6 = { network: (parseIpLiteral('2000::') as IpAddress).bytes, prefix: 3 };

/** Whether an address may be dialled by default, and why not (for logs only, never for users). */
export interface AddressVerdict {
  public: boolean;
  /** Human-readable rule name, e.g. `loopback (127.0.0.0/8)`; empty when public. */
  reason: string;
}

const PUBLIC: AddressVerdict = { public: true, reason: '' };

/** Classifies an address against the special-purpose table (transition forms unwrapped). */
export function classifyAddress(ip: IpAddress | string): AddressVerdict {
  const addr = typeof ip === 'string' ? parseIpLiteral(ip) : ip;
  if (!addr) return { public: false, reason: 'not an IP address' };
  if (addr.family === 4) {
    const hit = V4.find((r) => inPrefix(addr.bytes, r.network, r.prefix));
    return hit ? { public: false, reason: `${hit.name} (${hit.cidr})` } : PUBLIC;
  }
  const hit = V6.find((r) => inPrefix(addr.bytes, r.network, r.prefix));
  if (hit) {
    if (hit.embeddedIpv4At === undefined) return { public: false, reason: `${hit.name} (${hit.cidr})` };
    const embedded = ipv4(addr.bytes.slice(hit.embeddedIpv4At, hit.embeddedIpv4At + 4));
    const inner = classifyAddress(embedded);
    // Mapped/compatible reach exactly the embedded IPv4: it alone decides. NAT64 and 6to4
    // reach it through a gateway we cannot reason about, so they are refused outright.
    if (hit.judgeByEmbedded) {
      return inner.public
        ? PUBLIC
        : { public: false, reason: `${hit.name} of ${embedded.text}: ${inner.reason}` };
    }
    const why = inner.public ? '' : `; embeds ${inner.reason}`;
    return { public: false, reason: `${hit.name} (${hit.cidr}) embedding ${embedded.text}${why}` };
  }
  if (!inPrefix(addr.bytes, GLOBAL_UNICAST_V6.network, GLOBAL_UNICAST_V6.prefix)) {
    return { public: false, reason: 'outside global unicast (2000::/3)' };
  }
  return PUBLIC;
}

/** True when the address is publicly routable (not in any special-purpose range). */
export function isPublicAddress(ip: IpAddress | string): boolean {
  return classifyAddress(ip).public;
}

/**
 * The IPv4 address an IPv4-mapped IPv6 address reaches, so callers can dial it as plain
 * IPv4 (works on hosts without IPv6); null for anything else.
 */
export function unmapIpv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const b = ip.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return null;
  return b[10] === 0xff && b[11] === 0xff ? ipv4(b.slice(12)) : null;
}
