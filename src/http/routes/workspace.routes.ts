import { Type } from 'typebox';
import type { WorkspaceRow } from '../../db/repositories/workspace.repository.js';
import type { WorkspaceSettingsService } from '../../services/workspace-settings.js';
import { actorOf, requireAuth } from '../plugins/auth.js';
import { errors, Language, NameLine, Uuid } from '../schemas/common.js';
import type { App } from './types.js';

/** Company name limit; the settings form checks the same number. */
export const WORKSPACE_NAME_MAX = 200;

const Workspace = Type.Object({
  id: Uuid,
  name: Type.String(),
  defaultLanguage: Language,
  employeesManageOwnAddresses: Type.Boolean(),
  /** M29: all notified contacts of a comment in one email instead of one email each. */
  oneEmailForAllRecipients: Type.Boolean(),
  /** False until an admin first saves the settings: the UI invites naming the company. */
  settingsConfirmed: Type.Boolean(),
});

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
    { preHandler: requireAuth, schema: { tags, response: { 200: Workspace, ...errors(401) } } },
    async (req) => present(await deps.settings.get(actorOf(req))),
  );
  app.patch(
    '/api/workspace',
    {
      preHandler: requireAuth,
      schema: {
        tags,
        body: Type.Object(
          {
            name: Type.Optional(NameLine(WORKSPACE_NAME_MAX, 1)),
            defaultLanguage: Type.Optional(Language),
            employeesManageOwnAddresses: Type.Optional(Type.Boolean()),
            oneEmailForAllRecipients: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Workspace, ...errors(400, 401, 403) },
      },
    },
    async (req) => present(await deps.settings.update(actorOf(req), req.body)),
  );
}
