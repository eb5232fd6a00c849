import type { EmployeeRepository } from '../../db/repositories/employee.repository.js';
import type { GroupRepository } from '../../db/repositories/group.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { type FieldIssue, notFound, refuseBlank, validationFailed } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { requireAdmin } from '../access.js';
import { type AuditRecorder, changedFields } from '../audit/audit-recorder.js';
import type { BeforeRestrictionDeleted } from '../mailbox/restriction-guard.js';

export interface GroupInput {
  name?: string;
  description?: string;
  memberIds?: string[];
}

interface Deps {
  /** Keeps addresses restricted to what is being deleted from widening (M13, M24). */
  beforeRestrictionDeleted?: BeforeRestrictionDeleted;
  groups: GroupRepository;
  employees: Pick<EmployeeRepository, 'existingIds'>;
  audit: AuditRecorder;
  transaction: RunInTransaction;
}

export function createGroupService(deps: Deps) {
  const checkMembers = async (workspaceId: string, memberIds: string[] | undefined) => {
    if (!memberIds) return;
    const found = await deps.employees.existingIds(workspaceId, memberIds);
    const issues: FieldIssue[] = [];
    memberIds.forEach((id, i) => {
      if (!found.has(id)) issues.push({ path: `/body/memberIds/${i}`, code: 'unknown_reference' });
    });
    if (issues.length > 0) throw validationFailed(issues);
  };

  return {
    list: (actor: Actor, page: Page) => deps.groups.list(actor.workspaceId, page),

    async get(actor: Actor, id: string) {
      const row = await deps.groups.findById(actor.workspaceId, id);
      if (!row) throw notFound('group', id);
      return row;
    },

    async create(actor: Actor, input: GroupInput & { name: string }) {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      await checkMembers(actor.workspaceId, input.memberIds);
      const id = await deps.transaction(async (tx) => {
        const row = await deps.groups.insert(
          { workspaceId: actor.workspaceId, name: input.name.trim(), description: input.description ?? '' },
          tx,
        );
        if (input.memberIds) await deps.groups.replaceMembers(actor.workspaceId, row.id, input.memberIds, tx);
        await deps.audit.record(
          actor,
          { action: 'group.created', targetType: 'group', targetId: row.id },
          tx,
        );
        return row.id;
      });
      return this.get(actor, id);
    },

    async update(actor: Actor, id: string, input: GroupInput) {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      const before = await this.get(actor, id);
      await checkMembers(actor.workspaceId, input.memberIds);
      const patch = { name: input.name?.trim(), description: input.description };
      const changed = changedFields(before, patch);
      if (input.memberIds) changed.push('memberIds');
      await deps.transaction(async (tx) => {
        await deps.groups.update(actor.workspaceId, id, patch, tx);
        if (input.memberIds) await deps.groups.replaceMembers(actor.workspaceId, id, input.memberIds, tx);
        await deps.audit.record(
          actor,
          { action: 'group.updated', targetType: 'group', targetId: id, details: { changed } },
          tx,
        );
      });
      return this.get(actor, id);
    },

    async remove(actor: Actor, id: string) {
      requireAdmin(actor);
      const group = await this.get(actor, id);
      await deps.transaction(async (tx) => {
        await deps.beforeRestrictionDeleted?.(actor, { kind: 'group', id, name: group.name }, tx);
        await deps.groups.delete(actor.workspaceId, id, tx);
        await deps.audit.record(actor, { action: 'group.deleted', targetType: 'group', targetId: id }, tx);
      });
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
