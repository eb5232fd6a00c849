import { describe, expect, it } from 'vitest';
import { parseIpLiteral } from './ip-address.js';
import {
  classifyAddress,
  isPublicAddress,
  SPECIAL_RANGES_V4,
  SPECIAL_RANGES_V6,
  unmapIpv4,
} from './special-ranges.js';

/**
 * Literal bounds, written out by hand from the IANA registries (not computed from the table
 * under test): each range's first and last address must be refused with that range as the
 * reason, and its public neighbours accepted. Narrowing, widening or dropping an entry fails.
 * `null` neighbours are themselves special (or outside 2000::/3) and are not checked here.
 */
const LITERAL_BOUNDS: Array<
  [cidr: string, first: string, last: string, below: string | null, above: string | null]
> = [
  ['0.0.0.0/8', '0.0.0.0', '0.255.255.255', null, '1.0.0.0'],
  ['10.0.0.0/8', '10.0.0.0', '10.255.255.255', '9.255.255.255', '11.0.0.0'],
  ['100.64.0.0/10', '100.64.0.0', '100.127.255.255', '100.63.255.255', '100.128.0.0'],
  ['127.0.0.0/8', '127.0.0.0', '127.255.255.255', '126.255.255.255', '128.0.0.0'],
  ['169.254.0.0/16', '169.254.0.0', '169.254.255.255', '169.253.255.255', '169.255.0.0'],
  ['172.16.0.0/12', '172.16.0.0', '172.31.255.255', '172.15.255.255', '172.32.0.0'],
  ['192.0.0.0/24', '192.0.0.0', '192.0.0.255', '191.255.255.255', '192.0.1.0'],
  ['192.0.2.0/24', '192.0.2.0', '192.0.2.255', '192.0.1.255', '192.0.3.0'],
  ['192.31.196.0/24', '192.31.196.0', '192.31.196.255', '192.31.195.255', '192.31.197.0'],
  ['192.52.193.0/24', '192.52.193.0', '192.52.193.255', '192.52.192.255', '192.52.194.0'],
  ['192.88.99.0/24', '192.88.99.0', '192.88.99.255', '192.88.98.255', '192.88.100.0'],
  ['192.168.0.0/16', '192.168.0.0', '192.168.255.255', '192.167.255.255', '192.169.0.0'],
  ['192.175.48.0/24', '192.175.48.0', '192.175.48.255', '192.175.47.255', '192.175.49.0'],
  ['198.18.0.0/15', '198.18.0.0', '198.19.255.255', '198.17.255.255', '198.20.0.0'],
  ['198.51.100.0/24', '198.51.100.0', '198.51.100.255', '198.51.99.255', '198.51.101.0'],
  ['203.0.113.0/24', '203.0.113.0', '203.0.113.255', '203.0.112.255', '203.0.114.0'],
  ['224.0.0.0/4', '224.0.0.0', '239.255.255.255', '223.255.255.255', null],
  ['240.0.0.0/4', '240.0.0.0', '255.255.255.254', null, null],
  ['168.63.129.16/32', '168.63.129.16', '168.63.129.16', '168.63.129.15', '168.63.129.17'],
  ['::/128', '::', '::', null, null],
  ['::1/128', '::1', '::1', null, null],
  ['64:ff9b::/96', '64:ff9b::', '64:ff9b::ffff:ffff', null, null],
  ['64:ff9b:1::/48', '64:ff9b:1::', '64:ff9b:1:ffff:ffff:ffff:ffff:ffff', null, null],
  ['100::/64', '100::', '100::ffff:ffff:ffff:ffff', null, null],
  ['2001::/32', '2001::', '2001:0:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
  ['2001::/23', '2001:1::', '2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', null, '2001:200::'],
  [
    '2001:db8::/32',
    '2001:db8::',
    '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:db9::',
  ],
  [
    '2002::/16',
    '2002::',
    '2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '2003::',
  ],
  [
    '3fff::/20',
    '3fff::',
    '3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff',
    '3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    null,
  ],
  ['5f00::/16', '5f00::', '5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
  ['fc00::/7', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
  ['fe80::/10', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
  ['fec0::/10', 'fec0::', 'feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
  ['ff00::/8', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', null, null],
];

describe('special-purpose range table, against literal bounds (issue 8 item 11)', () => {
  it.each(LITERAL_BOUNDS)('%s: %s and %s refused as this range', (cidr, first, last) => {
    for (const ip of [first, last]) {
      const verdict = classifyAddress(ip);
      expect(verdict.public, ip).toBe(false);
      expect(verdict.reason, ip).toContain(`(${cidr})`);
    }
  });

  it.each(LITERAL_BOUNDS.filter(([, , , below, above]) => below ?? above))(
    '%s: the public neighbours are accepted',
    (_cidr, _first, _last, below, above) => {
      for (const ip of [below, above])
        if (ip) expect(classifyAddress(ip), ip).toEqual({ public: true, reason: '' });
    },
  );

  it('the 255.255.255.255 broadcast entry is refused (inside 240.0.0.0/4)', () => {
    expect(isPublicAddress('255.255.255.255')).toBe(false);
  });

  it('every table entry has a literal row (an entry added without bounds fails)', () => {
    const tested = new Set([...LITERAL_BOUNDS.map(([cidr]) => cidr), '255.255.255.255/32']);
    const table = [...SPECIAL_RANGES_V4, ...SPECIAL_RANGES_V6]
      .filter((r) => !r.judgeByEmbedded)
      .map((r) => r.cidr);
    expect(table.filter((c) => !tested.has(c))).toEqual([]);
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
