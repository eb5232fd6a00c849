/**
 * Polish providers: WP, Onet, Interia, o2.
 * Part of the preset data (presets.data.ts composes the list; the same rules apply).
 */
import type { MailPreset } from './preset.types.js';

export const POLISH_PRESETS = [
  {
    id: 'wp',
    name: { pl: 'WP.pl', en: 'WP.pl' },
    domains: ['wp.pl'],
    mxPatterns: [],
    smtp: [{ host: 'smtp.wp.pl', port: 465, security: 'tls' }],
    pop3: { host: 'pop3.wp.pl', port: 995, security: 'tls' },
    imap: { host: 'imap.wp.pl', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Włącz dostęp dla programów pocztowych w ustawieniach Poczty WP (POP3/IMAP/SMTP).',
        'Jeśli serwer odrzuca pełny adres jako login, wpisz samą część przed @.',
      ],
      en: [
        'Enable access for mail programs in WP Poczta settings (POP3/IMAP/SMTP).',
        'If the server refuses the full address as login, use only the part before @.',
      ],
    },
    links: [],
    limits: { maxConnections: 2 },
    source: 'SPEC §2.4 table; Thunderbird ISPDB wp.pl (hosts; login is the part before @).',
  },
  {
    id: 'onet',
    name: { pl: 'Onet', en: 'Onet' },
    domains: [
      'onet.pl',
      'op.pl',
      'onet.eu',
      'vp.pl',
      'poczta.onet.pl',
      'poczta.onet.eu',
      'onet.com.pl',
      'autograf.pl',
      'spoko.pl',
      'amorki.pl',
      'buziaczek.pl',
    ],
    mxPatterns: [],
    smtp: [
      { host: 'smtp.poczta.onet.pl', port: 465, security: 'tls' },
      { host: 'smtp.poczta.onet.pl', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'pop3.poczta.onet.pl', port: 995, security: 'tls' },
    imap: { host: 'imap.poczta.onet.pl', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: ['Włącz dostęp dla programów pocztowych w ustawieniach Poczty Onet.'],
      en: ['Enable access for mail programs in Onet Poczta settings.'],
    },
    links: [],
    limits: { maxConnections: 2 },
    source: 'SPEC §2.4 table; Thunderbird ISPDB onet.pl (domains, hosts, 587 STARTTLS alternative).',
  },
  {
    id: 'interia',
    name: { pl: 'Interia', en: 'Interia' },
    domains: ['interia.pl', 'interia.eu', 'poczta.fm'],
    mxPatterns: [],
    smtp: [{ host: 'poczta.interia.pl', port: 465, security: 'tls' }],
    pop3: { host: 'poczta.interia.pl', port: 995, security: 'tls' },
    imap: { host: 'poczta.interia.pl', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Jeśli logowanie się nie udaje, sprawdź w ustawieniach skrzynki Interia, czy dostęp dla programów pocztowych jest włączony.',
      ],
      en: ['If sign-in fails, check in your Interia mailbox settings that access for mail programs is on.'],
    },
    links: [],
    limits: { maxConnections: 2 },
    source:
      'SPEC §2.4 table (hosts); domains as offered at Interia sign-up (interia.pl, interia.eu, poczta.fm).',
  },
  {
    id: 'o2',
    name: { pl: 'o2.pl', en: 'o2.pl' },
    domains: ['o2.pl', 'tlen.pl', 'go2.pl', 'prokonto.pl'],
    mxPatterns: [],
    smtp: [
      { host: 'poczta.o2.pl', port: 465, security: 'tls' },
      { host: 'poczta.o2.pl', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'poczta.o2.pl', port: 995, security: 'tls' },
    imap: { host: 'poczta.o2.pl', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Włącz dostęp dla programów pocztowych w ustawieniach Poczty o2.',
        'Jeśli serwer odrzuca pełny adres jako login, wpisz samą część przed @.',
      ],
      en: [
        'Enable access for mail programs in o2 Poczta settings.',
        'If the server refuses the full address as login, use only the part before @.',
      ],
    },
    links: [
      {
        label: {
          pl: 'o2: aktywacja dostępu dla programów pocztowych',
          en: 'o2: turning on access for mail programs (Polish)',
        },
        url: 'https://pomoc.o2.pl/aktywacja-dostepu-dla-programow-pocztowych',
      },
    ],
    limits: { maxConnections: 2 },
    source:
      'SPEC §2.4 table; o2 terms (profil.o2.pl/regulamin.html: o2.pl, tlen.pl, go2.pl, prokonto.pl); Thunderbird ISPDB o2.pl.xml (pomoc.o2.pl links).',
  },
] as const satisfies readonly MailPreset[];
