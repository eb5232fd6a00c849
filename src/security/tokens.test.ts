import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveKey,
  generateToken,
  hashToken,
  hmacSign,
  hmacVerify,
  isTokenShaped,
  timingSafeEqualHex,
} from './tokens.js';

describe('tokens', () => {
  it('generates prefixed 256-bit tokens with their SHA-256 hash', () => {
    const { token, hash } = generateToken('mrt');
    expect(token).toMatch(/^mrt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url').length).toBe(32);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashToken(token));
    expect(generateToken('mrs').token.startsWith('mrs_')).toBe(true);
    const many = new Set(Array.from({ length: 200 }, () => generateToken('mrs').token));
    expect(many.size).toBe(200);
    expect(() => generateToken('xyz' as 'mrt')).toThrow(TypeError);
  });

  it('hashes with plain SHA-256 (known answer)', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('recognises token shapes', () => {
    const { token } = generateToken('mrt');
    expect(isTokenShaped(token, 'mrt')).toBe(true);
    expect(isTokenShaped(token, 'mrs')).toBe(false);
    expect(isTokenShaped(`${token}x`, 'mrt')).toBe(false);
    expect(isTokenShaped(token.replace('mrt_', 'mrt-'), 'mrt')).toBe(false);
    expect(isTokenShaped(undefined, 'mrt')).toBe(false);
  });

  it('compares hex in constant time, refusing odd input', () => {
    const a = hashToken('a');
    expect(timingSafeEqualHex(a, a)).toBe(true);
    expect(timingSafeEqualHex(a, a.toUpperCase())).toBe(true);
    expect(timingSafeEqualHex(a, hashToken('b'))).toBe(false);
    expect(timingSafeEqualHex(a, a.slice(0, 62))).toBe(false);
    expect(timingSafeEqualHex(`${a.slice(0, 63)}g`, `${a.slice(0, 63)}g`)).toBe(false);
    expect(timingSafeEqualHex('abc', 'abc')).toBe(false);
    expect(timingSafeEqualHex(a, undefined as unknown as string)).toBe(false);
  });
});

describe('HMAC helpers', () => {
  it('signs with HMAC-SHA256 (RFC 4231 test case 2)', () => {
    const signature = hmacSign(Buffer.from('Jefe'), 'what do ya want for nothing?');
    expect(Buffer.from(signature, 'base64url').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('verifies only the exact payload, key and canonical signature', () => {
    const key = randomBytes(32);
    const signature = hmacSign(key, 'mailbox:42|exp:1700000000');
    expect(hmacVerify(key, 'mailbox:42|exp:1700000000', signature)).toBe(true);
    expect(hmacVerify(key, 'mailbox:43|exp:1700000000', signature)).toBe(false);
    expect(hmacVerify(randomBytes(32), 'mailbox:42|exp:1700000000', signature)).toBe(false);
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(hmacVerify(key, 'mailbox:42|exp:1700000000', flipped)).toBe(false);
    expect(hmacVerify(key, 'mailbox:42|exp:1700000000', `${signature}=`)).toBe(false);
    expect(hmacVerify(key, 'mailbox:42|exp:1700000000', signature.slice(0, 20))).toBe(false);
    expect(hmacVerify(key, 'mailbox:42|exp:1700000000', '')).toBe(false);
    expect(hmacVerify(key, 'x', undefined as unknown as string)).toBe(false);
  });
});

describe('deriveKey', () => {
  /** RFC 5869 written out with HMAC, to check deriveKey's salt/info use independently. */
  function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
    const prk = createHmac('sha256', salt).update(ikm).digest();
    let block = Buffer.alloc(0);
    const out: Buffer[] = [];
    for (let i = 1; Buffer.concat(out).length < length; i++) {
      block = createHmac('sha256', prk)
        .update(Buffer.concat([block, info, Buffer.from([i])]))
        .digest();
      out.push(block);
    }
    return Buffer.concat(out).subarray(0, length);
  }

  it('is deterministic HKDF-SHA256 with a fixed salt and the purpose as info', () => {
    const master = randomBytes(32);
    const derived = deriveKey(master, 'test-token');
    expect(derived.length).toBe(32);
    expect(deriveKey(master, 'test-token').equals(derived)).toBe(true);
    expect(derived.equals(hkdf(master, Buffer.from('mailroom/hkdf/v1'), Buffer.from('test-token'), 32))).toBe(
      true,
    );
    expect(deriveKey(master, 'session').equals(derived)).toBe(false);
    expect(deriveKey(randomBytes(32), 'test-token').equals(derived)).toBe(false);
    expect(derived.equals(master)).toBe(false);
    expect(deriveKey(master, 'test-token', 64).subarray(0, 32).equals(derived)).toBe(true);
  });

  it('refuses weak inputs', () => {
    expect(() => deriveKey(randomBytes(8), 'x')).toThrow(TypeError);
    expect(() => deriveKey(randomBytes(32), '')).toThrow(TypeError);
    expect(() => deriveKey(randomBytes(32), 'x', 8)).toThrow(TypeError);
  });
});
