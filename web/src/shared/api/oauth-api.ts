import type {
  OAuthGrantView,
  OAuthProviderName,
  OAuthProvidersView,
  OAuthStartedView,
  OAuthStartInput,
} from '../../../../src/http/schemas/oauth.schema';
import { apiRequest } from './http-client';

/** OAuth providers mailroom can connect mailboxes with (M47). */
export type OAuthProvider = OAuthProviderName;

/** A connected mailbox: `email` is the one the provider's ID token named. */
export type OAuthGrant = OAuthGrantView;

/** Calls of "Connect with Google/Microsoft" (never returns tokens). */
export const oauthApi = {
  /** Providers the operator configured; empty when none (then there are no buttons). */
  providers: (signal?: AbortSignal) =>
    apiRequest<OAuthProvidersView>('GET', '/api/oauth/providers', { signal }).then((r) => r.providers),
  start: (body: OAuthStartInput) => apiRequest<OAuthStartedView>('POST', '/api/oauth/start', { body }),
  grant: (id: string, signal?: AbortSignal) =>
    apiRequest<OAuthGrant>('GET', `/api/oauth/grants/${encodeURIComponent(id)}`, { signal }),
};
