import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase64UrlStrict } from './base64-strict.js';

/**
 * Opaque bearer tokens (SPEC M56: API tokens hashed at rest, shown once), HMAC helpers and
 * HKDF subkeys. Tokens carry 256 random bits, so a single fast SHA-256 is the right storage
 * hash: there is nothing to brute-force, and lookups stay cheap.
 */

/** `mrs` = session token, `mrt` = API token. */
export type TokenPrefix = 'mrs' | 'mrt';

export interface GeneratedToken {
  /** Shown to the user once; never stored. */
  token: string;
  /** Lower-case hex SHA-256 of `token`; what the database keeps. */
  hash: string;
}

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^(mrs|mrt)_[A-Za-z0-9_-]{43}$/;
const HEX_PATTERN = /^[0-9a-f]*$/i;

/** A new random token and its storage hash. */
export function generateToken(prefix: TokenPrefix): GeneratedToken {
  if (prefix !== 'mrs' && prefix !== 'mrt') throw new TypeError('Unknown token prefix.');
  const token = `${prefix}_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/** Lower-case hex SHA-256 of the whole token string (prefix included). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `value` has the exact shape of a token with `prefix`; lets callers reject junk early. */
export function isTokenShaped(value: unknown, prefix: TokenPrefix): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value) && value.startsWith(`${prefix}_`);
}

/** Constant-time equality of two hex strings (case-insensitive); false for non-hex or unequal lengths. */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.length !== b.length || a.length % 2 !== 0 || !HEX_PATTERN.test(a) || !HEX_PATTERN.test(b))
    return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** HMAC-SHA256 of `payload`, base64url (unpadded). */
export function hmacSign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64url');
}

/** Constant-time check of an `hmacSign` signature; false for anything malformed. */
export function hmacVerify(key: Buffer, payload: string, signature: string): boolean {
  const given = typeof signature === 'string' ? decodeBase64UrlStrict(signature) : null;
  const expected = createHmac('sha256', key).update(payload, 'utf8').digest();
  return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
}

// Fixed, public HKDF salt: domain separation from other uses of the same master key.
const HKDF_SALT = Buffer.from('mailroom/hkdf/v1', 'utf8');

/**
 * A per-purpose subkey (HKDF-SHA256, RFC 5869) of a master key, e.g. the active keyring key
 * and `'test-token'`. Deterministic: the same inputs always give the same key.
 */
export function deriveKey(masterKey: Buffer, purpose: string, length = 32): Buffer {
  if (!Buffer.isBuffer(masterKey) || masterKey.length < 16)
    throw new TypeError('The master key must be at least 16 bytes.');
  if (typeof purpose !== 'string' || purpose.length === 0) throw new TypeError('A key purpose is required.');
  if (!Number.isInteger(length) || length < 16 || length > 64)
    throw new TypeError('Derived keys are 16-64 bytes.');
  return Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, Buffer.from(purpose, 'utf8'), length));
}
