import { describe, expect, it } from 'vitest';
import { type ConnectionShape, connectionChange, connectionIdentity } from './connection-change.js';

const base = (): ConnectionShape => ({
  email: 'biuro@firma.pl',
  login: 'biuro@firma.pl',
  smtp: { host: 'smtp.firma.pl', port: 587, security: 'starttls', pinnedCertSha256: null },
  incoming: { protocol: 'imap', host: 'imap.firma.pl', port: 993, security: 'tls', pinnedCertSha256: null },
});

type Edit = (c: ConnectionShape) => ConnectionShape;

/** One row per field: [field, edit, needs the password again, needs a new test]. */
const rows: Array<[string, Edit, boolean, boolean]> = [
  ['email', (c) => ({ ...c, email: 'inny@firma.pl' }), true, true],
  ['login', (c) => ({ ...c, login: 'inny' }), true, true],
  ['smtp.host', (c) => ({ ...c, smtp: { ...c.smtp, host: 'smtp.evil.example' } }), true, true],
  ['smtp.port', (c) => ({ ...c, smtp: { ...c.smtp, port: 465 } }), true, true],
  ['smtp.security', (c) => ({ ...c, smtp: { ...c.smtp, security: 'tls' } }), true, true],
  [
    'smtp.pinnedCertSha256',
    (c) => ({ ...c, smtp: { ...c.smtp, pinnedCertSha256: 'ab'.repeat(32) } }),
    true,
    true,
  ],
  ['incoming.protocol', (c) => ({ ...c, incoming: { ...c.incoming, protocol: 'pop3' } }), true, true],
  ['incoming.host', (c) => ({ ...c, incoming: { ...c.incoming, host: 'pop.firma.pl' } }), true, true],
  ['incoming.port', (c) => ({ ...c, incoming: { ...c.incoming, port: 143 } }), true, true],
  ['incoming.security', (c) => ({ ...c, incoming: { ...c.incoming, security: 'starttls' } }), true, true],
  [
    'incoming.pinnedCertSha256',
    (c) => ({ ...c, incoming: { ...c.incoming, pinnedCertSha256: 'cd'.repeat(32) } }),
    true,
    true,
  ],
  ['host spelling only', (c) => ({ ...c, smtp: { ...c.smtp, host: 'SMTP.Firma.pl.' } }), false, false],
  ['email case only', (c) => ({ ...c, email: 'Biuro@Firma.pl' }), false, false],
];

const leafPaths = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? leafPaths(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('connectionChange: the one rule for a new test and the password again (issue 8 item 12)', () => {
  it.each(rows)('%s → password again %s, new test %s', (_field, edit, needsPassword, needsTest) => {
    expect(connectionChange(base(), edit(base()))).toEqual({ needsPassword, needsTest });
  });

  it('every vouched-for field has a row', () => {
    const covered = new Set(rows.map(([f]) => f));
    expect(leafPaths(connectionIdentity(base())).filter((p) => !covered.has(p))).toEqual([]);
  });

  it('nothing changed → nothing needed; new credentials → a test; a new address → a test', () => {
    expect(connectionChange(base(), base())).toEqual({ needsPassword: false, needsTest: false });
    expect(connectionChange(base(), base(), { passwordChanged: true })).toEqual({
      needsPassword: false,
      needsTest: true,
    });
    expect(connectionChange(base(), base(), { passwordChanged: false, newGrant: true }).needsTest).toBe(true);
    expect(connectionChange(null, base())).toEqual({ needsPassword: false, needsTest: true });
  });
});
