import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { testEmails } from '../schema/index.js';

export type TestEmailRow = typeof testEmails.$inferSelect;
export type TestEmailPatch = Partial<
  Pick<TestEmailRow, 'status' | 'send' | 'arrival' | 'checks' | 'sentAt' | 'arrivedAt' | 'finishedAt'>
>;

/** Test email round trips (M23); every query is scoped by workspace and address. */
export function createTestEmailRepository(db: DbOrTx) {
  return {
    async insert(values: typeof testEmails.$inferInsert): Promise<TestEmailRow> {
      const [row] = await db.insert(testEmails).values(values).returning();
      return row!;
    },
    async update(workspaceId: string, id: string, patch: TestEmailPatch): Promise<void> {
      await db
        .update(testEmails)
        .set(patch)
        .where(and(eq(testEmails.workspaceId, workspaceId), eq(testEmails.id, id)));
    },
    async find(workspaceId: string, addressId: string, id: string): Promise<TestEmailRow | null> {
      const [row] = await db
        .select()
        .from(testEmails)
        .where(
          and(
            eq(testEmails.workspaceId, workspaceId),
            eq(testEmails.addressId, addressId),
            eq(testEmails.id, id),
          ),
        );
      return row ?? null;
    },
    /** The newest round trips of one address, newest first. */
    async recent(workspaceId: string, addressId: string, limit: number): Promise<TestEmailRow[]> {
      return db
        .select()
        .from(testEmails)
        .where(and(eq(testEmails.workspaceId, workspaceId), eq(testEmails.addressId, addressId)))
        .orderBy(desc(testEmails.createdAt), desc(testEmails.id))
        .limit(limit);
    },
  };
}

export type TestEmailRepository = ReturnType<typeof createTestEmailRepository>;
