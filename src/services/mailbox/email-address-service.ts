import { randomUUID } from 'node:crypto';
import type {
  EmailAddressFull,
  EmailAddressInsert,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { GroupRepository } from '../../db/repositories/group.repository.js';
import type { ProjectRepository } from '../../db/repositories/project.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { AppError, type FieldIssue, notFound, validationFailed } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import {
  type AddressInput,
  type AddressState,
  changedAddressFields,
  connectionChanged,
  connectionFieldsOf,
  endpointChanged,
  type MergeDeps,
  mergeAddressInput,
  stateOfRow,
} from './email-address-input.js';
import { type AddressScope, canView, requireManage } from './email-address-permissions.js';
import { connectionFingerprint, verifyTestToken } from './test-token.js';

export interface EmailAddressServiceDeps extends MergeDeps {
  addresses: EmailAddressRepository;
  employees: Pick<EmployeeRepository, 'findById'>;
  projects: Pick<ProjectRepository, 'existingIds'>;
  groups: Pick<GroupRepository, 'existingIds'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  employeeIds: (workspaceId: string, ids: readonly string[]) => Promise<Set<string>>;
  secretBox: SecretBox;
  testTokenKey: () => Buffer;
  audit: AuditRecorder;
  transaction: RunInTransaction;
  now?: () => Date;
}

const secretCtx = (workspaceId: string, rowId: string) => ({ workspaceId, rowId, field: 'password' });

/**
 * An address disabled because deleting a group, employee or project emptied its access or
 * project list (restriction-guard.ts) may be enabled only by a request that states that
 * list again: enabling it as it is would silently open it to everyone / all projects.
 * A request that does state it clears the reason.
 */
function restrictionReview(
  row: EmailAddressFull,
  input: AddressInput,
): { pending: 'access_list_emptied' | 'projects_emptied' | null; cleared: Record<string, unknown> | null } {
  const detail = row.healthDetail ?? null;
  const code = detail?.code;
  if (code !== 'access_list_emptied' && code !== 'projects_emptied') return { pending: null, cleared: null };
  const reviewed =
    code === 'access_list_emptied' ? input.access !== undefined : input.projectIds !== undefined;
  if (!reviewed) return { pending: code, cleared: null };
  const { code: _code, removed: _removed, removedKind: _kind, at: _at, ...rest } = detail!;
  return { pending: null, cleared: rest };
}

const PAUSED = new Set(['failing', 'needs_attention', 'needs_reconnect']);

/**
 * Health when an address is disabled or enabled (M50): disabling remembers the health it had,
 * so enabling it again does not lift an authentication pause (M33) or a lost OAuth grant
 * (M47) nobody fixed. Only a passing test of changed settings clears those.
 */
function toggledHealth(
  row: EmailAddressFull,
  active: boolean,
): Pick<EmailAddressInsert, 'health' | 'healthDetail'> {
  const detail = row.healthDetail ?? null;
  if (!active) {
    if (row.health === 'disabled') return { health: 'disabled', healthDetail: detail };
    return {
      health: 'disabled',
      healthDetail: { previousHealth: row.health, ...(detail ? { previousDetail: detail } : {}) },
    };
  }
  const previous = typeof detail?.previousHealth === 'string' ? detail.previousHealth : 'ok';
  if (!PAUSED.has(previous)) return { health: 'ok', healthDetail: null };
  const previousDetail = detail?.previousDetail;
  return {
    health: previous as EmailAddressFull['health'],
    healthDetail:
      previousDetail && typeof previousDetail === 'object'
        ? (previousDetail as Record<string, unknown>)
        : null,
  };
}

export function createEmailAddressService(deps: EmailAddressServiceDeps) {
  const now = deps.now ?? (() => new Date());

  const employeesManageOwn = async (workspaceId: string) =>
    (await deps.workspaces.findById(workspaceId))?.employeesManageOwnAddresses ?? true;

  /** The scope addressed by a URL: the company list, or an existing employee's list (404 otherwise). */
  const resolveScope = async (actor: Actor, ownerEmployeeId: string | null): Promise<AddressScope> => {
    if (ownerEmployeeId === null) return { scope: 'company' };
    const owner = await deps.employees.findById(actor.workspaceId, ownerEmployeeId);
    if (!owner) throw notFound('employee', ownerEmployeeId);
    return { scope: 'employee', ownerEmployeeId };
  };

  const load = async (actor: Actor, scope: AddressScope, id: string): Promise<EmailAddressFull> => {
    const row = await deps.addresses.findById(actor.workspaceId, id);
    const inScope =
      row &&
      row.scope === scope.scope &&
      (scope.scope === 'company' || row.ownerEmployeeId === scope.ownerEmployeeId);
    if (!row || !inScope) throw notFound('email address', id);
    return row;
  };

  const checkReferences = async (
    actor: Actor,
    scope: AddressScope,
    s: AddressState,
    issues: FieldIssue[],
  ) => {
    const projectIds = [...s.projectIds, ...(s.options.newMailProjectId ? [s.options.newMailProjectId] : [])];
    const [projects, groups, employees] = await Promise.all([
      deps.projects.existingIds(actor.workspaceId, projectIds),
      deps.groups.existingIds(actor.workspaceId, s.access.groupIds),
      deps.employeeIds(actor.workspaceId, s.access.employeeIds),
    ]);
    s.projectIds.forEach((id, i) => {
      if (!projects.has(id)) issues.push({ path: `/body/projectIds/${i}`, code: 'unknown_reference' });
    });
    if (s.options.newMailProjectId && !projects.has(s.options.newMailProjectId)) {
      issues.push({ path: '/body/options/newMailProjectId', code: 'unknown_reference' });
    }
    if (scope.scope === 'employee' && (s.access.employeeIds.length > 0 || s.access.groupIds.length > 0)) {
      issues.push({ path: '/body/access', code: 'not_allowed' }); // access lists are for company addresses (M13)
    }
    s.access.groupIds.forEach((id, i) => {
      if (!groups.has(id)) issues.push({ path: `/body/access/groupIds/${i}`, code: 'unknown_reference' });
    });
    s.access.employeeIds.forEach((id, i) => {
      if (!employees.has(id))
        issues.push({ path: `/body/access/employeeIds/${i}`, code: 'unknown_reference' });
    });
  };

  const requireToken = (actor: Actor, s: AddressState, secret: string, token: string | undefined) => {
    const fp = connectionFingerprint(connectionFieldsOf(s), secret);
    if (!token || !verifyTestToken(deps.testTokenKey(), token, actor.workspaceId, fp, now()))
      throw new AppError('TEST_REQUIRED');
  };

  const columns = (
    s: AddressState,
  ): Omit<EmailAddressInsert, 'workspaceId' | 'scope' | 'login'> & { login: string } => ({
    email: s.email,
    displayName: s.displayName,
    replyTo: s.replyTo,
    signatureHtml: s.signatureHtml,
    signatureText: s.signatureText,
    presetId: s.presetId,
    login: s.login,
    smtpHost: s.smtp.host,
    smtpPort: s.smtp.port,
    smtpSecurity: s.smtp.security,
    smtpPinnedCert: s.smtp.pinnedCert,
    incomingProtocol: s.incoming.protocol,
    incomingHost: s.incoming.host,
    incomingPort: s.incoming.port,
    incomingSecurity: s.incoming.security,
    incomingPinnedCert: s.incoming.pinnedCert,
    collectReplies: s.options.collectReplies,
    leaveOnServer: s.options.leaveOnServer,
    deleteAfterDays: s.options.deleteAfterDays,
    createTasksFromNewMail: s.options.createTasksFromNewMail,
    newMailProjectId: s.options.newMailProjectId,
    bccSelf: s.options.bccSelf,
    active: s.active,
  });

  return {
    resolveScope,

    /** One page of a list; for non-admins the company list holds only addresses they may use (SQL filter = canView). */
    async list(actor: Actor, ownerEmployeeId: string | null, page: Page) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      if (scope.scope === 'employee') {
        if (actor.role !== 'admin' && actor.employeeId !== scope.ownerEmployeeId)
          throw new AppError('FORBIDDEN');
        return deps.addresses.listOfEmployee(actor.workspaceId, scope.ownerEmployeeId, page);
      }
      const viewer = actor.role === 'admin' ? null : actor.employeeId;
      return deps.addresses.listCompany(actor.workspaceId, page, viewer);
    },

    async get(actor: Actor, ownerEmployeeId: string | null, id: string) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      const row = await load(actor, scope, id);
      const groups =
        actor.role === 'admin' ? [] : await deps.addresses.groupIdsOf(actor.workspaceId, actor.employeeId);
      if (!canView(actor, row, groups)) throw new AppError('FORBIDDEN');
      return row;
    },

    async create(actor: Actor, ownerEmployeeId: string | null, input: AddressInput) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      requireManage(actor, scope, await employeesManageOwn(actor.workspaceId));
      const { state, issues } = mergeAddressInput(null, input, deps);
      if (!input.password) issues.push({ path: '/body/password', code: 'required' });
      await checkReferences(actor, scope, state, issues);
      if (issues.length > 0) throw validationFailed(issues);
      requireToken(actor, state, input.password!, input.testToken);
      const id = randomUUID();
      await deps.transaction(async (tx) => {
        await deps.addresses.insert(
          {
            id,
            workspaceId: actor.workspaceId,
            scope: scope.scope,
            ownerEmployeeId: scope.scope === 'employee' ? scope.ownerEmployeeId : null,
            ...columns(state),
            passwordEnc: deps.secretBox.encrypt(input.password!, secretCtx(actor.workspaceId, id)),
            health: state.active ? 'ok' : 'disabled',
            lastTestOkAt: now(),
          },
          tx,
        );
        await deps.addresses.replaceProjects(actor.workspaceId, id, state.projectIds, tx);
        await deps.addresses.replaceAccess(actor.workspaceId, id, state.access, tx);
        await deps.audit.record(
          actor,
          {
            action: 'email_address.created',
            targetType: 'email_address',
            targetId: id,
            details: {
              scope: scope.scope,
              email: state.email,
              smtpHost: state.smtp.host,
              incomingHost: state.incoming.host,
            },
          },
          tx,
        );
      });
      return (await deps.addresses.findById(actor.workspaceId, id))!;
    },

    async update(actor: Actor, ownerEmployeeId: string | null, id: string, input: AddressInput) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      const row = await load(actor, scope, id);
      requireManage(actor, scope, await employeesManageOwn(actor.workspaceId));
      const before = stateOfRow(row);
      const { state, issues } = mergeAddressInput(before, input, deps);
      await checkReferences(actor, scope, state, issues);
      const moved = endpointChanged(before, state);
      if (moved && !input.password)
        issues.push({ path: '/body/password', code: 'password_required_after_change' });
      if (issues.length > 0) throw validationFailed(issues);
      const passwordChanged = input.password !== undefined;
      if (connectionChanged(before, state) || passwordChanged) {
        const secret =
          input.password ??
          (row.passwordEnc
            ? deps.secretBox.decrypt(row.passwordEnc, secretCtx(row.workspaceId, row.id))
            : '');
        requireToken(actor, state, secret, input.testToken);
      }
      const review = restrictionReview(row, input);
      if (!before.active && state.active && review.pending) {
        throw new AppError('RESTRICTION_REVIEW_REQUIRED', {
          params: { reason: review.pending },
          details: { reason: review.pending },
        });
      }
      const changed = changedAddressFields(before, state, passwordChanged);
      await deps.transaction(async (tx) => {
        await deps.addresses.update(
          actor.workspaceId,
          id,
          {
            ...columns(state),
            ...(passwordChanged
              ? { passwordEnc: deps.secretBox.encrypt(input.password!, secretCtx(actor.workspaceId, id)) }
              : {}),
            ...(review.cleared ? { healthDetail: review.cleared } : {}),
            ...(before.active !== state.active
              ? toggledHealth({ ...row, healthDetail: review.cleared ?? row.healthDetail }, state.active)
              : {}),
            ...(connectionChanged(before, state) || passwordChanged
              ? { lastTestOkAt: now(), health: state.active ? 'ok' : 'disabled', healthDetail: null }
              : {}),
          },
          tx,
        );
        await deps.addresses.replaceProjects(actor.workspaceId, id, state.projectIds, tx);
        await deps.addresses.replaceAccess(actor.workspaceId, id, state.access, tx);
        if (before.active !== state.active) {
          await deps.audit.record(
            actor,
            {
              action: state.active ? 'email_address.enabled' : 'email_address.disabled',
              targetType: 'email_address',
              targetId: id,
              details: { email: state.email },
            },
            tx,
          );
        }
        const rest = changed.filter((c) => c !== 'active');
        if (rest.length > 0) {
          await deps.audit.record(
            actor,
            {
              action: 'email_address.updated',
              targetType: 'email_address',
              targetId: id,
              details: { email: state.email, changed: rest },
            },
            tx,
          );
        }
      });
      return (await deps.addresses.findById(actor.workspaceId, id))!;
    },

    async remove(actor: Actor, ownerEmployeeId: string | null, id: string) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      const row = await load(actor, scope, id);
      requireManage(actor, scope, await employeesManageOwn(actor.workspaceId));
      await deps.transaction(async (tx) => {
        await deps.addresses.delete(actor.workspaceId, id, tx);
        await deps.audit.record(
          actor,
          {
            action: 'email_address.deleted',
            targetType: 'email_address',
            targetId: id,
            details: { email: row.email },
          },
          tx,
        );
      });
    },
  };
}

export type EmailAddressService = ReturnType<typeof createEmailAddressService>;
