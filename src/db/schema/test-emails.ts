import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './columns.js';
import { emailAddresses } from './email-addresses.js';
import { workspaces } from './workspaces.js';

/**
 * "Send a test email" round trips (M23): one row per request, a durable job the worker runs step
 * by step, read by whichever process the UI polls. A row left unfinished past `deadlineAt`
 * (no worker ran it) reads as interrupted.
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
    /** Language of the message texts (the requester's). */
    lang: text('lang', { enum: ['pl', 'en'] })
      .notNull()
      .default('en'),
    /**
     * A durable job the worker claims (issue 8 item 9): due when `nextStepAt` has passed, held
     * by one worker through the lease while a step (the send, or one arrival check) runs.
     */
    nextStepAt: tstz('next_step_at'),
    leaseToken: uuid('lease_token'),
    leaseUntil: tstz('lease_until'),
    /** POP3 UIDs an earlier check already read (each is read once, across restarts). */
    skipUids: jsonb('skip_uids').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    index('test_emails_address_idx').on(t.workspaceId, t.addressId, t.createdAt),
    index('test_emails_due_idx').on(t.nextStepAt).where(sql`${t.status} IN ('sending', 'waiting')`),
  ],
);
