import { Type } from 'typebox';
import type { AuditRepository } from '../../db/repositories/audit.repository.js';
import { requireAdmin } from '../../services/access.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, Line, PageOf, Timestamp, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

const AuditEntry = Type.Object({
  id: Uuid,
  actorEmployeeId: Type.Union([Uuid, Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Uuid, Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

/** M49: admins read the audit log, newest first, with filters. */
export function auditRoutes(app: App, audit: Pick<AuditRepository, 'list'>) {
  app.get(
    '/api/audit-log',
    {
      preHandler: requireAuth,
      schema: {
        tags: ['audit'],
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
            action: Type.Optional(Line(100)),
            targetType: Type.Optional(Line(50)),
            targetId: Type.Optional(Uuid),
            actorEmployeeId: Type.Optional(Uuid),
            from: Type.Optional(Timestamp),
            to: Type.Optional(Timestamp),
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(AuditEntry), ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      requireAdmin(actor);
      const q = req.query;
      const r = await audit.list(actor.workspaceId, {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return {
        items: r.items.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
        total: r.total,
        limit: q.limit,
        offset: q.offset,
      };
    },
  );
}
