import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingSettings, MailAuth, MailSecurity } from '../../src/domain/mailbox/connection.js';
import type { ProbeResult } from '../../src/domain/mailbox/probe.js';
import { createImapProber } from '../../src/mail/imap/imap-probe.js';
import { createSmtpProber } from '../../src/mail/smtp/smtp-probe.js';
import { serviceMissing } from '../helpers/require-service.js';
import { testCaPem } from '../helpers/tls-fixtures.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';

const PASSWORD = 'Dove-Secret-31';
const GOOD: MailAuth = { type: 'password', user: 'alice', pass: PASSWORD };
const BAD: MailAuth = { type: 'password', user: 'alice', pass: 'Not-The-Password' };
const missing = serviceMissing('Dovecot', dovecotMissingReason());

describe.skipIf(missing)('probes against a real Dovecot (submission + IMAP)', () => {
  let dovecot: DovecotInstance;

  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [{ user: 'alice', password: PASSWORD }],
      messages: { alice: [Buffer.from('From: bob@example.test\nSubject: hello\n\nfirst message\n')] },
    });
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  const deps = () => ({ resolver: createLoopbackResolver(), trustedCa: [testCaPem()] });
  const smtp = (port: number, security: MailSecurity, auth: MailAuth): Promise<ProbeResult> =>
    createSmtpProber(deps()).probe(
      { host: 'localhost', port, security, auth, address: 'alice@example.test' },
      { deadline: Date.now() + 10_000 },
    );
  const imap = (port: number, security: MailSecurity, auth: MailAuth): Promise<ProbeResult> => {
    const settings: IncomingSettings = { host: 'localhost', port, security, auth, protocol: 'imap' };
    return createImapProber(deps()).probe(settings, { deadline: Date.now() + 10_000 });
  };
  const failureOf = (r: ProbeResult) => JSON.stringify(r.failure);

  it('submission with STARTTLS (587-like) passes with the right password and sends nothing', async () => {
    const r = await smtp(dovecot.ports.submission, 'starttls', GOOD);
    expect(r.ok, failureOf(r)).toBe(true);
    expect(r.steps.find((s) => s.id === 'ehlo')?.info).toMatchObject({ authMethods: ['PLAIN', 'LOGIN'] });
    expect(r.certificate?.subject).toContain('CN=localhost');
    expect(dovecot.relay?.messages).toHaveLength(0);
  });

  it('submission with implicit TLS (465-like) passes with the right password', async () => {
    const r = await smtp(dovecot.ports.submissions, 'tls', GOOD);
    expect(r.ok, failureOf(r)).toBe(true);
  });

  it('a wrong password fails at AUTH with 535 5.7.8, on both ports, without echoing it', async () => {
    for (const [port, security] of [
      [dovecot.ports.submission, 'starttls'],
      [dovecot.ports.submissions, 'tls'],
    ] as const) {
      const r = await smtp(port, security, BAD);
      expect(r.failure).toMatchObject({
        kind: 'auth',
        step: 'auth',
        responseCode: 535,
        enhancedCode: '5.7.8',
      });
      expect(JSON.stringify(r)).not.toContain('Not-The-Password');
    }
  });

  it('SSL/TLS on the STARTTLS port fails as a tls failure', async () => {
    const r = await smtp(dovecot.ports.submission, 'tls', GOOD);
    expect(r.failure).toMatchObject({ kind: 'tls', step: 'tls' });
  });

  it('IMAP over implicit TLS: login, EXAMINE INBOX with UIDVALIDITY/UIDNEXT/EXISTS, logout', async () => {
    const r = await imap(dovecot.ports.imaps, 'tls', GOOD);
    expect(r.ok, failureOf(r)).toBe(true);
    expect(r.steps.map((s) => s.id)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'auth',
      'select',
      'quit',
    ]);
    const select = r.steps.find((s) => s.id === 'select');
    expect(select?.info).toMatchObject({ mailbox: 'INBOX', exists: 1, uidNext: 2 });
    expect(select?.info?.uidValidity).toMatch(/^\d+$/);
    expect(r.steps.find((s) => s.id === 'greeting')?.reply).toMatch(/^\* OK .*ready/i);
  });

  it('IMAP with STARTTLS passes; the certificate is the negotiated one', async () => {
    const r = await imap(dovecot.ports.imap, 'starttls', GOOD);
    expect(r.ok, failureOf(r)).toBe(true);
    expect(r.steps.map((s) => s.id)).toEqual([
      'resolve',
      'connect',
      'greeting',
      'starttls',
      'tls',
      'auth',
      'select',
      'quit',
    ]);
    expect(r.certificate?.subject).toContain('CN=localhost');
  });

  it('IMAP wrong password fails at auth (AUTHENTICATIONFAILED) over imaps and STARTTLS', async () => {
    for (const [port, security] of [
      [dovecot.ports.imaps, 'tls'],
      [dovecot.ports.imap, 'starttls'],
    ] as const) {
      const r = await imap(port, security, BAD);
      expect(r.failure).toMatchObject({
        kind: 'auth',
        step: 'auth',
        protocol: 'imap',
        code: 'AUTHENTICATIONFAILED',
      });
      expect(r.steps.find((s) => s.id === 'select')?.outcome).toBe('skipped');
      expect(JSON.stringify(r)).not.toContain('Not-The-Password');
    }
  });
});
