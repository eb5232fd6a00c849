import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { testEmails } from '../schema/index.js';

export type TestEmailRow = typeof testEmails.$inferSelect;
export type TestEmailPatch = Partial<
  Pick<
    TestEmailRow,
    | 'status'
    | 'send'
    | 'arrival'
    | 'checks'
    | 'sentAt'
    | 'arrivedAt'
    | 'finishedAt'
    | 'nextStepAt'
    | 'skipUids'
    | 'deadlineAt'
  >
>;

/**
 * Which of `ids` are test emails of this address requested since `since`: a collected message's
 * `X-Mailroom-Test` value is ours only then (ingest and reading both ask; decision 0003).
 */
export async function ownTestEmailIds(
  db: DbOrTx,
  workspaceId: string,
  addressId: string,
  ids: readonly string[],
  since: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: testEmails.id })
    .from(testEmails)
    .where(
      and(
        eq(testEmails.workspaceId, workspaceId),
        eq(testEmails.addressId, addressId),
        inArray(testEmails.id, [...new Set(ids)].slice(0, 1000)),
        gte(testEmails.createdAt, since),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

const pending = sql`${testEmails.status} IN ('sending', 'waiting')`;

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
    /**
     * Ends one step of a claimed job: applies the patch and releases the lease, only while the
     * lease is still ours (a worker that lost it to another writes nothing).
     */
    async finishStep(id: string, leaseToken: string, patch: TestEmailPatch): Promise<boolean> {
      const rows = await db
        .update(testEmails)
        .set({ ...patch, leaseToken: null, leaseUntil: null })
        .where(and(eq(testEmails.id, id), eq(testEmails.leaseToken, leaseToken)))
        .returning({ id: testEmails.id });
      return rows.length > 0;
    },
    /** Claims up to `limit` due jobs (any workspace) with a lease; expired leases are re-claimed. */
    async claimDue(limit: number, leaseToken: string, now: Date, leaseMs: number): Promise<TestEmailRow[]> {
      const due = db
        .select({ id: testEmails.id })
        .from(testEmails)
        .where(
          and(
            pending,
            lte(testEmails.nextStepAt, now),
            or(isNull(testEmails.leaseUntil), lte(testEmails.leaseUntil, now)),
          ),
        )
        .orderBy(testEmails.nextStepAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      return db
        .update(testEmails)
        .set({ leaseToken, leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(sql`${testEmails.id} IN (${due})`)
        .returning();
    },
    /** The earliest step time among unfinished jobs, or null when none is left. */
    async nextDue(): Promise<Date | null> {
      const [row] = await db
        .select({ at: sql<string | null>`min(${testEmails.nextStepAt})` })
        .from(testEmails)
        .where(pending);
      return row?.at ? new Date(row.at) : null;
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
