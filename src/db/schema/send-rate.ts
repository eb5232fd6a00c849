import { pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { emailAddresses } from './email-addresses.js';

/**
 * M34 per-minute sending limit of an address, shared by every worker process: the start times
 * of its sends in the last window (at most the limit's number of them). One row per address,
 * updated by one `INSERT … ON CONFLICT DO UPDATE`, whose row lock makes check-and-count atomic
 * across processes (send-rate.repository.ts).
 */
export const addressSendStarts = pgTable('address_send_starts', {
  addressId: uuid('address_id')
    .primaryKey()
    .references(() => emailAddresses.id, { onDelete: 'cascade' }),
  starts: timestamp('starts', { withTimezone: true, mode: 'date' }).array().notNull(),
});
