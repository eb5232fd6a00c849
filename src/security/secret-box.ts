import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import { decodeBase64UrlStrict } from './base64-strict.js';
import { isValidKeyId, type Keyring, validateKeyring } from './keyring.js';

/**
 * Secrets at rest (SPEC M52, SECURITY §2.3): AES-256-GCM, stored as
 * `mc1:<kid>:<base64url(nonce12 ‖ ciphertext ‖ tag16)>`, with the workspace, row and field
 * as associated data so a value copied into another row or field no longer decrypts.
 */

export const SECRET_PREFIX = 'mc1';
/** Shape of a stored value; usable for a DB CHECK constraint (`^mc1:`). */
export const ENCRYPTED_VALUE_PATTERN = /^mc1:[a-z0-9][a-z0-9_-]{0,31}:[A-Za-z0-9_-]+$/;

const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

/** Where a secret lives; bound into the ciphertext as associated data. */
export interface SecretContext {
  workspaceId: string;
  /** The row holding the secret (e.g. the mailbox address id). */
  rowId: string;
  /** The column or logical field, e.g. `smtp_password`. */
  field: string;
}

export type SecretUnreadableReason = 'malformed' | 'unknown-key' | 'auth-failed';

/**
 * A stored secret cannot be decrypted: garbled, tampered, moved to another row, or its key
 * is gone. The message never contains the value, the plaintext or key material.
 */
export class SecretUnreadableError extends AppError {
  readonly reason: SecretUnreadableReason;
  /** The key id named by the value, when it could be parsed. */
  readonly keyId: string | undefined;

  constructor(reason: SecretUnreadableReason, keyId?: string) {
    super('SECRET_UNREADABLE', { params: { reason } });
    this.name = 'SecretUnreadableError';
    this.reason = reason;
    this.keyId = keyId;
    this.message = {
      malformed: 'Stored secret is unreadable: not a valid mc1 value.',
      'unknown-key': `Stored secret is unreadable: key "${keyId}" is not in the keyring.`,
      'auth-failed': 'Stored secret is unreadable: it was altered or belongs to another record.',
    }[reason];
  }
}

export interface SecretBox {
  /** The key id new values are encrypted with. */
  readonly activeKeyId: string;
  /** Encrypts with the active key and a fresh random nonce. */
  encrypt(plain: string, ctx: SecretContext): string;
  /** Decrypts or throws SecretUnreadableError. */
  decrypt(value: string, ctx: SecretContext): string;
  /** True when the value is not on the active key (malformed values count as needing it). */
  needsRotation(value: string): boolean;
  /** Decrypts and encrypts again under the active key. */
  reencrypt(value: string, ctx: SecretContext): string;
  /** The key id a value was encrypted with; throws SecretUnreadableError when malformed. */
  keyIdOf(value: string): string;
}

/** Creates a SecretBox over a keyring; throws KeyringError when the keyring is unusable. */
export function createSecretBox(keyring: Keyring): SecretBox {
  validateKeyring(keyring);
  // KeyObjects keep the raw bytes out of accidental logs of the box's internals.
  const keys = new Map<string, KeyObject>();
  for (const [kid, key] of keyring.keys) keys.set(kid, createSecretKey(Buffer.from(key)));
  const activeKeyId = keyring.activeKeyId;
  const activeKey = keys.get(activeKeyId)!;

  const encrypt = (plain: string, ctx: SecretContext): string => {
    if (typeof plain !== 'string') throw new TypeError('Only strings can be encrypted.');
    const bytes = Buffer.from(plain, 'utf8');
    // Lone surrogates would come back as U+FFFD: refuse rather than silently alter a password.
    if (bytes.toString('utf8') !== plain) throw new TypeError('The secret is not well-formed Unicode text.');
    const nonce = randomBytes(NONCE_LENGTH);
    const cipher = createCipheriv('aes-256-gcm', activeKey, nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(associatedData(ctx, activeKeyId));
    const body = Buffer.concat([nonce, cipher.update(bytes), cipher.final(), cipher.getAuthTag()]);
    bytes.fill(0);
    return `${SECRET_PREFIX}:${activeKeyId}:${body.toString('base64url')}`;
  };

  const decrypt = (value: string, ctx: SecretContext): string => {
    const { kid, body } = parseValue(value);
    const aad = associatedData(ctx, kid);
    const key = keys.get(kid);
    if (key === undefined) throw new SecretUnreadableError('unknown-key', kid);
    const nonce = body.subarray(0, NONCE_LENGTH);
    const tag = body.subarray(body.length - TAG_LENGTH);
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(body.subarray(NONCE_LENGTH, body.length - TAG_LENGTH)),
        decipher.final(),
      ]);
    } catch {
      throw new SecretUnreadableError('auth-failed', kid);
    }
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  };

  const keyIdOf = (value: string): string => parseValue(value).kid;

  return {
    activeKeyId,
    encrypt,
    decrypt,
    keyIdOf,
    needsRotation: (value) => {
      try {
        return keyIdOf(value) !== activeKeyId;
      } catch {
        return true;
      }
    },
    reencrypt: (value, ctx) => encrypt(decrypt(value, ctx), ctx),
  };
}

/** Checks the stored shape only (no key needed): `mc1:<kid>:<base64url>` of a plausible length. */
export function isEncryptedValue(value: unknown): value is string {
  try {
    parseValue(value);
    return true;
  } catch {
    return false;
  }
}

function parseValue(value: unknown): { kid: string; body: Buffer } {
  if (typeof value !== 'string') throw new SecretUnreadableError('malformed');
  const parts = value.split(':');
  if (parts.length !== 3 || parts[0] !== SECRET_PREFIX) throw new SecretUnreadableError('malformed');
  const kid = parts[1]!;
  if (!isValidKeyId(kid)) throw new SecretUnreadableError('malformed');
  const body = decodeBase64UrlStrict(parts[2]!);
  if (body === null || body.length < NONCE_LENGTH + TAG_LENGTH)
    throw new SecretUnreadableError('malformed', kid);
  return { kid, body };
}

/** `mc1|<workspaceId>|<rowId>|<field>|<kid>`; parts must not contain `|`, so no two contexts collide. */
function associatedData(ctx: SecretContext, kid: string): Buffer {
  for (const name of ['workspaceId', 'rowId', 'field'] as const) {
    const part = ctx?.[name];
    if (typeof part !== 'string' || part.length === 0 || part.includes('|')) {
      throw new TypeError(`Secret context ${name} must be a non-empty string without "|".`);
    }
  }
  return Buffer.from(`${SECRET_PREFIX}|${ctx.workspaceId}|${ctx.rowId}|${ctx.field}|${kid}`, 'utf8');
}
