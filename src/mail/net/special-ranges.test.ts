import { describe, expect, it } from 'vitest';
import { parseIpLiteral } from './ip-address.js';
import {
  classifyAddress,
  isPublicAddress,
  SPECIAL_RANGES_V4,
  SPECIAL_RANGES_V6,
  unmapIpv4,
} from './special-ranges.js';

describe('special-purpose range table', () => {
  // Every entry: its first address, and its last address, are refused.
  const lastOf = (cidr: string): string => {
    const [addr, bits] = cidr.split('/') as [string, string];
    const ip = parseIpLiteral(addr);
    if (!ip) throw new Error(cidr);
    const bytes = Uint8Array.from(ip.bytes);
    for (let bit = Number(bits); bit < bytes.length * 8; bit++) {
      bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
    }
    return ip.family === 4
      ? Array.from(bytes).join('.')
      : Buffer.from(bytes)
          .toString('hex')
          .replace(/(.{4})(?!$)/g, '$1:');
  };
  const entries = [...SPECIAL_RANGES_V4, ...SPECIAL_RANGES_V6].filter((r) => !r.judgeByEmbedded);
  it.each(entries.map((r) => [r.cidr]))('%s: first and last address refused', (cidr) => {
    expect(isPublicAddress(cidr.split('/')[0] as string)).toBe(false);
    expect(isPublicAddress(lastOf(cidr))).toBe(false);
  });
});

describe('classifyAddress', () => {
  const refused: Array<[string, RegExp]> = [
    // SECURITY.md §7 items 1-4 as addresses.
    ['127.0.0.1', /loopback/],
    ['0.0.0.0', /this network/],
    ['::', /unspecified/],
    ['::1', /loopback/],
    ['::ffff:127.0.0.1', /IPv4-mapped.*loopback/],
    ['::ffff:7f00:1', /IPv4-mapped.*loopback/],
    ['64:ff9b::7f00:1', /NAT64.*loopback/],
    ['64:ff9b:1::a00:1', /NAT64 local-use/],
    ['2002:7f00:1::', /6to4.*loopback/],
    ['::7f00:1', /IPv4-compatible.*loopback/],
    ['fe80::1', /link-local/],
    ['10.0.0.5', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /shared/],
    ['100.100.100.200', /shared/],
    ['169.254.169.254', /link-local/],
    ['fd00:ec2::254', /unique local/],
    ['198.18.0.1', /benchmarking/],
    ['224.0.0.1', /multicast/],
    ['255.255.255.255', /broadcast|reserved/],
    ['168.63.129.16', /Azure/],
    ['192.0.0.192', /IETF/],
    ['192.0.2.1', /documentation/],
    ['2001:db8::1', /documentation/],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
    ['2001:2::1', /IETF protocol/],
    ['100::1', /discard/],
    ['ff02::1', /multicast/],
    ['fec0::1', /site-local/],
    // Not global unicast at all.
    ['4000::1', /global unicast/],
    ['::2:0:0:1', /global unicast/],
    // NAT64 / 6to4 are refused even when the embedded IPv4 is public.
    ['64:ff9b::808:808', /NAT64 .*8\.8\.8\.8/],
    ['2002:808:808::1', /6to4/],
  ];
  it.each(refused)('%s is refused (%s)', (ip, reason) => {
    const verdict = classifyAddress(ip);
    expect(verdict.public).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  const accepted = [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '100.128.0.1',
    '100.63.255.255',
    '168.63.129.15',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2a00:1450:4001:82b::1b',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
  ];
  it.each(accepted)('%s is public', (ip) => {
    expect(classifyAddress(ip)).toEqual({ public: true, reason: '' });
  });

  it('refuses text that is not an address', () => {
    expect(isPublicAddress('mail.example.com')).toBe(false);
  });
});

describe('unmapIpv4', () => {
  it('unwraps only IPv4-mapped addresses', () => {
    expect(unmapIpv4(parseIpLiteral('::ffff:8.8.8.8') as never)?.text).toBe('8.8.8.8');
    expect(unmapIpv4(parseIpLiteral('::8.8.8.8') as never)).toBeNull();
    expect(unmapIpv4(parseIpLiteral('8.8.8.8') as never)).toBeNull();
  });
});
