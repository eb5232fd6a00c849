import type { EmailAddressFull } from '../../db/repositories/email-address.repository.js';
import { type Actor, isAdmin } from '../../domain/actor.js';
import { AppError } from '../../domain/errors.js';

export type AddressScope = { scope: 'company' } | { scope: 'employee'; ownerEmployeeId: string };

/** The list a saved address belongs to. */
export function scopeOfAddress(row: Pick<EmailAddressFull, 'scope' | 'ownerEmployeeId'>): AddressScope {
  return row.scope === 'company'
    ? { scope: 'company' }
    : { scope: 'employee', ownerEmployeeId: row.ownerEmployeeId! };
}

/**
 * M48: admins manage everything; an employee manages their own addresses when the
 * workspace allows it, and reads company addresses they have access to. Same-workspace
 * refusals are 403; other workspaces never get this far (404).
 */
export function canManage(actor: Actor, target: AddressScope, employeesManageOwn: boolean): boolean {
  if (isAdmin(actor)) return true;
  return target.scope === 'employee' && target.ownerEmployeeId === actor.employeeId && employeesManageOwn;
}

export function requireManage(actor: Actor, target: AddressScope, employeesManageOwn: boolean): void {
  if (!canManage(actor, target, employeesManageOwn)) throw new AppError('FORBIDDEN');
}

/**
 * Whether `actor` may see this address: read-only for active company addresses they can use
 * (a disabled one may have lost its access list, which must not open it to everyone).
 */
export function canView(actor: Actor, address: EmailAddressFull, actorGroupIds: readonly string[]): boolean {
  if (isAdmin(actor)) return true;
  if (address.scope === 'employee') return address.ownerEmployeeId === actor.employeeId;
  if (!address.active) return false;
  const open = address.accessEmployeeIds.length === 0 && address.accessGroupIds.length === 0;
  return (
    open ||
    address.accessEmployeeIds.includes(actor.employeeId) ||
    address.accessGroupIds.some((g) => actorGroupIds.includes(g))
  );
}
