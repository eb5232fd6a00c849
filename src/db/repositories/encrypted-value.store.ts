import { and, asc, eq, gt, isNotNull, notLike } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type {
  EncryptedValueRow,
  EncryptedValueStore,
  RotationCursor,
} from '../../security/rotate-secrets.js';
import type { DbOrTx } from '../database.js';
import { emailAddresses, oauthFlows, oauthGrants } from '../schema/index.js';

interface EncryptedColumn {
  field: string;
  table: PgTable;
  id: AnyPgColumn;
  workspaceId: AnyPgColumn;
  column: AnyPgColumn;
  /** The property name of `column` for `.set()`. */
  key: string;
}

/**
 * Every encrypted column, for key rotation. Adding a secret column means adding it here;
 * the field name is part of the ciphertext's associated data. Sorted by field: the rotation
 * cursor walks (field, id) in this order.
 */
const COLUMNS: readonly EncryptedColumn[] = [
  {
    field: 'oauth_access_token',
    table: oauthGrants,
    id: oauthGrants.id,
    workspaceId: oauthGrants.workspaceId,
    column: oauthGrants.accessTokenEnc,
    key: 'accessTokenEnc',
  },
  {
    field: 'oauth_code_verifier',
    table: oauthFlows,
    id: oauthFlows.id,
    workspaceId: oauthFlows.workspaceId,
    column: oauthFlows.codeVerifierEnc,
    key: 'codeVerifierEnc',
  },
  {
    field: 'oauth_refresh_token',
    table: oauthGrants,
    id: oauthGrants.id,
    workspaceId: oauthGrants.workspaceId,
    column: oauthGrants.refreshTokenEnc,
    key: 'refreshTokenEnc',
  },
  {
    field: 'password',
    table: emailAddresses,
    id: emailAddresses.id,
    workspaceId: emailAddresses.workspaceId,
    column: emailAddresses.passwordEnc,
    key: 'passwordEnc',
  },
];

/** The field names rotation covers (tests check each secret column is listed). */
export const ENCRYPTED_FIELDS = COLUMNS.map((c) => c.field);

export function createEncryptedValueStore(db: DbOrTx): EncryptedValueStore {
  return {
    async findNotOnKey(activeKid: string, after: RotationCursor | null, limit: number) {
      const out: EncryptedValueRow[] = [];
      for (const c of COLUMNS) {
        if (after && c.field < after.field) continue;
        const rows = await db
          .select({ id: c.id, workspaceId: c.workspaceId, value: c.column })
          .from(c.table)
          .where(
            and(
              isNotNull(c.column),
              notLike(c.column, `mc1:${activeKid}:%`),
              after && after.field === c.field ? gt(c.id, after.id) : undefined,
            ),
          )
          .orderBy(asc(c.id))
          .limit(limit - out.length);
        out.push(
          ...rows.map((r) => ({
            id: r.id as string,
            workspaceId: r.workspaceId as string,
            field: c.field,
            value: r.value as string,
          })),
        );
        if (out.length >= limit) break;
      }
      return out;
    },
    async replaceValue(row, expected, next) {
      const c = COLUMNS.find((x) => x.field === row.field);
      if (!c) return false;
      const updated = await db
        .update(c.table)
        .set({ [c.key]: next })
        .where(and(eq(c.id, row.id), eq(c.column, expected)))
        .returning({ id: c.id });
      return updated.length > 0;
    },
  };
}
