/**
 * Pure preset lookup (SPEC M15, M16, M46): by id, by the email's domain (exact match),
 * by MX host suffix, plus the app-password space check. No I/O: the MX lookup itself is
 * the service's job (services/presets/detect-preset.ts).
 */
import type { MailPreset, PresetMatch, PresetServers, PresetVariant } from './preset.types.js';
import { MAIL_PRESETS } from './presets.data.js';

const PRESETS: readonly MailPreset[] = MAIL_PRESETS;
const BY_ID = new Map(PRESETS.map((preset) => [preset.id, preset]));

/** RFC 5321 caps: 254 octets per address, 64 per local part, 253 per domain. */
const MAX_ADDRESS_OCTETS = 254;
const MAX_LOCAL_PART_OCTETS = 64;
const MAX_DOMAIN_LENGTH = 253;
/** Bound the work done on pasted garbage before any parsing. */
const MAX_RAW_INPUT = 1024;

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NUMERIC = /^[0-9]+$/;
// Characters that would change how URL parses the host (path, port, userinfo, IPv6
// literal, percent-decoding), plus whitespace and control/format characters.
const UNSAFE_IN_DOMAIN = /[\s\p{C}/\\?#@:%[\]]/u;
const UNSAFE_IN_LOCAL = /[\s\p{Cc}]/u;
// Space-like characters that ride along when an app password is copied from a web page.
const SPACE_LIKE = /[\s\u200b\u2060]/u;
const SPACE_LIKE_ALL = /[\s\u200b\u2060]/gu;

const utf8 = new TextEncoder();

/** All presets in display order (`other` last). */
export function listPresets(): readonly MailPreset[] {
  return PRESETS;
}

/** The preset with this id, or null. */
export function getPreset(id: string): MailPreset | null {
  return BY_ID.get(id) ?? null;
}

/** The servers to fill in for a preset, with the variant's hosts where it has its own. */
export function presetServers(preset: MailPreset, variantId?: string | null): PresetServers {
  const variant = variantId ? preset.variants?.find((v) => v.id === variantId) : undefined;
  return {
    smtp: variant?.smtp ?? preset.smtp,
    pop3: variant && variant.pop3 !== undefined ? variant.pop3 : preset.pop3,
    imap: variant && variant.imap !== undefined ? variant.imap : preset.imap,
  };
}

/**
 * The ASCII (punycode), lower-case form of a domain, or null unless it is a plain
 * multi-label DNS name: IP literals, numeric TLDs, empty labels and trailing dots are
 * refused. Uses WHATWG URL's IDNA mapping, the same in Node and browsers.
 */
export function normalizeDomain(domain: string): string | null {
  if (typeof domain !== 'string' || domain.length === 0 || domain.length > MAX_RAW_INPUT) return null;
  if (UNSAFE_IN_DOMAIN.test(domain)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  return isAsciiDomain(ascii) ? ascii : null;
}

/**
 * The normalized domain of an email address, or null when the address is not plausible
 * (no `@`, spaces or CR/LF, over-long parts, IP-literal domain). Never throws.
 */
export function emailDomain(email: unknown): string | null {
  if (typeof email !== 'string' || email.length === 0 || email.length > MAX_RAW_INPUT) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  const local = email.slice(0, at);
  if (UNSAFE_IN_LOCAL.test(local)) return null;
  // An @ in the local part is only legal inside a quoted string ("a@b"@example.com).
  if (local.includes('@') && !(local.length > 1 && local.startsWith('"') && local.endsWith('"'))) return null;
  const localOctets = utf8.encode(local).length;
  if (localOctets > MAX_LOCAL_PART_OCTETS) return null;
  const domain = normalizeDomain(email.slice(at + 1));
  if (domain === null || localOctets + 1 + domain.length > MAX_ADDRESS_OCTETS) return null;
  return domain;
}

/** Exact match of an already normalized domain (see `normalizeDomain`). */
export function presetForDomain(asciiDomain: string): PresetMatch | null {
  for (const preset of PRESETS) {
    if (!preset.domains.includes(asciiDomain)) continue;
    const variant = preset.variants?.find((v) => v.domains.includes(asciiDomain)) ?? null;
    return { preset, variant };
  }
  return null;
}

/**
 * M16, first step: the preset whose email domains contain this address's domain. Exact
 * match only, so `mail.gmail.com` or `gmail.com.evil.example` never count as Gmail.
 */
export function presetForEmailDomain(email: string): PresetMatch | null {
  const domain = emailDomain(email);
  return domain === null ? null : presetForDomain(domain);
}

/**
 * M16, second step: the preset hosting a custom domain, from its MX hosts in priority
 * order. A host matches a pattern when it equals it or ends with `.pattern`; the first
 * host that matches any preset decides.
 */
export function presetForMxHosts(mxHosts: readonly string[]): PresetMatch | null {
  for (const raw of mxHosts) {
    const host = normalizeMxHost(raw);
    if (host === null) continue;
    for (const preset of PRESETS) {
      if (!preset.mxPatterns.some((pattern) => hostMatches(host, pattern))) continue;
      const variant: PresetVariant | null =
        preset.variants?.find((v) => v.mxPatterns.some((pattern) => hostMatches(host, pattern))) ?? null;
      return { preset, variant };
    }
  }
  return null;
}

export type AppPasswordWarning = 'contains_spaces';

export interface NormalizedAppPassword {
  value: string;
  /** True when spaces were stripped. */
  changed: boolean;
  warning?: AppPasswordWarning;
}

/**
 * M46: warn when a pasted password contains spaces, and strip them only where the
 * provider's app passwords never contain any and the result has their exact shape.
 * Anything else (unknown preset, ordinary password) is warned about but left as typed.
 */
export function normalizeAppPassword(
  presetId: string | null | undefined,
  password: string,
): NormalizedAppPassword {
  if (!SPACE_LIKE.test(password)) return { value: password, changed: false };
  const auth = presetId ? getPreset(presetId)?.auth : undefined;
  if (auth?.appPasswordHasNoSpaces) {
    const stripped = password.replace(SPACE_LIKE_ALL, '');
    const shape = auth.appPasswordPattern ? new RegExp(auth.appPasswordPattern) : null;
    if (stripped.length > 0 && (shape === null || shape.test(stripped))) {
      return { value: stripped, changed: true, warning: 'contains_spaces' };
    }
  }
  return { value: password, changed: false, warning: 'contains_spaces' };
}

function isAsciiDomain(domain: string): boolean {
  if (domain.length === 0 || domain.length > MAX_DOMAIN_LENGTH) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => LDH_LABEL.test(label))) return false;
  // A numeric last label means an IPv4 address (URL turns 0x7f.1 into 127.0.0.1, too).
  return !NUMERIC.test(labels[labels.length - 1] ?? '');
}

function normalizeMxHost(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const host = (raw.endsWith('.') ? raw.slice(0, -1) : raw).toLowerCase();
  return isAsciiDomain(host) ? host : null;
}

function hostMatches(host: string, pattern: string): boolean {
  return host === pattern || host.endsWith(`.${pattern}`);
}
