import { randomBytes } from 'node:crypto';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { AppError } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { hashPassword } from '../../security/password-hash.js';

interface Deps {
  workspaces: WorkspaceRepository;
  employees: Pick<EmployeeRepository, 'insert' | 'findByEmail'>;
  transaction: RunInTransaction;
}

/** A readable random password: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const b = bytes[i % bytes.length]!;
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out;
}

/** Creates a workspace with its first admin; used on first start and by `mailroom admin create`. */
export async function createWorkspaceWithAdmin(
  deps: Deps,
  input: {
    workspaceName: string;
    adminEmail: string;
    adminName?: string;
    password?: string;
    language?: 'pl' | 'en';
    employeesManageOwnAddresses?: boolean;
  },
) {
  const parsed = parseEmailAddress(input.adminEmail);
  // The default bootstrap address (admin@mailroom.local) is a login, not a mail target.
  const email = parsed.ok ? parsed.address.toLowerCase() : input.adminEmail.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: '/adminEmail', code: 'email' }] });
  if (await deps.employees.findByEmail(email)) throw new AppError('EMAIL_TAKEN', { params: { email } });
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return deps.transaction(async (tx) => {
    const workspace = await deps.workspaces.insert(
      { name: input.workspaceName, employeesManageOwnAddresses: input.employeesManageOwnAddresses ?? true },
      tx,
    );
    const admin = await deps.employees.insert(
      {
        workspaceId: workspace.id,
        name: input.adminName ?? 'Administrator',
        email,
        passwordHash,
        role: 'admin',
        language: input.language ?? 'pl',
      },
      tx,
    );
    return { workspace, admin, password };
  });
}

/** On first start (no workspace yet) creates one and returns the login to print once. */
export async function bootstrapFirstStart(
  deps: Deps,
  input: { workspaceName: string; adminEmail: string; employeesManageOwnAddresses?: boolean },
) {
  if ((await deps.workspaces.count()) > 0) return null;
  return createWorkspaceWithAdmin(deps, input);
}
