import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { workspaces } from './workspaces.js';

/** Who did what to which entity (M49). `details` never holds secret values. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    actorEmployeeId: uuid('actor_employee_id'),
    actorName: text('actor_name').notNull().default(''),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: uuid('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_ws_created_idx').on(t.workspaceId, t.createdAt),
    index('audit_log_ws_target_idx').on(t.workspaceId, t.targetType, t.targetId),
  ],
);
