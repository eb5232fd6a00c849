import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Page } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';
import type { DbOrTx } from '../database.js';
import { projects } from '../schema/index.js';
import { translateUnique } from '../unique-violation.js';
import { cappedCount, searchFilter } from './list-query.js';

/** Project names are unique per workspace, ignoring case (index from migration admin_settings). */
const nameTaken = (name: string | undefined) => () =>
  new AppError('PROJECT_NAME_TAKEN', {
    params: { name: name ?? '' },
    fields: [{ path: '/body/name', code: 'name_taken' }],
  });
const NAME_INDEX = ['projects_workspace_name_uq'];

export type ProjectRow = typeof projects.$inferSelect;

export function createProjectRepository(db: DbOrTx) {
  return {
    async list(workspaceId: string, page: Page, tx: DbOrTx = db) {
      const where = and(
        eq(projects.workspaceId, workspaceId),
        searchFilter(page.q, [projects.name, projects.description]),
      );
      const [items, total] = await Promise.all([
        tx
          .select()
          .from(projects)
          .where(where)
          .orderBy(asc(projects.name), asc(projects.id))
          .limit(page.limit)
          .offset(page.offset),
        cappedCount(tx, projects, where, page),
      ]);
      return { items, ...total };
    },
    async findById(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .select()
        .from(projects)
        .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)));
      return rows[0] ?? null;
    },
    async insert(values: typeof projects.$inferInsert, tx: DbOrTx = db) {
      const [row] = await translateUnique(
        () => tx.insert(projects).values(values).returning(),
        NAME_INDEX,
        nameTaken(values.name),
      );
      return row!;
    },
    async update(
      workspaceId: string,
      id: string,
      values: Partial<typeof projects.$inferInsert>,
      tx: DbOrTx = db,
    ) {
      const [row] = await translateUnique(
        () =>
          tx
            .update(projects)
            .set({ ...values, updatedAt: new Date() })
            .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)))
            .returning(),
        NAME_INDEX,
        nameTaken(values.name),
      );
      return row ?? null;
    },
    async delete(workspaceId: string, id: string, tx: DbOrTx = db) {
      const rows = await tx
        .delete(projects)
        .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)))
        .returning({ id: projects.id });
      return rows.length > 0;
    },
    async existingIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await tx
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.workspaceId, workspaceId), inArray(projects.id, [...ids])));
      return new Set(rows.map((r) => r.id));
    },
  };
}

export type ProjectRepository = ReturnType<typeof createProjectRepository>;
