import type { DbOrTx } from '../../db/database.js';
import type { OAuthGrantRepository, OAuthGrantRow } from '../../db/repositories/oauth-grant.repository.js';
import { AppError } from '../../domain/errors.js';
import type { HealthProblem } from '../../domain/mailbox/address-health.js';
import { OAuthEndpointError, type OAuthProviders } from '../../ports/oauth-provider.js';
import type { SecretBox } from '../../security/secret-box.js';
import type { HealthRecorder } from '../mailbox/address-health-recorder.js';

/** Refresh this long before the server's expiry (covers a slow send and a few seconds of clock drift). */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** How long one worker may hold the right to refresh a grant before another may take over. */
export const REFRESH_LEASE_MS = 30_000;
/** Transient token-endpoint failures (5xx, timeouts) are tried this many times, then reported. */
export const REFRESH_ATTEMPTS = 3;

export const ACCESS_FIELD = 'oauth_access_token';
export const REFRESH_FIELD = 'oauth_refresh_token';

export interface AccessToken {
  /** The mailbox to sign in as (XOAUTH2 `user=`). */
  user: string;
  accessToken: string;
  expiresAt: Date;
}

/**
 * The grant is gone (revoked, expired, password changed): the address is now `needs
 * reconnect` and its owner was told. Do not retry; "Połącz ponownie" fixes it.
 */
export class OAuthGrantLostError extends AppError {
  constructor(readonly reason: string) {
    super('OAUTH_GRANT_LOST', { params: { reason } });
    this.name = 'OAuthGrantLostError';
  }
}

/** The token endpoint is unreachable or failing for now: retry later; the address status is unchanged. */
export class OAuthTemporarilyUnavailableError extends AppError {
  constructor(readonly reason: string) {
    super('OAUTH_UNAVAILABLE', { params: { reason } });
    this.name = 'OAuthTemporarilyUnavailableError';
  }
}

interface Deps {
  grants: Pick<
    OAuthGrantRepository,
    'findGrant' | 'findGrantOfAddress' | 'claimRefresh' | 'saveTokens' | 'releaseRefresh' | 'dropAccessToken'
  >;
  providers: Pick<OAuthProviders, 'refresh'>;
  secretBox: SecretBox;
  health: Pick<HealthRecorder, 'record'>;
  now?: () => Date;
  /** Pause between polls while another worker refreshes, and between transient retries (tests shorten it). */
  pauseMs?: number;
}

interface Cached {
  token: AccessToken;
}

/**
 * Access tokens for OAuth mailboxes (M47): cached in memory and in the grant row (encrypted),
 * refreshed `REFRESH_MARGIN_MS` before expiry by one caller at a time — one promise per grant
 * in this process, one lease per grant across processes — rotated refresh tokens saved, a lost
 * grant recorded once as `needs reconnect`. The outbox and the poller call `accessTokenFor`.
 */
export function createOAuthTokens(deps: Deps) {
  const now = deps.now ?? (() => new Date());
  const pauseMs = deps.pauseMs ?? 250;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<AccessToken>>();

  const ctx = (g: Pick<OAuthGrantRow, 'workspaceId' | 'id'>, field: string) => ({
    workspaceId: g.workspaceId,
    rowId: g.id,
    field,
  });
  const fresh = (expiresAt: Date | null | undefined) =>
    !!expiresAt && expiresAt.getTime() - REFRESH_MARGIN_MS > now().getTime();

  const stored = (g: OAuthGrantRow): AccessToken | null => {
    if (!g.accessTokenEnc || !fresh(g.accessExpiresAt)) return null;
    return {
      user: g.email,
      accessToken: deps.secretBox.decrypt(g.accessTokenEnc, ctx(g, ACCESS_FIELD)),
      expiresAt: g.accessExpiresAt!,
    };
  };

  const remember = (grantId: string, token: AccessToken) => {
    cache.set(grantId, { token });
    return token;
  };

  const grantLost = async (g: OAuthGrantRow, reason: string, tx?: DbOrTx) => {
    cache.delete(g.id);
    await deps.grants.dropAccessToken(g.workspaceId, g.id, tx);
    if (g.addressId) {
      const at = now().toISOString();
      const problem: HealthProblem = {
        direction: 'send',
        catalogueId: 'oauth-grant-invalid',
        reply: null,
        summary: `oauth ${reason}`,
        at,
      };
      await deps.health.record(g.workspaceId, g.addressId, { type: 'grant_lost', problem, at }, tx);
    }
    return new OAuthGrantLostError(reason);
  };

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  /** Calls the token endpoint, retrying transient failures; the caller holds the lease. */
  const callRefresh = async (g: OAuthGrantRow, signal?: AbortSignal) => {
    const refreshToken = deps.secretBox.decrypt(g.refreshTokenEnc, ctx(g, REFRESH_FIELD));
    let last: OAuthEndpointError | null = null;
    for (let attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
      try {
        return await deps.providers.refresh(g.provider, refreshToken, signal);
      } catch (err) {
        if (!(err instanceof OAuthEndpointError) || err.kind !== 'temporary' || signal?.aborted) throw err;
        last = err;
        if (attempt < REFRESH_ATTEMPTS) await sleep(pauseMs * 2 ** (attempt - 1), signal);
      }
    }
    throw last!;
  };

  const refreshGrant = async (workspaceId: string, grantId: string, signal?: AbortSignal) => {
    // Bounded wait for another worker's lease: it ends by itself after REFRESH_LEASE_MS.
    const waitUntil = now().getTime() + REFRESH_LEASE_MS + 5_000;
    for (;;) {
      signal?.throwIfAborted();
      const claimed = await deps.grants.claimRefresh(
        workspaceId,
        grantId,
        now(),
        new Date(now().getTime() + REFRESH_LEASE_MS),
      );
      if (claimed) return refreshClaimed(claimed, signal);
      const row = await deps.grants.findGrant(workspaceId, grantId);
      if (!row) throw new OAuthGrantLostError('grant_deleted');
      const token = stored(row);
      if (token) return remember(grantId, token);
      if (now().getTime() > waitUntil) throw new OAuthTemporarilyUnavailableError('refresh_lease_busy');
      await sleep(pauseMs, signal);
    }
  };

  const refreshClaimed = async (g: OAuthGrantRow, signal?: AbortSignal): Promise<AccessToken> => {
    // Another worker may have refreshed between our read and our claim.
    const already = stored(g);
    if (already) {
      await deps.grants.releaseRefresh(g.workspaceId, g.id);
      return remember(g.id, already);
    }
    let set: Awaited<ReturnType<typeof callRefresh>>;
    try {
      set = await callRefresh(g, signal);
    } catch (err) {
      // Only invalid_grant means the grant is gone; a refused client (bad secret) is the
      // operator's to fix and reconnecting would not help, so the status stays.
      if (err instanceof OAuthEndpointError && err.kind === 'invalid_grant')
        throw await grantLost(g, err.reason);
      await deps.grants.releaseRefresh(g.workspaceId, g.id).catch(() => {});
      const reason = err instanceof OAuthEndpointError ? err.reason : 'refresh_failed';
      throw new OAuthTemporarilyUnavailableError(reason);
    }
    const expiresAt = new Date(now().getTime() + set.expiresIn * 1000);
    await deps.grants.saveTokens(g.workspaceId, g.id, {
      accessTokenEnc: deps.secretBox.encrypt(set.accessToken, ctx(g, ACCESS_FIELD)),
      accessExpiresAt: expiresAt,
      // Rotation: a new refresh token replaces the old one at once (the old may already be dead).
      ...(set.refreshToken
        ? { refreshTokenEnc: deps.secretBox.encrypt(set.refreshToken, ctx(g, REFRESH_FIELD)) }
        : {}),
      ...(set.scope ? { scope: set.scope } : {}),
    });
    return remember(g.id, { user: g.email, accessToken: set.accessToken, expiresAt });
  };

  const forGrant = async (g: OAuthGrantRow, signal?: AbortSignal): Promise<AccessToken> => {
    const hit = cache.get(g.id);
    if (hit && fresh(hit.token.expiresAt)) return hit.token;
    const token = stored(g);
    if (token) return remember(g.id, token);
    let p = inFlight.get(g.id);
    if (!p) {
      p = refreshGrant(g.workspaceId, g.id, signal).finally(() => inFlight.delete(g.id));
      inFlight.set(g.id, p);
    }
    return p;
  };

  return {
    /**
     * A valid access token for a saved OAuth address (outbox, poller). Throws
     * OAuthGrantLostError (address now `needs reconnect`; do not retry) or
     * OAuthTemporarilyUnavailableError (retry later; status unchanged).
     */
    async accessTokenFor(
      workspaceId: string,
      addressId: string,
      options: { signal?: AbortSignal } = {},
    ): Promise<AccessToken> {
      const g = await deps.grants.findGrantOfAddress(workspaceId, addressId);
      if (!g) throw new OAuthGrantLostError('no_grant');
      return forGrant(g, options.signal);
    },

    /** The same for a grant by id (the dialog's test, before the address is saved). */
    async accessTokenForGrant(
      workspaceId: string,
      grantId: string,
      options: { signal?: AbortSignal } = {},
    ): Promise<AccessToken> {
      const g = await deps.grants.findGrant(workspaceId, grantId);
      if (!g) throw new OAuthGrantLostError('no_grant');
      return forGrant(g, options.signal);
    },

    /**
     * The server refused a token we believed valid (XOAUTH2 535 after a clock jump or an early
     * revocation): forget it so the next call refreshes.
     */
    async forget(workspaceId: string, grantId: string): Promise<void> {
      cache.delete(grantId);
      await deps.grants.dropAccessToken(workspaceId, grantId);
    },

    /** `forget` for a saved address's grant (the outbox and the poller know the address). */
    async forgetAddress(workspaceId: string, addressId: string): Promise<void> {
      const g = await deps.grants.findGrantOfAddress(workspaceId, addressId);
      if (!g) return;
      cache.delete(g.id);
      await deps.grants.dropAccessToken(workspaceId, g.id);
    },
  };
}

export type OAuthTokens = ReturnType<typeof createOAuthTokens>;
