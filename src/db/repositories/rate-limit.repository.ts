import { lt, sql } from 'drizzle-orm';
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
    async purgeBefore(before: Date, tx: DbOrTx = db) {
      await tx.delete(rateLimitBuckets).where(lt(rateLimitBuckets.windowStart, before));
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
