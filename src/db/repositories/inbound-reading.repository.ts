import { and, desc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import {
  commentAttachments,
  comments,
  contactEmails,
  contacts,
  emailAddresses,
  outgoingMessages,
  outgoingRecipients,
  receivedComments,
  taskParticipants,
  tasks,
  workspaces,
} from '../schema/index.js';
import {
  asBuffer,
  decodeInbound,
  decodeRaw,
  decodeStatus,
  decodeTaskId,
  type InboundOutcome,
  type InboundRow,
  list,
  type OutgoingMatch,
  outgoingColumns,
} from './inbound-reading-rows.js';
import { ownTestEmailIds } from './test-email.repository.js';

export type { InboundOutcome, InboundRow, OutgoingMatch } from './inbound-reading-rows.js';

/**
 * Every query that reading received mail needs (issue 10 items 4–6), workspace-scoped.
 * `inbound_messages` belongs to the ingestion side (its schema file is theirs): it is read and
 * updated here through plain SQL on the columns the contract names (CONTRACTS.md).
 */
export function createInboundReadingRepository(db: DbOrTx) {
  return {
    async loadInbound(workspaceId: string, id: string, tx: DbOrTx = db): Promise<InboundRow | null> {
      const [row] = decodeInbound(
        await tx.execute(sql`
          SELECT id, workspace_id, address_id, status, raw FROM inbound_messages
          WHERE workspace_id = ${workspaceId} AND id = ${id}`),
      );
      if (!row) return null;
      return {
        id: row.id,
        workspaceId: row.workspace_id,
        addressId: row.address_id,
        status: row.status,
        raw: asBuffer(row.raw),
      };
    },

    /** Locks the row for this processing and returns its status (the idempotency gate). */
    async lockInbound(workspaceId: string, id: string, tx: DbOrTx): Promise<string | null> {
      const [row] = decodeStatus(
        await tx.execute(sql`
          SELECT status FROM inbound_messages WHERE workspace_id = ${workspaceId} AND id = ${id} FOR UPDATE`),
      );
      return row?.status ?? null;
    },

    async recordOutcome(workspaceId: string, id: string, o: InboundOutcome, at: Date, tx: DbOrTx) {
      await tx.execute(sql`
        UPDATE inbound_messages SET status = ${o.status}, kind = ${o.kind}, task_id = ${o.taskId ?? null},
          comment_id = ${o.commentId ?? null}, outgoing_message_id = ${o.outgoingMessageId ?? null},
          process_error = ${o.processError ? JSON.stringify(o.processError) : null}::jsonb,
          processed_at = ${at.toISOString()}
        WHERE workspace_id = ${workspaceId} AND id = ${id}`);
    },

    /**
     * One outcome for many rows still `stored` (the batch path for mail that becomes no
     * comment: unmatched, our own tests). The status condition is the idempotency gate.
     */
    async recordOutcomeMany(
      workspaceId: string,
      ids: readonly string[],
      o: InboundOutcome,
      at: Date,
      tx: DbOrTx = db,
    ) {
      if (ids.length === 0) return;
      await tx.execute(sql`
        UPDATE inbound_messages SET status = ${o.status}, kind = ${o.kind}, task_id = ${o.taskId ?? null},
          comment_id = ${o.commentId ?? null}, outgoing_message_id = ${o.outgoingMessageId ?? null},
          process_error = ${o.processError ? JSON.stringify(o.processError) : null}::jsonb,
          processed_at = ${at.toISOString()}
        WHERE workspace_id = ${workspaceId} AND id IN (${list(ids)}) AND status = 'stored'`);
    },

    /** Our outgoing emails with these Message-IDs, in the order the ids were given. */
    /** Which `X-Mailroom-Test` ids are this address's recent test emails (decision 0003). */
    ownTestEmails: (workspaceId: string, addressId: string, ids: readonly string[], since: Date) =>
      ownTestEmailIds(db, workspaceId, addressId, ids, since),
    async outgoingByMessageIds(workspaceId: string, ids: readonly string[], tx: DbOrTx = db) {
      if (ids.length === 0) return [];
      const rows = await tx
        .select(outgoingColumns)
        .from(outgoingMessages)
        .where(
          and(eq(outgoingMessages.workspaceId, workspaceId), inArray(outgoingMessages.messageId, [...ids])),
        );
      return [...rows].sort((a, b) => ids.indexOf(a.messageId) - ids.indexOf(b.messageId)) as OutgoingMatch[];
    },

    /** A received message already threaded into a task (a reply to a contact's reply); ids as written. */
    async taskOfReceived(
      workspaceId: string,
      ids: readonly string[],
      tx: DbOrTx = db,
    ): Promise<string | null> {
      if (ids.length === 0) return null;
      const [row] = decodeTaskId(
        await tx.execute(sql`
          SELECT task_id FROM inbound_messages
          WHERE workspace_id = ${workspaceId} AND task_id IS NOT NULL
            AND message_id_header IN (${list(ids)})
          ORDER BY received_at DESC LIMIT 1`),
      );
      return row?.task_id ?? null;
    },

    async tasksByTokens(workspaceId: string, tokens: readonly string[], tx: DbOrTx = db) {
      if (tokens.length === 0) return [];
      const rows = await tx
        .select({ id: tasks.id, threadToken: tasks.threadToken })
        .from(tasks)
        .where(and(eq(tasks.workspaceId, workspaceId), inArray(tasks.threadToken, [...tokens])));
      return [...rows].sort((a, b) => tokens.indexOf(a.threadToken) - tokens.indexOf(b.threadToken));
    },

    /** The newest emails we sent to this address (subject matching, M38 opt-in). */
    async outgoingToAddress(workspaceId: string, email: string, limit = 50, tx: DbOrTx = db) {
      return toAddress(tx, workspaceId, email, limit);
    },

    /**
     * Our emails to `email` whose queue id is one of `ids` (a sending service's own Message-ID:
     * Amazon SES rewrites ours), newest first. Found through the recipient's index, so only
     * emails to that address are read: queue_id itself has no index.
     */
    async outgoingByServerIds(workspaceId: string, email: string, ids: readonly string[], tx: DbOrTx = db) {
      if (!email || ids.length === 0) return [];
      // Stored with brackets (nodemailer's SES id) or without (an id read from the 250 reply).
      const forms = [
        ...new Set(ids.flatMap((i) => [i.toLowerCase(), i.toLowerCase().replace(/^<|>$/g, '')])),
      ];
      return toAddress(tx, workspaceId, email, 5, inArray(sql`lower(${outgoingMessages.queueId})`, forms));
    },

    /** The newest email of a task (the comment a token-only match answers). */
    async newestOutgoingOfTask(workspaceId: string, taskId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select(outgoingColumns)
        .from(outgoingMessages)
        .where(and(eq(outgoingMessages.workspaceId, workspaceId), eq(outgoingMessages.taskId, taskId)))
        .orderBy(desc(outgoingMessages.createdAt))
        .limit(1);
      return (row as OutgoingMatch | undefined) ?? null;
    },

    async recipientsOf(workspaceId: string, outgoingId: string, tx: DbOrTx = db) {
      return tx
        .select({
          id: outgoingRecipients.id,
          email: outgoingRecipients.email,
          status: outgoingRecipients.status,
        })
        .from(outgoingRecipients)
        .where(
          and(
            eq(outgoingRecipients.workspaceId, workspaceId),
            eq(outgoingRecipients.outgoingMessageId, outgoingId),
          ),
        );
    },

    /** M39: the email (and the named recipients) bounced; the report and its explanation kept. */
    async markBounced(
      workspaceId: string,
      outgoingId: string,
      recipients: { id: string; failure: Record<string, unknown> }[],
      bounce: Record<string, unknown>,
      failure: Record<string, unknown>,
      at: Date,
      tx: DbOrTx,
    ) {
      await tx
        .update(outgoingMessages)
        .set({ status: 'bounced', bouncedAt: at, bounce, failure, updatedAt: at })
        .where(and(eq(outgoingMessages.workspaceId, workspaceId), eq(outgoingMessages.id, outgoingId)));
      for (const r of recipients) {
        await tx
          .update(outgoingRecipients)
          .set({ status: 'bounced', failure: r.failure, updatedAt: at })
          .where(and(eq(outgoingRecipients.workspaceId, workspaceId), eq(outgoingRecipients.id, r.id)));
      }
    },

    /** A delay report: kept on the email for the delivery log, its state unchanged. */
    async noteDelay(
      workspaceId: string,
      outgoingId: string,
      bounce: Record<string, unknown>,
      at: Date,
      tx: DbOrTx,
    ) {
      await tx
        .update(outgoingMessages)
        .set({ bounce, updatedAt: at })
        .where(and(eq(outgoingMessages.workspaceId, workspaceId), eq(outgoingMessages.id, outgoingId)));
    },

    async contactByEmail(workspaceId: string, email: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({ id: contacts.id, name: contacts.name })
        .from(contactEmails)
        .innerJoin(contacts, eq(contacts.id, contactEmails.contactId))
        .where(
          and(
            eq(contactEmails.workspaceId, workspaceId),
            sql`lower(${contactEmails.email}) = ${email.toLowerCase()}`,
          ),
        )
        .orderBy(desc(contactEmails.isPrimary), contacts.createdAt)
        .limit(1);
      return row ?? null;
    },

    async createContact(workspaceId: string, name: string, email: string, tx: DbOrTx) {
      const [row] = await tx.insert(contacts).values({ workspaceId, name }).returning({ id: contacts.id });
      await tx.insert(contactEmails).values({ workspaceId, contactId: row!.id, email, isPrimary: true });
      return row!.id;
    },

    /**
     * Employees told of a reply: the task's employee participants and the employees who wrote in
     * it (commenting no longer makes one a participant, which would grant edit rights).
     */
    async employeeParticipants(workspaceId: string, taskId: string, tx: DbOrTx = db) {
      const [parts, writers] = await Promise.all([
        tx
          .select({ id: taskParticipants.employeeId })
          .from(taskParticipants)
          .where(
            and(
              eq(taskParticipants.workspaceId, workspaceId),
              eq(taskParticipants.taskId, taskId),
              isNotNull(taskParticipants.employeeId),
            ),
          ),
        tx
          .selectDistinct({ id: comments.authorEmployeeId })
          .from(comments)
          .where(
            and(
              eq(comments.workspaceId, workspaceId),
              eq(comments.taskId, taskId),
              isNotNull(comments.authorEmployeeId),
            ),
          ),
      ]);
      return [...new Set([...parts, ...writers].map((r) => r.id!))];
    },

    async addContactParticipant(workspaceId: string, taskId: string, contactId: string, tx: DbOrTx) {
      await tx.insert(taskParticipants).values({ workspaceId, taskId, contactId }).onConflictDoNothing();
    },

    async insertTask(values: typeof tasks.$inferInsert, tx: DbOrTx) {
      const [row] = await tx.insert(tasks).values(values).returning({ id: tasks.id });
      return row!.id;
    },

    async insertComment(
      values: typeof comments.$inferInsert,
      received: Omit<typeof receivedComments.$inferInsert, 'commentId'>,
      attachments: Omit<typeof commentAttachments.$inferInsert, 'commentId'>[],
      tx: DbOrTx,
    ) {
      const [row] = await tx.insert(comments).values(values).returning({ id: comments.id });
      const commentId = row!.id;
      await tx.insert(receivedComments).values({ ...received, commentId });
      if (attachments.length > 0)
        await tx.insert(commentAttachments).values(attachments.map((a) => ({ ...a, commentId })));
      await tx
        .update(tasks)
        .set({ lastActivityAt: values.createdAt ?? new Date() })
        .where(and(eq(tasks.workspaceId, values.workspaceId), eq(tasks.id, values.taskId)));
      return commentId;
    },

    async commentOfInbound(workspaceId: string, inboundId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({ commentId: receivedComments.commentId })
        .from(receivedComments)
        .where(
          and(
            eq(receivedComments.workspaceId, workspaceId),
            eq(receivedComments.inboundMessageId, inboundId),
          ),
        );
      return row?.commentId ?? null;
    },

    /** A received comment with what the thread shows of it, and its inline (cid) images. */
    async receivedView(workspaceId: string, commentId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({
          commentId: comments.id,
          taskId: comments.taskId,
          kind: comments.kind,
          bodyText: comments.bodyText,
          bodyHtml: comments.bodyHtml,
          received: receivedComments,
        })
        .from(receivedComments)
        .innerJoin(comments, eq(comments.id, receivedComments.commentId))
        .where(and(eq(receivedComments.workspaceId, workspaceId), eq(receivedComments.commentId, commentId)));
      if (!row) return null;
      const inline = await tx
        .select({ id: commentAttachments.id, contentId: commentAttachments.contentId })
        .from(commentAttachments)
        .where(
          and(
            eq(commentAttachments.workspaceId, workspaceId),
            eq(commentAttachments.commentId, commentId),
            isNotNull(commentAttachments.contentId),
          ),
        );
      return { ...row, inline: inline as { id: string; contentId: string }[] };
    },

    /** The raw bytes a received comment came from (the "original" download). */
    async originalOf(workspaceId: string, commentId: string, tx: DbOrTx = db) {
      const [ref] = await tx
        .select({ taskId: comments.taskId, inboundId: receivedComments.inboundMessageId })
        .from(receivedComments)
        .innerJoin(comments, eq(comments.id, receivedComments.commentId))
        .where(and(eq(receivedComments.workspaceId, workspaceId), eq(receivedComments.commentId, commentId)));
      if (!ref) return null;
      const [row] = decodeRaw(
        await tx.execute(sql`
          SELECT raw FROM inbound_messages WHERE workspace_id = ${workspaceId} AND id = ${ref.inboundId}`),
      );
      if (!row) return null;
      return { taskId: ref.taskId, raw: asBuffer(row.raw) };
    },

    async addressOptions(workspaceId: string, addressId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({
          email: emailAddresses.email,
          createTasksFromNewMail: emailAddresses.createTasksFromNewMail,
          newMailProjectId: emailAddresses.newMailProjectId,
        })
        .from(emailAddresses)
        .where(and(eq(emailAddresses.workspaceId, workspaceId), eq(emailAddresses.id, addressId)));
      return row ?? null;
    },

    async matchRepliesBySubject(workspaceId: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({ on: workspaces.matchRepliesBySubject })
        .from(workspaces)
        .where(eq(workspaces.id, workspaceId));
      return row?.on ?? false;
    },
  };
}

export type InboundReadingRepository = ReturnType<typeof createInboundReadingRepository>;

/** Our emails to one address (any of its recipients), newest first, optionally narrowed. */
async function toAddress(tx: DbOrTx, workspaceId: string, email: string, limit: number, also?: SQL) {
  return (await tx
    .select(outgoingColumns)
    .from(outgoingMessages)
    .innerJoin(outgoingRecipients, eq(outgoingRecipients.outgoingMessageId, outgoingMessages.id))
    .where(
      and(
        eq(outgoingMessages.workspaceId, workspaceId),
        eq(outgoingRecipients.workspaceId, workspaceId),
        sql`lower(${outgoingRecipients.email}) = ${email.toLowerCase()}`,
        also,
      ),
    )
    .orderBy(desc(outgoingMessages.createdAt))
    .limit(limit)) as OutgoingMatch[];
}
