import { describe, expect, it } from 'vitest';
import type { MailPreset, PresetEndpoint } from './preset.types.js';
import { MAIL_PRESETS, OTHER_PRESET_ID } from './presets.data.js';

const PRESETS: readonly MailPreset[] = MAIL_PRESETS;
const byId = (id: string): MailPreset => {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
};
const ep = (host: string, port: number, security: PresetEndpoint['security']): PresetEndpoint => ({
  host,
  port,
  security,
});
const allEndpoints = (p: MailPreset): PresetEndpoint[] => [
  ...p.smtp,
  ...(p.pop3 ? [p.pop3] : []),
  ...(p.imap ? [p.imap] : []),
  ...(p.variants ?? []).flatMap((v) => [
    ...(v.smtp ?? []),
    ...(v.pop3 ? [v.pop3] : []),
    ...(v.imap ? [v.imap] : []),
  ]),
];

const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

describe('preset data integrity', () => {
  it('has unique ids and ends with the "other" entry', () => {
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-1)).toBe(OTHER_PRESET_ID);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
  });

  it('names the "other" entry as the SPEC does, in both languages', () => {
    expect(byId(OTHER_PRESET_ID).name).toEqual({
      pl: 'Inny serwer (w tym serwer Twojej firmy)',
      en: "Other server (including your company's server)",
    });
  });

  it('uses valid hosts, ports and security modes everywhere', () => {
    for (const preset of PRESETS) {
      for (const endpoint of allEndpoints(preset)) {
        expect(endpoint.host, preset.id).toMatch(HOST);
        expect(Number.isInteger(endpoint.port), preset.id).toBe(true);
        expect(endpoint.port, preset.id).toBeGreaterThan(0);
        expect(endpoint.port, preset.id).toBeLessThanOrEqual(65535);
        // Presets never suggest plaintext: `none` is only for operator allow-listed hosts (M11).
        expect(['tls', 'starttls'], preset.id).toContain(endpoint.security);
      }
    }
  });

  it('gives every provider an SMTP server and a server for its default incoming protocol', () => {
    for (const preset of PRESETS.filter((p) => p.id !== OTHER_PRESET_ID)) {
      expect(preset.smtp.length, preset.id).toBeGreaterThan(0);
      expect(preset[preset.defaultIncoming], preset.id).not.toBeNull();
    }
  });

  it('keeps domains and MX patterns lower-case ASCII and unambiguous across presets', () => {
    const domainOwner = new Map<string, string>();
    const patterns: Array<{ id: string; pattern: string }> = [];
    for (const preset of PRESETS) {
      for (const domain of preset.domains) {
        expect(domain, preset.id).toMatch(HOST);
        expect(domainOwner.get(domain), `${domain} listed twice`).toBeUndefined();
        domainOwner.set(domain, preset.id);
      }
      for (const pattern of preset.mxPatterns) {
        expect(pattern, preset.id).toMatch(HOST);
        patterns.push({ id: preset.id, pattern });
      }
    }
    for (const a of patterns) {
      for (const b of patterns) {
        if (a.id === b.id) continue;
        const overlaps = a.pattern === b.pattern || a.pattern.endsWith(`.${b.pattern}`);
        expect(overlaps, `${a.id}:${a.pattern} vs ${b.id}:${b.pattern}`).toBe(false);
      }
    }
  });

  it('lists variant domains and MX patterns on their preset too', () => {
    for (const preset of PRESETS) {
      const ids = (preset.variants ?? []).map((v) => v.id);
      expect(new Set(ids).size, preset.id).toBe(ids.length);
      for (const variant of preset.variants ?? []) {
        for (const d of variant.domains) expect(preset.domains, `${preset.id}/${variant.id}`).toContain(d);
        for (const m of variant.mxPatterns)
          expect(preset.mxPatterns, `${preset.id}/${variant.id}`).toContain(m);
      }
    }
  });

  it('has the same number of notes in Polish and English, none empty', () => {
    for (const preset of PRESETS) {
      expect(preset.notes.pl.length, preset.id).toBe(preset.notes.en.length);
      for (const note of [...preset.notes.pl, ...preset.notes.en])
        expect(note.trim().length).toBeGreaterThan(10);
      expect(preset.name.pl.length).toBeGreaterThan(0);
      expect(preset.name.en.length).toBeGreaterThan(0);
    }
  });

  it('links only to https pages and names every source', () => {
    for (const preset of PRESETS) {
      expect(preset.source.length, preset.id).toBeGreaterThan(10);
      for (const link of preset.links) {
        expect(new URL(link.url).protocol, link.url).toBe('https:');
        expect(link.label.pl.length).toBeGreaterThan(0);
        expect(link.label.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps limits conservative and self-consistent', () => {
    for (const preset of PRESETS) {
      const { maxConnections, perMinute, perDay } = preset.limits;
      expect(Number.isInteger(maxConnections) && maxConnections >= 1 && maxConnections <= 5, preset.id).toBe(
        true,
      );
      if (perMinute !== undefined) expect(perMinute).toBeGreaterThan(0);
      if (perDay !== undefined) expect(perDay).toBeGreaterThan(0);
    }
  });

  it('pairs app-password shapes only with providers whose passwords are stripped of spaces', () => {
    for (const preset of PRESETS) {
      const { appPassword, appPasswordHasNoSpaces, appPasswordPattern } = preset.auth;
      if (appPasswordPattern !== undefined) {
        expect(appPasswordHasNoSpaces, preset.id).toBe(true);
        expect(appPasswordPattern.startsWith('^') && appPasswordPattern.endsWith('$'), preset.id).toBe(true);
        expect(() => new RegExp(appPasswordPattern)).not.toThrow();
      }
      if (appPasswordHasNoSpaces) expect(appPassword, preset.id).not.toBe('no');
    }
  });
});

// SPEC §2.4, one assertion per table row: first SMTP entry is the default.
describe('SPEC §2.4 table', () => {
  const rows: Array<{
    id: string;
    smtp: PresetEndpoint;
    pop3: PresetEndpoint | null;
    imap: PresetEndpoint;
  }> = [
    {
      id: 'gmail',
      smtp: ep('smtp.gmail.com', 465, 'tls'),
      pop3: ep('pop.gmail.com', 995, 'tls'),
      imap: ep('imap.gmail.com', 993, 'tls'),
    },
    {
      id: 'microsoft',
      smtp: ep('smtp.office365.com', 587, 'starttls'),
      pop3: ep('outlook.office365.com', 995, 'tls'),
      imap: ep('outlook.office365.com', 993, 'tls'),
    },
    {
      id: 'yahoo',
      smtp: ep('smtp.mail.yahoo.com', 465, 'tls'),
      pop3: ep('pop.mail.yahoo.com', 995, 'tls'),
      imap: ep('imap.mail.yahoo.com', 993, 'tls'),
    },
    {
      id: 'icloud',
      smtp: ep('smtp.mail.me.com', 587, 'starttls'),
      pop3: null,
      imap: ep('imap.mail.me.com', 993, 'tls'),
    },
    {
      id: 'zoho',
      smtp: ep('smtp.zoho.com', 465, 'tls'),
      pop3: ep('pop.zoho.com', 995, 'tls'),
      imap: ep('imap.zoho.com', 993, 'tls'),
    },
    {
      id: 'yandex',
      smtp: ep('smtp.yandex.com', 465, 'tls'),
      pop3: ep('pop.yandex.com', 995, 'tls'),
      imap: ep('imap.yandex.com', 993, 'tls'),
    },
    {
      id: 'mailru',
      smtp: ep('smtp.mail.ru', 465, 'tls'),
      pop3: ep('pop.mail.ru', 995, 'tls'),
      imap: ep('imap.mail.ru', 993, 'tls'),
    },
    {
      id: 'gmx',
      smtp: ep('mail.gmx.net', 587, 'starttls'),
      pop3: ep('pop.gmx.net', 995, 'tls'),
      imap: ep('imap.gmx.net', 993, 'tls'),
    },
    {
      id: 'wp',
      smtp: ep('smtp.wp.pl', 465, 'tls'),
      pop3: ep('pop3.wp.pl', 995, 'tls'),
      imap: ep('imap.wp.pl', 993, 'tls'),
    },
    {
      id: 'onet',
      smtp: ep('smtp.poczta.onet.pl', 465, 'tls'),
      pop3: ep('pop3.poczta.onet.pl', 995, 'tls'),
      imap: ep('imap.poczta.onet.pl', 993, 'tls'),
    },
    {
      id: 'interia',
      smtp: ep('poczta.interia.pl', 465, 'tls'),
      pop3: ep('poczta.interia.pl', 995, 'tls'),
      imap: ep('poczta.interia.pl', 993, 'tls'),
    },
    {
      id: 'o2',
      smtp: ep('poczta.o2.pl', 465, 'tls'),
      pop3: ep('poczta.o2.pl', 995, 'tls'),
      imap: ep('poczta.o2.pl', 993, 'tls'),
    },
  ];

  it('covers every provider in the table, and nothing else but "other"', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([...rows.map((r) => r.id), OTHER_PRESET_ID]);
  });

  for (const row of rows) {
    it(`${row.id}: servers as in the table`, () => {
      const preset = byId(row.id);
      expect(preset.smtp[0]).toEqual(row.smtp);
      expect(preset.pop3).toEqual(row.pop3);
      expect(preset.imap).toEqual(row.imap);
    });
  }

  it('Gmail offers 587 STARTTLS as the alternative', () => {
    expect(byId('gmail').smtp).toContainEqual(ep('smtp.gmail.com', 587, 'starttls'));
  });

  it('Outlook.com addresses send through smtp-mail.outlook.com', () => {
    const microsoft = byId('microsoft');
    expect(microsoft.smtp).toContainEqual(ep('smtp-mail.outlook.com', 587, 'starttls'));
    const consumer = microsoft.variants?.find((v) => v.id === 'outlook-com');
    expect(consumer?.smtp?.[0]).toEqual(ep('smtp-mail.outlook.com', 587, 'starttls'));
    expect(consumer?.domains).toContain('hotmail.com');
  });

  it('iCloud is IMAP only', () => {
    const icloud = byId('icloud');
    expect(icloud.pop3).toBeNull();
    expect(icloud.defaultIncoming).toBe('imap');
  });

  it('every other provider defaults to POP3 (what the reference requires, M12)', () => {
    for (const preset of PRESETS.filter((p) => p.id !== 'icloud'))
      expect(preset.defaultIncoming).toBe('pop3');
  });

  it('Zoho EU accounts get .eu hosts', () => {
    const eu = byId('zoho').variants?.find((v) => v.id === 'eu');
    expect(eu?.smtp?.[0]).toEqual(ep('smtp.zoho.eu', 465, 'tls'));
    expect(eu?.pop3).toEqual(ep('pop.zoho.eu', 995, 'tls'));
    expect(eu?.imap).toEqual(ep('imap.zoho.eu', 993, 'tls'));
  });

  it('marks the table notes in auth: app passwords and OAuth', () => {
    expect(byId('gmail').auth).toMatchObject({
      appPassword: 'required',
      appPasswordHasNoSpaces: true,
      oauth: 'google',
    });
    expect(byId('microsoft').auth.oauth).toBe('microsoft');
    for (const id of ['yahoo', 'icloud', 'yandex', 'mailru'])
      expect(byId(id).auth.appPassword).toBe('required');
  });

  it('writes the table notes into the provider notes', () => {
    const en = (id: string): string => byId(id).notes.en.join(' ');
    expect(en('gmail')).toMatch(/2-Step Verification/);
    expect(en('gmail')).toMatch(/app password/);
    expect(en('gmail')).toMatch(/enable POP/);
    expect(en('microsoft')).toMatch(/SMTP AUTH/);
    expect(en('microsoft')).toMatch(/OAuth/);
    expect(en('zoho')).toMatch(/\.eu hosts/);
    expect(en('yandex')).toMatch(/app password/);
    expect(en('yandex')).toMatch(/mail programs/);
    expect(en('mailru')).toMatch(/password for external applications/);
    expect(en('gmx')).toMatch(/POP3\/IMAP/);
    expect(en('wp')).toMatch(/mail programs/);
    expect(en('onet')).toMatch(/mail programs/);
    expect(byId('gmail').notes.pl.join(' ')).toMatch(/hasło do aplikacji/);
  });
});
