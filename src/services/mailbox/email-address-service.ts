import { randomUUID } from 'node:crypto';
import type {
  EmailAddressFull,
  EmailAddressRepository,
} from '../../db/repositories/email-address.repository.js';
import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { GroupRepository } from '../../db/repositories/group.repository.js';
import type { ProjectRepository } from '../../db/repositories/project.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { AppError, type FieldIssue, notFound, validationFailed } from '../../domain/errors.js';
import { initialHealth } from '../../domain/mailbox/address-health.js';
import { encodeHealth } from '../../domain/mailbox/address-health-codec.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { OAuthCredentials } from '../oauth/oauth-credentials.js';
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
import { addressColumns, healthAfterUpdate } from './email-address-row-values.js';
import { oauthAddressIssues } from './oauth-address-guard.js';
import { senderIssues } from './sender-guard.js';
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
  /** OAuth mailboxes (M47): saving with `oauthGrantId` attaches the grant the test vouched for. */
  oauth?: Pick<OAuthCredentials, 'grantFor' | 'fingerprintSecret' | 'attach' | 'detach' | 'hostAllowed'>;
  now?: () => Date;
}

const secretCtx = (workspaceId: string, rowId: string) => ({ workspaceId, rowId, field: 'password' });

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

  /**
   * One mailbox, one row per list (issue 8): a second save of the same email in the same list
   * is refused with a pointer to the existing row. The unique index backs this up under races.
   */
  const rejectDuplicate = async (
    actor: Actor,
    scope: AddressScope,
    email: string,
    exceptId: string | null,
  ) => {
    const existing = await deps.addresses.findInList(actor.workspaceId, scope, email, exceptId);
    if (!existing) return;
    const owner = scope.scope === 'employee' ? scope.ownerEmployeeId : null;
    throw new AppError('ADDRESS_EXISTS', {
      params: { email: existing.email },
      details: {
        existing: {
          id: existing.id,
          email: existing.email,
          scope: scope.scope,
          ownerEmployeeId: owner,
          href: owner
            ? `/api/employees/${owner}/email-addresses/${existing.id}`
            : `/api/company/email-addresses/${existing.id}`,
        },
      },
    });
  };
  /** The write lost a race to a concurrent save of the same mailbox: name the row that won. */
  const explainDuplicate = async (
    error: unknown,
    actor: Actor,
    scope: AddressScope,
    email: string,
    exceptId: string | null,
  ) => {
    if (error instanceof AppError && error.code === 'ADDRESS_EXISTS' && error.details === undefined)
      await rejectDuplicate(actor, scope, email, exceptId);
    throw error;
  };

  const requireToken = (
    actor: Actor,
    s: AddressState,
    secret: string,
    token: string | undefined,
    authType: 'password' | 'oauth2' = 'password',
  ) => {
    const fp = connectionFingerprint({ ...connectionFieldsOf(s), authType }, secret);
    if (!token || !verifyTestToken(deps.testTokenKey(), token, actor.workspaceId, fp, now()))
      throw new AppError('TEST_REQUIRED');
  };

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
      const ws = await deps.workspaces.findById(actor.workspaceId);
      requireManage(actor, scope, ws?.employeesManageOwnAddresses ?? true);
      const { state, issues } = mergeAddressInput(null, input, deps, { sandbox: ws?.sandbox === true });
      const grant =
        input.oauthGrantId && deps.oauth ? await deps.oauth.grantFor(actor, input.oauthGrantId, null) : null;
      if (grant) {
        state.login = grant.email;
        issues.push(...oauthAddressIssues(deps.oauth!, grant, null, state));
      } else if (!input.password) issues.push({ path: '/body/password', code: 'required' });
      issues.push(...(await senderIssues(deps.employees, actor, scope, state, null)));
      await checkReferences(actor, scope, state, issues);
      if (issues.length > 0) throw validationFailed(issues);
      await rejectDuplicate(actor, scope, state.email, null);
      if (grant) requireToken(actor, state, deps.oauth!.fingerprintSecret(grant), input.testToken, 'oauth2');
      else requireToken(actor, state, input.password!, input.testToken);
      const id = randomUUID();
      await deps
        .transaction(async (tx) => {
          await deps.addresses.insert(
            {
              id,
              workspaceId: actor.workspaceId,
              scope: scope.scope,
              ownerEmployeeId: scope.scope === 'employee' ? scope.ownerEmployeeId : null,
              ...addressColumns(state),
              ...(grant
                ? { authType: 'oauth2' as const, passwordEnc: null }
                : { passwordEnc: deps.secretBox.encrypt(input.password!, secretCtx(actor.workspaceId, id)) }),
              ...encodeHealth(initialHealth(state.active, now().toISOString())),
              lastTestOkAt: now(),
            },
            tx,
          );
          if (grant) await deps.oauth!.attach(actor.workspaceId, grant.id, id, tx);
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
        })
        .catch((e: unknown) => explainDuplicate(e, actor, scope, state.email, null));
      return (await deps.addresses.findById(actor.workspaceId, id))!;
    },

    async update(actor: Actor, ownerEmployeeId: string | null, id: string, input: AddressInput) {
      const scope = await resolveScope(actor, ownerEmployeeId);
      const row = await load(actor, scope, id);
      const ws = await deps.workspaces.findById(actor.workspaceId);
      requireManage(actor, scope, ws?.employeesManageOwnAddresses ?? true);
      const before = stateOfRow(row);
      const { state, issues } = mergeAddressInput(before, input, deps, { sandbox: ws?.sandbox === true });
      await checkReferences(actor, scope, state, issues);
      // OAuth (M47): a new grant (connect or reconnect), or the address's own while it stays OAuth.
      const oauthRow = row.authType === 'oauth2' && input.password === undefined;
      const grant =
        deps.oauth && (input.oauthGrantId || oauthRow)
          ? await deps.oauth.grantFor(actor, input.oauthGrantId ?? null, row.id)
          : null;
      if (grant) {
        state.login = grant.email;
        issues.push(...oauthAddressIssues(deps.oauth!, grant, { id: row.id, state: before }, state));
      }
      issues.push(...(await senderIssues(deps.employees, actor, scope, state, row.email)));
      const newGrant = grant !== null && grant.addressId !== row.id;
      const moved = endpointChanged(before, state);
      if (moved && !input.password && !grant)
        issues.push({ path: '/body/password', code: 'password_required_after_change' });
      if (issues.length > 0) throw validationFailed(issues);
      if (state.email.toLowerCase() !== before.email.toLowerCase())
        await rejectDuplicate(actor, scope, state.email, id);
      const passwordChanged = input.password !== undefined;
      if (grant && (connectionChanged(before, state) || newGrant)) {
        requireToken(actor, state, deps.oauth!.fingerprintSecret(grant), input.testToken, 'oauth2');
      } else if (!grant && (connectionChanged(before, state) || passwordChanged)) {
        const secret =
          input.password ??
          (row.passwordEnc
            ? deps.secretBox.decrypt(row.passwordEnc, secretCtx(row.workspaceId, row.id))
            : '');
        requireToken(actor, state, secret, input.testToken);
      }
      const verified = connectionChanged(before, state) || passwordChanged || newGrant;
      const health = healthAfterUpdate(
        row,
        input,
        { verified, active: before.active !== state.active ? state.active : null },
        now().toISOString(),
      );
      const changed = changedAddressFields(before, state, passwordChanged);
      if (newGrant) changed.push('oauth');
      await deps
        .transaction(async (tx) => {
          await deps.addresses.update(
            actor.workspaceId,
            id,
            {
              ...addressColumns(state),
              ...(passwordChanged
                ? {
                    authType: 'password' as const,
                    passwordEnc: deps.secretBox.encrypt(input.password!, secretCtx(actor.workspaceId, id)),
                  }
                : {}),
              ...(newGrant ? { authType: 'oauth2' as const, passwordEnc: null } : {}),
              ...encodeHealth(health),
              active: health.status !== 'disabled',
              ...(verified ? { lastTestOkAt: now() } : {}),
            },
            tx,
          );
          await deps.addresses.replaceProjects(actor.workspaceId, id, state.projectIds, tx);
          await deps.addresses.replaceAccess(actor.workspaceId, id, state.access, tx);
          if (newGrant) await deps.oauth!.attach(actor.workspaceId, grant!.id, id, tx);
          else if (passwordChanged && row.authType === 'oauth2')
            await deps.oauth?.detach(actor.workspaceId, id, tx);
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
        })
        .catch((e: unknown) => explainDuplicate(e, actor, scope, state.email, id));
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
