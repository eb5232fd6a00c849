import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  PASSWORD_HASH_PARAMS,
  verifyAgainstDummy,
  verifyPassword,
} from './password-hash.js';

// The node project hashes cheaply for speed (test/helpers/cheap-password-hash.ts); the real
// parameters are what this file checks.
vi.unmock('./password-hash.js');

const FORMAT = /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/;

describe('password hashing', () => {
  it('hashes in the documented format and verifies only the right password', async () => {
    const stored = await hashPassword('  s3cret "pw" ü  ');
    expect(stored).toMatch(FORMAT);
    expect(stored).not.toContain('s3cret');
    expect(await verifyPassword('  s3cret "pw" ü  ', stored)).toBe(true);
    expect(await verifyPassword('s3cret "pw" ü', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('treats composed and decomposed forms of the same text as the same password', async () => {
    const stored = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });

  it('matches an independent scrypt computation', async () => {
    const stored = await hashPassword('pw');
    const [, , , , salt, hash] = stored.split('$');
    const expected = scryptSync('pw', Buffer.from(salt!, 'base64'), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    expect(expected.toString('base64')).toBe(hash);
  });

  it('does not block the event loop while hashing', async () => {
    let ticked = false;
    setImmediate(() => {
      ticked = true;
    });
    await hashPassword('pw');
    expect(ticked).toBe(true);
  });

  it('verifies hashes made with other parameters and flags them for rehash', async () => {
    const salt = randomBytes(16);
    const hash = scryptSync('old', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const stored = `scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
    expect(await verifyPassword('old', stored)).toBe(true);
    expect(await verifyPassword('new', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });

  it('returns false, never throws, for garbled stored values', async () => {
    const good = await hashPassword('pw');
    const parts = good.split('$');
    const garbled = [
      '',
      'scrypt',
      'bcrypt$2b$10$abcdefghijklmnopqrstuv',
      parts.slice(0, 5).join('$'),
      [...parts, 'extra'].join('$'),
      good.replace('$32768$', '$30000$'), // N not a power of two
      good.replace('$32768$', `$${2 ** 24}$`), // absurd memory demand
      good.replace('$8$1$', '$0$1$'),
      good.replace(parts[4]!, `${parts[4]!.slice(0, 5)}!${parts[4]!.slice(6)}`),
      good.replace(parts[5]!, 'AAAA'), // too short a hash
      `${good} `,
      undefined as unknown as string,
      42 as unknown as string,
    ];
    for (const stored of garbled) {
      await expect(verifyPassword('pw', stored)).resolves.toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
  });

  it('offers a dummy verification with the real cost parameters for unknown users', async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(DUMMY_HASH).toMatch(FORMAT);
    await expect(verifyAgainstDummy('anything')).resolves.toBe(false);
    await expect(verifyAgainstDummy(undefined as unknown as string)).resolves.toBe(false);
    expect(PASSWORD_HASH_PARAMS.N).toBe(2 ** 15);
  });
});
