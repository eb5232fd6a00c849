import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { notifications } from '../schema/index.js';

export type NotificationRow = typeof notifications.$inferSelect;

/** In-app notices, always read and written for one workspace and one employee. */
export function createNotificationRepository(db: DbOrTx) {
  return {
    /** Inserts one notice per employee; a repeated dedupe key for the same employee is skipped. */
    async insertMany(rows: (typeof notifications.$inferInsert)[], tx: DbOrTx = db) {
      if (rows.length === 0) return;
      await tx.insert(notifications).values(rows).onConflictDoNothing();
    },
    /** Newest first, keyset-paged by (created_at, id). */
    async listFor(
      workspaceId: string,
      employeeId: string,
      opts: { limit: number; unreadOnly?: boolean; before?: { createdAt: Date; id: string } },
      tx: DbOrTx = db,
    ) {
      return tx
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.workspaceId, workspaceId),
            eq(notifications.employeeId, employeeId),
            opts.unreadOnly ? isNull(notifications.readAt) : undefined,
            opts.before
              ? sql`(${notifications.createdAt}, ${notifications.id}) < (${opts.before.createdAt.toISOString()}::timestamptz, ${opts.before.id}::uuid)`
              : undefined,
          ),
        )
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(opts.limit);
    },
    async countUnread(workspaceId: string, employeeId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(notifications)
        .where(
          and(
            eq(notifications.workspaceId, workspaceId),
            eq(notifications.employeeId, employeeId),
            isNull(notifications.readAt),
          ),
        );
      return row?.n ?? 0;
    },
    /** Marks the given notices (or, with `ids` absent, all) of the employee read. */
    async markRead(
      workspaceId: string,
      employeeId: string,
      ids: readonly string[] | null,
      at: Date,
      tx: DbOrTx = db,
    ) {
      await tx
        .update(notifications)
        .set({ readAt: at })
        .where(
          and(
            eq(notifications.workspaceId, workspaceId),
            eq(notifications.employeeId, employeeId),
            isNull(notifications.readAt),
            ids ? inArray(notifications.id, [...ids]) : undefined,
          ),
        );
    },
    /** Housekeeping: read notices older than the cut-off. */
    async deleteReadBefore(cutoff: Date, tx: DbOrTx = db) {
      await tx.delete(notifications).where(lt(notifications.readAt, cutoff));
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
