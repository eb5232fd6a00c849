import type { AddressOwner } from '../../shared/api/mail-api';
import type { AddressValues } from './address-form-model';

/**
 * The dialog's values kept across the trip to Google/Microsoft and back (M47), in this tab's
 * session storage. Never the password: it is not needed once the mailbox is connected.
 */
export interface OAuthDraft {
  values: AddressValues;
  variantId: string | null;
  addressId: string | null;
  owner: string;
}

const KEY = 'mailroom.oauth-draft';
export const ownerId = (o: AddressOwner) => (o.scope === 'company' ? 'company' : `employee:${o.employeeId}`);

export function saveDraft(draft: OAuthDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ ...draft, values: { ...draft.values, password: '' } }));
  } catch {
    // Storage off (private mode): the dialog then starts from the preset after the trip.
  }
}

/** Reads and forgets the draft. */
export function takeDraft(): OAuthDraft | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return raw ? (JSON.parse(raw) as OAuthDraft) : null;
  } catch {
    return null;
  }
}

/** The query parameters the server's callback adds, and the path without them. */
export const OAUTH_PARAMS = ['oauth', 'oauthAddress', 'oauthError'] as const;
export function currentPathWithout(params: readonly string[]): string {
  const url = new URL(window.location.href);
  for (const p of params) url.searchParams.delete(p);
  return `${url.pathname}${url.search}${url.hash}`;
}
