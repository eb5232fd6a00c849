import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';
import { emailAddresses } from './email-addresses.js';
import { outgoingMessages } from './outbox.js';
import { bytea, comments, tasks } from './tasks.js';
import { workspaces } from './workspaces.js';

export const INBOUND_STATUSES = ['stored', 'processed', 'quarantined'] as const;
export const INBOUND_KINDS = [
  'reply',
  'bounce',
  'auto_reply',
  'new_task',
  'unmatched',
  'test',
  'unreadable',
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];
export type InboundKind = (typeof INBOUND_KINDS)[number];

/**
 * Collected mail (M37, CONTRACTS.md "Inbound storage"): the raw bytes are written here durably
 * before the POP3 QUIT (or before the IMAP cursor moves), then processed (`reading`). A crash
 * between the two leaves a `stored` row that is processed on a later poll.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    protocol: text('protocol', { enum: ['pop3', 'imap'] }).notNull(),
    /** POP3 UIDL, or `{uidvalidity}:{uid}` for IMAP; null when the server's id is broken. */
    remoteUid: text('remote_uid'),
    /** Hex SHA-256 of `raw`: the identity when the server's id cannot be trusted. */
    contentSha256: text('content_sha256').notNull(),
    raw: bytea('raw').notNull(),
    size: integer('size').notNull(),
    messageIdHeader: text('message_id_header'),
    /** When we collected it (not the sender's Date header). */
    receivedAt: tstz('received_at').notNull().defaultNow(),
    status: text('status', { enum: INBOUND_STATUSES }).notNull().default('stored'),
    kind: text('kind', { enum: INBOUND_KINDS }),
    taskId: uuid('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    commentId: uuid('comment_id').references(() => comments.id, { onDelete: 'set null' }),
    outgoingMessageId: uuid('outgoing_message_id').references(() => outgoingMessages.id, {
      onDelete: 'set null',
    }),
    processedAt: tstz('processed_at'),
    processError: jsonb('process_error').$type<Record<string, unknown> | null>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('inbound_messages_address_uid_uq').on(t.addressId, t.remoteUid),
    // Broken ids: one row per content per address (SECURITY.md §4.2 "UIDL abuse").
    uniqueIndex('inbound_messages_address_sha_uq')
      .on(t.addressId, t.contentSha256)
      .where(sql`${t.remoteUid} IS NULL`),
    // Any-uid content lookups (IMAP UIDVALIDITY change re-sync without duplicates).
    index('inbound_messages_address_sha_idx').on(t.addressId, t.contentSha256),
    // Recovery of rows stored but never processed (crash between store and process).
    index('inbound_messages_pending_idx').on(t.createdAt).where(sql`${t.status} = 'stored'`),
    index('inbound_messages_ws_address_idx').on(t.workspaceId, t.addressId, t.receivedAt),
    index('inbound_messages_ws_message_id_idx').on(t.workspaceId, t.messageIdHeader),
    index('inbound_messages_task_idx').on(t.workspaceId, t.taskId),
  ],
);

/**
 * Per-address collection cursor and lease (M36): exactly one process polls an address at a time
 * (`lease_token` until `lease_until`), `next_poll_at` schedules the next poll ("check now" sets it
 * to now), `failure_streak` drives the health transitions (M50).
 */
export const mailboxSyncState = pgTable(
  'mailbox_sync_state',
  {
    addressId: uuid('address_id')
      .primaryKey()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    protocol: text('protocol', { enum: ['pop3', 'imap'] }).notNull(),
    /** IMAP UIDVALIDITY of the cursor (text: it is an unsigned 32-bit number). */
    uidvalidity: text('uidvalidity'),
    /** IMAP: highest UID stored or recorded (bigint: UIDs run to 4,294,967,295); POP3: unused. */
    lastUid: bigint('last_uid', { mode: 'number' }),
    /** Set by the first sync, which records what is already there without importing it. */
    initializedAt: tstz('initialized_at'),
    leaseToken: uuid('lease_token'),
    leaseUntil: tstz('lease_until'),
    nextPollAt: tstz('next_poll_at').notNull().defaultNow(),
    failureStreak: integer('failure_streak').notNull().default(0),
    lastError: jsonb('last_error').$type<Record<string, unknown> | null>(),
    lastSuccessAt: tstz('last_success_at'),
    updatedAt: updatedAt(),
  },
  (t) => [index('mailbox_sync_state_due_idx').on(t.nextPollAt)],
);

/**
 * Server ids seen but not imported (POP3): the first sync's baseline of what was already in the
 * mailbox, so it is never imported. `key` is `uid:{UIDL}` or `sha256:{hex}` for broken ids.
 */
export const mailboxKnownUids = pgTable(
  'mailbox_known_uids',
  {
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id').notNull(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.addressId, t.key] })],
);
