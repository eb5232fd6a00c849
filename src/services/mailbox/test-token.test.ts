import { describe, expect, it } from 'vitest';
import { type AddressState, connectionFieldsOf } from './email-address-input.js';
import {
  type ConnectionFields,
  connectionFingerprint,
  issueTestToken,
  TEST_TOKEN_TTL_MS,
  verifyTestToken,
} from './test-token.js';

const KEY = Buffer.alloc(32, 7);
const WS = 'ws-1';
const NOW = new Date('2026-01-01T10:00:00Z');
const SECRET = 'app-password-1';
const CERT_A = { sha256: 'a'.repeat(64), pem: 'PEM A' };
const CERT_B = { sha256: 'b'.repeat(64), pem: 'PEM B' };

const base = (): AddressState => ({
  email: 'biuro@firma.pl',
  displayName: 'Biuro',
  replyTo: null,
  signatureHtml: '',
  signatureText: '',
  presetId: null,
  login: 'biuro@firma.pl',
  smtp: { host: 'smtp.firma.pl', port: 587, security: 'starttls', pinnedCert: CERT_A },
  incoming: { protocol: 'imap', host: 'imap.firma.pl', port: 993, security: 'tls', pinnedCert: CERT_A },
  options: {
    collectReplies: true,
    leaveOnServer: true,
    deleteAfterDays: null,
    createTasksFromNewMail: false,
    newMailProjectId: null,
    bccSelf: false,
  },
  projectIds: [],
  access: { employeeIds: [], groupIds: [] },
  active: true,
});

interface Change {
  state?: (s: AddressState) => void;
  authType?: ConnectionFields['authType'];
  secret?: string;
}

/** A change that sets one field of the state, by path ("smtp.host"). */
function set(path: string, value: unknown): (s: AddressState) => void {
  return (s) => {
    const keys = path.split('.');
    const last = keys.pop() as string;
    let o = s as unknown as Record<string, unknown>;
    for (const k of keys) o = o[k] as Record<string, unknown>;
    o[last] = value;
  };
}

/** What the services do: fields from the merged state, then the fingerprint. */
function fingerprintOf(change: Change = {}): string {
  const s = base();
  change.state?.(s);
  return connectionFingerprint(
    { ...connectionFieldsOf(s), authType: change.authType ?? 'password' },
    change.secret ?? SECRET,
  );
}

/**
 * One row per connection field (and the secret): changing it must invalidate a token
 * issued for the original settings. `field` is the ConnectionFields path the row covers.
 */
const rows: Array<[field: string, change: Change]> = [
  ['email', { state: set('email', 'sekretariat@firma.pl') }],
  ['login', { state: set('login', 'sekretariat') }],
  ['authType', { authType: 'oauth2' }],
  ['smtp.host', { state: set('smtp.host', 'smtp.evil.example') }],
  ['smtp.port', { state: set('smtp.port', 465) }],
  ['smtp.security', { state: set('smtp.security', 'tls') }],
  ['smtp.pinnedCertSha256', { state: set('smtp.pinnedCert', CERT_B) }],
  ['incoming.protocol', { state: set('incoming.protocol', 'pop3') }],
  ['incoming.host', { state: set('incoming.host', 'imap.evil.example') }],
  ['incoming.port', { state: set('incoming.port', 143) }],
  ['incoming.security', { state: set('incoming.security', 'starttls') }],
  ['incoming.pinnedCertSha256', { state: set('incoming.pinnedCert', CERT_B) }],
  ['secret', { secret: 'app-password-2' }],
];

/** Every leaf path of an object ("smtp.host"). */
function leafPaths(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('test token: one row per connection field (issue 8 item 11)', () => {
  const token = issueTestToken(KEY, WS, fingerprintOf(), NOW);

  it('a token verifies for exactly the settings it was issued for', () => {
    expect(verifyTestToken(KEY, token, WS, fingerprintOf(), NOW)).toBe(true);
  });

  it.each(rows)('changing %s invalidates the token', (_field, change) => {
    expect(verifyTestToken(KEY, token, WS, fingerprintOf(change), NOW)).toBe(false);
  });

  it('removing a pinned certificate invalidates it too (pinned → none)', () => {
    const unpinned = fingerprintOf({ state: set('smtp.pinnedCert', null) });
    expect(verifyTestToken(KEY, token, WS, unpinned, NOW)).toBe(false);
    const unpinnedIn = fingerprintOf({ state: set('incoming.pinnedCert', null) });
    expect(verifyTestToken(KEY, token, WS, unpinnedIn, NOW)).toBe(false);
  });

  it('the table covers every connection field (a new field needs a row)', () => {
    const fields = leafPaths(connectionFieldsOf(base()));
    expect([...fields, 'secret'].sort()).toEqual(rows.map(([f]) => f).sort());
  });

  it('fields outside the connection do not invalidate it', () => {
    const cosmetic = fingerprintOf({
      state: (s) => {
        s.displayName = 'Inna nazwa';
        s.signatureText = 'Pozdrawiam';
        s.options.bccSelf = true;
      },
    });
    expect(verifyTestToken(KEY, token, WS, cosmetic, NOW)).toBe(true);
  });

  it('host spelling (case, trailing dot) and email case are the same connection', () => {
    const same = fingerprintOf({
      state: (s) => {
        s.email = 'Biuro@Firma.PL';
        s.smtp.host = 'SMTP.firma.pl.';
        s.incoming.host = 'Imap.Firma.pl';
      },
    });
    expect(verifyTestToken(KEY, token, WS, same, NOW)).toBe(true);
  });

  it('another workspace, an expired token, a tampered token or another key fail', () => {
    expect(verifyTestToken(KEY, token, 'ws-2', fingerprintOf(), NOW)).toBe(false);
    const late = new Date(NOW.getTime() + TEST_TOKEN_TTL_MS + 1_000);
    expect(verifyTestToken(KEY, token, WS, fingerprintOf(), late)).toBe(false);
    expect(verifyTestToken(KEY, `${token.slice(0, -2)}AA`, WS, fingerprintOf(), NOW)).toBe(false);
    expect(verifyTestToken(Buffer.alloc(32, 8), token, WS, fingerprintOf(), NOW)).toBe(false);
  });
});
