import type { AuditLogService } from '../../services/audit/audit-log.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { AuditEntry, AuditQuery } from '../schemas/audit.schema.js';
import { errors, PageOf } from '../schemas/common.js';
import { flatJson } from '../schemas/flat-json.js';
import type { App } from './types.js';

/** M49: admins read the audit log, newest first, with filters. */
export function auditRoutes(app: App, audit: AuditLogService) {
  app.get(
    '/api/audit-log',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: PageOf(AuditEntry), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await audit.list(actorOf(req), {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return {
        items: r.items.map((e) => ({
          id: e.id,
          actorEmployeeId: e.actorEmployeeId,
          actorName: e.actorName,
          action: e.action,
          targetType: e.targetType,
          targetId: e.targetId,
          details: flatJson(e.details),
          createdAt: e.createdAt.toISOString(),
        })),
        total: r.total,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );
}
