import { apiRequest } from '../../shared/api/http-client';
import type { Language } from '../../shared/api/types';

export interface WorkspaceSettings {
  id: string;
  name: string;
  defaultLanguage: Language;
  employeesManageOwnAddresses: boolean;
  oneEmailForAllRecipients: boolean;
  /** False until an admin first saves these settings. */
  settingsConfirmed: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  employeeId: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** Query key shared with the address lists (they read the M48 switch). */
export const WORKSPACE_KEY = ['workspace'] as const;
export const TOKENS_KEY = ['api-tokens'] as const;
/** The server's limits (src/http/routes/workspace.routes.ts, session.routes.ts). */
export const WORKSPACE_NAME_MAX = 200;
export const TOKEN_NAME_MAX = 100;

export const settingsApi = {
  get: (signal?: AbortSignal) => apiRequest<WorkspaceSettings>('GET', '/api/workspace', { signal }),
  update: (
    body: Partial<
      Pick<
        WorkspaceSettings,
        'name' | 'defaultLanguage' | 'employeesManageOwnAddresses' | 'oneEmailForAllRecipients'
      >
    >,
  ) => apiRequest<WorkspaceSettings>('PATCH', '/api/workspace', { body }),
  tokens: (signal?: AbortSignal) =>
    apiRequest<{ items: ApiToken[] }>('GET', '/api/tokens', { signal }).then((r) => r.items),
  createToken: (name: string) =>
    apiRequest<ApiToken & { token: string }>('POST', '/api/tokens', { body: { name } }),
  revokeToken: (id: string) => apiRequest<void>('DELETE', `/api/tokens/${id}`),
};
