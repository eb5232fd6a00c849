/**
 * Mail provider presets behind SPEC §2.4 (M15, M16, M46): the data sits in presets-*.data.ts,
 * one file per group of providers; this file puts them in the order the picker shows.
 *
 * Host/port/security rows follow the SPEC table exactly (presets.data.test.ts asserts
 * each row). Domain lists hold only domains we are sure about; the rest are found by MX
 * (M16). Every entry says where its data comes from in `source`; re-check those pages
 * when a provider changes its servers. Limits are approximate and deliberately low.
 */
import type { MailPreset } from './preset.types.js';
import { INTERNATIONAL_PRESETS } from './presets-international.data.js';
import { MAJOR_PROVIDER_PRESETS } from './presets-major.data.js';
import { POLISH_PRESETS } from './presets-polish.data.js';

export const OTHER_PRESET_ID = 'other';

/** Servers the user types in: offered for any address no preset matches. */
const OTHER_PRESET = {
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
} as const satisfies MailPreset;

/** Every preset, in the order the picker shows them, `other` last. */
export const MAIL_PRESETS = [
  ...MAJOR_PROVIDER_PRESETS,
  ...INTERNATIONAL_PRESETS,
  ...POLISH_PRESETS,
  OTHER_PRESET,
] as const satisfies readonly MailPreset[];

/** Ids of all presets, `other` included. */
export type PresetId = (typeof MAIL_PRESETS)[number]['id'];
