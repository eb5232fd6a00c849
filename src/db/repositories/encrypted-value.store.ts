import { and, asc, eq, gt, isNotNull, notLike, or } from 'drizzle-orm';
import type {
  EncryptedValueRow,
  EncryptedValueStore,
  RotationCursor,
} from '../../security/rotate-secrets.js';
import type { DbOrTx } from '../database.js';
import { emailAddresses } from '../schema/index.js';

/**
 * Every encrypted column, for key rotation. Adding a secret column means adding it here;
 * the field name is part of the ciphertext's associated data.
 */
const COLUMNS = [{ field: 'password', column: emailAddresses.passwordEnc }] as const;

export function createEncryptedValueStore(db: DbOrTx): EncryptedValueStore {
  return {
    async findNotOnKey(activeKid: string, after: RotationCursor | null, limit: number) {
      const out: EncryptedValueRow[] = [];
      for (const { field, column } of COLUMNS) {
        if (after && field < after.field) continue;
        const rows = await db
          .select({ id: emailAddresses.id, workspaceId: emailAddresses.workspaceId, value: column })
          .from(emailAddresses)
          .where(
            and(
              isNotNull(column),
              notLike(column, `mc1:${activeKid}:%`),
              after && after.field === field ? gt(emailAddresses.id, after.id) : undefined,
            ),
          )
          .orderBy(asc(emailAddresses.id))
          .limit(limit - out.length);
        out.push(...rows.map((r) => ({ id: r.id, workspaceId: r.workspaceId, field, value: r.value! })));
        if (out.length >= limit) break;
      }
      return out;
    },
    async replaceValue(row, expected, next) {
      const col = COLUMNS.find((c) => c.field === row.field);
      if (!col) return false;
      const updated = await db
        .update(emailAddresses)
        .set({ passwordEnc: next })
        .where(and(eq(emailAddresses.id, row.id), or(eq(col.column, expected))))
        .returning({ id: emailAddresses.id });
      return updated.length > 0;
    },
  };
}
