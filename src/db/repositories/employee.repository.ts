import { and, count, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import type { DbOrTx } from '../database.js';
import type { ListPageCache } from '../list-page-cache.js';
import { type NamedStatement, namedStatement } from '../named-statement.js';
import { employees, groupMembers } from '../schema/index.js';
import { jsonPageQuery, parseJsonPage } from './json-page.js';
import { countCap, type ListTotal, likePattern } from './list-query.js';

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

/** What a list page shows: no password hash, search column or workspace (narrower rows, issue 12 item 3). */
export type EmployeeListItem = Omit<EmployeeWithGroups, 'passwordHash' | 'searchText' | 'workspaceId'>;
/** A list item as the database's JSON carries it: timestamps as ISO 8601 text. */
type JsonListItem = Omit<EmployeeListItem, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

const listItem = {
  id: employees.id,
  name: employees.name,
  email: employees.email,
  role: employees.role,
  language: employees.language,
  active: employees.active,
  signatureHtml: employees.signatureHtml,
  signatureText: employees.signatureText,
  groupIds: withGroupIds.groupIds,
  createdAt: employees.createdAt,
  updatedAt: employees.updatedAt,
} satisfies Record<keyof EmployeeListItem, unknown>;

/**
 * The list page as one statement (one with `?q=`, one without), built once with placeholders
 * for every value.
 */
function listQuery(tx: DbOrTx, search: boolean) {
  const workspace = eq(employees.workspaceId, sql.placeholder('workspaceId'));
  return jsonPageQuery(tx, {
    table: employees,
    item: listItem,
    where: search
      ? and(workspace, sql`${employees.searchText} LIKE lower(${sql.placeholder('pattern')})`)
      : workspace,
    orderBy: [employees.name, employees.id],
    limit: sql.placeholder('limit'),
    offset: sql.placeholder('offset'),
    countLimit: sql.placeholder('countLimit'),
  });
}

const listStatementName = (search: boolean) => (search ? 'employees_list_page_q' : 'employees_list_page');

export function createEmployeeRepository(
  db: DbOrTx,
  options: {
    /** PGlite only: pages kept until a write to employees or group_members (decision 0018). */
    pageCache?: ListPageCache | null;
  } = {},
) {
  const pageCache = options.pageCache ?? null;
  // Named statements, parsed and planned once (per connection on PostgreSQL, once on PGlite).
  // Built on the first list, not with the repository: building them is ~0.1 s of CPU on the
  // start path (drizzle's query builder running for the first time; issue 12 item 2).
  const prepared: { plain?: NamedStatement; search?: NamedStatement } = {};
  const statementFor = (search: boolean) => {
    const key = search ? 'search' : 'plain';
    prepared[key] ??= namedStatement(db, listStatementName(search), listQuery(db, search));
    return prepared[key];
  };
  return {
    /** One page ordered by name, id, and a total that stops counting past the page (see cappedCount). */
    async list(
      workspaceId: string,
      page: Page,
      tx: DbOrTx = db,
    ): Promise<{ items: EmployeeListItem[] } & ListTotal> {
      const search = Boolean(page.q);
      const cap = countCap(page);
      const values = {
        workspaceId,
        limit: page.limit,
        offset: page.offset,
        countLimit: cap + 1,
        ...(page.q ? { pattern: likePattern(page.q) } : {}),
      };
      let rows: { page: string }[];
      if (tx === db) {
        const statement = statementFor(search);
        const read = () => statement.text(values);
        const text = pageCache
          ? await pageCache.through(`${listStatementName(search)}\u0000${JSON.stringify(values)}`, read)
          : await read();
        rows = [{ page: text! }];
      } else {
        rows = await listQuery(tx, search).prepare(listStatementName(search)).execute(values);
      }
      const { items, total } = parseJsonPage<JsonListItem>(rows);
      return {
        items: items.map((i) => ({
          ...i,
          createdAt: new Date(i.createdAt),
          updatedAt: new Date(i.updatedAt),
        })),
        total,
        exact: total <= cap,
      };
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
