import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/helpers/test-db.js';
import type { DatabaseHandle } from '../db/database.js';
import { createRateLimitRepository } from '../db/repositories/rate-limit.repository.js';
import { createRateLimiter } from './rate-limiter.js';

let db: DatabaseHandle;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describe('rate limiter', () => {
  it('does not let a burst double up across a window boundary', async () => {
    let now = new Date('2026-11-27T10:00:59.000Z');
    const limiter = createRateLimiter({ rateLimits: createRateLimitRepository(db.db), now: () => now });
    for (let i = 0; i < 5; i++) await limiter.consume('k1', 5, 60_000);
    now = new Date('2026-11-27T10:01:01.000Z'); // a new fixed window, 2 s later
    await expect(limiter.consume('k1', 5, 60_000)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    now = new Date('2026-11-27T10:02:30.000Z'); // the old window no longer overlaps
    await expect(limiter.consume('k1', 5, 60_000)).resolves.toBeUndefined();
  });

  it('counts keys separately and reports when to retry', async () => {
    const now = new Date('2026-11-27T11:00:40.000Z');
    const limiter = createRateLimiter({ rateLimits: createRateLimitRepository(db.db), now: () => now });
    await limiter.consume('a', 1, 60_000);
    await limiter.consume('b', 1, 60_000);
    const err = await limiter.consume('a', 1, 60_000).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 20 } });
  });
});
