import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64Strict } from './base64-strict.js';

/**
 * Login password hashing (SPEC M56) with scrypt from node:crypto: no native addon, and the
 * async form runs on the libuv pool so a login never blocks the event loop.
 * Stored as `scrypt$N$r$p$saltB64$hashB64`.
 */

export const PASSWORD_HASH_PARAMS = { N: 2 ** 15, r: 8, p: 1, saltLength: 16, keyLength: 32 } as const;

// Bounds for parameters read back from storage, so a garbled row cannot demand gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/**
 * A well-formed hash of no known password with the current parameters. Verifying against it
 * costs the same as a real verification, which is what `verifyAgainstDummy` relies on.
 */
export const DUMMY_HASH =
  'scrypt$32768$8$1$bWFpbHJvb20tZHVtbXktcw==$bWFpbHJvb20tZHVtbXktaGFzaC1uby1wYXNzd29yZCE=';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
  saltLength: number;
  keyLength: number;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/**
 * Hashes a password with a fresh random salt. Passwords are NFC-normalised first. `params`
 * exists for the test suite's cheaper hashes (test/helpers/cheap-password-hash.ts); the
 * application always uses the defaults.
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = PASSWORD_HASH_PARAMS,
): Promise<string> {
  const { N, r, p, saltLength, keyLength } = params;
  const salt = randomBytes(saltLength);
  const hash = await scryptAsync(normalise(password), salt, keyLength, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash; false (never throws) when garbled. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null || typeof password !== 'string') return false;
  const { N, r, p, salt, hash } = parsed;
  let candidate: Buffer;
  try {
    candidate = await scryptAsync(normalise(password), salt, hash.length, { N, r, p });
  } catch {
    return false;
  }
  return timingSafeEqual(candidate, hash);
}

/**
 * Run when the login name is unknown, so "no such user" takes as long as "wrong password"
 * and response times do not reveal which accounts exist. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(typeof password === 'string' ? password : '', DUMMY_HASH);
  return false;
}

/** True when the stored hash uses other parameters than the current ones (or is garbled). */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (parsed === null) return true;
  const current = PASSWORD_HASH_PARAMS;
  return (
    parsed.N !== current.N ||
    parsed.r !== current.r ||
    parsed.p !== current.p ||
    parsed.salt.length !== current.saltLength ||
    parsed.hash.length !== current.keyLength
  );
}

function parseHash(stored: unknown): ParsedHash | null {
  if (typeof stored !== 'string' || stored.length > 512) return null;
  const match = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([^$]+)\$([^$]+)$/.exec(stored);
  if (match === null) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = decodeBase64Strict(match[4]!);
  const hash = decodeBase64Strict(match[5]!);
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  if (salt === null || salt.length < 8 || hash === null || hash.length < 16 || hash.length > 64) return null;
  return { N, r, p, salt, hash };
}

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  const N = options.N ?? 0;
  const r = options.r ?? 0;
  // scrypt needs about 128·N·r bytes; the default maxmem (32 MiB) is exactly too small for N=2^15, r=8.
  const maxmem = 128 * N * r * 2 + 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...options, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const normalise = (password: string): string => password.normalize('NFC');
