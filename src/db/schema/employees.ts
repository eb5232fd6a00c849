import { boolean, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.js';
import { workspaces } from './workspaces.js';

export const employees = pgTable(
  'employees',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Stored lower-cased; unique across the installation because it is the login. */
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ['admin', 'employee'] })
      .notNull()
      .default('employee'),
    language: text('language', { enum: ['pl', 'en'] })
      .notNull()
      .default('pl'),
    active: boolean('active').notNull().default(true),
    signatureHtml: text('signature_html').notNull().default(''),
    signatureText: text('signature_text').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('employees_email_uq').on(t.email),
    // Matches the list's ORDER BY name, id: the first page is an index walk, not a sort.
    index('employees_workspace_name_idx').on(t.workspaceId, t.name, t.id),
    // `?q=` (ILIKE '%…%') on name or email: trigram indexes (pg_trgm, migration 0002).
    index('employees_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('employees_email_trgm_idx').using('gin', t.email.op('gin_trgm_ops')),
  ],
);
