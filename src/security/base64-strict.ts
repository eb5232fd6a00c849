/**
 * Strict base64 decoding. `Buffer.from(s, 'base64')` silently skips characters it does not
 * know and accepts non-canonical trailing bits, so a garbled key or ciphertext could decode
 * to *something*. These helpers accept only canonical input and return null otherwise.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decodes standard base64 or base64url (padding optional); null unless the text is canonical. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (text.length === 0 || !(STANDARD.test(text) || URL_SAFE.test(text))) return null;
  const unpadded = text.replace(/=+$/, '');
  // With padding present it must be exactly the amount canonical encoding would add.
  if (unpadded.length !== text.length && text.length % 4 !== 0) return null;
  if (unpadded.length % 4 === 1) return null;
  const bytes = Buffer.from(unpadded.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
  const canonical = bytes.toString('base64url');
  return canonical === unpadded.replace(/\+/g, '-').replace(/\//g, '_') ? bytes : null;
}

/** Decodes unpadded base64url only (our own ciphertext format); null unless canonical. */
export function decodeBase64UrlStrict(text: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
