import type { EmployeeRepository, EmployeeRow } from '../../db/repositories/employee.repository.js';
import type { GroupRepository } from '../../db/repositories/group.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { isAdmin } from '../../domain/actor.js';
import { parseEmailAddress } from '../../domain/email-address.js';
import { AppError, type FieldIssue, notFound, refuseBlank, validationFailed } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { hashPassword } from '../../security/password-hash.js';
import { requireAdmin } from '../access.js';
import { type AuditRecorder, changedFields } from '../audit/audit-recorder.js';
import type { BeforeRestrictionDeleted } from '../mailbox/restriction-guard.js';

export interface EmployeeInput {
  name?: string;
  email?: string;
  role?: 'admin' | 'employee';
  language?: 'pl' | 'en';
  active?: boolean;
  password?: string;
  signatureHtml?: string;
  signatureText?: string;
  groupIds?: string[];
}

interface Deps {
  /** Keeps addresses restricted to a deleted employee from opening to everyone (M13, M24). */
  beforeRestrictionDeleted?: BeforeRestrictionDeleted;
  employees: EmployeeRepository;
  groups: Pick<GroupRepository, 'existingIds' | 'replaceGroupsOfEmployee'>;
  audit: AuditRecorder;
  transaction: RunInTransaction;
  /** Language of a new employee when none is given (the workspace's default). */
  defaultLanguage?: (workspaceId: string) => Promise<'pl' | 'en'>;
  /**
   * Ends the sessions of a deactivated employee, or after a password change (then also their API
   * tokens, and the caller's own session is kept when they changed their own password).
   */
  endSessionsOf(
    workspaceId: string,
    employeeId: string,
    opts?: { keepSessionToken?: string | null; apiTokens?: boolean },
  ): Promise<void>;
  /** After a committed change or deletion: cached authentication must not outlive it (decision 0012). */
  authChanged?: () => void;
}

const MIN_PASSWORD = 10;

/** The request's own session: kept when an employee changes their own password. */
export interface CallerSession {
  sessionToken?: string | null;
}

export function createEmployeeService(deps: Deps) {
  const normaliseEmail = (email: string, issues: FieldIssue[]): string => {
    const parsed = parseEmailAddress(email);
    if (!parsed.ok) {
      issues.push({ path: '/body/email', code: 'email' });
      return email;
    }
    return parsed.address.toLowerCase();
  };

  const checkEmailFree = async (email: string, exceptId: string | null, issues: FieldIssue[]) => {
    const other = await deps.employees.findByEmail(email);
    if (other && other.id !== exceptId) issues.push({ path: '/body/email', code: 'taken' });
  };

  const checkGroups = async (workspaceId: string, groupIds: string[] | undefined, issues: FieldIssue[]) => {
    if (!groupIds) return;
    const found = await deps.groups.existingIds(workspaceId, groupIds);
    groupIds.forEach((id, i) => {
      if (!found.has(id)) issues.push({ path: `/body/groupIds/${i}`, code: 'unknown_reference' });
    });
  };

  return {
    async list(actor: Actor, page: Page) {
      return deps.employees.list(actor.workspaceId, page);
    },

    async get(actor: Actor, id: string) {
      const row = await deps.employees.findById(actor.workspaceId, id);
      if (!row) throw notFound('employee', id);
      return row;
    },

    async create(actor: Actor, input: EmployeeInput & { name: string; email: string }) {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      const issues: FieldIssue[] = [];
      const email = normaliseEmail(input.email, issues);
      if (input.password !== undefined && input.password.length < MIN_PASSWORD) {
        issues.push({ path: '/body/password', code: 'minLength', params: { limit: MIN_PASSWORD } });
      }
      if (issues.length === 0) await checkEmailFree(email, null, issues);
      await checkGroups(actor.workspaceId, input.groupIds, issues);
      if (issues.length > 0) throw validationFailed(issues);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      const language = input.language ?? (await deps.defaultLanguage?.(actor.workspaceId)) ?? 'pl';
      const created = await deps.transaction(async (tx) => {
        const row = await deps.employees.insert(
          {
            workspaceId: actor.workspaceId,
            name: input.name.trim(),
            email,
            passwordHash,
            role: input.role ?? 'employee',
            language,
            active: input.active ?? true,
            signatureHtml: input.signatureHtml ?? '',
            signatureText: input.signatureText ?? '',
          },
          tx,
        );
        if (input.groupIds)
          await deps.groups.replaceGroupsOfEmployee(actor.workspaceId, row.id, input.groupIds, tx);
        await deps.audit.record(
          actor,
          {
            action: 'employee.created',
            targetType: 'employee',
            targetId: row.id,
            details: { email, role: row.role },
          },
          tx,
        );
        return row;
      });
      return this.get(actor, created.id);
    },

    async update(actor: Actor, id: string, input: EmployeeInput, caller: CallerSession = {}) {
      const self = actor.employeeId === id;
      // Employees may edit only their own name, language, signature and password.
      const adminOnly: (keyof EmployeeInput)[] = ['email', 'role', 'active', 'groupIds'];
      if (!isAdmin(actor) && (!self || adminOnly.some((k) => input[k] !== undefined)))
        throw new AppError('FORBIDDEN');
      const before = await this.get(actor, id);
      refuseBlank({ name: input.name });
      const issues: FieldIssue[] = [];
      const email = input.email !== undefined ? normaliseEmail(input.email, issues) : undefined;
      if (email !== undefined && email !== before.email && issues.length === 0)
        await checkEmailFree(email, id, issues);
      if (input.password !== undefined && input.password.length < MIN_PASSWORD) {
        issues.push({ path: '/body/password', code: 'minLength', params: { limit: MIN_PASSWORD } });
      }
      await checkGroups(actor.workspaceId, input.groupIds, issues);
      if (issues.length > 0) throw validationFailed(issues);
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      const patch: Partial<EmployeeRow> = {
        name: input.name?.trim(),
        email,
        role: input.role,
        language: input.language,
        active: input.active,
        signatureHtml: input.signatureHtml,
        signatureText: input.signatureText,
      };
      const changed = changedFields(before, patch);
      if (
        input.groupIds &&
        JSON.stringify([...input.groupIds].sort()) !== JSON.stringify([...before.groupIds].sort())
      ) {
        changed.push('groupIds');
      }
      if (passwordHash) changed.push('password');
      await deps.transaction(async (tx) => {
        const losesAdmin =
          before.role === 'admin' && before.active && (patch.role === 'employee' || patch.active === false);
        if (losesAdmin) {
          await deps.employees.lockWorkspaceAdmins(actor.workspaceId, tx);
          if ((await deps.employees.countActiveAdmins(actor.workspaceId, tx)) <= 1)
            throw new AppError('LAST_ADMIN');
        }
        await deps.employees.update(
          actor.workspaceId,
          id,
          { ...patch, ...(passwordHash ? { passwordHash } : {}) },
          tx,
        );
        if (input.groupIds)
          await deps.groups.replaceGroupsOfEmployee(actor.workspaceId, id, input.groupIds, tx);
        if (changed.length > 0) {
          await deps.audit.record(
            actor,
            { action: 'employee.updated', targetType: 'employee', targetId: id, details: { changed } },
            tx,
          );
        }
      });
      deps.authChanged?.();
      if (patch.active === false || passwordHash)
        await deps.endSessionsOf(actor.workspaceId, id, {
          keepSessionToken: self && patch.active !== false ? caller.sessionToken : null,
          apiTokens: passwordHash !== undefined,
        });
      return this.get(actor, id);
    },

    async remove(actor: Actor, id: string) {
      requireAdmin(actor);
      const before = await this.get(actor, id);
      if (id === actor.employeeId) throw new AppError('CONFLICT', { params: { reason: 'self' } });
      await deps.transaction(async (tx) => {
        if (before.role === 'admin' && before.active) {
          await deps.employees.lockWorkspaceAdmins(actor.workspaceId, tx);
          if ((await deps.employees.countActiveAdmins(actor.workspaceId, tx)) <= 1)
            throw new AppError('LAST_ADMIN');
        }
        await deps.beforeRestrictionDeleted?.(actor, { kind: 'employee', id, name: before.name }, tx);
        await deps.employees.delete(actor.workspaceId, id, tx);
        await deps.audit.record(
          actor,
          {
            action: 'employee.deleted',
            targetType: 'employee',
            targetId: id,
            details: { email: before.email },
          },
          tx,
        );
      });
      deps.authChanged?.();
    },
  };
}

export type EmployeeService = ReturnType<typeof createEmployeeService>;
