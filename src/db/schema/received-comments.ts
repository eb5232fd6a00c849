import { boolean, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { comments } from './tasks.js';

/**
 * What the thread needs to show a comment that arrived by email (issue 10 item 4), beside the
 * comment itself (whose `body_text` is the new text and `body_html` the sanitized HTML): the
 * folded quoted history, how many remote images were blocked, and whether the message could
 * not be read. One row per comment; `inbound_message_id` unique, so a message processed twice
 * can never become two comments.
 */
export const receivedComments = pgTable(
  'received_comments',
  {
    commentId: uuid('comment_id')
      .primaryKey()
      .references(() => comments.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    inboundMessageId: uuid('inbound_message_id').notNull(),
    fromEmail: text('from_email').notNull().default(''),
    fromName: text('from_name').notNull().default(''),
    subject: text('subject').notNull().default(''),
    quotedText: text('quoted_text').notNull().default(''),
    remoteImages: integer('remote_images').notNull().default(0),
    /** The MIME parser refused it (too deep, too many parts, broken): shown as "could not be read". */
    unreadable: boolean('unreadable').notNull().default(false),
    /** Why it counts as an automatic reply (`auto-submitted`, `out-of-office-subject`, …), or null. */
    autoReplyReason: text('auto_reply_reason'),
    /** Attachments left out by the caps (name, size): they stay in the original message. */
    omittedAttachments: jsonb('omitted_attachments')
      .$type<{ filename: string; size: number }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('received_comments_inbound_uq').on(t.inboundMessageId)],
);
