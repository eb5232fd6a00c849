import type { ProjectRepository } from '../../db/repositories/project.repository.js';
import type { Actor, Page } from '../../domain/actor.js';
import { notFound, refuseBlank } from '../../domain/errors.js';
import type { RunInTransaction } from '../../ports/transaction.js';
import { requireAdmin } from '../access.js';
import { type AuditRecorder, changedFields } from '../audit/audit-recorder.js';
import type { BeforeRestrictionDeleted } from '../mailbox/restriction-guard.js';

export interface ProjectInput {
  name?: string;
  description?: string;
  archived?: boolean;
}

export function createProjectService(deps: {
  projects: ProjectRepository;
  audit: AuditRecorder;
  transaction: RunInTransaction;
  /** Keeps addresses bound only to a deleted project from becoming "all projects" (M13, M24). */
  beforeRestrictionDeleted?: BeforeRestrictionDeleted;
}) {
  return {
    list: (actor: Actor, page: Page) => deps.projects.list(actor.workspaceId, page),

    async get(actor: Actor, id: string) {
      const row = await deps.projects.findById(actor.workspaceId, id);
      if (!row) throw notFound('project', id);
      return row;
    },

    async create(actor: Actor, input: ProjectInput & { name: string }) {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      return deps.transaction(async (tx) => {
        const row = await deps.projects.insert(
          {
            workspaceId: actor.workspaceId,
            name: input.name.trim(),
            description: input.description ?? '',
            archived: input.archived ?? false,
          },
          tx,
        );
        await deps.audit.record(
          actor,
          { action: 'project.created', targetType: 'project', targetId: row.id },
          tx,
        );
        return row;
      });
    },

    async update(actor: Actor, id: string, input: ProjectInput) {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      const before = await this.get(actor, id);
      const patch = { name: input.name?.trim(), description: input.description, archived: input.archived };
      return deps.transaction(async (tx) => {
        const row = await deps.projects.update(actor.workspaceId, id, patch, tx);
        const changed = changedFields(before, patch);
        await deps.audit.record(
          actor,
          { action: 'project.updated', targetType: 'project', targetId: id, details: { changed } },
          tx,
        );
        return row!;
      });
    },

    async remove(actor: Actor, id: string) {
      requireAdmin(actor);
      const project = await this.get(actor, id);
      await deps.transaction(async (tx) => {
        await deps.beforeRestrictionDeleted?.(actor, { kind: 'project', id, name: project.name }, tx);
        await deps.projects.delete(actor.workspaceId, id, tx);
        await deps.audit.record(
          actor,
          { action: 'project.deleted', targetType: 'project', targetId: id },
          tx,
        );
      });
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
