import { and, eq, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { rateLimitBuckets } from '../schema/index.js';

export function createRateLimitRepository(db: DbOrTx) {
  return {
    /** Atomically counts one hit in the window and returns the count so far. */
    async hit(key: string, windowStart: Date, tx: DbOrTx = db): Promise<number> {
      const [row] = await tx
        .insert(rateLimitBuckets)
        .values({ key, windowStart, count: 1 })
        .onConflictDoUpdate({
          target: [rateLimitBuckets.key, rateLimitBuckets.windowStart],
          set: { count: sql`${rateLimitBuckets.count} + 1` },
        })
        .returning({ count: rateLimitBuckets.count });
      return row?.count ?? 1;
    },
    /** Hits of `key` in a past window (0 when none). */
    async countIn(key: string, windowStart: Date, tx: DbOrTx = db): Promise<number> {
      const [row] = await tx
        .select({ count: rateLimitBuckets.count })
        .from(rateLimitBuckets)
        .where(and(eq(rateLimitBuckets.key, key), eq(rateLimitBuckets.windowStart, windowStart)));
      return row?.count ?? 0;
    },
    async purgeBefore(before: Date, tx: DbOrTx = db) {
      await tx.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, before));
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
