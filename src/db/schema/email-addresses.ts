import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';
import { employees } from './employees.js';
import { groups } from './groups.js';
import { projects } from './projects.js';
import { workspaces } from './workspaces.js';

/**
 * External email addresses (mailboxes), both scopes in one table (M3). Secrets are
 * AES-GCM ciphertexts from src/security (M52); a CHECK keeps plaintext out.
 */
export const emailAddresses = pgTable(
  'email_addresses',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    scope: text('scope', { enum: ['company', 'employee'] }).notNull(),
    ownerEmployeeId: uuid('owner_employee_id').references(() => employees.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    displayName: text('display_name').notNull().default(''),
    replyTo: text('reply_to'),
    signatureHtml: text('signature_html').notNull().default(''),
    signatureText: text('signature_text').notNull().default(''),
    presetId: text('preset_id'),
    login: text('login').notNull(),
    authType: text('auth_type', { enum: ['password', 'oauth2'] })
      .notNull()
      .default('password'),
    passwordEnc: text('password_enc'),
    smtpHost: text('smtp_host').notNull(),
    smtpPort: integer('smtp_port').notNull(),
    smtpSecurity: text('smtp_security', { enum: ['tls', 'starttls', 'none'] }).notNull(),
    smtpPinnedCert: jsonb('smtp_pinned_cert').$type<{ sha256: string; pem: string } | null>(),
    incomingProtocol: text('incoming_protocol', { enum: ['pop3', 'imap'] })
      .notNull()
      .default('pop3'),
    incomingHost: text('incoming_host').notNull(),
    incomingPort: integer('incoming_port').notNull(),
    incomingSecurity: text('incoming_security', { enum: ['tls', 'starttls', 'none'] }).notNull(),
    incomingPinnedCert: jsonb('incoming_pinned_cert').$type<{ sha256: string; pem: string } | null>(),
    collectReplies: boolean('collect_replies').notNull().default(true),
    leaveOnServer: boolean('leave_on_server').notNull().default(true),
    deleteAfterDays: integer('delete_after_days'),
    createTasksFromNewMail: boolean('create_tasks_from_new_mail').notNull().default(false),
    newMailProjectId: uuid('new_mail_project_id').references(() => projects.id, { onDelete: 'set null' }),
    bccSelf: boolean('bcc_self').notNull().default(false),
    /** M34 overrides of the preset's sending limits; null = the preset's (or the general) default. */
    sendMaxConnections: integer('send_max_connections'),
    sendPerMinute: integer('send_per_minute'),
    active: boolean('active').notNull().default(true),
    health: text('health', { enum: ['ok', 'failing', 'needs_attention', 'needs_reconnect', 'disabled'] })
      .notNull()
      .default('ok'),
    healthDetail: jsonb('health_detail').$type<Record<string, unknown> | null>(),
    lastTestOkAt: tstz('last_test_ok_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Company list: WHERE workspace, scope ORDER BY email, id (paginated).
    index('email_addresses_ws_scope_idx').on(t.workspaceId, t.scope, t.email, t.id),
    index('email_addresses_owner_idx').on(t.workspaceId, t.ownerEmployeeId),
    // One mailbox, one row per scope (issue 8): the company list, and each employee's own list.
    // The same mailbox may be both a company address and someone's own address.
    uniqueIndex('email_addresses_company_email_uq')
      .on(t.workspaceId, sql`lower(${t.email})`)
      .where(sql`${t.scope} = 'company'`),
    uniqueIndex('email_addresses_employee_email_uq')
      .on(t.workspaceId, t.ownerEmployeeId, sql`lower(${t.email})`)
      .where(sql`${t.scope} = 'employee'`),
    check('email_addresses_password_enc_ck', sql`${t.passwordEnc} IS NULL OR ${t.passwordEnc} LIKE 'mc1:%'`),
    check(
      'email_addresses_scope_owner_ck',
      sql`(${t.scope} = 'employee') = (${t.ownerEmployeeId} IS NOT NULL)`,
    ),
  ],
);

/** Projects an address is for (M13); no rows = all projects. */
export const emailAddressProjects = pgTable(
  'email_address_projects',
  {
    workspaceId: uuid('workspace_id').notNull(),
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.addressId, t.projectId] }),
    index('eap_project_idx').on(t.workspaceId, t.projectId),
  ],
);

/** Company-address access (M13): employees and/or groups; no rows = everyone. */
export const emailAddressAccess = pgTable(
  'email_address_access',
  {
    id: id(),
    workspaceId: uuid('workspace_id').notNull(),
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    employeeId: uuid('employee_id').references(() => employees.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').references(() => groups.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('eaa_address_idx').on(t.addressId),
    check('eaa_one_target_ck', sql`(${t.employeeId} IS NULL) <> (${t.groupId} IS NULL)`),
  ],
);

/** When an employee last sent from an address (tie-breaks of M25/M27). */
export const senderUsage = pgTable(
  'sender_usage',
  {
    workspaceId: uuid('workspace_id').notNull(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    addressId: uuid('address_id')
      .notNull()
      .references(() => emailAddresses.id, { onDelete: 'cascade' }),
    /** Task context ('' = outside any task), so one row per (employee, address, task). */
    taskKey: text('task_key').notNull().default(''),
    contactKey: text('contact_key').notNull().default(''),
    usedAt: tstz('used_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.employeeId, t.addressId, t.taskKey, t.contactKey] }),
    index('sender_usage_ws_employee_idx').on(t.workspaceId, t.employeeId),
  ],
);
