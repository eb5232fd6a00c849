import type { MailAuth } from '../../domain/mailbox/connection.js';
import type { Pop3Capabilities } from './pop3-listing.js';

/** How to log in: USER/PASS (RFC 1939), AUTH PLAIN or AUTH XOAUTH2 (RFC 5034 SASL). */
export type Pop3Mechanism = 'user' | 'plain' | 'xoauth2';

/** Base64 of the RFC 4616 PLAIN message (empty authorization identity). */
export const saslPlain = (user: string, pass: string): string =>
  Buffer.from(`\u0000${user}\u0000${pass}`, 'utf8').toString('base64');

/** Base64 of Google's/Microsoft's XOAUTH2 initial client response. */
export const saslXoauth2 = (user: string, accessToken: string): string =>
  Buffer.from(`user=${user}\u0001auth=Bearer ${accessToken}\u0001\u0001`, 'utf8').toString('base64');

/** Strings that must never appear in anything we report: the secret and what we built from it. */
export function secretsOf(auth: MailAuth): string[] {
  if (auth.type === 'password') {
    return [auth.pass, `\u0000${auth.user}\u0000${auth.pass}`, saslPlain(auth.user, auth.pass)];
  }
  return [
    auth.accessToken,
    `user=${auth.user}\u0001auth=Bearer ${auth.accessToken}\u0001\u0001`,
    saslXoauth2(auth.user, auth.accessToken),
  ];
}

// USER/PASS go on the wire verbatim: CR, LF or NUL would end the command early and start
// another one (SECURITY.md §4.2, node-pop3's injection). SASL payloads are base64, but a
// NUL or ^A inside a field would still forge the field structure.
const LINE_BREAKING = /[\r\n\u0000]/;
const XOAUTH2_BREAKING = /[\r\n\u0000\u0001]/;

/** Why these credentials cannot be sent with `mechanism`, or null when they can. */
export function credentialProblem(auth: MailAuth, mechanism: Pop3Mechanism): string | null {
  if (auth.type === 'oauth2') {
    if (mechanism !== 'xoauth2') return 'an OAuth token needs AUTH XOAUTH2';
    if (XOAUTH2_BREAKING.test(auth.user) || XOAUTH2_BREAKING.test(auth.accessToken)) {
      return 'user name or access token contains control characters';
    }
    return null;
  }
  if (mechanism === 'xoauth2') return 'XOAUTH2 needs an OAuth token';
  if (LINE_BREAKING.test(auth.user) || LINE_BREAKING.test(auth.pass)) {
    return 'user name or password contains a line break or NUL';
  }
  if (!auth.user) return 'user name is empty';
  return null;
}

/**
 * Picks the mechanism: XOAUTH2 for tokens; for passwords USER/PASS when CAPA lists USER
 * (or CAPA is unavailable), else AUTH PLAIN when offered, else USER/PASS anyway.
 */
export function chooseMechanism(auth: MailAuth, caps: Pop3Capabilities | null): Pop3Mechanism {
  if (auth.type === 'oauth2') return 'xoauth2';
  if (!caps || caps.names.has('USER')) return 'user';
  if (caps.sasl.includes('PLAIN')) return 'plain';
  return 'user';
}

/** The SASL mechanism name for AUTH, for the mechanisms that use AUTH. */
export const saslName = (m: Exclude<Pop3Mechanism, 'user'>): string => (m === 'plain' ? 'PLAIN' : 'XOAUTH2');

/** Decodes a server challenge (XOAUTH2 failures carry JSON in it) for diagnostics. */
export function decodeChallenge(text: string): string {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/=]+$/.test(trimmed)) return trimmed;
  return Buffer.from(trimmed, 'base64').toString('utf8');
}
