/**
 * Strict, canonical parsing of IP literals (SECURITY.md §1.2 item 3). The system resolver
 * (getaddrinfo/inet_aton) accepts legacy IPv4 spellings such as `2130706433`, `0x7f000001`,
 * `0177.0.0.1` and `127.1`, so the policy must read them exactly as the OS would before
 * checking ranges; otherwise `0x7f000001` would slip past a dotted-quad check.
 */

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
  /** IPv6 zone id (`eth0` in `fe80::1%eth0`), kept so an allow-listed link-local can be dialled. */
  zone?: string;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (mapped IPv4 as `::ffff:a.b.c.d`), no brackets. */
  text: string;
}

const ZONE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Parses an IP literal in any spelling the system resolver would accept, including
 * `[v6]` brackets and `%zone`. Returns null when the input is not an IP literal (a host
 * name, or garbage: the caller decides whether that is a valid name).
 */
export function parseIpLiteral(input: string): IpAddress | null {
  let s = input;
  if (s.startsWith('[') && s.endsWith(']')) {
    s = s.slice(1, -1);
    // Brackets only ever wrap IPv6.
    return s.includes(':') ? parseIpv6WithZone(s) : null;
  }
  if (s.includes(':')) return parseIpv6WithZone(s);
  const v4 = parseIpv4Legacy(s);
  return v4 ? ipv4(v4) : null;
}

/** Builds an IpAddress from 4 bytes. */
export function ipv4(bytes: Uint8Array): IpAddress {
  return { family: 4, bytes, text: Array.from(bytes).join('.') };
}

/** Builds an IpAddress from 16 bytes (canonical RFC 5952 text). */
export function ipv6(bytes: Uint8Array, zone?: string): IpAddress {
  const text = formatIpv6(bytes);
  return zone ? { family: 6, bytes, zone, text } : { family: 6, bytes, text };
}

/**
 * inet_aton rules: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last part
 * fills the remaining bytes (`127.1` = 127.0.0.1, `2130706433` = 127.0.0.1). One trailing
 * dot is tolerated, as WHATWG URL parsing does. Returns null for anything else.
 */
function parseIpv4Legacy(input: string): Uint8Array | null {
  const s = input.endsWith('.') ? input.slice(0, -1) : input;
  if (s.length === 0 || s.length > 64) return null;
  const parts = s.split('.');
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const part of parts) {
    const n = parseIpv4Part(part);
    if (n === null) return null;
    nums.push(n);
  }
  const last = nums.pop() as number;
  for (const n of nums) if (n > 255) return null;
  const lastBytes = 4 - nums.length;
  if (last >= 2 ** (8 * lastBytes)) return null;
  const out = new Uint8Array(4);
  nums.forEach((n, i) => {
    out[i] = n;
  });
  for (let i = 0; i < lastBytes; i++) out[3 - i] = Math.floor(last / 2 ** (8 * i)) % 256;
  return out;
}

function parseIpv4Part(part: string): number | null {
  let digits: string;
  let radix: number;
  if (/^0[xX]/.test(part)) {
    digits = part.slice(2);
    radix = 16;
    // `0x` alone is 0 for inet_aton.
    if (digits === '') return 0;
    if (!/^[0-9a-fA-F]+$/.test(digits)) return null;
  } else if (/^0[0-9]/.test(part)) {
    digits = part.slice(1);
    radix = 8;
    if (!/^[0-7]+$/.test(digits)) return null;
  } else {
    digits = part;
    radix = 10;
    if (!/^[0-9]+$/.test(digits)) return null;
  }
  // Strip leading zeros so the length cap below is about magnitude, not padding.
  const trimmed = digits.replace(/^0+(?=.)/, '');
  if (trimmed.length > 12) return null;
  const n = Number.parseInt(trimmed, radix);
  return Number.isSafeInteger(n) && n <= 0xffffffff ? n : null;
}

/** Strict dotted quad (used inside IPv6 text): four decimal parts, no leading zeros. */
function parseDottedQuad(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIpv6WithZone(input: string): IpAddress | null {
  const pct = input.indexOf('%');
  let zone: string | undefined;
  let addr = input;
  if (pct !== -1) {
    zone = input.slice(pct + 1);
    addr = input.slice(0, pct);
    if (!ZONE.test(zone)) return null;
  }
  const bytes = parseIpv6(addr);
  return bytes ? ipv6(bytes, zone) : null;
}

function parseIpv6(s: string): Uint8Array | null {
  if (s.length === 0 || s.length > 45) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (part: string, allowTail: boolean): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (allowTail && i === groups.length - 1 && g.includes('.')) {
        const quad = parseDottedQuad(g);
        if (!quad) return null;
        out.push(
          ((quad[0] as number) << 8) | (quad[1] as number),
          ((quad[2] as number) << 8) | (quad[3] as number),
        );
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
        out.push(Number.parseInt(g, 16));
      }
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] as string, false);
    const tail = parseGroups(halves[1] as string, true);
    if (!head || !tail) return null;
    const missing = 8 - head.length - tail.length;
    // `::` stands for at least one zero group.
    if (missing < 1) return null;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(s, true);
    if (all?.length !== 8) return null;
    groups = all;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/** RFC 5952 text: lower case, longest run (>= 2) of zero groups as `::`, mapped IPv4 dotted. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** True when `bytes` starts with the first `prefix` bits of `network` (same length). */
export function inPrefix(bytes: Uint8Array, network: Uint8Array, prefix: number): boolean {
  if (bytes.length !== network.length) return false;
  const full = Math.floor(prefix / 8);
  for (let i = 0; i < full; i++) if (bytes[i] !== network[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[full] as number) & mask) === ((network[full] as number) & mask);
}
