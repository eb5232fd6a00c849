import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../database.js';
import { namedRawStatement } from '../named-statement.js';
import { emailAddresses, outgoingMessages, outgoingRecipients } from '../schema/index.js';
import { CLAIM_SQL } from './outbox-claim-sql.js';
import { createOutboxLeaseQueries, notice } from './outbox-lease.queries.js';
import {
  type ClaimedMessage,
  decodeClaim,
  decodeNextDue,
  decodeProgressJson,
  type NoticeRow,
  type RecipientOutcome,
  type SendingAddress,
  type SentRecord,
  toClaimed,
} from './outbox-rows.js';

export type {
  ClaimedMessage,
  ClaimedRecipient,
  NoticeRow,
  RecipientOutcome,
  SendingAddress,
  SentRecord,
} from './outbox-rows.js';

const iso = (d: Date) => d.toISOString();

/** The claim's per-address cap (decision 0008): what this process already holds, and each cap. */
export interface ClaimCaps {
  /** The cap of an address not in `held`. */
  cap: number;
  held: ReadonlyArray<{ addressId: string; inFlight: number; cap: number }>;
}
const UNCAPPED: ClaimCaps = { cap: 2_147_483_647, held: [] };

/**
 * `transmitting` marks ($1 the instant, $2 the items as JSON): one plain UPDATE that sets no
 * indexed column (a HOT update, migration 0016). Answers the ids it marked as one JSON text.
 */
const MARK_SQL = `WITH t AS (
  UPDATE outgoing_messages o SET transmitting_at = $1::timestamptz
  FROM json_to_recordset($2::json) AS v(id uuid, lease uuid)
  WHERE o.id = v.id AND o.lease_token = v.lease AND o.status = 'sending'
  RETURNING o.id
) SELECT coalesce(json_agg(json_build_object('kind', 't', 'id', t.id)), '[]')::text FROM t`;

/**
 * Marks ($2) and `sent` outcomes ($3) of one moment ($1), see `recordProgress`. With `lazy`,
 * this statement's transaction alone commits without waiting for its WAL flush (decision 0017):
 * set_config(…, true) lasts until the statement's own (implicit) transaction has committed.
 * The text is a constant: the values travel only as parameters.
 */
const progressSql = (
  lazy: boolean,
) => `WITH ${lazy ? `cfg AS (SELECT set_config('synchronous_commit', 'off', true) AS mode), ` : ''}t AS (
  UPDATE outgoing_messages o SET transmitting_at = $1::timestamptz
  FROM json_to_recordset($2::json) AS v(id uuid, lease uuid)
  WHERE o.id = v.id AND o.lease_token = v.lease AND o.status = 'sending'
  RETURNING o.id
), m AS (
  UPDATE outgoing_messages o SET status = 'sent', accepted_reply = v.reply, queue_id = v.queue_id,
    sent_at = $1::timestamptz, lease_token = NULL, lease_until = NULL, failure = NULL,
    sent_copy = v.sent_copy, updated_at = $1::timestamptz
  FROM json_to_recordset($3::json) AS v(id uuid, lease uuid, reply text, queue_id text, sent_copy text)
  WHERE o.id = v.id AND o.lease_token = v.lease
  RETURNING o.id, v.reply
), r AS (
  UPDATE outgoing_recipients rc SET status = 'accepted', accepted_at = $1::timestamptz, reply = m.reply,
    failure = NULL, updated_at = $1::timestamptz
  FROM m WHERE rc.outgoing_message_id = m.id AND rc.status = 'pending'
), done AS (
  SELECT 't' AS kind, id FROM t UNION ALL SELECT 's' AS kind, id FROM m
) SELECT coalesce(json_agg(json_build_object('kind', done.kind, 'id', done.id)), '[]')::text
  FROM done${lazy ? ', cfg' : ''}`;

/**
 * The outbox worker's queries (issue 9 item 3, SECURITY.md §5.3). Claims take due rows with
 * `FOR UPDATE SKIP LOCKED` under a lease; every later write names the lease token, so a
 * worker that lost its lease (another one re-claimed the row) changes nothing. These run
 * across workspaces by design (one worker serves every workspace); each row carries its own.
 */
export function createOutboxRepository(db: Db) {
  // The per-email writes run several times a second under load: parsed and planned once.
  const statements = {
    claim: namedRawStatement(db, 'outbox_claim', CLAIM_SQL),
    mark: namedRawStatement(db, 'outbox_mark', MARK_SQL),
    progress: namedRawStatement(db, 'outbox_progress', progressSql(false)),
    progressLazy: namedRawStatement(db, 'outbox_progress_lazy', progressSql(true)),
  };

  /**
   * Only `transmitting` marks (see `recordProgress`), durably: one plain UPDATE that sets no
   * indexed column, so PostgreSQL can make it a HOT update (no index entries; the table keeps
   * free room on each page for it, migration 0016). False per item when the row is not ours.
   */
  async function markTransmitting(
    items: ReadonlyArray<{ id: string; lease: string }>,
    at: Date,
  ): Promise<boolean[]> {
    if (items.length === 0) return [];
    const t = JSON.stringify(items.map((i) => ({ id: i.id, lease: i.lease })));
    const rows = decodeProgressJson(await statements.mark.text([iso(at), t]));
    const ok = new Set(rows.map((r) => r.id));
    return items.map((i) => ok.has(i.id));
  }

  /**
   * `claim`, also saying whether the statistics are behind the backlog (decision 0008: the
   * claim ranked far more waiting rows than the last ANALYZE counted); the worker then calls
   * `refreshStatistics`.
   */
  async function claimBatch(
    limit: number,
    leaseToken: string,
    now: Date,
    leaseMs: number,
    recipientSince: Date,
    caps: ClaimCaps = UNCAPPED,
  ): Promise<{ rows: ClaimedMessage[]; statisticsBehind: boolean }> {
    const untilAt = iso(new Date(now.getTime() + leaseMs));
    const held = JSON.stringify(caps.held.map((h) => ({ a: h.addressId, n: h.inFlight, k: h.cap })));
    const params = [iso(now), limit, leaseToken, untilAt, iso(recipientSince), caps.cap, held];
    const answer = JSON.parse((await statements.claim.text(params)) ?? '{}') as {
      rows?: unknown;
      behind?: unknown;
    };
    const rows = decodeClaim({ rows: answer.rows ?? [] });
    return { rows: rows.map((r) => toClaimed(r, leaseToken)), statisticsBehind: answer.behind === true };
  }

  return {
    ...createOutboxLeaseQueries(db),

    /**
     * Claims up to `limit` due emails: queued/deferred rows whose time has come (rows of a dead
     * worker are put back first by `releaseExpired`). Rows of paused or disabled addresses stay
     * where they are (M33); rows whose address was deleted are claimed so they can fail with a
     * reason. One statement returns everything sending needs: the MIME (base64: both drivers
     * decode hex bytea in JavaScript, several times slower), the recipients with what each one
     * accepted since `recipientSince` (M34), and the address row's version (its `xmin`), so the
     * worker re-reads an address only after it changed. It commits lazily (see `recordProgress`):
     * the claim is re-derivable; what makes a resend unsafe is only the durable transmitting mark.
     * `caps`: at most so many rows per address in flight in this process (decision 0008).
     */
    async claim(...args: Parameters<typeof claimBatch>): Promise<ClaimedMessage[]> {
      return (await claimBatch(...args)).rows;
    },

    claimBatch,

    /**
     * ANALYZE of the outbox table (decision 0008, "Statistics behind the backlog"): PGlite has no
     * autovacuum, and with statistics taken before a bulk send the claim's plan reads the due
     * index once per address. SKIP_LOCKED: another process's ANALYZE (or autovacuum) is enough.
     */
    async refreshStatistics(): Promise<void> {
      await db.execute(sql`ANALYZE (SKIP_LOCKED) outgoing_messages`);
    },

    /**
     * The worker's per-email writes of one moment, in one statement (write-coalescer.ts):
     * `transmitting` — durably, before the final dot, the message data of these emails is going
     * out; `sent` — the server accepted these (250 to the final dot), with every pending recipient
     * marked accepted (M32: the outcome is written right after the answer). Returns, per item,
     * false when the row is no longer ours (lease lost): a `transmitting` one must then not send
     * its final dot. The items travel as one JSON parameter, so the statement's text (and plan)
     * is the same whatever their number.
     *
     * `lazyCommit` (only for `sent` items, decision 0017): the commit does not wait for its WAL
     * flush (`synchronous_commit = off` for this transaction alone). Losing such a write in a
     * database crash leaves the row `sending` with its durable `transmitting_at`, which the lease
     * sweep turns into `uncertain`: never a resend, never a lost email. A `transmitting` mark is
     * always committed durably (it is what makes `uncertain` possible); asking otherwise throws.
     */
    async recordProgress(
      transmitting: ReadonlyArray<{ id: string; lease: string }>,
      sent: ReadonlyArray<SentRecord>,
      at: Date,
      options: { lazyCommit?: boolean } = {},
    ): Promise<{ transmitting: boolean[]; sent: boolean[] }> {
      if (transmitting.length === 0 && sent.length === 0) return { transmitting: [], sent: [] };
      if (options.lazyCommit && transmitting.length > 0)
        throw new Error('a transmitting mark must be committed durably');
      if (sent.length === 0) return { transmitting: await markTransmitting(transmitting, at), sent: [] };
      const t = JSON.stringify(transmitting.map((i) => ({ id: i.id, lease: i.lease })));
      const s = JSON.stringify(
        sent.map((i) => ({
          id: i.id,
          lease: i.lease,
          reply: i.reply,
          queue_id: i.queueId,
          sent_copy: i.sentCopy,
        })),
      );
      const statement = options.lazyCommit ? statements.progressLazy : statements.progress;
      const rows = decodeProgressJson(await statement.text([iso(at), t, s]));
      const ok = { t: new Set<string>(), s: new Set<string>() };
      for (const r of rows) ok[r.kind].add(r.id);
      return {
        transmitting: transmitting.map((i) => ok.t.has(i.id)),
        sent: sent.map((i) => ok.s.has(i.id)),
      };
    },

    markTransmitting,

    /** Any other outcome: the message row and each recipient's verdict, in one transaction. */
    async recordOutcome(
      id: string,
      leaseToken: string,
      v: {
        status: 'sent' | 'deferred' | 'failed' | 'uncertain' | 'queued';
        at: Date;
        /** Left unchanged when undefined. */
        failure?: Record<string, unknown> | null;
        nextAttemptAt?: Date;
        reply?: string | null;
        queueId?: string | null;
        sentCopy?: 'pending' | null;
        /** Hand the attempt back without counting it (paused address, recipient limit). */
        uncount?: boolean;
        recipients?: RecipientOutcome[];
      },
    ): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .update(outgoingMessages)
          .set({
            status: v.status,
            ...(v.failure !== undefined ? { failure: v.failure } : {}),
            leaseToken: null,
            leaseUntil: null,
            updatedAt: v.at,
            // Only `uncertain` keeps the mark: a definite answer means the data was not taken.
            ...(v.status === 'uncertain' ? {} : { transmittingAt: null }),
            ...(v.nextAttemptAt ? { nextAttemptAt: v.nextAttemptAt } : {}),
            ...(v.status === 'sent'
              ? {
                  sentAt: v.at,
                  acceptedReply: v.reply ?? null,
                  queueId: v.queueId ?? null,
                  sentCopy: v.sentCopy ?? null,
                }
              : {}),
            ...(v.uncount ? { attempts: sql`greatest(${outgoingMessages.attempts} - 1, 0)` } : {}),
          })
          .where(and(eq(outgoingMessages.id, id), eq(outgoingMessages.leaseToken, leaseToken)))
          .returning({ id: outgoingMessages.id });
        if (!row) return false;
        for (const r of v.recipients ?? []) {
          await tx
            .update(outgoingRecipients)
            .set({
              status: r.status,
              reply: r.reply ?? null,
              failure: r.failure ?? null,
              updatedAt: v.at,
              ...(r.status === 'accepted' ? { acceptedAt: v.at } : {}),
            })
            .where(and(eq(outgoingRecipients.id, r.id), eq(outgoingRecipients.outgoingMessageId, id)));
        }
        return true;
      });
    },

    /**
     * M33: emails still not sent `olderThan` after they were written, not yet reported: marks
     * them reported and returns them (each one is reported once, by one worker).
     */
    async takeLate(olderThan: Date, now: Date, limit = 100): Promise<NoticeRow[]> {
      const late = db
        .select({ id: outgoingMessages.id })
        .from(outgoingMessages)
        .where(
          and(
            inArray(outgoingMessages.status, ['queued', 'deferred', 'sending']),
            lte(outgoingMessages.createdAt, olderThan),
            isNull(outgoingMessages.lateNoticeAt),
          ),
        )
        .limit(limit)
        .for('update', { skipLocked: true });
      return db
        .update(outgoingMessages)
        .set({ lateNoticeAt: now })
        .where(sql`${outgoingMessages.id} IN (${late})`)
        .returning(notice);
    },

    /**
     * The next time work is due: a queued/deferred row of a usable address, or the lease of a
     * claim (its worker may have died). Null when nothing is waiting. `atCap`: addresses whose
     * rows this process will not claim now (their per-address cap is full; decision 0008).
     */
    async nextDue(atCap: readonly string[] = []): Promise<Date | null> {
      const [row] = decodeNextDue(
        await db.execute(sql`
          SELECT least(
            (SELECT min(o.next_attempt_at) FROM outgoing_messages o
              JOIN email_addresses a ON a.id = o.address_id
              WHERE o.status IN ('queued', 'deferred') AND a.active AND a.health IN ('ok', 'failing')
                AND o.address_id NOT IN (SELECT value::uuid FROM json_array_elements_text(${JSON.stringify(atCap)}::json))),
            (SELECT min(lease_until) FROM outgoing_messages
              WHERE status = 'sending' AND transmitting_at IS NULL)
          ) AS at`),
      );
      return row?.at ? new Date(row.at) : null;
    },

    /**
     * The sending addresses of a batch with their row versions (`xmin`, as `claim` returns
     * them), one statement (no link lists: sending needs none).
     */
    async addressesForSending(
      ids: readonly string[],
    ): Promise<Array<{ address: SendingAddress; version: string }>> {
      if (ids.length === 0) return [];
      const rows = await db
        .select({ address: emailAddresses, version: sql<string>`${emailAddresses}.xmin::text` })
        .from(emailAddresses)
        .where(inArray(emailAddresses.id, [...ids]));
      return rows;
    },

    /** Copy in Sent outcome (CONTRACTS.md): never changes the email's state. */
    async setSentCopy(
      workspaceId: string,
      id: string,
      status: 'done' | 'failed' | 'skipped',
      detail: Record<string, unknown> | null,
    ): Promise<void> {
      await db
        .update(outgoingMessages)
        .set({ sentCopy: status, sentCopyDetail: detail })
        .where(and(eq(outgoingMessages.workspaceId, workspaceId), eq(outgoingMessages.id, id)));
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
