import { parseEmailAddress } from '../email-address.js';

/** The envelope form of a stored recipient/sender: punycode domain, Unicode local part kept. */
export function envelopeAddress(email: string): { ascii: string; smtpUtf8: boolean } | null {
  const p = parseEmailAddress(email, { allowUnicodeLocal: true });
  if (!p.ok) return null;
  return { ascii: p.ascii, smtpUtf8: /[^\x00-\x7f]/.test(p.local) };
}
