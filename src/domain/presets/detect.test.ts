import { describe, expect, it } from 'vitest';
import {
  emailDomain,
  getPreset,
  listPresets,
  normalizeAppPassword,
  normalizeDomain,
  presetForEmailDomain,
  presetForMxHosts,
  presetServers,
} from './detect.js';

const idOf = (email: string): string | null => presetForEmailDomain(email)?.preset.id ?? null;
const mx = (...hosts: string[]): { id: string | null; variant: string | null } => {
  const match = presetForMxHosts(hosts);
  return { id: match?.preset.id ?? null, variant: match?.variant?.id ?? null };
};

describe('emailDomain / normalizeDomain', () => {
  it('lower-cases and returns the ASCII form', () => {
    expect(emailDomain('Jan.Kowalski@GMAIL.COM')).toBe('gmail.com');
    expect(emailDomain('jan@żółw.pl')).toBe('xn--w-uga1v8h.pl');
    expect(normalizeDomain('Bücher.example')).toBe('xn--bcher-kva.example');
  });

  it.each([
    ['', 'empty'],
    ['jan', 'no @'],
    ['@gmail.com', 'empty local part'],
    ['jan@', 'empty domain'],
    ['jan@gmail', 'single label'],
    ['jan@gmail.com.', 'trailing dot'],
    ['jan@gmail..com', 'empty label'],
    ['jan@[127.0.0.1]', 'IP literal'],
    ['jan@127.0.0.1', 'IPv4 as domain'],
    ['jan@0x7f.1', 'IPv4 in hex, which URL would turn into 127.0.0.1'],
    ['jan@[::1]', 'IPv6 literal'],
    ['jan@gmail.com\r\nRCPT TO:<x@y.z>', 'CR/LF'],
    ['jan @gmail.com', 'space in local part'],
    ['jan@gma il.com', 'space in domain'],
    ['jan@gmail.com:25', 'port'],
    ['jan@gmail.com/x', 'path'],
    ['jan@evil.com#@gmail.com', 'fragment trick'],
    ['jan@gm%61il.com', 'percent-encoding'],
    ['jan@-gmail.com', 'label starting with a hyphen'],
    ['jan@g_mail.com', 'underscore'],
    [`${'a'.repeat(65)}@gmail.com`, 'local part over 64 octets'],
    [`jan@${'a'.repeat(250)}.com`, 'domain over 253'],
    [
      `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`,
      'address over 254',
    ],
    ['x'.repeat(5000), 'huge input'],
  ])('refuses %j (%s)', (input) => {
    expect(emailDomain(input)).toBeNull();
  });

  it('refuses non-strings without throwing', () => {
    expect(emailDomain(undefined)).toBeNull();
    expect(emailDomain(42)).toBeNull();
    expect(emailDomain({ toString: () => 'a@gmail.com' })).toBeNull();
  });

  it('uses the last @, so a quoted local part with @ still yields the domain', () => {
    expect(emailDomain('"a@b"@wp.pl')).toBe('wp.pl');
  });
});

describe('presetForEmailDomain', () => {
  it('matches exact provider domains, case-insensitively', () => {
    expect(idOf('jan@gmail.com')).toBe('gmail');
    expect(idOf('JAN@GoogleMail.COM')).toBe('gmail');
    expect(idOf('jan@hotmail.com')).toBe('microsoft');
    expect(idOf('jan@me.com')).toBe('icloud');
    expect(idOf('jan@ya.ru')).toBe('yandex');
    expect(idOf('jan@bk.ru')).toBe('mailru');
    expect(idOf('jan@gmx.de')).toBe('gmx');
    expect(idOf('jan@wp.pl')).toBe('wp');
    expect(idOf('jan@op.pl')).toBe('onet');
    expect(idOf('jan@poczta.onet.pl')).toBe('onet');
    expect(idOf('jan@poczta.fm')).toBe('interia');
    expect(idOf('jan@tlen.pl')).toBe('o2');
  });

  it('never matches subdomains, look-alike suffixes or homographs', () => {
    expect(idOf('jan@mail.gmail.com')).toBeNull();
    expect(idOf('jan@gmail.com.evil.example')).toBeNull();
    expect(idOf('jan@notgmail.com')).toBeNull();
    expect(idOf('jan@xwp.pl')).toBeNull();
    // Cyrillic "а" in gmаil.com: a different domain once in punycode.
    expect(idOf('jan@gm\u0430il.com')).toBeNull();
  });

  it('treats IDNA-equivalent spellings as the same domain', () => {
    // Full-width letters map to ASCII under IDNA: DNS would send this to gmail.com too.
    expect(idOf('jan@\uff47\uff4d\uff41\uff49\uff4c.com')).toBe('gmail');
  });

  it('picks the variant from the domain', () => {
    expect(presetForEmailDomain('jan@outlook.com')?.variant?.id).toBe('outlook-com');
    expect(presetForEmailDomain('jan@zohomail.eu')?.variant?.id).toBe('eu');
    expect(presetForEmailDomain('jan@zoho.com')?.variant).toBeNull();
    expect(presetForEmailDomain('jan@gmx.com')?.variant?.id).toBe('gmx-com');
    expect(presetForEmailDomain('jan@gmx.net')?.variant).toBeNull();
  });

  it('has no match for company domains or invalid input', () => {
    expect(idOf('jan@firma.pl')).toBeNull();
    expect(idOf('jan@gmail.com\n')).toBeNull();
  });
});

describe('presetForMxHosts', () => {
  it('recognises providers hosting custom domains', () => {
    expect(mx('aspmx.l.google.com', 'alt1.aspmx.l.google.com')).toEqual({ id: 'gmail', variant: null });
    expect(mx('smtp.google.com')).toEqual({ id: 'gmail', variant: null });
    expect(mx('firma-pl.mail.protection.outlook.com')).toEqual({ id: 'microsoft', variant: null });
    expect(mx('mx-biz.mail.am0.yahoodns.net')).toEqual({ id: 'yahoo', variant: null });
    expect(mx('mx01.mail.icloud.com')).toEqual({ id: 'icloud', variant: null });
    expect(mx('mx.yandex.net')).toEqual({ id: 'yandex', variant: null });
    expect(mx('emx.mail.ru')).toEqual({ id: 'mailru', variant: null });
    expect(mx('mx00.gmx.net')).toEqual({ id: 'gmx', variant: null });
  });

  it('selects the Zoho organization hosts by region', () => {
    expect(mx('mx.zoho.com', 'mx2.zoho.com')).toEqual({ id: 'zoho', variant: 'organization' });
    expect(mx('mx.zoho.eu')).toEqual({ id: 'zoho', variant: 'organization-eu' });
  });

  it('accepts trailing dots and upper case, as DNS may return them', () => {
    expect(mx('ASPMX.L.GOOGLE.COM.')).toEqual({ id: 'gmail', variant: null });
  });

  it('does not match on a bare suffix without a dot boundary, or on AOL', () => {
    expect(mx('mx.evilgoogle.com')).toEqual({ id: null, variant: null });
    expect(mx('google.com.evil.example')).toEqual({ id: null, variant: null });
    expect(mx('mx-aol.mail.gm0.yahoodns.net')).toEqual({ id: null, variant: null });
  });

  it('lets the first matching host in priority order decide, skipping junk', () => {
    expect(mx('', 'not a host', 'mx.firma.pl', 'mx.zoho.eu', 'aspmx.l.google.com')).toEqual({
      id: 'zoho',
      variant: 'organization-eu',
    });
    expect(presetForMxHosts([])).toBeNull();
  });
});

describe('getPreset / presetServers', () => {
  it('looks presets up by id', () => {
    expect(getPreset('gmail')?.name.en).toBe('Gmail / Google Workspace');
    expect(getPreset('nope')).toBeNull();
    expect(listPresets().at(-1)?.id).toBe('other');
  });

  it('applies a variant over the preset servers, keeping what it does not override', () => {
    const microsoft = getPreset('microsoft')!;
    const consumer = presetServers(microsoft, 'outlook-com');
    expect(consumer.smtp[0]?.host).toBe('smtp-mail.outlook.com');
    expect(consumer.pop3).toEqual(microsoft.pop3);
    expect(presetServers(microsoft).smtp[0]?.host).toBe('smtp.office365.com');
    expect(presetServers(microsoft, 'unknown').smtp[0]?.host).toBe('smtp.office365.com');
    expect(presetServers(getPreset('zoho')!, 'organization').imap?.host).toBe('imappro.zoho.com');
  });
});

describe('normalizeAppPassword (M46)', () => {
  it('leaves passwords without spaces alone', () => {
    expect(normalizeAppPassword('gmail', 'abcdefghijklmnop')).toEqual({
      value: 'abcdefghijklmnop',
      changed: false,
    });
    expect(normalizeAppPassword(null, 'P@ss')).toEqual({ value: 'P@ss', changed: false });
  });

  it('strips the display spaces of a Google app password and says so', () => {
    expect(normalizeAppPassword('gmail', 'abcd efgh ijkl mnop')).toEqual({
      value: 'abcdefghijklmnop',
      changed: true,
      warning: 'contains_spaces',
    });
  });

  it('strips non-breaking, zero-width and trailing whitespace picked up when copying from a page', () => {
    expect(normalizeAppPassword('gmail', ' abcd\u00a0efgh\u200bijkl\tmnop\n').value).toBe('abcdefghijklmnop');
    expect(normalizeAppPassword('icloud', 'abcd-efgh-ijkl-mnop ').value).toBe('abcd-efgh-ijkl-mnop');
    expect(normalizeAppPassword('yahoo', 'abcd efgh ijkl mnop').changed).toBe(true);
  });

  it('only warns when the stripped value is not an app password of that provider', () => {
    expect(normalizeAppPassword('gmail', 'my old password 1')).toEqual({
      value: 'my old password 1',
      changed: false,
      warning: 'contains_spaces',
    });
    expect(normalizeAppPassword('gmail', '   ')).toEqual({
      value: '   ',
      changed: false,
      warning: 'contains_spaces',
    });
  });

  it('only warns for providers whose passwords may contain spaces, and for unknown presets', () => {
    for (const id of ['microsoft', 'mailru', 'wp', 'other', 'unknown', null, undefined]) {
      expect(normalizeAppPassword(id, 'abcd efgh ijkl mnop')).toEqual({
        value: 'abcd efgh ijkl mnop',
        changed: false,
        warning: 'contains_spaces',
      });
    }
  });
});
