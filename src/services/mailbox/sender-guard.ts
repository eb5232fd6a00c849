import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { Actor } from '../../domain/actor.js';
import type { FieldIssue } from '../../domain/errors.js';
import { senderAllowed } from '../../domain/mailbox/sender-identity.js';
import type { AddressScope } from './email-address-permissions.js';

/** `sender_not_own` on /body/email when an employee's personal address would send as somebody else. */
export async function senderIssues(
  employees: Pick<EmployeeRepository, 'findById'>,
  actor: Actor,
  scope: AddressScope,
  state: { email: string; login: string },
  savedEmail: string | null,
): Promise<FieldIssue[]> {
  // Admins may set an alias on any address (decision 0004 addendum); the rule stops employees.
  // Which addresses the rule binds (not company ones) is senderAllowed's to say, only there.
  if (actor.role === 'admin' || !state.email) return [];
  const owner =
    scope.scope === 'employee' ? await employees.findById(actor.workspaceId, scope.ownerEmployeeId) : null;
  const ok = senderAllowed({
    scope: scope.scope,
    email: state.email,
    login: state.login,
    ownerEmail: owner?.email ?? null,
    savedEmail,
  });
  return ok ? [] : [{ path: '/body/email', code: 'sender_not_own' }];
}
