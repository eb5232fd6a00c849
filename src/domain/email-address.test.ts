import { describe, expect, it } from 'vitest';
import { parseEmailAddress } from './email-address.js';

describe('parseEmailAddress', () => {
  it.each([
    ['Jan.Kowalski@Example.COM', 'Jan.Kowalski@example.com'],
    ['user+tag@mail.example.pl', 'user+tag@mail.example.pl'],
    ['user@пример.рф', 'user@пример.рф'],
    ['  anna@firma.pl ', 'anna@firma.pl'],
  ])('accepts %s', (input, address) => {
    const r = parseEmailAddress(input);
    expect(r.ok && r.address).toBe(address);
  });

  it('keeps the punycode form for the wire', () => {
    const r = parseEmailAddress('user@пример.рф');
    expect(r.ok && r.ascii).toBe('user@xn--e1afmkfd.xn--p1ai');
  });

  it.each([
    ['', 'empty'],
    ['no-at-sign', 'invalid'],
    ['"victim@good.com x"@evil.example', 'invalid'],
    ['a@b@c.pl', 'invalid'],
    ['Name <a@b.pl>', 'invalid'],
    ['group: a@b.pl;', 'invalid'],
    ['a@b.pl\r\nBcc: x@y.pl', 'invalid'],
    ['a\u202e@b.pl', 'invalid'],
    ['a@[127.0.0.1]', 'invalid'],
    ['a@127.0.0.1', 'domain_invalid'],
    ['a@localhost', 'domain_invalid'],
    ['.a@b.pl', 'invalid'],
    ['a..b@b.pl', 'invalid'],
    [`${'x'.repeat(65)}@b.pl`, 'local_too_long'],
    [`a@${'x'.repeat(250)}.pl`, 'too_long'],
    ['пользователь@пример.рф', 'non_ascii_local'],
    ['a@-bad-.pl', 'domain_invalid'],
    ['a@exa\u00admple.pl', 'invalid'],
    ['a\u200d@b.pl', 'invalid'],
    ['a\u2028b@b.pl', 'invalid'],
    ['a\u{E0041}@b.pl', 'invalid'],
    ['a\ud800@b.pl', 'invalid'],
  ])('rejects %j as %s', (input, error) => {
    const r = parseEmailAddress(input);
    expect(r.ok ? 'ok' : r.error).toBe(error);
  });
});
