import type { Provider } from './catalogue-entry.js';

// Host suffixes per provider: the host equals one of these or ends with `.` + one of them.
const HOST_DOMAINS: ReadonlyArray<readonly [Provider, readonly string[]]> = [
  ['gmail', ['gmail.com', 'googlemail.com', 'google.com']],
  [
    'microsoft',
    ['outlook.com', 'office365.com', 'hotmail.com', 'live.com', 'office.com', 'outlook.office.com'],
  ],
  ['mailru', ['mail.ru', 'list.ru', 'bk.ru', 'inbox.ru']],
  ['icloud', ['icloud.com', 'me.com', 'mac.com']],
  ['wp', ['wp.pl']],
  ['onet', ['onet.pl', 'op.pl', 'onet.eu', 'vp.pl']],
  ['interia', ['interia.pl', 'interia.eu', 'poczta.fm']],
  ['o2', ['o2.pl', 'tlen.pl', 'go2.pl']],
];

// Providers with many country domains: a host label equal to the brand, then a short TLD.
const HOST_PATTERNS: ReadonlyArray<readonly [Provider, RegExp]> = [
  ['yahoo', /(?:^|\.)(?:yahoo|ymail|yahoodns)\.[a-z]{2,3}(?:\.[a-z]{2})?$/],
  ['yandex', /(?:^|\.)yandex\.[a-z]{2,3}(?:\.[a-z]{2})?$/],
  ['zoho', /(?:^|\.)zoho(?:mail)?\.[a-z]{2,3}(?:\.[a-z]{2})?$/],
  ['gmx', /(?:^|\.)gmx\.[a-z]{2,3}(?:\.[a-z]{2})?$/],
];

// Markers in reply text. A domain must not follow `@`, a letter or a hyphen, so a recipient
// address such as `x@outlook.com` quoted in someone else's reply does not count.
const TEXT_MARKERS: ReadonlyArray<readonly [Provider, RegExp]> = [
  ['gmail', /\bgsmtp\b|(?<![@\w-])(?:support|accounts|mail)\.google\.com\b/i],
  ['microsoft', /\bSTOREDRV\b|\bRESOLVER\.ADR\b|(?<![@\w-])(?:prod\.)?outlook\.com\b|(?<![@\w-])aka\.ms\//i],
  ['yahoo', /\[TSS\d{2}\]|(?<![@\w-])(?:help\.yahoo|postmaster\.yahooinc|yahoo)\.com\b/i],
  ['yandex', /(?<![@\w-])(?:ya\.cc|yandex\.(?:ru|com|net))\b/i],
  ['mailru', /(?<![@\w-])(?:help\.)?mail\.ru\b/i],
];

/** The provider a host name belongs to (case-insensitive; a trailing dot is ignored). */
export function providerFromHost(host: string | undefined): Provider | undefined {
  if (!host) return undefined;
  const h = host.trim().toLowerCase().replace(/\.+$/, '');
  if (h.length === 0 || h.length > 253) return undefined;
  for (const [provider, domains] of HOST_DOMAINS) {
    if (domains.some((d) => h === d || h.endsWith(`.${d}`))) return provider;
  }
  for (const [provider, pattern] of HOST_PATTERNS) if (pattern.test(h)) return provider;
  return undefined;
}

/** The provider a reply's own markers point at (`gsmtp`, `PROD.OUTLOOK.COM`, …). */
export function providerFromText(text: string | undefined): Provider | undefined {
  if (!text) return undefined;
  for (const [provider, pattern] of TEXT_MARKERS) if (pattern.test(text)) return provider;
  return undefined;
}

/** Host first (the user typed it), then the reply's own markers. */
const PRESET_PROVIDERS: ReadonlySet<string> = new Set<Provider>([
  'gmail',
  'microsoft',
  'yahoo',
  'yandex',
  'mailru',
  'icloud',
  'zoho',
  'gmx',
  'wp',
  'onet',
  'interia',
  'o2',
]);

/** The provider an address preset stands for (preset ids are provider names), else undefined. */
export function providerOfPreset(presetId: string | null | undefined): Provider | undefined {
  return presetId && PRESET_PROVIDERS.has(presetId) ? (presetId as Provider) : undefined;
}

export function detectProvider(host: string | undefined, text: string | undefined): Provider | undefined {
  return providerFromHost(host) ?? providerFromText(text);
}
