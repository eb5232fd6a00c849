import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import type { DbOrTx } from '../database.js';
import { groupMembers, groups } from '../schema/index.js';
import { searchFilter } from './list-query.js';

export type GroupRow = typeof groups.$inferSelect;
export type GroupWithMembers = GroupRow & { memberIds: string[] };

export function createGroupRepository(db: DbOrTx) {
  const withMembers = async (rows: GroupRow[], tx: DbOrTx): Promise<GroupWithMembers[]> => {
    if (rows.length === 0) return [];
    const links = await tx
      .select()
      .from(groupMembers)
      .where(
        inArray(
          groupMembers.groupId,
          rows.map((r) => r.id),
        ),
      );
    const byGroup = new Map<string, string[]>();
    for (const l of links) byGroup.set(l.groupId, [...(byGroup.get(l.groupId) ?? []), l.employeeId]);
    return rows.map((r) => ({ ...r, memberIds: byGroup.get(r.id) ?? [] }));
  };

  return {
    async list(workspaceId: string, page: Page, tx: DbOrTx = db) {
      const where = and(
        eq(groups.workspaceId, workspaceId),
        searchFilter(page.q, [groups.name, groups.description]),
      );
      const [rows, [total]] = await Promise.all([
        tx
          .select()
          .from(groups)
          .where(where)
          .orderBy(asc(groups.name), asc(groups.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ n: count() }).from(groups).where(where),
      ]);
      return { items: await withMembers(rows, tx), total: total?.n ?? 0 };
    },
    async findById(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(groups)
        .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)));
      return (await withMembers(rows, tx))[0] ?? null;
    },
    async insert(values: typeof groups.$inferInsert, tx: DbOrTx = db) {
      const [row] = await tx.insert(groups).values(values).returning();
      return row!;
    },
    async update(
      workspaceId: string,
      id: string,
      values: Partial<typeof groups.$inferInsert>,
      tx: DbOrTx = db,
    ) {
      const [row] = await tx
        .update(groups)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)))
        .returning();
      return row ?? null;
    },
    async delete(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .delete(groups)
        .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)))
        .returning({ id: groups.id });
      return rows.length > 0;
    },
    async replaceMembers(
      workspaceId: string,
      groupId: string,
      employeeIds: readonly string[],
      tx: DbOrTx = db,
    ) {
      await tx
        .delete(groupMembers)
        .where(and(eq(groupMembers.workspaceId, workspaceId), eq(groupMembers.groupId, groupId)));
      if (employeeIds.length > 0) {
        await tx
          .insert(groupMembers)
          .values([...new Set(employeeIds)].map((employeeId) => ({ workspaceId, groupId, employeeId })));
      }
    },
    async replaceGroupsOfEmployee(
      workspaceId: string,
      employeeId: string,
      groupIds: readonly string[],
      tx: DbOrTx = db,
    ) {
      await tx
        .delete(groupMembers)
        .where(and(eq(groupMembers.workspaceId, workspaceId), eq(groupMembers.employeeId, employeeId)));
      if (groupIds.length > 0) {
        await tx
          .insert(groupMembers)
          .values([...new Set(groupIds)].map((groupId) => ({ workspaceId, groupId, employeeId })));
      }
    },
    async existingIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await tx
        .select({ id: groups.id })
        .from(groups)
        .where(and(eq(groups.workspaceId, workspaceId), inArray(groups.id, [...ids])));
      return new Set(rows.map((r) => r.id));
    },
  };
}

export type GroupRepository = ReturnType<typeof createGroupRepository>;
