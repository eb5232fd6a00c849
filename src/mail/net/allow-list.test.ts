import { describe, expect, it } from 'vitest';
import { allowsAddress, allowsHost, normalizeHostName, parseAllowList } from './allow-list.js';
import { type IpAddress, parseIpLiteral } from './ip-address.js';

const ip = (s: string) => parseIpLiteral(s) as IpAddress;

describe('parseAllowList', () => {
  it('parses every documented form, separated by commas and/or spaces', () => {
    const { entries, errors } = parseAllowList(
      ' Mail.Corp.Example., mail2.corp.example:2525  10.0.0.5 10.0.0.6:8025,fd00::25 [fd00::26]:587 10.1.0.0/16 10.2.0.0/16:587 fd00::/8 [fd10::/16]:25 ',
    );
    expect(errors).toEqual([]);
    expect(entries.map((e) => (e.kind === 'host' ? [e.host, e.port] : [e.family, e.prefix, e.port]))).toEqual(
      [
        ['mail.corp.example', null],
        ['mail2.corp.example', 2525],
        [4, 32, null],
        [4, 32, 8025],
        [6, 128, null],
        [6, 128, 587],
        [4, 16, null],
        [4, 16, 587],
        [6, 8, null],
        [6, 16, 25],
      ],
    );
  });

  it('accepts an empty value', () => {
    expect(parseAllowList('')).toEqual({ entries: [], errors: [] });
    expect(parseAllowList(' , ,')).toEqual({ entries: [], errors: [] });
  });

  const bad = [
    'mail.example:0',
    'mail.example:65536',
    'mail.example:abc',
    'mail.example:',
    '[fd00::1',
    '[10.0.0.1]:25',
    '[fd00::1]x',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.0/x',
    '0x0a000000/8',
    'fe80::1%eth0',
    'user@mail.example',
    'mail/example',
    '-mail.example',
    '1.2.3.256',
    'fd00::1::2',
  ];
  it.each(bad)('reports %j as an error and skips it', (item) => {
    const { entries, errors } = parseAllowList(`${item}, ok.example`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(item);
    expect(entries).toHaveLength(1);
  });
});

describe('matching', () => {
  const { entries } = parseAllowList(
    'mail.corp.example:2525 relay.corp.example 127.0.0.1:2525 10.0.0.0/8 [fd00::/8]:587',
  );

  it('matches host names exactly, on the entry port', () => {
    expect(allowsHost(entries, 'mail.corp.example', 2525)).toBe(true);
    expect(allowsHost(entries, 'mail.corp.example', 25)).toBe(false);
    expect(allowsHost(entries, 'relay.corp.example', 4025)).toBe(true);
    expect(allowsHost(entries, 'x.relay.corp.example', 25)).toBe(false);
    expect(allowsHost(entries, 'corp.example', 25)).toBe(false);
  });

  it('matches addresses by CIDR and port', () => {
    expect(allowsAddress(entries, ip('127.0.0.1'), 2525)).toBe(true);
    expect(allowsAddress(entries, ip('127.0.0.1'), 22)).toBe(false);
    expect(allowsAddress(entries, ip('127.0.0.2'), 2525)).toBe(false);
    expect(allowsAddress(entries, ip('10.255.1.2'), 6379)).toBe(true);
    expect(allowsAddress(entries, ip('11.0.0.1'), 25)).toBe(false);
    expect(allowsAddress(entries, ip('fd12::1'), 587)).toBe(true);
    expect(allowsAddress(entries, ip('fd12::1'), 25)).toBe(false);
    expect(allowsAddress(entries, ip('fe80::1'), 587)).toBe(false);
  });
});

describe('normalizeHostName', () => {
  const cases: Array<[string, string | null]> = [
    ['Mail.Example.COM', 'mail.example.com'],
    ['mail.example.com.', 'mail.example.com'],
    ['почта.рф', 'xn--80a1acny.xn--p1ai'],
    ['mail_1.example.com', 'mail_1.example.com'],
    ['mail.example.com\r\nRCPT TO:<x>', null],
    ['mail.example.com\n', null],
    ['mail example.com', null],
    ['user@mail.example.com', null],
    ['mail.example.com/x', null],
    ['mail.example.com:25', null],
    ['mail.example.com%00', null],
    ['mail..example.com', null],
    ['.example.com', null],
    ['-mail.example.com', null],
    ['mail-.example.com', null],
    [`${'a'.repeat(64)}.com`, null],
    [`${'a.'.repeat(127)}com`, null],
    ['', null],
    ['.', null],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(normalizeHostName(input)).toBe(expected);
  });
});
