import { sql } from 'drizzle-orm';
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
    /**
     * Name and email lower-cased once, for `?q=`: one LIKE per row instead of two ILIKEs (which
     * case-fold every row on every search), with one trigram index behind it.
     */
    searchText: text('search_text').generatedAlwaysAs(sql`lower("name" || chr(10) || "email")`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('employees_email_uq').on(t.email),
    // Matches the list's ORDER BY name, id: the first page is an index walk, not a sort.
    index('employees_workspace_name_idx').on(t.workspaceId, t.name, t.id),
    // `?q=` (LIKE '%…%' on the lower-cased name and email): trigram index (pg_trgm).
    index('employees_search_trgm_idx').using('gin', t.searchText.op('gin_trgm_ops')),
  ],
);
