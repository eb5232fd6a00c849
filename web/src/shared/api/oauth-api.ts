import { apiRequest } from './http-client';

/** OAuth providers mailroom can connect mailboxes with (M47). */
export type OAuthProvider = 'google' | 'microsoft';

export interface OAuthGrant {
  id: string;
  provider: OAuthProvider;
  /** The mailbox the provider's ID token named. */
  email: string;
  addressId: string | null;
}

/** Calls of "Connect with Google/Microsoft" (never returns tokens). */
export const oauthApi = {
  /** Providers the operator configured; empty when none (then there are no buttons). */
  providers: (signal?: AbortSignal) =>
    apiRequest<{ providers: OAuthProvider[] }>('GET', '/api/oauth/providers', { signal }).then(
      (r) => r.providers,
    ),
  start: (body: { provider: OAuthProvider; addressId?: string; returnPath: string }) =>
    apiRequest<{ authorizationUrl: string }>('POST', '/api/oauth/start', { body }),
  grant: (id: string, signal?: AbortSignal) =>
    apiRequest<OAuthGrant>('GET', `/api/oauth/grants/${encodeURIComponent(id)}`, { signal }),
};
