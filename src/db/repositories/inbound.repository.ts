import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { driverQuery } from '../driver-query.js';
import { inboundMessages, mailboxKnownUids } from '../schema/index.js';
import { ownTestEmailIds } from './test-email.repository.js';

export type InboundMessageRow = typeof inboundMessages.$inferSelect;
export type InboundMessageInsert = typeof inboundMessages.$inferInsert;
/** What processing writes back (owner of the outcome: `reading`). */
export type InboundOutcomePatch = Partial<
  Pick<
    InboundMessageRow,
    'status' | 'kind' | 'taskId' | 'commentId' | 'outgoingMessageId' | 'processedAt' | 'processError'
  >
>;

/** Row without the raw bytes (lists, recovery). */
const summary = {
  id: inboundMessages.id,
  workspaceId: inboundMessages.workspaceId,
  addressId: inboundMessages.addressId,
  protocol: inboundMessages.protocol,
  remoteUid: inboundMessages.remoteUid,
  contentSha256: inboundMessages.contentSha256,
  size: inboundMessages.size,
  messageIdHeader: inboundMessages.messageIdHeader,
  receivedAt: inboundMessages.receivedAt,
  status: inboundMessages.status,
  kind: inboundMessages.kind,
  taskId: inboundMessages.taskId,
  commentId: inboundMessages.commentId,
  outgoingMessageId: inboundMessages.outgoingMessageId,
  processedAt: inboundMessages.processedAt,
  processError: inboundMessages.processError,
  createdAt: inboundMessages.createdAt,
};
export type InboundMessageSummary = Omit<InboundMessageRow, 'raw'>;

const STORE_COLUMNS = [
  'workspace_id',
  'address_id',
  'protocol',
  'remote_uid',
  'content_sha256',
  'raw',
  'size',
  'message_id_header',
  'received_at',
  'status',
  'kind',
  'processed_at',
  'process_error',
] as const;
const STORE_ROW = `(${STORE_COLUMNS.map(() => '?').join(',')})`;

/**
 * One multi-row INSERT … ON CONFLICT DO NOTHING built by hand (placeholders only; every value is
 * a parameter): drizzle's builder spent more on 2,000 collected messages than PGlite spent
 * storing them (bench/ingest).
 */
function storeManyStatement(values: readonly InboundMessageInsert[]): [string, unknown[]] {
  const params: unknown[] = [];
  const tuples = values.map((v) => {
    params.push(
      v.workspaceId,
      v.addressId,
      v.protocol,
      v.remoteUid ?? null,
      v.contentSha256,
      v.raw,
      v.size,
      v.messageIdHeader ?? null,
      (v.receivedAt ?? new Date()).toISOString(),
      v.status ?? 'stored',
      v.kind ?? null,
      v.processedAt ? v.processedAt.toISOString() : null,
      v.processError ? JSON.stringify(v.processError) : null,
    );
    let n = params.length - STORE_COLUMNS.length;
    return STORE_ROW.replace(/\?/g, () => `$${++n}`);
  });
  return [
    `INSERT INTO inbound_messages (${STORE_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
     ON CONFLICT DO NOTHING RETURNING id, remote_uid, content_sha256`,
    params,
  ];
}

const decodeStored = (result: { rows: unknown[] }) =>
  (result.rows as { id: string; remote_uid: string | null; content_sha256: string }[]).map((r) => ({
    id: r.id,
    remoteUid: r.remote_uid,
    sha: r.content_sha256,
  }));

/**
 * Collected mail (CONTRACTS.md "Inbound storage"). Every query is scoped by workspace; the
 * store is idempotent: a second insert of the same (address, uid) or, for broken ids, the same
 * (address, content hash) does nothing and reports `inserted: false`.
 */
export function createInboundRepository(db: DbOrTx) {
  let query: ReturnType<typeof driverQuery> | undefined;
  return {
    /** Stores one message durably (commit before QUIT / before the IMAP cursor moves). */
    async store(values: InboundMessageInsert, tx: DbOrTx = db): Promise<{ id: string; inserted: boolean }> {
      const [row] = await tx
        .insert(inboundMessages)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: inboundMessages.id });
      if (row) return { id: row.id, inserted: true };
      const existing = values.remoteUid
        ? await tx
            .select({ id: inboundMessages.id })
            .from(inboundMessages)
            .where(
              and(
                eq(inboundMessages.workspaceId, values.workspaceId),
                eq(inboundMessages.addressId, values.addressId),
                eq(inboundMessages.remoteUid, values.remoteUid),
              ),
            )
        : await tx
            .select({ id: inboundMessages.id })
            .from(inboundMessages)
            .where(
              and(
                eq(inboundMessages.workspaceId, values.workspaceId),
                eq(inboundMessages.addressId, values.addressId),
                eq(inboundMessages.contentSha256, values.contentSha256),
              ),
            )
            .limit(1);
      return { id: existing[0]?.id ?? '', inserted: false };
    },

    /**
     * Stores several messages of one address in one statement (fewer round trips and plans:
     * STACK-NOTES). Returns, per input in order, its row id and whether this call inserted it;
     * a row already there (same uid, or same content for a broken uid) is not returned as new.
     */
    async storeMany(values: InboundMessageInsert[]): Promise<{ id: string | null; inserted: boolean }[]> {
      if (values.length === 0) return [];
      query ??= driverQuery(db);
      const rows = decodeStored(await query(...storeManyStatement(values)));
      const byUid = new Map(
        rows.filter((r) => r.remoteUid !== null).map((r) => [r.remoteUid as string, r.id]),
      );
      const bySha = new Map(rows.filter((r) => r.remoteUid === null).map((r) => [r.sha, r.id]));
      return values.map((v) => {
        const id = v.remoteUid ? byUid.get(v.remoteUid) : bySha.get(v.contentSha256);
        if (!id) return { id: null, inserted: false };
        // Two inputs with the same key: only the first one counts as inserted.
        if (v.remoteUid) byUid.delete(v.remoteUid);
        else bySha.delete(v.contentSha256);
        return { id, inserted: true };
      });
    },

    /**
     * Server ids of one address already stored (with when) or recorded as "was there before"
     * (the UIDL diff).
     */
    async knownIds(
      workspaceId: string,
      addressId: string,
    ): Promise<{ uids: Map<string, Date>; keys: Set<string> }> {
      const stored = await db
        .select({ uid: inboundMessages.remoteUid, at: inboundMessages.receivedAt })
        .from(inboundMessages)
        .where(
          and(
            eq(inboundMessages.workspaceId, workspaceId),
            eq(inboundMessages.addressId, addressId),
            isNotNull(inboundMessages.remoteUid),
          ),
        );
      const known = await db
        .select({ key: mailboxKnownUids.key })
        .from(mailboxKnownUids)
        .where(and(eq(mailboxKnownUids.workspaceId, workspaceId), eq(mailboxKnownUids.addressId, addressId)));
      return {
        uids: new Map(stored.map((r) => [r.uid as string, r.at])),
        keys: new Set(known.map((r) => r.key)),
      };
    },

    /** Which of these content hashes the address already holds (any uid, or none). */
    async existingHashes(
      workspaceId: string,
      addressId: string,
      hashes: readonly string[],
    ): Promise<Set<string>> {
      if (hashes.length === 0) return new Set();
      const rows = await db
        .select({ sha: inboundMessages.contentSha256 })
        .from(inboundMessages)
        .where(
          and(
            eq(inboundMessages.workspaceId, workspaceId),
            eq(inboundMessages.addressId, addressId),
            inArray(inboundMessages.contentSha256, [...hashes]),
          ),
        );
      return new Set(rows.map((r) => r.sha));
    },

    /**
     * Of these remote ids and known keys, those the address holds: a row under the id (stored,
     * or set aside as unreadable), or the key recorded as seen but not imported (`recordKnown`).
     */
    async heldAmong(
      workspaceId: string,
      addressId: string,
      remoteIds: readonly string[],
      keys: readonly string[],
    ): Promise<Set<string>> {
      if (remoteIds.length === 0 && keys.length === 0) return new Set();
      const ours = (t: typeof inboundMessages | typeof mailboxKnownUids) =>
        and(eq(t.workspaceId, workspaceId), eq(t.addressId, addressId));
      const rows = await db
        .select({ v: sql<string>`${inboundMessages.remoteUid}` })
        .from(inboundMessages)
        .where(and(ours(inboundMessages), inArray(inboundMessages.remoteUid, [...remoteIds, ''])))
        .unionAll(
          db
            .select({ v: mailboxKnownUids.key })
            .from(mailboxKnownUids)
            .where(and(ours(mailboxKnownUids), inArray(mailboxKnownUids.key, [...keys, '']))),
        );
      return new Set(rows.map((r) => r.v));
    },

    /** Which `X-Mailroom-Test` ids are this address's recent test emails (only those are skipped). */
    ownTestEmails: (workspaceId: string, addressId: string, ids: readonly string[], since: Date) =>
      ownTestEmailIds(db, workspaceId, addressId, ids, since),

    /** Records ids seen but not imported (the first sync's baseline); repeats are ignored. */
    async recordKnown(workspaceId: string, addressId: string, keys: readonly string[]): Promise<void> {
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000).map((key) => ({ workspaceId, addressId, key }));
        if (chunk.length > 0) await db.insert(mailboxKnownUids).values(chunk).onConflictDoNothing();
      }
    },

    async findById(workspaceId: string, id: string, tx: DbOrTx = db): Promise<InboundMessageRow | null> {
      const [row] = await tx
        .select()
        .from(inboundMessages)
        .where(and(eq(inboundMessages.workspaceId, workspaceId), eq(inboundMessages.id, id)));
      return row ?? null;
    },

    /** Writes a processing outcome (reading's processor). */
    async update(
      workspaceId: string,
      id: string,
      patch: InboundOutcomePatch,
      tx: DbOrTx = db,
    ): Promise<void> {
      await tx
        .update(inboundMessages)
        .set(patch)
        .where(and(eq(inboundMessages.workspaceId, workspaceId), eq(inboundMessages.id, id)));
    },

    /**
     * Rows stored but not processed, stored before `before` (any workspace): what a crash between
     * store and process left behind. Oldest first.
     */
    async unprocessed(before: Date, limit: number): Promise<{ id: string; workspaceId: string }[]> {
      return db
        .select({ id: inboundMessages.id, workspaceId: inboundMessages.workspaceId })
        .from(inboundMessages)
        .where(and(eq(inboundMessages.status, 'stored'), lte(inboundMessages.createdAt, before)))
        .orderBy(inboundMessages.createdAt)
        .limit(limit);
    },

    /** Rows of one address, newest first, without raw bytes. */
    async listForAddress(
      workspaceId: string,
      addressId: string,
      limit: number,
    ): Promise<InboundMessageSummary[]> {
      return db
        .select(summary)
        .from(inboundMessages)
        .where(and(eq(inboundMessages.workspaceId, workspaceId), eq(inboundMessages.addressId, addressId)))
        .orderBy(sql`${inboundMessages.receivedAt} DESC`, sql`${inboundMessages.id} DESC`)
        .limit(limit);
    },

    async countForAddress(workspaceId: string, addressId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(inboundMessages)
        .where(and(eq(inboundMessages.workspaceId, workspaceId), eq(inboundMessages.addressId, addressId)));
      return row?.n ?? 0;
    },
  };
}

export type InboundRepository = ReturnType<typeof createInboundRepository>;
