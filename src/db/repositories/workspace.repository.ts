import { count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { workspaces } from '../schema/index.js';

export type WorkspaceRow = typeof workspaces.$inferSelect;

export function createWorkspaceRepository(db: DbOrTx) {
  return {
    async count(tx: DbOrTx = db): Promise<number> {
      const [r] = await tx.select({ n: count() }).from(workspaces);
      return r?.n ?? 0;
    },
    async findById(id: string, tx: DbOrTx = db): Promise<WorkspaceRow | null> {
      const rows = await tx.select().from(workspaces).where(eq(workspaces.id, id));
      return rows[0] ?? null;
    },
    /** The row, locked until the transaction ends (settings updates read-then-write). */
    async lockById(id: string, tx: DbOrTx): Promise<WorkspaceRow | null> {
      const rows = await tx.select().from(workspaces).where(eq(workspaces.id, id)).for('update');
      return rows[0] ?? null;
    },
    async update(
      id: string,
      values: Partial<typeof workspaces.$inferInsert>,
      tx: DbOrTx = db,
    ): Promise<WorkspaceRow> {
      const [row] = await tx
        .update(workspaces)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(workspaces.id, id))
        .returning();
      return row!;
    },
    async insert(values: typeof workspaces.$inferInsert, tx: DbOrTx = db): Promise<WorkspaceRow> {
      const [row] = await tx.insert(workspaces).values(values).returning();
      return row!;
    },
  };
}

export type WorkspaceRepository = ReturnType<typeof createWorkspaceRepository>;
