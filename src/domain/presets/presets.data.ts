/**
 * Mail provider presets: the one data file behind SPEC §2.4 (M15, M16, M46).
 *
 * Host/port/security rows follow the SPEC table exactly (presets.data.test.ts asserts
 * each row). Domain lists hold only domains we are sure about; the rest are found by MX
 * (M16). Every entry says where its data comes from in `source`; re-check those pages
 * when a provider changes its servers. Limits are approximate and deliberately low.
 */
import type { MailPreset } from './preset.types.js';

export const OTHER_PRESET_ID = 'other';

const MICROSOFT_CONSUMER_DOMAINS = [
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'outlook.de',
  'outlook.fr',
  'outlook.es',
  'outlook.it',
  'hotmail.co.uk',
  'hotmail.de',
  'hotmail.fr',
  'hotmail.it',
  'hotmail.es',
  'live.co.uk',
  'live.de',
  'live.fr',
] as const;

const GMX_COM_DOMAINS = ['gmx.com', 'gmx.us', 'gmx.co.uk', 'gmx.fr', 'gmx.es'] as const;

export const MAIL_PRESETS = [
  {
    id: 'gmail',
    name: { pl: 'Gmail / Google Workspace', en: 'Gmail / Google Workspace' },
    domains: ['gmail.com', 'googlemail.com'],
    mxPatterns: ['google.com', 'googlemail.com'],
    smtp: [
      { host: 'smtp.gmail.com', port: 465, security: 'tls' },
      { host: 'smtp.gmail.com', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'pop.gmail.com', port: 995, security: 'tls' },
    imap: { host: 'imap.gmail.com', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: {
      appPassword: 'required',
      appPasswordHasNoSpaces: true,
      appPasswordPattern: '^[A-Za-z]{16}$',
      oauth: 'google',
    },
    notes: {
      pl: [
        'Włącz weryfikację dwuetapową na koncie Google, potem utwórz hasło do aplikacji i wklej je tutaj zamiast zwykłego hasła.',
        'Aby odbierać odpowiedzi przez POP3, włącz POP w ustawieniach Gmaila (Ustawienia → Zobacz wszystkie ustawienia → Przekazywanie i POP/IMAP).',
        'Google Workspace: administrator firmy może musieć zezwolić na dostęp POP/IMAP i na hasła do aplikacji.',
      ],
      en: [
        'Turn on 2-Step Verification in your Google Account, then create an app password and paste it here instead of your normal password.',
        'To receive replies over POP3, enable POP in Gmail settings (Settings → See all settings → Forwarding and POP/IMAP).',
        'Google Workspace: your company administrator may have to allow POP/IMAP access and app passwords.',
      ],
    },
    links: [
      {
        label: { pl: 'Hasła do aplikacji (Google)', en: 'Sign in with app passwords (Google)' },
        url: 'https://support.google.com/accounts/answer/185833',
      },
      {
        label: {
          pl: 'Odbieranie poczty Gmail przez POP',
          en: 'Read Gmail messages in other email clients using POP',
        },
        url: 'https://support.google.com/mail/answer/7104828',
      },
      {
        label: {
          pl: 'Gmail w innych programach pocztowych (IMAP)',
          en: 'Add Gmail to another email client (IMAP)',
        },
        url: 'https://support.google.com/mail/answer/7126229',
      },
      {
        label: { pl: 'Limity wysyłki w Google Workspace', en: 'Gmail sending limits in Google Workspace' },
        url: 'https://support.google.com/a/answer/166852',
      },
    ],
    limits: {
      maxConnections: 3,
      perDay: 500,
      note: 'Approximate: about 500 messages a day for free Gmail, about 2,000 for paid Google Workspace (support.google.com/a/answer/166852).',
    },
    source:
      'Google help: support.google.com/mail/answer/7104828 (POP/SMTP), mail/answer/7126229 (IMAP), accounts/answer/185833 (app passwords), a/answer/166852 (limits); Thunderbird ISPDB googlemail.com.xml.',
  },
  {
    id: 'microsoft',
    name: { pl: 'Outlook.com / Microsoft 365', en: 'Outlook.com / Microsoft 365' },
    domains: MICROSOFT_CONSUMER_DOMAINS,
    mxPatterns: ['mail.protection.outlook.com', 'olc.protection.outlook.com'],
    smtp: [
      { host: 'smtp.office365.com', port: 587, security: 'starttls' },
      { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'outlook.office365.com', port: 995, security: 'tls' },
    imap: { host: 'outlook.office365.com', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no', oauth: 'microsoft' },
    notes: {
      pl: [
        'Microsoft wycofuje logowanie hasłem (SMTP AUTH, POP3 i IMAP z podstawowym uwierzytelnianiem); Microsoft zaleca logowanie przez OAuth, którego mailroom jeszcze nie oferuje — hasło działa tylko, dopóki administrator Microsoft 365 na to pozwala.',
        'Microsoft 365: administrator musi zezwolić na SMTP AUTH dla tej skrzynki (w wielu firmach jest wyłączone).',
        'Adresy Outlook.com (outlook.com, hotmail.com, live.com) wysyłają przez smtp-mail.outlook.com.',
        'Outlook.com: aby odbierać przez POP3, włącz w ustawieniach poczty opcję pozwalającą urządzeniom i aplikacjom używać POP.',
      ],
      en: [
        'Microsoft is retiring password sign-in (basic authentication for SMTP AUTH, POP3 and IMAP); Microsoft recommends OAuth sign-in, which mailroom does not offer yet — a password works only while your Microsoft 365 administrator allows it.',
        'Microsoft 365: the administrator must allow SMTP AUTH for this mailbox (many tenants have it turned off).',
        'Outlook.com addresses (outlook.com, hotmail.com, live.com) send through smtp-mail.outlook.com.',
        'Outlook.com: to receive over POP3, turn on the mail setting that lets devices and apps use POP.',
      ],
    },
    links: [
      {
        label: {
          pl: 'Ustawienia POP, IMAP i SMTP dla Outlook.com',
          en: 'POP, IMAP, and SMTP settings for Outlook.com',
        },
        url: 'https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040',
      },
      {
        label: {
          pl: 'Włączanie SMTP AUTH w Exchange Online (dla administratora)',
          en: 'Enable or disable SMTP AUTH in Exchange Online (for administrators)',
        },
        url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
      },
    ],
    limits: {
      maxConnections: 3,
      perMinute: 30,
      note: 'Approximate: Exchange Online allows about 30 messages a minute and 10,000 recipients a day; Outlook.com limits are lower and unpublished.',
    },
    variants: [
      {
        id: 'outlook-com',
        label: { pl: 'Outlook.com (konto prywatne)', en: 'Outlook.com (personal account)' },
        domains: MICROSOFT_CONSUMER_DOMAINS,
        mxPatterns: ['olc.protection.outlook.com'],
        smtp: [
          { host: 'smtp-mail.outlook.com', port: 587, security: 'starttls' },
          { host: 'smtp.office365.com', port: 587, security: 'starttls' },
        ],
      },
    ],
    source:
      'Microsoft: support.microsoft.com "POP, IMAP, and SMTP settings for Outlook.com"; learn.microsoft.com "Authenticated client SMTP submission (SMTP AUTH) in Exchange Online" and "Exchange Online limits"; Thunderbird ISPDB hotmail.com.xml, office365.com.xml.',
  },
  {
    id: 'yahoo',
    name: { pl: 'Yahoo', en: 'Yahoo' },
    domains: [
      'yahoo.com',
      'ymail.com',
      'rocketmail.com',
      'yahoo.co.uk',
      'yahoo.de',
      'yahoo.fr',
      'yahoo.it',
      'yahoo.es',
      'yahoo.com.au',
      'yahoo.com.br',
      'yahoo.co.in',
    ],
    // am0 only: AOL's MX (…gm0.yahoodns.net) share the parent domain but use other servers.
    mxPatterns: ['am0.yahoodns.net'],
    smtp: [
      { host: 'smtp.mail.yahoo.com', port: 465, security: 'tls' },
      { host: 'smtp.mail.yahoo.com', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'pop.mail.yahoo.com', port: 995, security: 'tls' },
    imap: { host: 'imap.mail.yahoo.com', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'required', appPasswordHasNoSpaces: true, appPasswordPattern: '^[A-Za-z]{16}$' },
    notes: {
      pl: [
        'Włącz weryfikację dwuetapową, potem wygeneruj hasło aplikacji w sekcji Bezpieczeństwo konta Yahoo i wklej je tutaj.',
        'Yahoo nie przyjmuje zwykłego hasła w programach pocztowych.',
      ],
      en: [
        'Turn on two-step verification, then generate an app password under Yahoo Account Security and paste it here.',
        'Yahoo does not accept your normal password in mail programs.',
      ],
    },
    links: [
      {
        label: { pl: 'Hasła aplikacji Yahoo', en: 'Generate and manage third-party app passwords (Yahoo)' },
        url: 'https://help.yahoo.com/kb/SLN15241.html',
      },
      {
        label: { pl: 'Ustawienia serwera IMAP Yahoo Mail', en: 'IMAP server settings for Yahoo Mail' },
        url: 'https://help.yahoo.com/kb/SLN4075.html',
      },
      {
        label: { pl: 'Ustawienia POP Yahoo Mail', en: 'POP access settings for Yahoo Mail' },
        url: 'https://help.yahoo.com/kb/SLN4724.html',
      },
    ],
    limits: { maxConnections: 2, note: 'Yahoo publishes no sending limit; keep volume low.' },
    source:
      'Yahoo help: help.yahoo.com/kb/SLN4075 (IMAP/SMTP), SLN4724 (POP), SLN15241 (app passwords); Thunderbird ISPDB yahoo.com.xml (also the AOL MX caveat).',
  },
  {
    id: 'icloud',
    name: { pl: 'iCloud', en: 'iCloud' },
    domains: ['icloud.com', 'me.com', 'mac.com'],
    mxPatterns: ['mail.icloud.com'],
    smtp: [{ host: 'smtp.mail.me.com', port: 587, security: 'starttls' }],
    pop3: null,
    imap: { host: 'imap.mail.me.com', port: 993, security: 'tls' },
    defaultIncoming: 'imap',
    auth: {
      appPassword: 'required',
      appPasswordHasNoSpaces: true,
      appPasswordPattern: '^[A-Za-z]{4}-[A-Za-z]{4}-[A-Za-z]{4}-[A-Za-z]{4}$',
    },
    notes: {
      pl: [
        'Konto Apple musi mieć uwierzytelnianie dwupoziomowe; utwórz hasło dla aplikacji na account.apple.com (Logowanie i bezpieczeństwo → Hasła dla aplikacji).',
        'iCloud nie obsługuje POP3: odpowiedzi są odbierane przez IMAP.',
        'Login: pełny adres iCloud; przy IMAP Apple przyjmuje też samą część przed @.',
      ],
      en: [
        'Your Apple Account needs two-factor authentication; create an app-specific password at account.apple.com (Sign-In and Security → App-Specific Passwords).',
        'iCloud Mail has no POP3: replies are received over IMAP.',
        'Login: your full iCloud Mail address; for IMAP Apple also accepts just the part before @.',
      ],
    },
    links: [
      {
        label: {
          pl: 'Ustawienia serwerów poczty iCloud',
          en: 'iCloud Mail server settings for other email client apps',
        },
        url: 'https://support.apple.com/en-us/102525',
      },
      {
        label: {
          pl: 'Hasła dla aplikacji (Apple)',
          en: 'Sign in to apps with app-specific passwords (Apple)',
        },
        url: 'https://support.apple.com/en-us/102654',
      },
      {
        label: { pl: 'Limity wysyłki w iCloud', en: 'Mailbox size and message sending limits in iCloud' },
        url: 'https://support.apple.com/en-us/102198',
      },
    ],
    limits: {
      maxConnections: 2,
      perDay: 1000,
      note: 'Apple: up to 1,000 messages and 1,000 recipients a day, 500 recipients per message (support.apple.com/102198).',
    },
    source:
      'Apple: support.apple.com/102525 (server settings), 102654 (app-specific passwords), 102198 (limits); Thunderbird ISPDB me.com.xml.',
  },
  {
    id: 'zoho',
    name: { pl: 'Zoho Mail', en: 'Zoho Mail' },
    domains: ['zoho.com', 'zohomail.com', 'zoho.eu', 'zohomail.eu'],
    mxPatterns: ['zoho.com', 'zoho.eu'],
    smtp: [
      { host: 'smtp.zoho.com', port: 465, security: 'tls' },
      { host: 'smtp.zoho.com', port: 587, security: 'starttls' },
    ],
    pop3: { host: 'pop.zoho.com', port: 995, security: 'tls' },
    imap: { host: 'imap.zoho.com', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'recommended' },
    notes: {
      pl: [
        'Najpierw włącz dostęp POP lub IMAP w ustawieniach Zoho Mail (Ustawienia → Konta pocztowe).',
        'Przy włączonym uwierzytelnianiu dwuskładnikowym użyj hasła dla aplikacji (Application-specific Password).',
        'Konta w europejskim centrum danych używają serwerów .eu (smtp.zoho.eu, pop.zoho.eu, imap.zoho.eu); adresy we własnej domenie firmy — serwerów smtppro, poppro i imappro.',
      ],
      en: [
        'First enable POP or IMAP access in Zoho Mail settings (Settings → Mail Accounts).',
        'With two-factor authentication on, use an application-specific password.',
        'EU accounts use the .eu hosts (smtp.zoho.eu, pop.zoho.eu, imap.zoho.eu); addresses on your own company domain use the smtppro, poppro and imappro hosts.',
      ],
    },
    links: [
      {
        label: { pl: 'Zoho Mail: dostęp przez POP', en: 'Zoho Mail: POP configuration details' },
        url: 'https://www.zoho.com/mail/help/pop-access.html',
      },
      {
        label: { pl: 'Zoho Mail: dostęp przez IMAP', en: 'Zoho Mail: access via IMAP' },
        url: 'https://www.zoho.com/mail/help/imap-access.html',
      },
      {
        label: { pl: 'Zoho Mail: serwer SMTP', en: 'Zoho Mail: SMTP server configuration' },
        url: 'https://www.zoho.com/mail/help/zoho-smtp.html',
      },
    ],
    limits: { maxConnections: 2, note: 'Zoho limits depend on the plan; none assumed here.' },
    variants: [
      {
        id: 'eu',
        label: { pl: 'Zoho EU (konto prywatne)', en: 'Zoho EU (personal account)' },
        domains: ['zoho.eu', 'zohomail.eu'],
        mxPatterns: [],
        smtp: [
          { host: 'smtp.zoho.eu', port: 465, security: 'tls' },
          { host: 'smtp.zoho.eu', port: 587, security: 'starttls' },
        ],
        pop3: { host: 'pop.zoho.eu', port: 995, security: 'tls' },
        imap: { host: 'imap.zoho.eu', port: 993, security: 'tls' },
      },
      {
        id: 'organization',
        label: { pl: 'Zoho — domena firmy', en: 'Zoho — company domain' },
        domains: [],
        mxPatterns: ['zoho.com'],
        smtp: [
          { host: 'smtppro.zoho.com', port: 465, security: 'tls' },
          { host: 'smtppro.zoho.com', port: 587, security: 'starttls' },
        ],
        pop3: { host: 'poppro.zoho.com', port: 995, security: 'tls' },
        imap: { host: 'imappro.zoho.com', port: 993, security: 'tls' },
      },
      {
        id: 'organization-eu',
        label: { pl: 'Zoho EU — domena firmy', en: 'Zoho EU — company domain' },
        domains: [],
        mxPatterns: ['zoho.eu'],
        smtp: [
          { host: 'smtppro.zoho.eu', port: 465, security: 'tls' },
          { host: 'smtppro.zoho.eu', port: 587, security: 'starttls' },
        ],
        pop3: { host: 'poppro.zoho.eu', port: 995, security: 'tls' },
        imap: { host: 'imappro.zoho.eu', port: 993, security: 'tls' },
      },
    ],
    source:
      'Zoho Mail help: zoho.com/mail/help/pop-access.html, imap-access.html, zoho-smtp.html (personal vs organization hosts, regional data centres); Thunderbird ISPDB zoho.com.xml, zoho.eu.xml.',
  },
  {
    id: 'yandex',
    name: { pl: 'Yandex', en: 'Yandex' },
    domains: ['yandex.ru', 'yandex.com', 'yandex.ua', 'yandex.by', 'yandex.kz', 'ya.ru'],
    mxPatterns: ['yandex.net', 'yandex.ru'],
    smtp: [{ host: 'smtp.yandex.com', port: 465, security: 'tls' }],
    pop3: { host: 'pop.yandex.com', port: 995, security: 'tls' },
    imap: { host: 'imap.yandex.com', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'required', appPasswordHasNoSpaces: true, appPasswordPattern: '^[A-Za-z]{16}$' },
    notes: {
      pl: [
        'Zezwól na dostęp programów pocztowych w ustawieniach Yandex Mail (sekcja „Email clients” / „Почтовые программы”).',
        'Utwórz hasło aplikacji w Yandex ID i użyj go tutaj zamiast zwykłego hasła.',
      ],
      en: [
        'Allow access for mail programs in Yandex Mail settings (section “Email clients”).',
        'Create an app password in Yandex ID and use it here instead of your normal password.',
      ],
    },
    links: [
      {
        label: {
          pl: 'Yandex Mail: konfiguracja programów pocztowych',
          en: 'Yandex Mail: setting up email clients',
        },
        url: 'https://yandex.com/support/mail/mail-clients/others.html',
      },
    ],
    limits: {
      maxConnections: 2,
      note: 'Yandex publishes no fixed limit for mail programs; keep volume low.',
    },
    source:
      'Yandex help: yandex.com/support/mail/mail-clients/others.html; Thunderbird ISPDB yandex.ru (domains, hosts).',
  },
  {
    id: 'mailru',
    name: { pl: 'Mail.ru', en: 'Mail.ru' },
    domains: ['mail.ru', 'inbox.ru', 'list.ru', 'bk.ru'],
    mxPatterns: ['mail.ru'],
    smtp: [{ host: 'smtp.mail.ru', port: 465, security: 'tls' }],
    pop3: { host: 'pop.mail.ru', port: 995, security: 'tls' },
    imap: { host: 'imap.mail.ru', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    // Format of these passwords is not documented well enough to strip spaces safely.
    auth: { appPassword: 'required' },
    notes: {
      pl: [
        'Utwórz „hasło do aplikacji zewnętrznych” w ustawieniach bezpieczeństwa Mail.ru i użyj go tutaj; zwykłe hasło nie zadziała.',
      ],
      en: [
        'Create a “password for external applications” in Mail.ru security settings and use it here; your normal password will not work.',
      ],
    },
    links: [
      {
        label: {
          pl: 'Mail.ru: hasła do aplikacji zewnętrznych',
          en: 'Mail.ru: passwords for external applications',
        },
        url: 'https://help.mail.ru/mail/security/protection/external',
      },
    ],
    limits: { maxConnections: 2 },
    source: 'Mail.ru help: help.mail.ru/mail/security/protection/external; Thunderbird ISPDB mail.ru.',
  },
  {
    id: 'gmx',
    name: { pl: 'GMX', en: 'GMX' },
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', ...GMX_COM_DOMAINS],
    mxPatterns: ['gmx.net'],
    smtp: [
      { host: 'mail.gmx.net', port: 587, security: 'starttls' },
      { host: 'mail.gmx.net', port: 465, security: 'tls' },
    ],
    pop3: { host: 'pop.gmx.net', port: 995, security: 'tls' },
    imap: { host: 'imap.gmx.net', port: 993, security: 'tls' },
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Raz włącz dostęp POP3/IMAP w ustawieniach poczty GMX.',
        'Adresy gmx.com (oraz gmx.us, gmx.co.uk) używają serwerów .com: mail.gmx.com, pop.gmx.com, imap.gmx.com.',
      ],
      en: [
        'Enable POP3/IMAP access once in your GMX mail settings.',
        'gmx.com addresses (and gmx.us, gmx.co.uk) use the .com hosts: mail.gmx.com, pop.gmx.com, imap.gmx.com.',
      ],
    },
    links: [
      {
        label: {
          pl: 'GMX: włączanie POP3 i IMAP (po niemiecku)',
          en: 'GMX: turning on POP3 and IMAP (German)',
        },
        url: 'https://hilfe.gmx.net/pop-imap/einschalten.html',
      },
    ],
    limits: { maxConnections: 2 },
    variants: [
      {
        id: 'gmx-com',
        label: { pl: 'GMX.com', en: 'GMX.com' },
        domains: GMX_COM_DOMAINS,
        mxPatterns: [],
        smtp: [
          { host: 'mail.gmx.com', port: 587, security: 'starttls' },
          { host: 'mail.gmx.com', port: 465, security: 'tls' },
        ],
        pop3: { host: 'pop.gmx.com', port: 995, security: 'tls' },
        imap: { host: 'imap.gmx.com', port: 993, security: 'tls' },
      },
    ],
    source:
      'GMX help: hilfe.gmx.net/pop-imap (server data, enabling access); Thunderbird ISPDB gmx.net.xml, gmx.com.xml.',
  },
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
  {
    id: OTHER_PRESET_ID,
    name: {
      pl: 'Inny serwer (w tym serwer Twojej firmy)',
      en: "Other server (including your company's server)",
    },
    domains: [],
    mxPatterns: [],
    smtp: [],
    pop3: null,
    imap: null,
    defaultIncoming: 'pop3',
    auth: { appPassword: 'no' },
    notes: {
      pl: [
        'Nazwy serwerów, porty i szyfrowanie poda administrator poczty lub firma hostingowa (często jest to mail.twojadomena.pl).',
        'Jeśli serwer ma certyfikat z własnym podpisem, test pokaże jego odcisk, który możesz zatwierdzić.',
      ],
      en: [
        'Your mail administrator or hosting company can tell you the server names, ports and security (often mail.yourdomain.com).',
        'If the server uses a self-signed certificate, the test shows its fingerprint so you can trust it.',
      ],
    },
    links: [],
    limits: { maxConnections: 2 },
    source: 'No provider data: the user enters every server field.',
  },
] as const satisfies readonly MailPreset[];

/** Ids of all presets, `other` included. */
export type PresetId = (typeof MAIL_PRESETS)[number]['id'];
