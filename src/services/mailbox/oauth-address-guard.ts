import type { OAuthGrantRow } from '../../db/repositories/oauth-grant.repository.js';
import type { FieldIssue } from '../../domain/errors.js';
import type { OAuthCredentials } from '../oauth/oauth-credentials.js';
import { type AddressState, endpointChanged } from './email-address-input.js';

/**
 * Where an OAuth address's access token may go (decision 0004): only to its provider's mail
 * servers, and an address keeps its grant only while its address and servers stay as saved.
 * Moving a saved address needs a new sign-in ("Reconnect"), the way a password address needs
 * its password again (M21) — otherwise "Test account" would hand the live token to any host.
 */
export function oauthAddressIssues(
  oauth: Pick<OAuthCredentials, 'hostAllowed'>,
  grant: OAuthGrantRow,
  saved: { id: string; state: AddressState } | null,
  state: AddressState,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const key of ['smtp', 'incoming'] as const) {
    if (!oauth.hostAllowed(grant, state[key].host))
      issues.push({ path: `/body/${key}/host`, code: 'oauth_host_not_allowed' });
  }
  const ownGrant = saved !== null && grant.addressId === saved.id;
  if (ownGrant && endpointChanged(saved.state, state))
    issues.push({ path: '/body/oauthGrantId', code: 'reconnect_required' });
  return issues;
}
