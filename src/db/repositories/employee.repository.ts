import { and, asc, count, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import type { DbOrTx } from '../database.js';
import { employees, groupMembers } from '../schema/index.js';
import { cappedCountColumn, type ListTotal, lowerSearchFilter, pageTotal } from './list-query.js';

export type EmployeeRow = typeof employees.$inferSelect;
export type EmployeeInsert = typeof employees.$inferInsert;
export type EmployeeWithGroups = EmployeeRow & { groupIds: string[] };

// Qualified by hand: drizzle renders columns unqualified in one-table selects.
const employeeId = sql.raw('"employees"."id"');

/** The row with its group ids, in one statement (a correlated ARRAY over group_members). */
const withGroupIds = {
  ...getTableColumns(employees),
  groupIds: sql<
    string[]
  >`ARRAY(SELECT gm.group_id::text FROM ${groupMembers} gm WHERE gm.employee_id = ${employeeId} ORDER BY gm.group_id)`,
};

/** What a list page shows: no password hash, no search column (narrower rows, issue 12 item 3). */
export type EmployeeListItem = Omit<EmployeeWithGroups, 'passwordHash' | 'searchText'>;
const { passwordHash: _hash, searchText: _search, ...listColumns } = withGroupIds;

export function createEmployeeRepository(db: DbOrTx) {
  return {
    /** One page ordered by name, id, and a total that stops counting past the page (see cappedCount). */
    async list(
      workspaceId: string,
      page: Page,
      tx: DbOrTx = db,
    ): Promise<{ items: EmployeeListItem[] } & ListTotal> {
      const where = and(
        eq(employees.workspaceId, workspaceId),
        lowerSearchFilter(page.q, employees.searchText),
      );
      // One statement: the page and its capped total together.
      const rows = await tx
        .select({ ...listColumns, total: cappedCountColumn(employees, where, page) })
        .from(employees)
        .where(where)
        .orderBy(asc(employees.name), asc(employees.id))
        .limit(page.limit)
        .offset(page.offset);
      const total = await pageTotal(rows, tx, employees, where, page);
      return { items: rows.map(({ total: _, ...item }) => item), ...total };
    },

    async findById(workspaceId: string, id: string, tx: DbOrTx = db): Promise<EmployeeWithGroups | null> {
      const rows = await tx
        .select(withGroupIds)
        .from(employees)
        .where(and(eq(employees.workspaceId, workspaceId), eq(employees.id, id)));
      return rows[0] ?? null;
    },

    /** Login lookup: emails are unique across the installation. */
    async findByEmail(email: string, tx: DbOrTx = db): Promise<EmployeeRow | null> {
      const rows = await tx.select().from(employees).where(eq(employees.email, email.toLowerCase()));
      return rows[0] ?? null;
    },

    async insert(values: EmployeeInsert, tx: DbOrTx = db): Promise<EmployeeRow> {
      const [row] = await tx.insert(employees).values(values).returning();
      return row!;
    },

    async update(workspaceId: string, id: string, values: Partial<EmployeeInsert>, tx: DbOrTx = db) {
      const [row] = await tx
        .update(employees)
        .set({ ...values, updatedAt: new Date() })
        .where(and(eq(employees.workspaceId, workspaceId), eq(employees.id, id)))
        .returning();
      return row ?? null;
    },

    async delete(workspaceId: string, id: string, tx: DbOrTx = db): Promise<boolean> {
      const rows = await tx
        .delete(employees)
        .where(and(eq(employees.workspaceId, workspaceId), eq(employees.id, id)))
        .returning({ id: employees.id });
      return rows.length > 0;
    },

    async countActiveAdmins(workspaceId: string, tx: DbOrTx = db): Promise<number> {
      const [r] = await tx
        .select({ n: count() })
        .from(employees)
        .where(
          and(
            eq(employees.workspaceId, workspaceId),
            eq(employees.role, 'admin'),
            eq(employees.active, true),
          ),
        );
      return r?.n ?? 0;
    },

    /** Active administrators: who is told about company addresses (M50). */
    async activeAdminIds(workspaceId: string, tx: DbOrTx = db): Promise<string[]> {
      const rows = await tx
        .select({ id: employees.id })
        .from(employees)
        .where(
          and(
            eq(employees.workspaceId, workspaceId),
            eq(employees.role, 'admin'),
            eq(employees.active, true),
          ),
        );
      return rows.map((r) => r.id);
    },

    /** Ids from `ids` that exist in the workspace (to validate references). */
    async existingIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await tx
        .select({ id: employees.id })
        .from(employees)
        .where(and(eq(employees.workspaceId, workspaceId), inArray(employees.id, [...ids])));
      return new Set(rows.map((r) => r.id));
    },

    async groupIdsOf(workspaceId: string, employeeId: string, tx: DbOrTx = db): Promise<string[]> {
      const rows = await tx
        .select({ groupId: groupMembers.groupId })
        .from(groupMembers)
        .where(and(eq(groupMembers.workspaceId, workspaceId), eq(groupMembers.employeeId, employeeId)));
      return rows.map((r) => r.groupId);
    },

    async lockWorkspaceAdmins(workspaceId: string, tx: DbOrTx) {
      // Serialises concurrent demotions so "at least one admin" cannot be raced away.
      await tx.execute(
        sql`SELECT id FROM employees WHERE workspace_id = ${workspaceId} AND role = 'admin' FOR UPDATE`,
      );
    },
  };
}

export type EmployeeRepository = ReturnType<typeof createEmployeeRepository>;
