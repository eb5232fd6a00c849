import { bigint, boolean, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** Workspace setting (M48): employees may manage their own external addresses. */
  employeesManageOwnAddresses: boolean('employees_manage_own_addresses').notNull().default(true),
  /**
   * Bumped by triggers (migration 0003) whenever a company address or any address's project
   * or access links change: sender choice caches the company candidates per version.
   */
  /** M29: all notified contacts in one email instead of one email per contact. */
  oneEmailForAllRecipients: boolean('one_email_for_all_recipients').notNull().default(false),
  /** M38 (opt-in): a reply with no thread headers may match its task by subject and sender. */
  matchRepliesBySubject: boolean('match_replies_by_subject').notNull().default(false),
  senderVersion: bigint('sender_version', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
