import type { DbOrTx } from '../../db/database.js';
import type { AuditRepository } from '../../db/repositories/audit.repository.js';
import type { Actor } from '../../domain/actor.js';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  /** Names of changed fields and other non-secret facts; never secret values (M49). */
  details?: Record<string, unknown>;
}

/** Writes audit rows in the caller's transaction, so an entry exists exactly when the change does. */
export function createAuditRecorder(deps: { audit: Pick<AuditRepository, 'insert'> }) {
  return {
    async record(actor: Actor, entry: AuditEntry, tx?: DbOrTx) {
      await deps.audit.insert(
        {
          workspaceId: actor.workspaceId,
          actorEmployeeId: actor.via === 'system' ? null : actor.employeeId,
          actorName: actor.name,
          action: entry.action,
          targetType: entry.targetType,
          targetId: entry.targetId ?? null,
          details: entry.details ?? {},
        },
        tx,
      );
    },
  };
}

export type AuditRecorder = ReturnType<typeof createAuditRecorder>;

/** Names of fields whose value differs between `before` and `patch` (for audit details). */
export function changedFields(before: Record<string, unknown>, patch: Record<string, unknown>): string[] {
  return Object.keys(patch).filter(
    (k) => patch[k] !== undefined && JSON.stringify(before[k]) !== JSON.stringify(patch[k]),
  );
}
