import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';
import { contacts } from './contacts.js';
import { employees } from './employees.js';
import { projects } from './projects.js';
import { workspaces } from './workspaces.js';

/** Raw bytes (attachments, frozen MIME, received messages). */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * A piece of work in a project (SPEC §1). `threadToken` is carried in the Message-IDs of every
 * email written from the task (M30), so a reply finds its task even when a mail program drops
 * In-Reply-To (M38). 16 characters of base32, unique across the installation.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    threadToken: text('thread_token').notNull(),
    createdByEmployeeId: uuid('created_by_employee_id').references(() => employees.id, {
      onDelete: 'set null',
    }),
    /** Bumped by every comment: the project's task list is ordered by it. */
    lastActivityAt: tstz('last_activity_at').notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tasks_thread_token_uq').on(t.threadToken),
    index('tasks_ws_project_activity_idx').on(t.workspaceId, t.projectId, t.lastActivityAt, t.id),
  ],
);

/** Who takes part in a task: employees and contacts (exactly one of the two per row). */
export const taskParticipants = pgTable(
  'task_participants',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('task_participants_employee_uq').on(t.taskId, t.employeeId),
    uniqueIndex('task_participants_contact_uq').on(t.taskId, t.contactId),
    index('task_participants_contact_idx').on(t.workspaceId, t.contactId),
    index('task_participants_employee_idx').on(t.workspaceId, t.employeeId),
    check('task_participants_one_ck', sql`(${t.employeeId} IS NULL) <> (${t.contactId} IS NULL)`),
  ],
);

/**
 * A message in a task. Written in the app by an employee (`source = app`), or received by email
 * from a contact (`source = email`: a reply, or an auto-reply attached quietly, M38–M39).
 * `idempotencyKey` is the client's key: a repeated POST returns the first comment (M31).
 */
export const comments = pgTable(
  'comments',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    authorEmployeeId: uuid('author_employee_id').references(() => employees.id, { onDelete: 'set null' }),
    authorContactId: uuid('author_contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    /** Who wrote it, as shown when the author row is gone. */
    authorName: text('author_name').notNull().default(''),
    source: text('source', { enum: ['app', 'email'] })
      .notNull()
      .default('app'),
    kind: text('kind', { enum: ['comment', 'reply', 'auto_reply'] })
      .notNull()
      .default('comment'),
    bodyHtml: text('body_html').notNull().default(''),
    bodyText: text('body_text').notNull().default(''),
    idempotencyKey: text('idempotency_key'),
    /** SHA-256 of the first request under `idempotencyKey`: the same key with another body is refused. */
    idempotencyFingerprint: text('idempotency_fingerprint'),
    /** The received message a `source = email` comment came from (issue 10 ingestion). */
    inboundMessageId: uuid('inbound_message_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('comments_task_created_idx').on(t.workspaceId, t.taskId, t.createdAt, t.id),
    uniqueIndex('comments_idempotency_uq')
      .on(t.workspaceId, t.authorEmployeeId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} IS NOT NULL`),
  ],
);

/**
 * Comment attachments, stored in the database: they are written in the
 * same transaction as the comment and its outbox rows, backed up with everything else, and
 * bounded by the per-comment cap (10 MB by default). See docs/decisions/0006-attachments.md.
 */
export const commentAttachments = pgTable(
  'comment_attachments',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** For inline images of received HTML (`cid:`); null for ordinary attachments. */
    contentId: text('content_id'),
    /** Order within the comment (as uploaded or as in the received message). */
    position: integer('position').notNull().default(0),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('comment_attachments_comment_idx').on(t.commentId)],
);
