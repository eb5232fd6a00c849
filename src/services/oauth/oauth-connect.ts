import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmailAddressRepository } from '../../db/repositories/email-address.repository.js';
import type { OAuthGrantRepository } from '../../db/repositories/oauth-grant.repository.js';
import type { WorkspaceRepository } from '../../db/repositories/workspace.repository.js';
import type { Actor } from '../../domain/actor.js';
import { AppError, notFound } from '../../domain/errors.js';
import { OAuthEndpointError, type OAuthProviderId, type OAuthProviders } from '../../ports/oauth-provider.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { requireManage, scopeOfAddress } from '../mailbox/email-address-permissions.js';
import { ACCESS_FIELD, REFRESH_FIELD } from './oauth-tokens.js';

/** An authorization request must come back within this time. */
export const FLOW_TTL_MS = 10 * 60_000;
/** Grants connected in the dialog but never saved are deleted after this. */
const UNSAVED_GRANT_TTL_MS = 24 * 3600_000;
export const VERIFIER_FIELD = 'oauth_code_verifier';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const random = () => randomBytes(32).toString('base64url');

const APP_ORIGIN = 'http://app.invalid';

/**
 * Only paths inside this app (open-redirect guard). Checked after the same URL normalisation
 * the redirect applies: `/.//evil.example` becomes `//evil.example`, a host, so the raw string
 * alone proves nothing. Returns the normalised path.
 */
export function safeReturnPath(p: string | undefined): string {
  if (!p?.startsWith('/') || /[\\\u0000-\u001f]/.test(p) || p.length > 500) return '/';
  let url: URL;
  try {
    url = new URL(p, APP_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== APP_ORIGIN || url.pathname.startsWith('//') || url.pathname.startsWith('/\\'))
    return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

export type ConnectOutcome =
  | { ok: true; returnPath: string; grantId: string; addressId: string | null }
  | { ok: false; returnPath: string; error: 'denied' | 'invalid' | 'mismatch' | 'unavailable' };

/**
 * "Connect with Google/Microsoft" (M47): the authorization-code flow with PKCE (S256), a
 * state bound to the signed-in employee and kept only as a hash, and a nonce; the callback
 * stores the grant (tokens encrypted) and sends the browser back into the dialog.
 */
export function createOAuthConnect(deps: {
  grants: Pick<
    OAuthGrantRepository,
    'insertFlow' | 'takeFlow' | 'deleteExpiredFlows' | 'insertGrant' | 'deleteUnattachedBefore' | 'findGrant'
  >;
  addresses: Pick<EmailAddressRepository, 'findById'>;
  workspaces: Pick<WorkspaceRepository, 'findById'>;
  providers: OAuthProviders;
  secretBox: SecretBox;
  audit: AuditRecorder;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  const requireConfigured = (provider: OAuthProviderId) => {
    if (!deps.providers.configured().includes(provider)) throw new AppError('OAUTH_NOT_CONFIGURED');
  };

  return {
    /** Providers with client credentials: the dialog shows a button for each, and none otherwise. */
    configured: () => deps.providers.configured(),

    async start(
      actor: Actor,
      req: { provider: OAuthProviderId; addressId?: string; returnPath?: string; redirectUri: string },
    ): Promise<{ authorizationUrl: string }> {
      requireConfigured(req.provider);
      let loginHint: string | undefined;
      if (req.addressId) {
        const row = await deps.addresses.findById(actor.workspaceId, req.addressId);
        if (!row) throw notFound('email address', req.addressId);
        const ws = await deps.workspaces.findById(actor.workspaceId);
        requireManage(actor, scopeOfAddress(row), ws?.employeesManageOwnAddresses ?? true);
        loginHint = row.login;
      }
      await deps.grants.deleteExpiredFlows(actor.workspaceId, now());
      const state = random();
      const verifier = random();
      const nonce = random();
      const id = randomUUID();
      await deps.grants.insertFlow({
        id,
        workspaceId: actor.workspaceId,
        employeeId: actor.employeeId,
        provider: req.provider,
        stateHash: sha256(state),
        codeVerifierEnc: deps.secretBox.encrypt(verifier, {
          workspaceId: actor.workspaceId,
          rowId: id,
          field: VERIFIER_FIELD,
        }),
        nonce,
        addressId: req.addressId ?? null,
        returnPath: safeReturnPath(req.returnPath),
        expiresAt: new Date(now().getTime() + FLOW_TTL_MS),
      });
      const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
      const url = await deps.providers
        .authorizationUrl(req.provider, {
          state,
          codeChallenge,
          nonce,
          redirectUri: req.redirectUri,
          ...(loginHint ? { loginHint } : {}),
        })
        .catch(() => {
          throw new AppError('OAUTH_UNAVAILABLE');
        });
      return { authorizationUrl: url.toString() };
    },

    /** The provider sent the browser back: check state, redeem the code with the verifier, keep the grant. */
    async complete(actor: Actor, req: { callbackUrl: URL; redirectUri: string }): Promise<ConnectOutcome> {
      const state = req.callbackUrl.searchParams.get('state');
      const flow = state ? await deps.grants.takeFlow(actor.workspaceId, sha256(state)) : null;
      // Unknown, used, expired, or started by someone else: nothing to continue.
      if (!flow || flow.employeeId !== actor.employeeId || flow.expiresAt.getTime() < now().getTime())
        throw new AppError('OAUTH_FLOW_INVALID');
      const back = (error: Extract<ConnectOutcome, { ok: false }>['error']): ConnectOutcome => ({
        ok: false,
        returnPath: flow.returnPath,
        error,
      });
      if (req.callbackUrl.searchParams.get('error') === 'access_denied') return back('denied');
      const verifier = deps.secretBox.decrypt(flow.codeVerifierEnc, {
        workspaceId: flow.workspaceId,
        rowId: flow.id,
        field: VERIFIER_FIELD,
      });
      let identity: Awaited<ReturnType<OAuthProviders['exchangeCode']>>;
      try {
        identity = await deps.providers.exchangeCode(flow.provider, {
          callbackUrl: req.callbackUrl,
          expectedState: state!,
          codeVerifier: verifier,
          nonce: flow.nonce,
          redirectUri: req.redirectUri,
        });
      } catch (err) {
        if (err instanceof OAuthEndpointError && err.kind === 'temporary') return back('unavailable');
        return back('invalid');
      }
      if (flow.addressId) {
        // Reconnecting: the same mailbox, or the saved settings would point at another account.
        const row = await deps.addresses.findById(actor.workspaceId, flow.addressId);
        if (!row) return back('invalid');
        if (row.login.toLowerCase() !== identity.email && row.email.toLowerCase() !== identity.email)
          return back('mismatch');
      }
      await deps.grants.deleteUnattachedBefore(
        actor.workspaceId,
        new Date(now().getTime() - UNSAVED_GRANT_TTL_MS),
      );
      const id = randomUUID();
      const ctx = (field: string) => ({ workspaceId: actor.workspaceId, rowId: id, field });
      await deps.grants.insertGrant({
        id,
        workspaceId: actor.workspaceId,
        connectedByEmployeeId: actor.employeeId,
        provider: flow.provider,
        subject: identity.subject,
        email: identity.email,
        scope: identity.scope ?? '',
        refreshTokenEnc: deps.secretBox.encrypt(identity.refreshToken, ctx(REFRESH_FIELD)),
        accessTokenEnc: deps.secretBox.encrypt(identity.accessToken, ctx(ACCESS_FIELD)),
        accessExpiresAt: new Date(now().getTime() + identity.expiresIn * 1000),
      });
      await deps.audit.record(actor, {
        action: 'email_address.oauth_connected',
        targetType: 'email_address',
        targetId: flow.addressId,
        details: { provider: flow.provider, email: identity.email },
      });
      return { ok: true, returnPath: flow.returnPath, grantId: id, addressId: flow.addressId };
    },

    /** What the dialog shows about a grant it was handed back (never a token). */
    async describe(actor: Actor, grantId: string) {
      const g = await deps.grants.findGrant(actor.workspaceId, grantId);
      const usable = g && (g.addressId !== null || g.connectedByEmployeeId === actor.employeeId);
      if (!g || !usable) throw notFound('oauth grant', grantId);
      return { id: g.id, provider: g.provider, email: g.email, addressId: g.addressId };
    },
  };
}

export type OAuthConnect = ReturnType<typeof createOAuthConnect>;
