/**
 * Port to the OAuth 2.0 / OpenID Connect authorization servers mailboxes sign in with (M47).
 * The adapter (src/mail/oauth/) speaks to Google and Microsoft through oauth4webapi; services
 * see only these shapes. Tokens cross this port in memory only, never into logs or responses.
 */
export type OAuthProviderId = 'google' | 'microsoft';

export interface TokenSet {
  accessToken: string;
  /** Seconds the access token is valid for, as the server said (relative: immune to clock skew). */
  expiresIn: number;
  /** Present on the first exchange and whenever the server rotates it. */
  refreshToken?: string;
  scope?: string;
}

export interface ConnectedIdentity extends TokenSet {
  refreshToken: string;
  /** The ID token's `sub`. */
  subject: string;
  /** The mailbox: `email` (Google) or `preferred_username`/`email` (Microsoft), lower-case. */
  email: string;
}

export interface AuthorizationRequest {
  state: string;
  codeChallenge: string;
  nonce: string;
  redirectUri: string;
  /** Pre-fills the provider's account chooser when reconnecting a known mailbox. */
  loginHint?: string;
}

export interface CodeExchange {
  /** The full callback URL the browser was sent back to. */
  callbackUrl: URL;
  expectedState: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
}

/**
 * Why a token-endpoint call failed: `invalid_grant` (revoked, expired, or the PKCE/code did
 * not match: the grant is gone), `temporary` (5xx, timeouts, network: try again later, status
 * unchanged), `rejected` (anything else the server refused, e.g. a bad client secret or a
 * state mismatch: someone must fix configuration or start again).
 */
export type OAuthFailureKind = 'invalid_grant' | 'temporary' | 'rejected';

export class OAuthEndpointError extends Error {
  constructor(
    readonly kind: OAuthFailureKind,
    /** The OAuth `error` code or a short technical reason; never a token. */
    readonly reason: string,
  ) {
    super(`OAuth ${kind}: ${reason}`);
    this.name = 'OAuthEndpointError';
  }
}

export interface OAuthProviders {
  /** Providers the operator configured client credentials for; no buttons for the rest. */
  configured(): OAuthProviderId[];
  authorizationUrl(provider: OAuthProviderId, req: AuthorizationRequest): Promise<URL>;
  exchangeCode(
    provider: OAuthProviderId,
    req: CodeExchange,
    signal?: AbortSignal,
  ): Promise<ConnectedIdentity>;
  refresh(provider: OAuthProviderId, refreshToken: string, signal?: AbortSignal): Promise<TokenSet>;
}
