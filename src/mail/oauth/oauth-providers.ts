import * as oauth from 'oauth4webapi';
import type { OAuthConfig, OAuthProviderConfig } from '../../config/config.js';
import {
  type AuthorizationRequest,
  type CodeExchange,
  type ConnectedIdentity,
  OAuthEndpointError,
  type OAuthProviderId,
  type OAuthProviders,
  type TokenSet,
} from '../../ports/oauth-provider.js';

/**
 * Scopes per provider (README "OAuth"): Google has one scope for SMTP, POP3 and IMAP;
 * Microsoft one per protocol on the Exchange Online resource, plus offline_access for a
 * refresh token. `openid email profile` give the ID token that names the mailbox.
 */
export const OAUTH_SCOPES: Record<OAuthProviderId, string> = {
  google: 'openid email https://mail.google.com/',
  microsoft:
    'openid email profile offline_access https://outlook.office.com/SMTP.Send https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/IMAP.AccessAsUser.All',
};

/** Token-endpoint calls give up after this long (then count as temporary failures). */
const REQUEST_TIMEOUT_MS = 15_000;
/** ID tokens arrive straight from the token endpoint over TLS: a few minutes of clock drift are fine. */
const CLOCK_TOLERANCE_S = 300;
const MULTI_TENANT = /^(.*\/)(?:common|organizations|consumers)(\/v2\.0)\/?$/;

const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** oauth4webapi over the operator's client credentials; discovery is fetched once per provider. */
export function createOAuthProviders(config: OAuthConfig): OAuthProviders {
  const discovered = new Map<OAuthProviderId, Promise<oauth.AuthorizationServer>>();
  const cfgOf = (p: OAuthProviderId): OAuthProviderConfig => {
    const c = config[p];
    if (!c) throw new OAuthEndpointError('rejected', 'not_configured');
    return c;
  };
  // Plain http only for a loopback issuer (tests, a local authorization server).
  const insecure = (c: OAuthProviderConfig) => ({
    [oauth.allowInsecureRequests]: isLoopback(new URL(c.issuer)),
  });
  const client = (c: OAuthProviderConfig): oauth.Client => ({
    client_id: c.clientId,
    [oauth.clockTolerance]: CLOCK_TOLERANCE_S,
  });
  const timeout = (signal?: AbortSignal) =>
    signal
      ? AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)])
      : AbortSignal.timeout(REQUEST_TIMEOUT_MS);

  const server = (p: OAuthProviderId): Promise<oauth.AuthorizationServer> => {
    let as = discovered.get(p);
    if (!as) {
      as = discover(p, cfgOf(p));
      discovered.set(p, as);
      // A failed discovery is tried again on the next call.
      as.catch(() => discovered.delete(p));
    }
    return as;
  };

  const discover = async (p: OAuthProviderId, c: OAuthProviderConfig) => {
    const issuer = new URL(c.issuer);
    const res = await oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', signal: timeout(), ...insecure(c) })
      .catch(toEndpointError);
    // Microsoft's multi-tenant endpoints name a templated issuer (…/{tenantid}/v2.0); each ID
    // token carries its own tenant (`tid`).
    const m = p === 'microsoft' ? MULTI_TENANT.exec(c.issuer) : null;
    const multiTenant = m !== null;
    const expected = m ? new URL(`${m[1]}{tenantid}${m[2]}`) : issuer;
    const as = await oauth.processDiscoveryResponse(expected, res).catch(toEndpointError);
    if (multiTenant) {
      const template = as.issuer;
      // oauth4webapi's hook for templated issuers (what openid-client uses for Entra ID).
      const hook = (oauth as unknown as { _expectedIssuer: symbol })._expectedIssuer;
      (as as unknown as Record<symbol, unknown>)[hook] = (result: { claims: { tid?: unknown } }) =>
        typeof result.claims.tid === 'string' ? template.replace('{tenantid}', result.claims.tid) : template;
    }
    return as;
  };

  return {
    configured: () => (['google', 'microsoft'] as const).filter((p) => config[p] !== null),

    async authorizationUrl(p: OAuthProviderId, req: AuthorizationRequest) {
      const c = cfgOf(p);
      const as = await server(p);
      if (!as.authorization_endpoint) throw new OAuthEndpointError('rejected', 'no_authorization_endpoint');
      const url = new URL(as.authorization_endpoint);
      const q = url.searchParams;
      q.set('client_id', c.clientId);
      q.set('redirect_uri', req.redirectUri);
      q.set('response_type', 'code');
      q.set('scope', OAUTH_SCOPES[p]);
      q.set('state', req.state);
      q.set('nonce', req.nonce);
      q.set('code_challenge', req.codeChallenge);
      q.set('code_challenge_method', 'S256');
      if (req.loginHint) q.set('login_hint', req.loginHint);
      if (p === 'google') {
        // A refresh token is only issued for offline access, and again only after consent.
        q.set('access_type', 'offline');
        q.set('prompt', 'consent');
      } else {
        q.set('prompt', 'select_account');
      }
      return url;
    },

    async exchangeCode(
      p: OAuthProviderId,
      req: CodeExchange,
      signal?: AbortSignal,
    ): Promise<ConnectedIdentity> {
      const c = cfgOf(p);
      const as = await server(p);
      const cl = client(c);
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, cl, req.callbackUrl, req.expectedState);
      } catch (err) {
        if (err instanceof oauth.AuthorizationResponseError)
          throw new OAuthEndpointError('rejected', err.error);
        throw new OAuthEndpointError('rejected', 'state_mismatch');
      }
      try {
        const res = await oauth.authorizationCodeGrantRequest(
          as,
          cl,
          oauth.ClientSecretPost(c.clientSecret),
          params,
          req.redirectUri,
          req.codeVerifier,
          { signal: timeout(signal), ...insecure(c) },
        );
        const result = await oauth.processAuthorizationCodeResponse(as, cl, res, {
          expectedNonce: req.nonce,
          requireIdToken: true,
        });
        const claims = oauth.getValidatedIdTokenClaims(result)!;
        const email = [claims.email, claims.preferred_username].find(
          (v): v is string => typeof v === 'string' && v.includes('@'),
        );
        if (!email) throw new OAuthEndpointError('rejected', 'no_email_in_id_token');
        if (!result.refresh_token) throw new OAuthEndpointError('rejected', 'no_refresh_token');
        return {
          accessToken: result.access_token,
          expiresIn: result.expires_in ?? 3600,
          refreshToken: result.refresh_token,
          ...(result.scope ? { scope: result.scope } : {}),
          subject: claims.sub,
          email: email.toLowerCase(),
        };
      } catch (err) {
        return toEndpointError(err);
      }
    },

    async refresh(p: OAuthProviderId, refreshToken: string, signal?: AbortSignal): Promise<TokenSet> {
      const c = cfgOf(p);
      try {
        const as = await server(p);
        const cl = client(c);
        const res = await oauth.refreshTokenGrantRequest(
          as,
          cl,
          oauth.ClientSecretPost(c.clientSecret),
          refreshToken,
          { signal: timeout(signal), ...insecure(c) },
        );
        const result = await oauth.processRefreshTokenResponse(as, cl, res);
        return {
          accessToken: result.access_token,
          expiresIn: result.expires_in ?? 3600,
          ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
          ...(result.scope ? { scope: result.scope } : {}),
        };
      } catch (err) {
        return toEndpointError(err);
      }
    },
  };
}

/** Maps oauth4webapi and fetch failures to the port's three kinds; never carries a token. */
function toEndpointError(err: unknown): never {
  if (err instanceof OAuthEndpointError) throw err;
  if (err instanceof oauth.ResponseBodyError) {
    if (err.error === 'invalid_grant') throw new OAuthEndpointError('invalid_grant', 'invalid_grant');
    if (err.status >= 500 || err.error === 'temporarily_unavailable')
      throw new OAuthEndpointError('temporary', `http_${err.status}`);
    throw new OAuthEndpointError('rejected', safeCode(err.error));
  }
  if (err instanceof oauth.OperationProcessingError) {
    const status = (err.cause as Response | undefined)?.status;
    if (typeof status === 'number' && status >= 500)
      throw new OAuthEndpointError('temporary', `http_${status}`);
    throw new OAuthEndpointError('rejected', safeCode(String(err.code ?? 'invalid_response')));
  }
  const name = (err as { name?: string } | null)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') throw new OAuthEndpointError('temporary', 'timeout');
  // fetch() failing to connect is a TypeError ("fetch failed").
  throw new OAuthEndpointError('temporary', 'network');
}

const safeCode = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'rejected';
