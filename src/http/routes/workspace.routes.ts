import { Type } from 'typebox';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import { requireAdmin } from '../../services/access.js';
import type { AuditRecorder } from '../../services/audit/audit-recorder.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, Line, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

const Workspace = Type.Object({ id: Uuid, name: Type.String(), employeesManageOwnAddresses: Type.Boolean() });

/** The caller's workspace and its settings (M48: may employees manage their own addresses). */
export function workspaceRoutes(app: App, deps: { workspaces: WorkspaceRepository; audit: AuditRecorder }) {
  const tags = ['workspace'];
  const present = (w: { id: string; name: string; employeesManageOwnAddresses: boolean }) => ({
    id: w.id,
    name: w.name,
    employeesManageOwnAddresses: w.employeesManageOwnAddresses,
  });
  app.get(
    '/api/workspace',
    { preHandler: requireAuth, schema: { tags, response: { 200: Workspace, ...errors(401) } } },
    async (req) => present((await deps.workspaces.findById(actorOf(req).workspaceId))!),
  );
  app.patch(
    '/api/workspace',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        body: Type.Object(
          { name: Type.Optional(Line(200, 1)), employeesManageOwnAddresses: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Workspace, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      requireAdmin(actor);
      const updated = await deps.workspaces.update(actor.workspaceId, req.body);
      await deps.audit.record(actor, {
        action: 'workspace.updated',
        targetType: 'workspace',
        targetId: actor.workspaceId,
        details: { changed: Object.keys(req.body) },
      });
      return present(updated);
    },
  );
}
