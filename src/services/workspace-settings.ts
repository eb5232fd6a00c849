import type { WorkspaceRepository, WorkspaceRow } from '../db/repositories/workspace.repository.js';
import type { Actor } from '../domain/actor.js';
import { notFound, refuseBlank } from '../domain/errors.js';
import type { RunInTransaction } from '../ports/transaction.js';
import { requireAdmin } from './access.js';
import { type AuditRecorder, changedFields } from './audit/audit-recorder.js';

export interface WorkspaceSettingsInput {
  name?: string | undefined;
  defaultLanguage?: 'pl' | 'en' | undefined;
  employeesManageOwnAddresses?: boolean | undefined;
  oneEmailForAllRecipients?: boolean | undefined;
}

/**
 * Company settings (issue 8 item 1): name (the default sender name clients see), default
 * language of new employees, and whether employees manage their own addresses (M48). The first
 * save by an admin marks the settings as confirmed, which ends the UI's "name your company" invite.
 */
export function createWorkspaceSettingsService(deps: {
  workspaces: Pick<WorkspaceRepository, 'findById' | 'update' | 'lockById'>;
  audit: AuditRecorder;
  transaction: RunInTransaction;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return {
    async get(actor: Actor): Promise<WorkspaceRow> {
      const row = await deps.workspaces.findById(actor.workspaceId);
      if (!row) throw notFound('workspace', actor.workspaceId);
      return row;
    },

    async update(actor: Actor, input: WorkspaceSettingsInput): Promise<WorkspaceRow> {
      requireAdmin(actor);
      refuseBlank({ name: input.name });
      const patch = {
        name: input.name?.trim(),
        defaultLanguage: input.defaultLanguage,
        employeesManageOwnAddresses: input.employeesManageOwnAddresses,
        oneEmailForAllRecipients: input.oneEmailForAllRecipients,
      };
      return deps.transaction(async (tx) => {
        // Read under a row lock so the audit's "changed" list matches what this write changed.
        const before = await deps.workspaces.lockById(actor.workspaceId, tx);
        if (!before) throw notFound('workspace', actor.workspaceId);
        const changed = changedFields(before, patch);
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        const row = await deps.workspaces.update(
          actor.workspaceId,
          { ...defined, ...(before.settingsConfirmedAt ? {} : { settingsConfirmedAt: now() }) },
          tx,
        );
        await deps.audit.record(
          actor,
          {
            action: 'workspace.updated',
            targetType: 'workspace',
            targetId: actor.workspaceId,
            details: { changed },
          },
          tx,
        );
        return row;
      });
    },

    /** Language of a new employee when the admin did not choose one. */
    async defaultLanguage(workspaceId: string): Promise<'pl' | 'en'> {
      return (await deps.workspaces.findById(workspaceId))?.defaultLanguage ?? 'pl';
    },
  };
}

export type WorkspaceSettingsService = ReturnType<typeof createWorkspaceSettingsService>;
