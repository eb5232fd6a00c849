import type { DbOrTx } from '../../db/database.js';
import type { EmailAddressRepository } from '../../db/repositories/email-address.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import { AppError } from '../../domain/errors.js';
import {
  type AddressHealth,
  type HealthEvent,
  type HealthStatus,
  nextHealth,
} from '../../domain/mailbox/address-health.js';
import { decodeHealth, encodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { Notifier } from '../../ports/notifier.js';
import type { RunInTransaction } from '../../ports/transaction.js';

export interface HealthRecord {
  status: HealthStatus;
  changed: boolean;
  health: AddressHealth;
}

/**
 * The one writer of address health (issue 8 item 10): locks the row, applies the typed
 * transition, keeps `active` in step with `disabled`, and tells the owner (the employee, or the
 * workspace's admins for a company address) once per status change (M50) — never once per
 * failure. Pass `tx` to make it part of a larger change.
 */
export function createHealthRecorder(deps: {
  addresses: Pick<EmailAddressRepository, 'lockHealth' | 'update'>;
  employees: Pick<EmployeeRepository, 'activeAdminIds'>;
  notifier: Notifier;
  transaction: RunInTransaction;
}) {
  const recordIn = async (
    workspaceId: string,
    addressId: string,
    event: HealthEvent,
    tx: DbOrTx,
  ): Promise<HealthRecord | null> => {
    const row = await deps.addresses.lockHealth(workspaceId, addressId, tx);
    if (!row) return null;
    const current = decodeHealth(row.health, row.healthDetail);
    const t = nextHealth(current, event);
    if (!t.ok) {
      throw new AppError('RESTRICTION_REVIEW_REQUIRED', {
        params: { reason: t.restriction.code },
        details: { reason: t.restriction.code },
      });
    }
    const encoded = encodeHealth(t.health);
    if (JSON.stringify(encoded) !== JSON.stringify(encodeHealth(current))) {
      await deps.addresses.update(
        workspaceId,
        addressId,
        { ...encoded, active: t.health.status !== 'disabled' },
        tx,
      );
    }
    if (t.changed && worthTelling(current.status, t.health.status)) {
      const employeeIds =
        row.scope === 'employee' && row.ownerEmployeeId
          ? [row.ownerEmployeeId]
          : await deps.employees.activeAdminIds(workspaceId, tx);
      await deps.notifier.notify(
        {
          workspaceId,
          employeeIds,
          kind: 'address_health',
          payload: {
            addressId,
            email: row.email,
            scope: row.scope,
            ownerEmployeeId: row.ownerEmployeeId,
            status: t.health.status,
            previousStatus: current.status,
            catalogueId: t.health.problem?.catalogueId ?? null,
            reply: t.health.problem?.reply ?? null,
          },
          dedupeKey: `address_health:${addressId}:${t.health.status}:${t.health.since}`,
        },
        tx,
      );
    }
    return { status: t.health.status, changed: t.changed, health: t.health };
  };

  return {
    /** Applies `event`; null when the address no longer exists. */
    record(workspaceId: string, addressId: string, event: HealthEvent, tx?: DbOrTx) {
      return tx
        ? recordIn(workspaceId, addressId, event, tx)
        : deps.transaction((own) => recordIn(workspaceId, addressId, event, own));
    },
  };
}

export type HealthRecorder = ReturnType<typeof createHealthRecorder>;

/** Users are told when an address stops working or works again; enabling/disabling is their own act. */
function worthTelling(from: HealthStatus, to: HealthStatus): boolean {
  if (from === 'disabled' || to === 'disabled') return false;
  return to !== 'ok' || from !== 'ok';
}
