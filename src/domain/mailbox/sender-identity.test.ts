import { describe, expect, it } from 'vitest';
import { type SenderIdentity, senderAllowed } from './sender-identity.js';

const personal = (over: Partial<SenderIdentity>): SenderIdentity => ({
  scope: 'employee',
  email: 'piotr@firma.pl',
  login: 'piotr@firma.pl',
  ownerEmail: 'piotr@firma.pl',
  savedEmail: null,
  ...over,
});

describe('senderAllowed: a personal address sends only as its own mailbox (SECURITY.md §3.3)', () => {
  it('From = login, in any case', () => {
    expect(senderAllowed(personal({ email: 'Piotr@Firma.PL', ownerEmail: null }))).toBe(true);
  });
  it('From = the owner’s own email, with a username login', () => {
    expect(senderAllowed(personal({ login: 'pzielinski' }))).toBe(true);
  });
  it('a colleague’s or the company’s From is refused', () => {
    expect(senderAllowed(personal({ email: 'anna.nowak@firma.pl' }))).toBe(false);
    expect(senderAllowed(personal({ email: 'biuro@firma.pl', login: 'pzielinski' }))).toBe(false);
  });
  it('an unchanged saved From stays allowed', () => {
    expect(senderAllowed(personal({ email: 'biuro@firma.pl', savedEmail: 'biuro@firma.pl' }))).toBe(true);
  });
  it('company addresses (admin-only) may be aliases', () => {
    expect(senderAllowed(personal({ scope: 'company', email: 'biuro@firma.pl', ownerEmail: null }))).toBe(
      true,
    );
  });
});
