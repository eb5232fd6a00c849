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
import {
  type AddressHealth,
  type HealthEvent,
  initialHealth,
  nextHealth,
} from '../../domain/mailbox/address-health.js';
import { decodeHealth, encodeHealth } from '../../domain/mailbox/address-health-codec.js';
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
 * Health after a settings change, through the typed transitions (M50): a passing test of
 * changed settings lifts a pause, disabling remembers the health it had, and enabling an
 * address whose access/project list was emptied needs that list stated again (the request
 * states it when it carries `access` / `projectIds`).
 */
function healthAfterUpdate(
  row: EmailAddressFull,
  input: AddressInput,
  change: { verified: boolean; active: boolean | null },
  at: string,
): AddressHealth {
  let health = decodeHealth(row.health, row.healthDetail);
  const events: HealthEvent[] = [];
  const r = health.restriction;
  if (r && (r.code === 'access_list_emptied' ? input.access !== undefined : input.projectIds !== undefined))
    events.push({ type: 'restriction_restated', at });
  if (change.verified) events.push({ type: 'settings_verified', at });
  if (change.active !== null) events.push({ type: change.active ? 'enabled' : 'disabled', at });
  for (const event of events) {
    const t = nextHealth(health, event);
    if (!t.ok) {
      throw new AppError('RESTRICTION_REVIEW_REQUIRED', {
        params: { reason: t.restriction.code },
        details: { reason: t.restriction.code },
      });
    }
    health = t.health;
  }
  return health;
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
            ...encodeHealth(initialHealth(state.active, now().toISOString())),
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
      const verified = connectionChanged(before, state) || passwordChanged;
      const health = healthAfterUpdate(
        row,
        input,
        { verified, active: before.active !== state.active ? state.active : null },
        now().toISOString(),
      );
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
            ...encodeHealth(health),
            active: health.status !== 'disabled',
            ...(verified ? { lastTestOkAt: now() } : {}),
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
