import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Db } from '../database.js';
import { rowDecoder } from '../raw-rows.js';

const decodeReserve = rowDecoder(
  'send rate reserve',
  // Milliseconds since the epoch: both drivers hand a float8 over as a number.
  Type.Object({ ok: Type.Boolean(), oldest_ms: Type.Union([Type.Number(), Type.Null()]) }),
);

export type Reservation = { ok: true } | { ok: false; retryAt: Date };

/**
 * M34: an address's per-minute sending limit, held across every worker process (decision
 * 0011). The sends of the last window are start times in one row per address; `reserve` counts
 * one more only if the window has room, in one statement: `ON CONFLICT DO UPDATE` locks the
 * row and evaluates its `WHERE` on the latest committed version, so two workers reserving at
 * once are serialised and never both take the last place.
 */
export function createSendRateRepository(db: Db) {
  return {
    /**
     * Counts a send starting `now` against `limit` sends per `windowMs`, or says when the
     * window has room again (the oldest start leaves it; a start is never removed earlier).
     */
    async reserve(addressId: string, limit: number, windowMs: number, now: Date): Promise<Reservation> {
      const at = now.toISOString();
      const since = new Date(now.getTime() - windowMs).toISOString();
      const [row] = decodeReserve(
        await db.execute(sql`
          WITH ins AS (
            INSERT INTO address_send_starts AS s (address_id, starts)
            VALUES (${addressId}, ARRAY[${at}::timestamptz])
            ON CONFLICT (address_id) DO UPDATE
              SET starts = array_append(
                ARRAY(SELECT t FROM unnest(s.starts) AS t WHERE t > ${since}::timestamptz ORDER BY t),
                ${at}::timestamptz)
              WHERE (SELECT count(*) FROM unnest(s.starts) AS t WHERE t > ${since}::timestamptz) < ${limit}
            RETURNING 1
          )
          SELECT EXISTS (SELECT 1 FROM ins) AS ok,
            (SELECT extract(epoch FROM min(t))::float8 * 1000 FROM address_send_starts s, unnest(s.starts) AS t
              WHERE s.address_id = ${addressId} AND t > ${since}::timestamptz) AS oldest_ms`),
      );
      if (row?.ok) return { ok: true };
      // The oldest start as this statement's snapshot saw it: at worst earlier than the one that
      // filled the window, so the caller only asks again sooner.
      const oldest = row?.oldest_ms ?? now.getTime();
      return { ok: false, retryAt: new Date(Math.max(oldest + windowMs, now.getTime() + 1)) };
    },
  };
}

export type SendRateRepository = ReturnType<typeof createSendRateRepository>;
