import { createHash } from 'node:crypto';
import type { IncomingProtocol, MailSecurity } from '../../domain/mailbox/connection.js';
import { hmacSign, hmacVerify } from '../../security/tokens.js';

/** Every field a passing "Test account" vouches for (M20). */
export interface ConnectionFields {
  email: string;
  login: string;
  authType: 'password' | 'oauth2';
  smtp: { host: string; port: number; security: MailSecurity; pinnedCertSha256: string | null };
  incoming: {
    protocol: IncomingProtocol;
    host: string;
    port: number;
    security: MailSecurity;
    pinnedCertSha256: string | null;
  };
}

const host = (h: string) => h.trim().toLowerCase().replace(/\.$/, '');

/** Canonical hash of the connection fields plus the secret (as a hash: the token never carries it). */
export function connectionFingerprint(f: ConnectionFields, secret: string): string {
  const canonical = JSON.stringify([
    f.email.toLowerCase(),
    f.login,
    f.authType,
    [host(f.smtp.host), f.smtp.port, f.smtp.security, f.smtp.pinnedCertSha256 ?? ''],
    [
      f.incoming.protocol,
      host(f.incoming.host),
      f.incoming.port,
      f.incoming.security,
      f.incoming.pinnedCertSha256 ?? '',
    ],
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
