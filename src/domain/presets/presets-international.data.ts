/**
 * Other international providers: Zoho, Yandex, Mail.ru, GMX.
 * Part of the preset data (presets.data.ts composes the list; the same rules apply).
 */
import type { MailPreset } from './preset.types.js';

const GMX_COM_DOMAINS = ['gmx.com', 'gmx.us', 'gmx.co.uk', 'gmx.fr', 'gmx.es'] as const;

export const INTERNATIONAL_PRESETS = [
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
] as const satisfies readonly MailPreset[];
