import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import { comments, inboundMessages, outgoingMessages, outgoingRecipients } from '../schema/index.js';

export type OutgoingInsert = typeof outgoingMessages.$inferInsert;
export type RecipientInsert = typeof outgoingRecipients.$inferInsert;

/** What a task's earlier emails to some contacts tell a new one (M27, M30). */
export interface ThreadHistory {
  /** Message-IDs of this task's thread with these contacts (ours sent, theirs received), oldest first. */
  messageIds: string[];
  /** The sender address the thread used last (M27), null when none or deleted. */
  lastAddressId: string | null;
}

/**
 * The enqueue side of the outbox (CONTRACTS.md): rows are inserted only inside the comment's
 * transaction (`tx` is required); every later state change belongs to the worker.
 */
export function createOutboxEnqueueRepository(db: DbOrTx) {
  return {
    async insertMessage(values: OutgoingInsert, tx: DbOrTx) {
      const [row] = await tx.insert(outgoingMessages).values(values).returning({ id: outgoingMessages.id });
      return row!;
    },

    async insertRecipients(rows: RecipientInsert[], tx: DbOrTx) {
      if (rows.length > 0) await tx.insert(outgoingRecipients).values(rows);
    },

    /**
     * The task's thread with `contactIds` (M30): Message-IDs of our earlier emails to them (To
     * or Cc) and of the replies received from them (issue 10), oldest first, for
     * In-Reply-To/References; and the address our thread used last (M27). Emails that never
     * left (no sender, failed) are left out.
     */
    async threadOf(
      workspaceId: string,
      taskId: string,
      contactIds: readonly string[],
      tx: DbOrTx = db,
    ): Promise<ThreadHistory> {
      if (contactIds.length === 0) return { messageIds: [], lastAddressId: null };
      const rows = await tx
        .selectDistinct({
          messageId: outgoingMessages.messageId,
          addressId: outgoingMessages.addressId,
          createdAt: outgoingMessages.createdAt,
          id: outgoingMessages.id,
        })
        .from(outgoingMessages)
        .innerJoin(outgoingRecipients, eq(outgoingRecipients.outgoingMessageId, outgoingMessages.id))
        .where(
          and(
            eq(outgoingMessages.workspaceId, workspaceId),
            eq(outgoingMessages.taskId, taskId),
            inArray(outgoingRecipients.contactId, [...contactIds]),
            inArray(outgoingRecipients.kind, ['to', 'cc']),
            inArray(outgoingMessages.status, [
              'queued',
              'sending',
              'sent',
              'deferred',
              'uncertain',
              'bounced',
            ]),
          ),
        )
        .orderBy(asc(outgoingMessages.createdAt), asc(outgoingMessages.id));
      const received = await tx
        .select({ messageId: inboundMessages.messageIdHeader, at: inboundMessages.receivedAt })
        .from(comments)
        .innerJoin(inboundMessages, eq(inboundMessages.id, comments.inboundMessageId))
        .where(
          and(
            eq(comments.workspaceId, workspaceId),
            eq(comments.taskId, taskId),
            inArray(comments.authorContactId, [...contactIds]),
            isNotNull(inboundMessages.messageIdHeader),
          ),
        );
      const merged = [
        ...rows.map((r) => ({ id: r.messageId, at: r.createdAt.getTime() })),
        // Only well-formed ids travel on (SECURITY.md §3.3); the composer filters again.
        ...received
          .filter((r) => /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/.test(r.messageId ?? ''))
          .map((r) => ({ id: r.messageId!, at: r.at.getTime() })),
      ].sort((a, b) => a.at - b.at);
      const last = rows.at(-1);
      return { messageIds: [...new Set(merged.map((m) => m.id))], lastAddressId: last?.addressId ?? null };
    },
  };
}

export type OutboxEnqueueRepository = ReturnType<typeof createOutboxEnqueueRepository>;
