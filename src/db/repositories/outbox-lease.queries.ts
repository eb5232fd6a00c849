import { and, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { outgoingMessages } from '../schema/index.js';
import type { NoticeRow } from './outbox-rows.js';

/** The columns a notice about an email needs (its author is told, M33). */
export const notice = {
  id: outgoingMessages.id,
  workspaceId: outgoingMessages.workspaceId,
  authorEmployeeId: outgoingMessages.authorEmployeeId,
  taskId: outgoingMessages.taskId,
  subject: outgoingMessages.subject,
  status: outgoingMessages.status,
};

/**
 * The outbox's lease lifecycle (issue 9 item 3): what happens to claims whose worker died or
 * lives on. Part of `OutboxRepository`; across workspaces by design, like the rest of it.
 */
export function createOutboxLeaseQueries(db: Db) {
  return {
    /**
     * Rows whose worker died after it started sending the message data (`transmitting_at` set)
     * become `uncertain`: possibly delivered, never resent automatically (M32). `all` also takes
     * rows whose lease has not run out (a single-process database after a restart: nobody else
     * can hold them).
     */
    async markAbandonedUncertain(
      now: Date,
      all: boolean,
      failure: Record<string, unknown>,
    ): Promise<NoticeRow[]> {
      return db
        .update(outgoingMessages)
        .set({ status: 'uncertain', leaseToken: null, leaseUntil: null, failure, updatedAt: now })
        .where(
          and(
            eq(outgoingMessages.status, 'sending'),
            isNotNull(outgoingMessages.transmittingAt),
            all ? undefined : lte(outgoingMessages.leaseUntil, now),
          ),
        )
        .returning(notice);
    },

    /**
     * Claims whose worker died before the message data went out (lease expired, `transmitting_at`
     * unset) go back to the queue, due at once: sending them again is safe.
     */
    async releaseExpired(now: Date): Promise<number> {
      const rows = await db
        .update(outgoingMessages)
        .set({
          status: sql`CASE WHEN ${outgoingMessages.failure} IS NULL THEN 'queued' ELSE 'deferred' END`,
          leaseToken: null,
          leaseUntil: null,
          nextAttemptAt: now,
          updatedAt: now,
        })
        .where(
          and(
            eq(outgoingMessages.status, 'sending'),
            lte(outgoingMessages.leaseUntil, now),
            isNull(outgoingMessages.transmittingAt),
          ),
        )
        .returning({ id: outgoingMessages.id });
      return rows.length;
    },

    /** Single-process start: rows claimed by the previous (dead) process are due again at once. */
    async releaseAllClaims(now: Date): Promise<number> {
      const rows = await db
        .update(outgoingMessages)
        .set({ leaseUntil: now })
        .where(and(eq(outgoingMessages.status, 'sending'), isNull(outgoingMessages.transmittingAt)))
        .returning({ id: outgoingMessages.id });
      return rows.length;
    },

    /** Extends the lease of rows still held under these tokens (heartbeat). */
    async renewLease(leaseTokens: string[], now: Date, leaseMs: number): Promise<void> {
      if (leaseTokens.length === 0) return;
      await db
        .update(outgoingMessages)
        .set({ leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(
          and(inArray(outgoingMessages.leaseToken, leaseTokens), eq(outgoingMessages.status, 'sending')),
        );
    },
  };
}
