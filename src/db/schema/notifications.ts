import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from './columns.js';
import { employees } from './employees.js';
import { workspaces } from './workspaces.js';

/**
 * In-app notices to one employee: an email still not sent after an hour, an address paused
 * for a wrong password, a reply arrived (M33, M38, M50). `dedupeKey` makes "told once" a
 * database rule: the same key for the same employee is stored once.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** Ids and short snapshots the UI needs to render and link; never secrets. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text('dedupe_key'),
    readAt: tstz('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_employee_idx').on(t.workspaceId, t.employeeId, t.createdAt),
    uniqueIndex('notifications_dedupe_uq')
      .on(t.employeeId, t.dedupeKey)
      .where(sql`${t.dedupeKey} IS NOT NULL`),
  ],
);
