import type { WorkspaceRow } from '../../db/repositories/workspace.repository.js';
import type { WorkspaceSettingsService } from '../../services/workspace-settings.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors } from '../schemas/common.js';
import { WorkspacePatchBody, WorkspaceSettings } from '../schemas/workspace.schema.js';
import type { App } from './types.js';

const present = (w: WorkspaceRow) => ({
  id: w.id,
  name: w.name,
  defaultLanguage: w.defaultLanguage,
  employeesManageOwnAddresses: w.employeesManageOwnAddresses,
  oneEmailForAllRecipients: w.oneEmailForAllRecipients,
  settingsConfirmed: w.settingsConfirmedAt !== null,
});

/** The caller's workspace and its settings (issue 8 item 1; M48). */
export function workspaceRoutes(app: App, deps: { settings: WorkspaceSettingsService }) {
  const tags = ['workspace'];
  app.get(
    '/api/workspace',
    { preHandler: requireAuth, schema: { tags, response: { 200: WorkspaceSettings, ...errors(401) } } },
    async (req) => present(await deps.settings.get(actorOf(req))),
  );
  app.patch(
    '/api/workspace',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        body: WorkspacePatchBody,
        response: { 200: WorkspaceSettings, ...errors(400, 401, 403) },
      },
    },
    async (req) => present(await deps.settings.update(actorOf(req), req.body)),
  );
}
