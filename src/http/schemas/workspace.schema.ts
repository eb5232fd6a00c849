import { type Static, Type } from 'typebox';
import { Language, NameLine, Uuid } from './common.js';

/** Company name limit; the settings form checks the same number. */
export const WORKSPACE_NAME_MAX = 200;

/** The caller's workspace and its settings (issue 8 item 1; M48), as GET/PATCH /api/workspace answer. */
export const WorkspaceSettings = Type.Object({
  id: Uuid,
  name: Type.String(),
  defaultLanguage: Language,
  employeesManageOwnAddresses: Type.Boolean(),
  /** M29: all notified contacts of a comment in one email instead of one email each. */
  oneEmailForAllRecipients: Type.Boolean(),
  /** False until an admin first saves the settings: the UI invites naming the company. */
  settingsConfirmed: Type.Boolean(),
});

export const WorkspacePatchBody = Type.Object(
  {
    name: Type.Optional(NameLine(WORKSPACE_NAME_MAX, 1)),
    defaultLanguage: Type.Optional(Language),
    employeesManageOwnAddresses: Type.Optional(Type.Boolean()),
    oneEmailForAllRecipients: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type WorkspaceSettingsView = Static<typeof WorkspaceSettings>;
export type WorkspacePatch = Static<typeof WorkspacePatchBody>;
