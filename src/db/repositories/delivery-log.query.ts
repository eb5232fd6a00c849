import { and, asc, desc, eq, getTableColumns, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { DbOrTx } from '../database.js';
import { rowDecoder } from '../raw-rows.js';
import {
  employees,
  type OUTGOING_STATUSES,
  outgoingMessages,
  outgoingRecipients,
  tasks,
} from '../schema/index.js';
import { cappedCount, type ListTotal } from './list-query.js';

const decodeInsertedId = rowDecoder('resend insert', Type.Object({ id: Type.String() }));

export type OutgoingStatusValue = (typeof OUTGOING_STATUSES)[number];

/** Filters of the Delivery log (issue 9 item 6); `authorEmployeeId` is forced for non-admins. */
export interface DeliveryLogFilter {
  status?: OutgoingStatusValue | undefined;
  addressId?: string | undefined;
  authorEmployeeId?: string | undefined;
  taskId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Subject or a recipient's address contains it. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** Every column but the frozen MIME (megabytes per row never leave the database for a list). */
const { mime: _mime, leaseToken: _lease, ...columns } = getTableColumns(outgoingMessages);
/** The resend made of this email, if any (served by the unique index on resend_of_id). */
// Qualified by hand: Drizzle writes a single table's columns unqualified, which inside the
// subquery would mean r.id.
const resentAsId = sql<
  string | null
>`(SELECT r.id FROM outgoing_messages r WHERE r.resend_of_id = "outgoing_messages"."id")`;
const listed = { ...columns, resentAsId };

export type DeliveryMessageRow = {
  [K in keyof typeof columns]: (typeof outgoingMessages.$inferSelect)[K];
} & { resentAsId: string | null };
export type DeliveryRecipientRow = Pick<
  typeof outgoingRecipients.$inferSelect,
  'outgoingMessageId' | 'email' | 'name' | 'kind' | 'status'
>;
export interface DeliveryLogRow extends DeliveryMessageRow {
  authorName: string | null;
  taskTitle: string;
  projectId: string;
}

const escapeLike = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function whereOf(workspaceId: string, f: Omit<DeliveryLogFilter, 'limit' | 'offset'>): SQL | undefined {
  const m = outgoingMessages;
  const like = f.q ? escapeLike(f.q) : null;
  return and(
    eq(m.workspaceId, workspaceId),
    f.status ? eq(m.status, f.status) : undefined,
    f.addressId ? eq(m.addressId, f.addressId) : undefined,
    f.authorEmployeeId ? eq(m.authorEmployeeId, f.authorEmployeeId) : undefined,
    f.taskId ? eq(m.taskId, f.taskId) : undefined,
    f.from ? gte(m.createdAt, f.from) : undefined,
    f.to ? lte(m.createdAt, f.to) : undefined,
    like
      ? sql`(${m.subject} ILIKE ${like} OR EXISTS (SELECT 1 FROM ${outgoingRecipients} r
            WHERE r.outgoing_message_id = "outgoing_messages"."id" AND r.email ILIKE ${like}))`
      : undefined,
  );
}

/**
 * The read side of the outbox for the Delivery log and the retry / send-again use cases
 * (CONTRACTS.md: the worker owns every other state change). Every query is workspace-scoped.
 */
export function createDeliveryLogQuery(db: DbOrTx) {
  const m = outgoingMessages;

  async function recipientsOf(workspaceId: string, ids: readonly string[], tx: DbOrTx = db) {
    if (ids.length === 0) return new Map<string, DeliveryRecipientRow[]>();
    const rows = await tx
      .select({
        outgoingMessageId: outgoingRecipients.outgoingMessageId,
        email: outgoingRecipients.email,
        name: outgoingRecipients.name,
        kind: outgoingRecipients.kind,
        status: outgoingRecipients.status,
      })
      .from(outgoingRecipients)
      .where(
        and(
          eq(outgoingRecipients.workspaceId, workspaceId),
          inArray(outgoingRecipients.outgoingMessageId, [...ids]),
        ),
      )
      .orderBy(asc(outgoingRecipients.outgoingMessageId), asc(outgoingRecipients.id));
    const byMessage = new Map<string, DeliveryRecipientRow[]>();
    for (const r of rows) {
      const list = byMessage.get(r.outgoingMessageId) ?? [];
      list.push(r);
      byMessage.set(r.outgoingMessageId, list);
    }
    return byMessage;
  }

  return {
    recipientsOf,

    /** One page of the log, newest first, with the author's name and the task. */
    async list(
      workspaceId: string,
      f: DeliveryLogFilter,
      tx: DbOrTx = db,
    ): Promise<{
      items: DeliveryLogRow[];
      total: ListTotal;
      recipients: Map<string, DeliveryRecipientRow[]>;
    }> {
      const where = whereOf(workspaceId, f);
      // The page comes from the outbox table alone (its created_at index, newest first); names
      // are fetched for those rows after. Joined in one statement, the planner misjudged the
      // join and sorted every row of the workspace (50 ms at 20,000 emails on PostgreSQL).
      const [page, total] = await Promise.all([
        tx
          .select(listed)
          .from(m)
          .where(where)
          .orderBy(desc(m.createdAt), desc(m.id))
          .limit(f.limit)
          .offset(f.offset),
        cappedCount(tx, m, where, { limit: f.limit, offset: f.offset, q: f.q }),
      ]);
      const ids = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
      const taskIds = ids(page.map((r) => r.taskId));
      const authorIds = ids(page.map((r) => r.authorEmployeeId));
      const [taskRows, authorRows, recipients] = await Promise.all([
        taskIds.length
          ? tx
              .select({ id: tasks.id, title: tasks.title, projectId: tasks.projectId })
              .from(tasks)
              .where(and(eq(tasks.workspaceId, workspaceId), inArray(tasks.id, taskIds)))
          : [],
        authorIds.length
          ? tx
              .select({ id: employees.id, name: employees.name })
              .from(employees)
              .where(and(eq(employees.workspaceId, workspaceId), inArray(employees.id, authorIds)))
          : [],
        recipientsOf(
          workspaceId,
          page.map((i) => i.id),
          tx,
        ),
      ]);
      const taskOf = new Map(taskRows.map((r) => [r.id, r]));
      const nameOf = new Map(authorRows.map((r) => [r.id, r.name]));
      const items: DeliveryLogRow[] = page.map((r) => ({
        ...r,
        authorName: r.authorEmployeeId ? (nameOf.get(r.authorEmployeeId) ?? null) : null,
        taskTitle: taskOf.get(r.taskId)?.title ?? '',
        projectId: taskOf.get(r.taskId)?.projectId ?? '',
      }));
      return { items, total, recipients };
    },

    /** The emails of these comments (the task thread), oldest first, with their recipients. */
    async forComments(workspaceId: string, commentIds: readonly string[], tx: DbOrTx = db) {
      if (commentIds.length === 0)
        return { items: [] as DeliveryMessageRow[], recipients: new Map<string, DeliveryRecipientRow[]>() };
      const items = await tx
        .select(listed)
        .from(m)
        .where(and(eq(m.workspaceId, workspaceId), inArray(m.commentId, [...commentIds])))
        .orderBy(asc(m.createdAt), asc(m.id));
      const recipients = await recipientsOf(
        workspaceId,
        items.map((i) => i.id),
        tx,
      );
      return { items, recipients };
    },

    /** One email (no MIME), or undefined when it is not in this workspace. */
    async find(workspaceId: string, id: string, tx: DbOrTx = db): Promise<DeliveryMessageRow | undefined> {
      const [row] = await tx
        .select(listed)
        .from(m)
        .where(and(eq(m.workspaceId, workspaceId), eq(m.id, id)));
      return row;
    },

    /** The resend of an email, if one was made (send again is idempotent). */
    async findResendOf(workspaceId: string, id: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select(listed)
        .from(m)
        .where(and(eq(m.workspaceId, workspaceId), eq(m.resendOfId, id)));
      return row;
    },

    /**
     * Retry: a failed or deferred email goes back to the queue, due now. Guarded by its state,
     * so a row the worker claimed meanwhile is left alone (returns undefined). Only rows that
     * still have their frozen MIME can be sent.
     */
    async requeueForRetry(workspaceId: string, id: string, now: Date, tx: DbOrTx = db) {
      const [row] = await tx
        .update(m)
        .set({
          status: 'queued',
          nextAttemptAt: now,
          leaseToken: null,
          leaseUntil: null,
          transmittingAt: null,
          lateNoticeAt: null,
          updatedAt: now,
        })
        .where(
          and(
            eq(m.workspaceId, workspaceId),
            eq(m.id, id),
            inArray(m.status, ['failed', 'deferred']),
            sql`${m.mime} IS NOT NULL`,
            sql`${m.addressId} IS NOT NULL`,
          ),
        )
        .returning({ id: m.id });
      return row;
    },

    /**
     * Send again: a new queued row with the same frozen MIME (Message-ID included) and the same
     * recipients, pointing at the uncertain one. The unique index on `resend_of_id` makes a
     * concurrent second request fail here; the caller then returns the first resend.
     */
    async insertResend(workspaceId: string, id: string, now: Date, tx: DbOrTx) {
      const at = now.toISOString();
      const inserted = await tx.execute(sql`
        INSERT INTO outgoing_messages (workspace_id, task_id, comment_id, author_employee_id, address_id,
          sender_email, sender_name, message_id, subject, mime, size, status, attempts, next_attempt_at,
          resend_of_id, created_at, updated_at)
        SELECT workspace_id, task_id, comment_id, author_employee_id, address_id,
          sender_email, sender_name, message_id, subject, mime, size, 'queued', 0, ${at}::timestamptz,
          id, ${at}::timestamptz, ${at}::timestamptz
        FROM outgoing_messages
        WHERE workspace_id = ${workspaceId} AND id = ${id} AND status = 'uncertain'
          AND mime IS NOT NULL AND address_id IS NOT NULL
        RETURNING id`);
      const newId = decodeInsertedId(inserted)[0]?.id;
      if (!newId) return undefined;
      await tx.execute(sql`
        INSERT INTO outgoing_recipients (workspace_id, outgoing_message_id, contact_id, email, name, kind, status)
        SELECT workspace_id, ${newId}, contact_id, email, name, kind, 'pending'
        FROM outgoing_recipients
        WHERE workspace_id = ${workspaceId} AND outgoing_message_id = ${id}
        ORDER BY id`);
      return { id: newId };
    },
  };
}

export type DeliveryLogQuery = ReturnType<typeof createDeliveryLogQuery>;
