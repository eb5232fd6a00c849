import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { workspaces } from './workspaces.js';

export const projects = pgTable(
  'projects',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Matches the list's ORDER BY name, id.
    index('projects_workspace_name_idx').on(t.workspaceId, t.name, t.id),
    // Project names are picked from lists by name: two projects may not share one (any case).
    uniqueIndex('projects_workspace_name_uq').on(t.workspaceId, sql`lower(${t.name})`),
    index('projects_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('projects_description_trgm_idx').using('gin', t.description.op('gin_trgm_ops')),
  ],
);
