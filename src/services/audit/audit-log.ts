import type { AuditFilter, AuditRepository } from '../../db/repositories/audit.repository.js';
import type { Actor } from '../../domain/actor.js';
import { requireAdmin } from '../access.js';

/** Reading the audit log (M49): admins only, always the caller's workspace. */
export function createAuditLogService(deps: { audit: Pick<AuditRepository, 'list'> }) {
  return {
    async list(actor: Actor, filter: AuditFilter) {
      requireAdmin(actor);
      return deps.audit.list(actor.workspaceId, filter);
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
