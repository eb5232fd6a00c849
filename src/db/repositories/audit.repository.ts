import { and, count, desc, eq, gte, lte } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { auditLog } from '../schema/index.js';

export type AuditRow = typeof auditLog.$inferSelect;
export interface AuditFilter {
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorEmployeeId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
}

export function createAuditRepository(db: DbOrTx) {
  return {
    async insert(values: typeof auditLog.$inferInsert, tx: DbOrTx = db) {
      await tx.insert(auditLog).values(values);
    },
    async list(workspaceId: string, f: AuditFilter, tx: DbOrTx = db) {
      const where = and(
        eq(auditLog.workspaceId, workspaceId),
        f.action ? eq(auditLog.action, f.action) : undefined,
        f.targetType ? eq(auditLog.targetType, f.targetType) : undefined,
        f.targetId ? eq(auditLog.targetId, f.targetId) : undefined,
        f.actorEmployeeId ? eq(auditLog.actorEmployeeId, f.actorEmployeeId) : undefined,
        f.from ? gte(auditLog.createdAt, f.from) : undefined,
        f.to ? lte(auditLog.createdAt, f.to) : undefined,
      );
      const [items, [total]] = await Promise.all([
        tx
          .select()
          .from(auditLog)
          .where(where)
          .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
          .limit(f.limit)
          .offset(f.offset),
        tx.select({ n: count() }).from(auditLog).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
