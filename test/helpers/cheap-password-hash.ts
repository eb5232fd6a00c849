import { vi } from 'vitest';

/**
 * Setup file of the node project: passwords the suite creates (workspaces, employees, resets)
 * are hashed with scrypt N=2^10 instead of 2^15. At N=2^15 one hash takes 0.1 s on an idle
 * core and over 1 s on the busy 2-core CI machine (32 MiB each), and every test workspace and
 * employee costs two (hash + login), which made hashing most of the API suite's time
 * (docs/decisions/0022-test-speed.md). Verification reads the cost from the stored hash, so
 * logins still run the real code; the production parameters and the dummy hash for unknown
 * users are tested at full cost in src/security/password-hash.test.ts, which unmocks this.
 */
vi.mock(import('../../src/security/password-hash.js'), async (importOriginal) => {
  const actual = await importOriginal();
  const cheap = { ...actual.PASSWORD_HASH_PARAMS, N: 2 ** 10 };
  return { ...actual, hashPassword: (password: string) => actual.hashPassword(password, cheap) };
});
