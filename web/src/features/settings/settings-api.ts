import type {
  ApiTokenCreateInput,
  ApiTokenListView,
  ApiTokenView,
  CreatedApiTokenView,
} from '../../../../src/http/schemas/session.schema';
import type { WorkspacePatch, WorkspaceSettingsView } from '../../../../src/http/schemas/workspace.schema';
import { apiRequest } from '../../shared/api/http-client';

export type WorkspaceSettings = WorkspaceSettingsView;
export type ApiToken = ApiTokenView;

/** Query key shared with the address lists (they read the M48 switch). */
export const WORKSPACE_KEY = ['workspace'] as const;
export const TOKENS_KEY = ['api-tokens'] as const;
/** The server's limits (src/http/routes/workspace.routes.ts, session.routes.ts). */
export const WORKSPACE_NAME_MAX = 200;
export const TOKEN_NAME_MAX = 100;

export const settingsApi = {
  get: (signal?: AbortSignal) => apiRequest<WorkspaceSettings>('GET', '/api/workspace', { signal }),
  update: (body: WorkspacePatch) => apiRequest<WorkspaceSettings>('PATCH', '/api/workspace', { body }),
  tokens: (signal?: AbortSignal) =>
    apiRequest<ApiTokenListView>('GET', '/api/tokens', { signal }).then((r) => r.items),
  createToken: (name: string) => {
    const body: ApiTokenCreateInput = { name };
    return apiRequest<CreatedApiTokenView>('POST', '/api/tokens', { body });
  },
  revokeToken: (id: string) => apiRequest<void>('DELETE', `/api/tokens/${id}`),
};
