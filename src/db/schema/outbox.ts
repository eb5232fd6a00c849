import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';
import { contacts } from './contacts.js';
import { emailAddresses } from './email-addresses.js';
import { employees } from './employees.js';
import { bytea, comments, tasks } from './tasks.js';
import { workspaces } from './workspaces.js';

/** States of an outgoing email (M32). */
export const OUTGOING_STATUSES = [
  'queued',
  'sending',
  'sent',
  'deferred',
  'failed',
  'uncertain',
  'bounced',
] as const;

/**
 * The durable outbox (M31, SECURITY.md §5.3): one row per outgoing email, written in the same
 * transaction as its comment, with the MIME frozen at that moment (stable Message-ID across
 * retries). The worker claims rows with FOR UPDATE SKIP LOCKED and a lease; `transmittingAt`
 * is written durably before the end of the message data is sent, so a lease that expires with
 * it set means "possibly sent" (`uncertain`), never an automatic resend.
 */
export const outgoingMessages = pgTable(
  'outgoing_messages',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    authorEmployeeId: uuid('author_employee_id').references(() => employees.id, { onDelete: 'set null' }),
    /** The sender (M25–M27); null when none applied (then `failed`, reason no_sender) or it was deleted. */
    addressId: uuid('address_id').references(() => emailAddresses.id, { onDelete: 'set null' }),
    /** Snapshot of the sender for display after the address changes or is deleted. */
    senderEmail: text('sender_email').notNull().default(''),
    senderName: text('sender_name').notNull().default(''),
    /** Our Message-ID with angle brackets: `<mr.{threadToken}.{random}@{domain}>`. */
    messageId: text('message_id').notNull(),
    subject: text('subject').notNull().default(''),
    /** The frozen RFC 5322 bytes (CRLF); null only when nothing can be sent (no sender). */
    mime: bytea('mime'),
    size: integer('size').notNull().default(0),
    status: text('status', { enum: OUTGOING_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** When a queued/deferred row may be claimed (absolute UTC: survives restarts, M33). */
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    leaseToken: uuid('lease_token'),
    leaseUntil: tstz('lease_until'),
    /** Set durably right before the end of DATA: after a crash, "possibly sent". */
    transmittingAt: tstz('transmitting_at'),
    /** The server's final reply to a sent message (250 … queued as X) and the queue id. */
    acceptedReply: text('accepted_reply'),
    queueId: text('queue_id'),
    sentAt: tstz('sent_at'),
    /** Last failure: a normalised MailFailure plus the catalogue entry that explains it. */
    failure: jsonb('failure').$type<Record<string, unknown> | null>(),
    bouncedAt: tstz('bounced_at'),
    bounce: jsonb('bounce').$type<Record<string, unknown> | null>(),
    /** Copy in the mailbox's Sent folder (M57): null = not applicable. */
    sentCopy: text('sent_copy', { enum: ['pending', 'done', 'failed', 'skipped'] }),
    sentCopyDetail: jsonb('sent_copy_detail').$type<Record<string, unknown> | null>(),
    /** When the author was told the email is still not sent after 1 hour (M33). */
    lateNoticeAt: tstz('late_notice_at'),
    /** "Send again" of an uncertain or failed email creates a new row pointing at the old one. */
    resendOfId: uuid('resend_of_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A "send again" keeps the frozen MIME, Message-ID included, so mail programs that drop a
    // repeated Message-ID (Gmail does) hide a duplicate. One index (decision 0017, index diet)
    // serves both the rule "unique among originals" (every original has the same second key) and
    // the lookups by Message-ID across resends (bounces, replies). coalesce rather than NULLS NOT
    // DISTINCT, which needs PostgreSQL 15 (we support 13).
    uniqueIndex('outgoing_messages_message_resend_uq').on(
      t.messageId,
      sql`coalesce(${t.resendOfId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
    ),
    // At most one resend per email (the idempotency of send again). Partial: ordinary rows
    // (no resend_of_id) add no entry, on insert or on any of their non-HOT updates.
    uniqueIndex('outgoing_messages_resend_of_uq').on(t.resendOfId).where(sql`${t.resendOfId} IS NOT NULL`),
    // The worker's claim: due rows only.
    index('outgoing_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} IN ('queued', 'deferred')`),
    // The claim's per-address cap (decision 0008): each address's due rows in due order, and
    // the addresses with due rows one probe each, whatever one address's backlog.
    index('outgoing_messages_address_due_idx')
      .on(t.addressId, t.nextAttemptAt)
      .where(sql`${t.status} IN ('queued', 'deferred')`),
    // Lease recovery: rows whose worker died.
    index('outgoing_messages_lease_idx').on(t.leaseUntil).where(sql`${t.status} = 'sending'`),
    index('outgoing_messages_ws_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('outgoing_messages_ws_task_idx').on(t.workspaceId, t.taskId),
    index('outgoing_messages_ws_address_idx').on(t.workspaceId, t.addressId, t.status),
    index('outgoing_messages_comment_idx').on(t.commentId),
  ],
);

/**
 * Recipients of one outgoing email: one row per address, so a partial rejection (one RCPT
 * refused) and a bounce are recorded per recipient (M32, M39), and the per-recipient limit
 * (M34) can count what was accepted recently.
 */
export const outgoingRecipients = pgTable(
  'outgoing_recipients',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    outgoingMessageId: uuid('outgoing_message_id')
      .notNull()
      .references(() => outgoingMessages.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** ASCII envelope form is derived at send time; stored as the user typed it (Unicode). */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** `bcc` is the sender's own copy (M13 BCC-to-self). */
    kind: text('kind', { enum: ['to', 'cc', 'bcc'] })
      .notNull()
      .default('to'),
    status: text('status', { enum: ['pending', 'accepted', 'rejected', 'bounced'] })
      .notNull()
      .default('pending'),
    reply: text('reply'),
    failure: jsonb('failure').$type<Record<string, unknown> | null>(),
    acceptedAt: tstz('accepted_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('outgoing_recipients_message_idx').on(t.outgoingMessageId),
    // M34: how many emails one recipient got from this workspace in the last 10 minutes.
    index('outgoing_recipients_rate_idx').on(t.workspaceId, sql`lower(${t.email})`, t.acceptedAt),
    index('outgoing_recipients_contact_idx').on(t.workspaceId, t.contactId),
  ],
);
