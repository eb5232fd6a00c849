import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt } from './columns.js';
import { emailAddresses } from './email-addresses.js';
import { employees } from './employees.js';
import { workspaces } from './workspaces.js';

/**
 * OAuth grants for mailboxes (M47): the refresh token (and the cached access token) of one
 * "Connect with Google/Microsoft". A grant exists before its address is saved (the dialog
 * connects, tests, then saves): `address_id` is null until then, and only the employee who
 * connected may use it. Tokens are SecretBox ciphertexts bound to this row (decision 0004).
 */
export const oauthGrants = pgTable(
  'oauth_grants',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    addressId: uuid('address_id').references(() => emailAddresses.id, { onDelete: 'cascade' }),
    connectedByEmployeeId: uuid('connected_by_employee_id').references(() => employees.id, {
      onDelete: 'set null',
    }),
    provider: text('provider', { enum: ['google', 'microsoft'] }).notNull(),
    /** The ID token's `sub` and mailbox address (`email`, or Microsoft's `preferred_username`). */
    subject: text('subject').notNull(),
    email: text('email').notNull(),
    scope: text('scope').notNull().default(''),
    refreshTokenEnc: text('refresh_token_enc').notNull(),
    accessTokenEnc: text('access_token_enc'),
    accessExpiresAt: tstz('access_expires_at'),
    /** One refresh in flight per grant across processes: a worker claims this lease first. */
    refreshLeaseUntil: tstz('refresh_lease_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('oauth_grants_address_uq').on(t.addressId),
    index('oauth_grants_ws_idx').on(t.workspaceId, t.createdAt),
    check('oauth_grants_refresh_enc_ck', sql`${t.refreshTokenEnc} LIKE 'mc1:%'`),
    check('oauth_grants_access_enc_ck', sql`${t.accessTokenEnc} IS NULL OR ${t.accessTokenEnc} LIKE 'mc1:%'`),
  ],
);

/**
 * Authorization requests in progress (a few minutes each): state (hashed), the PKCE verifier
 * (encrypted), the nonce, and where the grant goes when the provider sends the user back.
 */
export const oauthFlows = pgTable(
  'oauth_flows',
  {
    id: id(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: ['google', 'microsoft'] }).notNull(),
    stateHash: text('state_hash').notNull(),
    codeVerifierEnc: text('code_verifier_enc').notNull(),
    nonce: text('nonce').notNull(),
    /** Reconnecting a saved address, or null for a new one. */
    addressId: uuid('address_id').references(() => emailAddresses.id, { onDelete: 'cascade' }),
    /** Where the dialog was opened (a path inside the web app). */
    returnPath: text('return_path').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('oauth_flows_state_uq').on(t.stateHash),
    index('oauth_flows_expires_idx').on(t.expiresAt),
    check('oauth_flows_verifier_enc_ck', sql`${t.codeVerifierEnc} LIKE 'mc1:%'`),
  ],
);
