import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './columns.js';
import { emailAddresses } from './email-addresses.js';
import { workspaces } from './workspaces.js';

/**
 * "Send a test email" round trips (M23): one row per request, written by the process that
 * runs it, read by whichever process the UI polls. A row left unfinished past `deadlineAt`
 * (the process died) reads as interrupted.
 */
export const testEmails = pgTable(
  'test_emails',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    requestedByEmployeeId: uuid('requested_by_employee_id'),
    status: text('status', { enum: ['sending', 'waiting', 'arrived', 'failed', 'not_arrived'] }).notNull(),
    messageId: text('message_id').notNull(),
    /** SMTP steps of the send, as a ProbeResult (sanitised; never credentials). */
    send: jsonb('send').$type<Record<string, unknown> | null>(),
    /** The last arrival check, as a ProbeResult-like record. */
    arrival: jsonb('arrival').$type<Record<string, unknown> | null>(),
    checks: integer('checks').notNull().default(0),
    sentAt: tstz('sent_at'),
    arrivedAt: tstz('arrived_at'),
    deadlineAt: tstz('deadline_at').notNull(),
    finishedAt: tstz('finished_at'),
    createdAt: createdAt(),
  },
  (t) => [index('test_emails_address_idx').on(t.workspaceId, t.addressId, t.createdAt)],
);
