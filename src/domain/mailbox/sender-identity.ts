/**
 * Whose name an address may send in (SECURITY.md §3.3: "From must equal the authenticated
 * mailbox, or a verified alias"). The credentials prove only the login's mailbox, so:
 *
 * - the address (From) equal to the login, without case, is always fine;
 * - a personal address may also be its owner's own work email (a login like `pzielinski`);
 * - an address that keeps the From it was saved with stays as it is (no retroactive refusal);
 * - anything else on a personal address is refused: an employee could otherwise send as a
 *   colleague or the company with their own password. Company addresses are admin-only, and
 *   admins (who set those up anyway) may set an alias on any address, e.g. a shared `biuro@`
 *   sent through one login; the provider's own check of `MAIL FROM` in "Test account" (M18)
 *   vouches for it there. The service applies this rule to employees only.
 */
export interface SenderIdentity {
  scope: 'company' | 'employee';
  email: string;
  login: string;
  /** The owner's own email (personal addresses). */
  ownerEmail: string | null;
  /** The From of the saved address (null for a new one). */
  savedEmail: string | null;
}

const same = (a: string | null, b: string) => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

export function senderAllowed(s: SenderIdentity): boolean {
  if (s.scope === 'company') return true;
  return same(s.login, s.email) || same(s.ownerEmail, s.email) || same(s.savedEmail, s.email);
}
