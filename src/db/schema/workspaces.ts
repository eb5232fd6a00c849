import { bigint, boolean, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** Workspace setting (M48): employees may manage their own external addresses. */
  /** Language of new employees and of mail the workspace sends when nobody chose one. */
  defaultLanguage: text('default_language', { enum: ['pl', 'en'] })
    .notNull()
    .default('pl'),
  /** Set when an admin first saves the settings page: until then the UI invites naming the company. */
  settingsConfirmedAt: tstz('settings_confirmed_at'),
  employeesManageOwnAddresses: boolean('employees_manage_own_addresses').notNull().default(true),
  /**
   * Bumped by triggers (migration 0003) whenever a company address or any address's project
   * or access links change: sender choice caches the company candidates per version.
   */
  /** M29: all notified contacts in one email instead of one email per contact. */
  oneEmailForAllRecipients: boolean('one_email_for_all_recipients').notNull().default(false),
  /** M38 (opt-in): a reply with no thread headers may match its task by subject and sender. */
  matchRepliesBySubject: boolean('match_replies_by_subject').notNull().default(false),
  /** The demo workspace on the built-in sandbox mail server (issue 12): labelled in the UI. */
  sandbox: boolean('sandbox').notNull().default(false),
  senderVersion: bigint('sender_version', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
