import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyringError, makeKeyring } from './keyring.js';
import {
  createSecretBox,
  ENCRYPTED_VALUE_PATTERN,
  isEncryptedValue,
  type SecretContext,
  SecretUnreadableError,
} from './secret-box.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ringA = makeKeyring('ka', new Map([['ka', keyA]]));
const ringAB = makeKeyring(
  'kb',
  new Map([
    ['kb', keyB],
    ['ka', keyA],
  ]),
);
const ctx: SecretContext = { workspaceId: 'ws-1', rowId: 'mbx-1', field: 'smtp_password' };
const PLAIN = 'correct horse battery staple';

/** Runs `fn`, expects SecretUnreadableError, and checks its every rendering for leaked secrets. */
function expectUnreadable(fn: () => unknown, secrets: string[] = [PLAIN]): SecretUnreadableError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SecretUnreadableError);
  const error = caught as SecretUnreadableError;
  expect(error.code).toBe('SECRET_UNREADABLE');
  const shown = `${error.message}\n${String(error)}\n${inspect(error, { showHidden: true })}\n${JSON.stringify(error)}`;
  for (const secret of [...secrets, keyA.toString('base64'), keyA.toString('hex'), keyB.toString('base64')]) {
    expect(shown).not.toContain(secret);
  }
  return error;
}

/** Decodes a value, lets `edit` change its raw bytes, re-encodes it. */
function editBody(value: string, edit: (body: Buffer) => Buffer): string {
  const [prefix, kid, body] = value.split(':') as [string, string, string];
  return `${prefix}:${kid}:${edit(Buffer.from(body, 'base64url')).toString('base64url')}`;
}

describe('createSecretBox', () => {
  it('encrypts to mc1:<kid>:<base64url> with a fresh nonce each time and decrypts back', () => {
    const box = createSecretBox(ringA);
    const one = box.encrypt(PLAIN, ctx);
    const two = box.encrypt(PLAIN, ctx);
    expect(one).toMatch(ENCRYPTED_VALUE_PATTERN);
    expect(one.startsWith('mc1:ka:')).toBe(true);
    expect(one).not.toBe(two);
    expect(one.slice(7, 23)).not.toBe(two.slice(7, 23)); // different nonces
    expect(one).not.toContain(PLAIN);
    expect(Buffer.from(one.split(':')[2]!, 'base64url').length).toBe(12 + Buffer.byteLength(PLAIN) + 16);
    expect(box.decrypt(one, ctx)).toBe(PLAIN);
    expect(box.decrypt(two, ctx)).toBe(PLAIN);
    expect(box.keyIdOf(one)).toBe('ka');
    expect(isEncryptedValue(one)).toBe(true);
    expect(isEncryptedValue('hunter2')).toBe(false);
  });

  it('round-trips spaces, quotes, Unicode, empty and 200+ character secrets exactly (SECURITY §7 case 18)', () => {
    const box = createSecretBox(ringA);
    const samples = [
      '  leading and trailing spaces  ',
      ' ',
      '',
      `"double" 'single' \`back\` \\ backslash`,
      'pässwörd — Пароль 密码 🔑👩‍👩‍👧 e\u0301 (NFD stays NFD)',
      '\t tab and\r\nnewline \u0000 nul',
      'x'.repeat(250),
      '🙂'.repeat(300),
    ];
    for (const sample of samples) expect(box.decrypt(box.encrypt(sample, ctx), ctx)).toBe(sample);
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        (s) => box.decrypt(box.encrypt(s, ctx), ctx) === s,
      ),
    );
  });

  it('refuses text that would not round-trip (lone surrogates)', () => {
    expect(() => createSecretBox(ringA).encrypt('a\uD800b', ctx)).toThrow(TypeError);
  });

  it('binds the value to workspace, row and field (SECURITY §7 case 14)', () => {
    const box = createSecretBox(ringA);
    const value = box.encrypt(PLAIN, ctx);
    for (const other of [
      { ...ctx, rowId: 'mbx-2' },
      { ...ctx, workspaceId: 'ws-2' },
      { ...ctx, field: 'pop3_password' },
    ]) {
      expect(expectUnreadable(() => box.decrypt(value, other)).reason).toBe('auth-failed');
    }
  });

  it('binds the key id too: relabelling a value with another kid of the same key fails', () => {
    const twin = createSecretBox(
      makeKeyring(
        'k1',
        new Map([
          ['k1', keyA],
          ['k2', keyA],
        ]),
      ),
    );
    const value = twin.encrypt(PLAIN, ctx);
    expect(expectUnreadable(() => twin.decrypt(value.replace('mc1:k1:', 'mc1:k2:'), ctx)).reason).toBe(
      'auth-failed',
    );
  });

  it('refuses contexts that would make associated data ambiguous', () => {
    const box = createSecretBox(ringA);
    expect(() => box.encrypt(PLAIN, { ...ctx, rowId: 'a|b' })).toThrow(TypeError);
    expect(() => box.encrypt(PLAIN, { ...ctx, workspaceId: '' })).toThrow(TypeError);
  });

  it('detects a flipped bit anywhere: nonce, ciphertext and tag (SECURITY §7 case 17)', () => {
    const box = createSecretBox(ringA);
    const value = box.encrypt(PLAIN, ctx);
    const length = Buffer.from(value.split(':')[2]!, 'base64url').length;
    const regions = { nonce: 0, body: 0, tag: 0 };
    for (let i = 0; i < length; i++) {
      const tampered = editBody(value, (b) => {
        b[i]! ^= 1 << (i % 8);
        return b;
      });
      expect(expectUnreadable(() => box.decrypt(tampered, ctx)).reason).toBe('auth-failed');
      regions[i < 12 ? 'nonce' : i < length - 16 ? 'body' : 'tag']++;
    }
    expect(regions).toEqual({ nonce: 12, body: Buffer.byteLength(PLAIN), tag: 16 });
  });

  it('refuses truncated values and truncated tags', () => {
    const box = createSecretBox(ringA);
    const value = box.encrypt(PLAIN, ctx);
    for (const cut of [1, 4, 15, 16]) {
      const shorter = editBody(value, (b) => b.subarray(0, b.length - cut));
      expectUnreadable(() => box.decrypt(shorter, ctx));
    }
    expect(
      expectUnreadable(() =>
        box.decrypt(
          editBody(value, (b) => b.subarray(0, 27)),
          ctx,
        ),
      ).reason,
    ).toBe('malformed');
    for (const cut of [1, 2, 3, 10])
      expectUnreadable(() => box.decrypt(value.slice(0, value.length - cut), ctx));
  });

  it('refuses a wrong prefix, version or malformed encoding as malformed', () => {
    const box = createSecretBox(ringA);
    const value = box.encrypt(PLAIN, ctx);
    const body = value.split(':')[2]!;
    const variants = [
      value.replace('mc1:', 'mc2:'),
      value.replace('mc1:', 'MC1:'),
      value.replace('mc1:', ''),
      `mc1:ka:${body}:extra`,
      `mc1:KA:${body}`,
      `mc1::${body}`,
      `mc1:ka:${body}=`,
      `mc1:ka:${body.slice(0, 10)}+${body.slice(11)}`,
      `mc1:ka:${body.slice(0, 10)} ${body.slice(11)}`,
      ` ${value}`,
      'mc1:ka:',
      '',
      PLAIN,
    ];
    for (const variant of variants)
      expect(expectUnreadable(() => box.decrypt(variant, ctx)).reason).toBe('malformed');
    expectUnreadable(() => box.decrypt(undefined as unknown as string, ctx));
    expectUnreadable(() => box.keyIdOf('mc2:ka:abcd'));
  });

  it('reports an unknown key id by name, without the value', () => {
    const value = createSecretBox(ringAB).encrypt(PLAIN, ctx); // on kb
    const error = expectUnreadable(
      () => createSecretBox(ringA).decrypt(value, ctx),
      [PLAIN, value.split(':')[2]!],
    );
    expect(error.reason).toBe('unknown-key');
    expect(error.keyId).toBe('kb');
    expect(error.message).toContain('"kb"');
  });

  it('needsRotation and reencrypt move values onto the active key', () => {
    const old = createSecretBox(ringA).encrypt(PLAIN, ctx);
    const box = createSecretBox(ringAB);
    expect(box.activeKeyId).toBe('kb');
    expect(box.needsRotation(old)).toBe(true);
    expect(box.needsRotation('garbage')).toBe(true);
    const moved = box.reencrypt(old, ctx);
    expect(box.keyIdOf(moved)).toBe('kb');
    expect(box.needsRotation(moved)).toBe(false);
    expect(createSecretBox(makeKeyring('kb', new Map([['kb', keyB]]))).decrypt(moved, ctx)).toBe(PLAIN);
    expectUnreadable(() => box.reencrypt(old, { ...ctx, rowId: 'elsewhere' }));
  });

  it('refuses an unusable keyring', () => {
    expect(() => createSecretBox({ activeKeyId: 'kz', keys: new Map([['ka', keyA]]) })).toThrow(KeyringError);
    expect(() =>
      createSecretBox({ activeKeyId: 'ka', keys: new Map([['ka', keyA.subarray(0, 16)]]) }),
    ).toThrow(KeyringError);
  });

  it('does not expose key bytes when the box is logged', () => {
    const box = createSecretBox(ringA);
    const shown = `${inspect(box, { depth: 10, showHidden: true })}${JSON.stringify(box)}`;
    expect(shown).not.toContain(keyA.toString('base64').slice(0, 12));
    expect(shown).not.toContain(keyA.toString('hex').slice(0, 12));
  });
});
