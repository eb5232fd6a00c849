import { and, asc, count, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../database.js';
import {
  commentAttachments,
  comments,
  outgoingMessages,
  outgoingRecipients,
  tasks,
} from '../schema/index.js';

export type CommentRow = typeof comments.$inferSelect;
export type AttachmentMeta = Omit<typeof commentAttachments.$inferSelect, 'content' | 'workspaceId'>;
export type OutgoingRow = Omit<typeof outgoingMessages.$inferSelect, 'mime'> & {
  recipients: (typeof outgoingRecipients.$inferSelect)[];
};
export type CommentView = CommentRow & { attachments: AttachmentMeta[]; emails: OutgoingRow[] };

const attachmentMeta = {
  id: commentAttachments.id,
  commentId: commentAttachments.commentId,
  filename: commentAttachments.filename,
  contentType: commentAttachments.contentType,
  size: commentAttachments.size,
  sha256: commentAttachments.sha256,
  contentId: commentAttachments.contentId,
  createdAt: commentAttachments.createdAt,
};

/** Comments, their attachments, and (read side) the emails each comment caused. */
export function createCommentRepository(db: DbOrTx) {
  /** Attachments (without bytes) and outgoing emails with recipients, per comment. */
  const decorate = async (workspaceId: string, rows: CommentRow[], tx: DbOrTx): Promise<CommentView[]> => {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const { mime: _mime, ...outgoingColumns } = getTableColumns(outgoingMessages);
    const [atts, emails] = await Promise.all([
      tx
        .select(attachmentMeta)
        .from(commentAttachments)
        .where(
          and(eq(commentAttachments.workspaceId, workspaceId), inArray(commentAttachments.commentId, ids)),
        )
        .orderBy(asc(commentAttachments.position), asc(commentAttachments.id)),
      tx
        .select(outgoingColumns)
        .from(outgoingMessages)
        .where(and(eq(outgoingMessages.workspaceId, workspaceId), inArray(outgoingMessages.commentId, ids)))
        .orderBy(asc(outgoingMessages.createdAt), asc(outgoingMessages.id)),
    ]);
    const recipients =
      emails.length === 0
        ? []
        : await tx
            .select()
            .from(outgoingRecipients)
            .where(
              and(
                eq(outgoingRecipients.workspaceId, workspaceId),
                inArray(
                  outgoingRecipients.outgoingMessageId,
                  emails.map((e) => e.id),
                ),
              ),
            )
            .orderBy(asc(outgoingRecipients.kind), asc(outgoingRecipients.email));
    const group = <T, K>(items: T[], key: (t: T) => K) => {
      const m = new Map<K, T[]>();
      for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
      return m;
    };
    const recipientsBy = group(recipients, (r) => r.outgoingMessageId);
    const emailsBy = group(
      emails.map((e) => ({
        ...(e as Omit<OutgoingRow, 'recipients'>),
        recipients: recipientsBy.get(e.id) ?? [],
      })),
      (e) => e.commentId,
    );
    const attsBy = group(atts as AttachmentMeta[], (a) => a.commentId);
    return rows.map((r) => ({ ...r, attachments: attsBy.get(r.id) ?? [], emails: emailsBy.get(r.id) ?? [] }));
  };

  return {
    /** The thread of one task, oldest first. */
    async listByTask(
      workspaceId: string,
      taskId: string,
      page: { limit: number; offset: number },
      tx: DbOrTx = db,
    ) {
      const where = and(eq(comments.workspaceId, workspaceId), eq(comments.taskId, taskId));
      const [rows, [total]] = await Promise.all([
        tx
          .select()
          .from(comments)
          .where(where)
          .orderBy(asc(comments.createdAt), asc(comments.id))
          .limit(page.limit)
          .offset(page.offset),
        tx.select({ n: count() }).from(comments).where(where),
      ]);
      return { items: await decorate(workspaceId, rows, tx), total: Number(total?.n ?? 0) };
    },

    async findView(workspaceId: string, id: string, tx: DbOrTx = db): Promise<CommentView | null> {
      const rows = await tx
        .select()
        .from(comments)
        .where(and(eq(comments.workspaceId, workspaceId), eq(comments.id, id)));
      return (await decorate(workspaceId, rows, tx))[0] ?? null;
    },

    /** The comment an author already created under this client key (M31 idempotency). */
    async findByIdempotencyKey(workspaceId: string, employeeId: string, key: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select()
        .from(comments)
        .where(
          and(
            eq(comments.workspaceId, workspaceId),
            eq(comments.authorEmployeeId, employeeId),
            eq(comments.idempotencyKey, key),
          ),
        );
      return row ?? null;
    },

    async insert(values: typeof comments.$inferInsert, tx: DbOrTx = db) {
      const [row] = await tx.insert(comments).values(values).returning();
      return row!;
    },

    async insertAttachments(rows: (typeof commentAttachments.$inferInsert)[], tx: DbOrTx = db) {
      if (rows.length === 0) return;
      await tx.insert(commentAttachments).values(rows);
    },

    /** One attachment with its bytes, and the task it belongs to (for the access check). */
    async attachment(workspaceId: string, id: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({
          id: commentAttachments.id,
          filename: commentAttachments.filename,
          contentType: commentAttachments.contentType,
          size: commentAttachments.size,
          content: commentAttachments.content,
          taskId: comments.taskId,
          projectId: tasks.projectId,
        })
        .from(commentAttachments)
        .innerJoin(comments, eq(comments.id, commentAttachments.commentId))
        .innerJoin(tasks, eq(tasks.id, comments.taskId))
        .where(and(eq(commentAttachments.workspaceId, workspaceId), eq(commentAttachments.id, id)));
      return row ?? null;
    },
  };
}

export type CommentRepository = ReturnType<typeof createCommentRepository>;
