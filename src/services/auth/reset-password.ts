import type { AuthRepository } from '../../db/repositories/auth.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import { AppError } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { hashPassword } from '../../security/password-hash.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { generatePassword } from './bootstrap.js';

/**
 * `mailroom admin reset-password` (issue 8): a lost password is replaced by a new random one,
 * shown once to the operator; every session and API token of that person ends, in one
 * transaction with the audit entry (whoever knew the old password may have made a token).
 */
export async function resetPassword(
  deps: {
    employees: Pick<EmployeeRepository, 'findByEmail' | 'update'>;
    auth: Pick<AuthRepository, 'deleteSessionsOf' | 'deleteTokensOf'>;
    audit: AuditRecorder;
    transaction: RunInTransaction;
  },
  email: string,
) {
  const employee = await deps.employees.findByEmail(email.trim().toLowerCase());
  if (!employee) throw new AppError('NOT_FOUND', { params: { entity: 'employee', id: email } });
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await deps.transaction(async (tx) => {
    await deps.employees.update(employee.workspaceId, employee.id, { passwordHash }, tx);
    await deps.auth.deleteSessionsOf(employee.workspaceId, employee.id, tx);
    await deps.auth.deleteTokensOf(employee.workspaceId, employee.id, tx);
    await deps.audit.record(
      {
        workspaceId: employee.workspaceId,
        employeeId: employee.id,
        role: 'admin',
        name: 'mailroom admin reset-password',
        via: 'system',
      },
      {
        action: 'employee.password_reset',
        targetType: 'employee',
        targetId: employee.id,
        details: { by: 'command line', sessionsEnded: true, apiTokensRevoked: true },
      },
      tx,
    );
  });
  return { employee, password };
}
