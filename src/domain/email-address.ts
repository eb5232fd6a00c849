import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * Strict email address parsing (M55, SECURITY.md §3.3): a bare `local@domain`, no display
 * name, comments, groups, routes, quoted local parts or IP-literal domains; no control,
 * whitespace or bidi characters; RFC 5321 length limits. IDN domains are kept in Unicode
 * (M9) with their ASCII (punycode) form alongside.
 */
export type EmailParseError =
  | 'empty'
  | 'too_long'
  | 'invalid'
  | 'local_too_long'
  | 'domain_invalid'
  | 'non_ascii_local';

export type EmailParseResult =
  | { ok: true; address: string; ascii: string; local: string; domain: string; asciiDomain: string }
  | { ok: false; error: EmailParseError };

// Whitespace, controls, lone surrogates, every format character (bidi, zero-width, soft hyphen
// — UTS-46 would silently drop some of these from a domain) and the specials.
const FORBIDDEN = /[\s\p{Cc}\p{Cs}\p{Cf}\u2028\u2029"(),:;<>[\]\\]/u;
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseEmailAddress(
  input: string,
  options: { allowUnicodeLocal?: boolean } = {},
): EmailParseResult {
  const value = input.trim();
  if (value === '') return { ok: false, error: 'empty' };
  if (value.length > 254) return { ok: false, error: 'too_long' };
  if (FORBIDDEN.test(value)) return { ok: false, error: 'invalid' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return { ok: false, error: 'invalid' };
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1);
  if (Buffer.byteLength(local) > 64) return { ok: false, error: 'local_too_long' };
  const localIsAscii = /^[\x21-\x7e]+$/.test(local);
  if (!localIsAscii && !options.allowUnicodeLocal) return { ok: false, error: 'non_ascii_local' };
  if (localIsAscii ? !LOCAL_ATOM.test(local) : /^\.|\.\.|\.$/.test(local))
    return { ok: false, error: 'invalid' };
  const asciiDomain = domainToASCII(rawDomain.toLowerCase().replace(/\.$/, ''));
  if (!asciiDomain || asciiDomain.length > 253) return { ok: false, error: 'domain_invalid' };
  const labels = asciiDomain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l)) || /^[0-9]+$/.test(labels.at(-1) ?? '')) {
    return { ok: false, error: 'domain_invalid' };
  }
  const domain = domainToUnicode(asciiDomain);
  return {
    ok: true,
    address: `${local}@${domain}`,
    ascii: `${local}@${asciiDomain}`,
    local,
    domain,
    asciiDomain,
  };
}
