import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { emailAddresses, mailboxSyncState } from '../schema/index.js';

export type MailboxSyncRow = typeof mailboxSyncState.$inferSelect;
export type MailboxSyncPatch = Partial<
  Pick<
    MailboxSyncRow,
    | 'protocol'
    | 'uidvalidity'
    | 'lastUid'
    | 'initializedAt'
    | 'nextPollAt'
    | 'failureStreak'
    | 'lastError'
    | 'lastSuccessAt'
  >
>;

/** Addresses the poller collects from: active, collecting replies, not paused (M36, M50). */
const collectable = and(
  eq(emailAddresses.active, true),
  eq(emailAddresses.collectReplies, true),
  inArray(emailAddresses.health, ['ok', 'failing']),
);

/** Leaves out the addresses this process holds (IDLE connections). */
const notAmong = (exclude: readonly string[]) =>
  exclude.length > 0
    ? sql`${mailboxSyncState.addressId} NOT IN (${sql.join(
        exclude.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : undefined;

/**
 * Per-address collection cursor and lease (M36). The lease makes exactly one process poll an
 * address at a time, whatever the number of workers: a claim takes only rows whose lease is
 * free or expired (FOR UPDATE SKIP LOCKED), and every later write checks the token.
 */
export function createMailboxSyncRepository(db: DbOrTx) {
  return {
    /** Creates the missing state rows of collectable addresses (due at once). */
    async ensureStates(): Promise<number> {
      const rows = await db
        .insert(mailboxSyncState)
        .select(
          db
            .select({
              addressId: emailAddresses.id,
              workspaceId: emailAddresses.workspaceId,
              protocol: emailAddresses.incomingProtocol,
              uidvalidity: sql<string | null>`null`.as('uidvalidity'),
              lastUid: sql<number | null>`null`.as('last_uid'),
              initializedAt: sql<Date | null>`null`.as('initialized_at'),
              leaseToken: sql<string | null>`null`.as('lease_token'),
              leaseUntil: sql<Date | null>`null`.as('lease_until'),
              nextPollAt: sql<Date>`now()`.as('next_poll_at'),
              failureStreak: sql<number>`0`.as('failure_streak'),
              lastError: sql<null>`null`.as('last_error'),
              lastSuccessAt: sql<Date | null>`null`.as('last_success_at'),
              updatedAt: sql<Date>`now()`.as('updated_at'),
            })
            .from(emailAddresses)
            .where(
              and(
                collectable,
                sql`NOT EXISTS (SELECT 1 FROM ${mailboxSyncState} s WHERE s.address_id = ${emailAddresses.id})`,
              ),
            ),
        )
        .onConflictDoNothing()
        .returning({ id: mailboxSyncState.addressId });
      return rows.length;
    },

    /**
     * Claims up to `limit` due addresses (any workspace) for `leaseMs`; `exclude` are addresses
     * this process already holds (IDLE connections).
     */
    async claimDue(
      limit: number,
      leaseToken: string,
      now: Date,
      leaseMs: number,
      exclude: readonly string[] = [],
    ): Promise<MailboxSyncRow[]> {
      if (limit <= 0) return [];
      const due = db
        .select({ id: mailboxSyncState.addressId })
        .from(mailboxSyncState)
        .innerJoin(emailAddresses, eq(emailAddresses.id, mailboxSyncState.addressId))
        .where(
          and(
            collectable,
            lte(mailboxSyncState.nextPollAt, now),
            or(isNull(mailboxSyncState.leaseUntil), lte(mailboxSyncState.leaseUntil, now)),
            notAmong(exclude),
          ),
        )
        .orderBy(mailboxSyncState.nextPollAt)
        .limit(limit)
        .for('update', { of: mailboxSyncState, skipLocked: true });
      return db
        .update(mailboxSyncState)
        .set({ leaseToken, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
        .where(sql`${mailboxSyncState.addressId} IN (${due})`)
        .returning();
    },

    /** IMAP addresses nobody holds (IDLE candidates), whatever their schedule; `exclude` left out. */
    async idleCandidates(limit: number, now: Date, exclude: readonly string[]): Promise<string[]> {
      if (limit <= 0) return [];
      const rows = await db
        .select({ id: mailboxSyncState.addressId })
        .from(mailboxSyncState)
        .innerJoin(emailAddresses, eq(emailAddresses.id, mailboxSyncState.addressId))
        .where(
          and(
            collectable,
            eq(emailAddresses.incomingProtocol, 'imap'),
            sql`${mailboxSyncState.initializedAt} IS NOT NULL`,
            or(isNull(mailboxSyncState.leaseUntil), lte(mailboxSyncState.leaseUntil, now)),
            notAmong(exclude),
          ),
        )
        .orderBy(mailboxSyncState.nextPollAt)
        .limit(limit);
      return rows.map((r) => r.id);
    },

    /** Claims one address now regardless of its schedule (IDLE holders); null when it is held. */
    async claimOne(
      addressId: string,
      leaseToken: string,
      now: Date,
      leaseMs: number,
    ): Promise<MailboxSyncRow | null> {
      const [row] = await db
        .update(mailboxSyncState)
        .set({ leaseToken, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
        .where(
          and(
            eq(mailboxSyncState.addressId, addressId),
            or(
              isNull(mailboxSyncState.leaseUntil),
              lte(mailboxSyncState.leaseUntil, now),
              eq(mailboxSyncState.leaseToken, leaseToken),
            ),
          ),
        )
        .returning();
      return row ?? null;
    },

    /** Extends a held lease; false when it was lost (stop writing for this address). */
    async renew(addressId: string, leaseToken: string, until: Date): Promise<boolean> {
      const rows = await db
        .update(mailboxSyncState)
        .set({ leaseUntil: until })
        .where(and(eq(mailboxSyncState.addressId, addressId), eq(mailboxSyncState.leaseToken, leaseToken)))
        .returning({ id: mailboxSyncState.addressId });
      return rows.length > 0;
    },

    /** Writes progress while the lease is ours (cursor moves after the store commits). */
    async advance(addressId: string, leaseToken: string, patch: MailboxSyncPatch): Promise<boolean> {
      const rows = await db
        .update(mailboxSyncState)
        .set({ ...patch, updatedAt: new Date() })
        .where(and(eq(mailboxSyncState.addressId, addressId), eq(mailboxSyncState.leaseToken, leaseToken)))
        .returning({ id: mailboxSyncState.addressId });
      return rows.length > 0;
    },

    /** Ends a poll: applies the patch and frees the lease, only while it is still ours. */
    async release(addressId: string, leaseToken: string, patch: MailboxSyncPatch): Promise<boolean> {
      const rows = await db
        .update(mailboxSyncState)
        .set({ ...patch, leaseToken: null, leaseUntil: null, updatedAt: new Date() })
        .where(and(eq(mailboxSyncState.addressId, addressId), eq(mailboxSyncState.leaseToken, leaseToken)))
        .returning({ id: mailboxSyncState.addressId });
      return rows.length > 0;
    },

    /** "Check now": due at once (creates the row when missing). */
    async requestPoll(
      workspaceId: string,
      addressId: string,
      protocol: 'pop3' | 'imap',
      now: Date,
    ): Promise<void> {
      await db
        .insert(mailboxSyncState)
        .values({ addressId, workspaceId, protocol, nextPollAt: now })
        .onConflictDoUpdate({
          target: mailboxSyncState.addressId,
          set: { nextPollAt: now, updatedAt: now },
          setWhere: eq(mailboxSyncState.workspaceId, workspaceId),
        });
    },

    async find(workspaceId: string, addressId: string): Promise<MailboxSyncRow | null> {
      const [row] = await db
        .select()
        .from(mailboxSyncState)
        .where(and(eq(mailboxSyncState.workspaceId, workspaceId), eq(mailboxSyncState.addressId, addressId)));
      return row ?? null;
    },

    /**
     * When the next claim can take something: the earliest scheduled poll among collectable
     * addresses, a leased one counting from its lease's end (and `exclude`, the addresses this
     * process holds, not at all). Counting a held address by its schedule alone made an IMAP
     * IDLE address past its schedule "due now" on every pass that could not claim it.
     */
    async nextDue(exclude: readonly string[] = []): Promise<Date | null> {
      const [row] = await db
        .select({
          at: sql<
            string | Date | null
          >`min(greatest(${mailboxSyncState.nextPollAt}, ${mailboxSyncState.leaseUntil}))`,
        })
        .from(mailboxSyncState)
        .innerJoin(emailAddresses, eq(emailAddresses.id, mailboxSyncState.addressId))
        .where(and(collectable, notAmong(exclude)));
      return row?.at ? new Date(row.at) : null;
    },
  };
}

export type MailboxSyncRepository = ReturnType<typeof createMailboxSyncRepository>;
