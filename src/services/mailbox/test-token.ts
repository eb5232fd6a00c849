import { createHash } from 'node:crypto';
import { type ConnectionShape, connectionIdentity } from '../../domain/mailbox/connection-change.js';
import { hmacSign, hmacVerify } from '../../security/tokens.js';

/** Every field a passing "Test account" vouches for (M20): the connection and the sign-in kind. */
export interface ConnectionFields extends ConnectionShape {
  authType: 'password' | 'oauth2';
}

/**
 * Canonical hash of the connection fields plus the secret (as a hash: the token never
 * carries it). The fields are the domain's `connectionIdentity`, the same rule the web
 * form and the input merge use to decide that a new test is needed.
 */
export function connectionFingerprint(f: ConnectionFields, secret: string): string {
  const canonical = JSON.stringify([
    connectionIdentity(f),
    f.authType,
    createHash('sha256').update(secret, 'utf8').digest('hex'),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export const TEST_TOKEN_TTL_MS = 30 * 60_000;

/**
 * A short-lived, stateless token: HMAC over workspace, expiry and fingerprint with a key
 * derived from the master key. Any change of a connection field or the secret, another
 * workspace, or expiry makes it fail.
 */
export function issueTestToken(key: Buffer, workspaceId: string, fingerprint: string, now: Date): string {
  const exp = Math.floor((now.getTime() + TEST_TOKEN_TTL_MS) / 1000);
  return `tt1.${exp}.${hmacSign(key, `tt1|${workspaceId}|${exp}|${fingerprint}`)}`;
}

export function verifyTestToken(
  key: Buffer,
  token: string,
  workspaceId: string,
  fingerprint: string,
  now: Date,
): boolean {
  const m = /^tt1\.(\d{1,12})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  if (!m) return false;
  const exp = Number(m[1]);
  if (exp * 1000 < now.getTime()) return false;
  return hmacVerify(key, `tt1|${workspaceId}|${exp}|${fingerprint}`, m[2]!);
}
