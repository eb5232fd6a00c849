import type { DbOrTx } from '../../db/database.js';
import type { OAuthGrantRepository, OAuthGrantRow } from '../../db/repositories/oauth-grant.repository.js';
import type { Actor } from '../../domain/actor.js';
import { validationFailed } from '../../domain/errors.js';
import type { MailAuth } from '../../domain/mailbox/connection.js';
import { normalHost } from '../../domain/mailbox/connection-change.js';
import type { OAuthTokens } from './oauth-tokens.js';

/**
 * How the address dialog's test and save use an OAuth grant (M47): which grant a caller may
 * use, the XOAUTH2 credentials for the test, what the test token binds, and attaching the
 * grant when the address is saved. Kept here so the mailbox services only hook in.
 */
export function createOAuthCredentials(deps: {
  grants: Pick<OAuthGrantRepository, 'findGrant' | 'findGrantOfAddress' | 'attach' | 'deleteGrantOfAddress'>;
  tokens: Pick<OAuthTokens, 'accessTokenForGrant' | 'accessTokenFor'>;
  /** The provider's mail servers (config: its preset hosts unless the operator lists others). */
  mailHosts: (provider: OAuthGrantRow['provider']) => readonly string[];
}) {
  const unknown = () => validationFailed([{ path: '/body/oauthGrantId', code: 'unknown_reference' }]);
  return {
    /**
     * The grant for a test or save: `grantId` must be a grant this caller connected and not yet
     * saved elsewhere, or the address's own; without `grantId`, the address's own grant.
     */
    async grantFor(actor: Actor, grantId: string | null, addressId: string | null): Promise<OAuthGrantRow> {
      const g = grantId
        ? await deps.grants.findGrant(actor.workspaceId, grantId)
        : addressId
          ? await deps.grants.findGrantOfAddress(actor.workspaceId, addressId)
          : null;
      if (!g) throw unknown();
      const own = addressId !== null && g.addressId === addressId;
      const pendingMine = g.addressId === null && g.connectedByEmployeeId === actor.employeeId;
      if (!own && !pendingMine) throw unknown();
      return g;
    },

    /** XOAUTH2 credentials with a fresh access token (throws the token service's errors). */
    async authFor(g: OAuthGrantRow, signal?: AbortSignal): Promise<MailAuth> {
      const t = await deps.tokens.accessTokenForGrant(g.workspaceId, g.id, signal ? { signal } : {});
      return { type: 'oauth2', user: t.user, accessToken: t.accessToken };
    },

    /** XOAUTH2 credentials of a saved address (its own grant), e.g. for "send a test email". */
    async authForAddress(workspaceId: string, addressId: string, signal?: AbortSignal): Promise<MailAuth> {
      const t = await deps.tokens.accessTokenFor(workspaceId, addressId, signal ? { signal } : {});
      return { type: 'oauth2', user: t.user, accessToken: t.accessToken };
    },

    /**
     * What the test token binds instead of a password: the grant (its row id and the account's
     * subject). Another grant, or a reconnect to another account, needs a new test.
     */
    fingerprintSecret: (g: OAuthGrantRow) => `oauth2|${g.provider}|${g.id}|${g.subject}`,

    /** Whether the grant's tokens may be offered to this host (decision 0004: only the provider's). */
    hostAllowed: (g: OAuthGrantRow, host: string) => deps.mailHosts(g.provider).includes(normalHost(host)),

    attach: (workspaceId: string, grantId: string, addressId: string, tx?: DbOrTx) =>
      deps.grants.attach(workspaceId, grantId, addressId, tx),

    /** Switching an address back to a password drops its grant. */
    detach: (workspaceId: string, addressId: string, tx?: DbOrTx) =>
      deps.grants.deleteGrantOfAddress(workspaceId, addressId, tx),
  };
}

export type OAuthCredentials = ReturnType<typeof createOAuthCredentials>;
