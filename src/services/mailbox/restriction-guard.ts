import type { DbOrTx } from '../../db/database.js';
import type { NarrowingCode, RestrictionTarget } from '../../db/repositories/address-narrowing.query.js';
import type { Actor } from '../../domain/actor.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';

/** Called inside the transaction that deletes a group, employee or project. */
export type BeforeRestrictionDeleted = (actor: Actor, target: RestrictionTarget, tx: DbOrTx) => Promise<void>;

/**
 * Deleting the only group/employee on an address's access list, or its only project, must not
 * turn the address into one for everyone / all projects (M13, M24): such addresses are disabled
 * in the same transaction, with the reason kept in their health detail and the audit log.
 */
export function createRestrictionGuard(deps: {
  disable: (
    tx: DbOrTx,
    workspaceId: string,
    target: RestrictionTarget,
    at: Date,
  ) => Promise<{ id: string; email: string; code: NarrowingCode }[]>;
  audit: AuditRecorder;
  now?: () => Date;
}): BeforeRestrictionDeleted {
  const now = deps.now ?? (() => new Date());
  return async (actor, target, tx) => {
    const disabled = await deps.disable(tx, actor.workspaceId, target, now());
    for (const address of disabled) {
      await deps.audit.record(
        actor,
        {
          action: 'email_address.disabled',
          targetType: 'email_address',
          targetId: address.id,
          details: {
            email: address.email,
            reason: address.code,
            removed: target.name,
            removedKind: target.kind,
          },
        },
        tx,
      );
    }
  };
}
