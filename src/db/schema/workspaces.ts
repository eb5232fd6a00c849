import { boolean, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** Workspace setting (M48): employees may manage their own external addresses. */
  employeesManageOwnAddresses: boolean('employees_manage_own_addresses').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
