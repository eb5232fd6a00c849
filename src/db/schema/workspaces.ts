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
  senderVersion: bigint('sender_version', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
