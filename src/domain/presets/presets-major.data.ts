/**
 * The largest international providers: Gmail, Microsoft, Yahoo, iCloud.
 * Part of the preset data (presets.data.ts composes the list; the same rules apply).
 */
import type { MailPreset } from './preset.types.js';

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

export const MAJOR_PROVIDER_PRESETS = [
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
    // Gmail files every message sent through smtp.gmail.com in "Sent Mail" itself.
    filesSentMail: true,
    auth: {
      appPassword: 'required',
      appPasswordHasNoSpaces: true,
      appPasswordPattern: '^[A-Za-z]{16}$',
      oauth: 'google',
    },
    notes: {
      pl: [
        'Jeśli widzisz przycisk „Połącz z Google”, użyj go — hasło nie jest wtedy potrzebne.',
        'Bez niego: włącz weryfikację dwuetapową na koncie Google, utwórz hasło do aplikacji na stronie Konto Google → Bezpieczeństwo → Hasła do aplikacji (myaccount.google.com/apppasswords) i wklej je tutaj zamiast zwykłego hasła. Spacje między grupami liter usuniemy sami.',
        'Aby odbierać odpowiedzi przez POP3, włącz POP w ustawieniach Gmaila (Ustawienia → Zobacz wszystkie ustawienia → Przekazywanie i POP/IMAP).',
        'Google Workspace: administrator firmy może musieć zezwolić na dostęp POP/IMAP i na hasła do aplikacji.',
      ],
      en: [
        'If you see "Connect with Google", use it: no password is needed then.',
        'Without it: turn on 2-Step Verification in your Google Account, create an app password on Google Account → Security → App passwords (myaccount.google.com/apppasswords) and paste it here instead of your normal password. We remove the spaces between the letter groups.',
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
        'Microsoft wycofuje logowanie hasłem (SMTP AUTH, POP3 i IMAP z podstawowym uwierzytelnianiem). Jeśli widzisz przycisk „Połącz z Microsoft” (logowanie przez OAuth, zalecane przez Microsoft), użyj go; hasło działa tylko, dopóki administrator Microsoft 365 na to pozwala.',
        'Przy włączonej weryfikacji dwuetapowej hasło aplikacji utworzysz na stronie Konto Microsoft → Zabezpieczenia → Zaawansowane opcje zabezpieczeń → Hasła aplikacji (account.microsoft.com/security); w Microsoft 365 tylko, jeśli administrator na to zezwala.',
        'Microsoft 365: administrator musi zezwolić na SMTP AUTH dla tej skrzynki (w wielu firmach jest wyłączone).',
        'Adresy Outlook.com (outlook.com, hotmail.com, live.com) wysyłają przez smtp-mail.outlook.com.',
        'Outlook.com: aby odbierać przez POP3, włącz w ustawieniach poczty opcję pozwalającą urządzeniom i aplikacjom używać POP.',
      ],
      en: [
        'Microsoft is retiring password sign-in (basic authentication for SMTP AUTH, POP3 and IMAP). If you see "Connect with Microsoft" (OAuth sign-in, which Microsoft recommends), use it; a password works only while your Microsoft 365 administrator allows it.',
        'With two-step verification on, create an app password on Microsoft account → Security → Advanced security options → App passwords (account.microsoft.com/security); in Microsoft 365 only if your administrator allows it.',
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
] as const satisfies readonly MailPreset[];
