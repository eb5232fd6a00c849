import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/leak-scan.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

const PASSWORD = registerSecret('Real-Dovecot-Pass 1');
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** "Test account" end to end through the API against a real Dovecot (submission + POP3/IMAP). */
describe.skipIf(missing)('Test account against Dovecot', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: TestWorkspace;
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [{ user: 'dana@firma.example', password: PASSWORD }],
      messages: { 'dana@firma.example': [Buffer.from('Subject: x\n\nhi\n')] },
    });
    t = await createTestApp({ testRateLimit: '1000' });
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  const fields = (o: { smtp?: object; incoming?: object; password?: string } = {}) => ({
    email: 'dana@firma.example',
    password: o.password ?? PASSWORD,
    smtp: { host: '127.0.0.1', port: dovecot.ports.submissions, security: 'tls', ...o.smtp },
    incoming: {
      protocol: 'pop3',
      host: '127.0.0.1',
      port: dovecot.ports.pop3s,
      security: 'tls',
      ...o.incoming,
    },
  });
  const test = async (body: object) =>
    (await ws.admin.request('POST', '/api/email-addresses/test', { ...body, scope: 'company' })).json();

  it('passes with implicit TLS (465 + POP3S) and the address saves with its token', async () => {
    const r = await test(fields());
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields(),
      testToken: r.testToken,
    });
    expect(saved.statusCode).toBe(201);
  });

  it('passes with STARTTLS (587 + POP3 STLS) and with IMAP', async () => {
    const r = await test(
      fields({
        smtp: { port: dovecot.ports.submission, security: 'starttls' },
        incoming: { port: dovecot.ports.pop3, security: 'starttls' },
      }),
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const imap = await test(
      fields({ incoming: { protocol: 'imap', port: dovecot.ports.imaps, security: 'tls' } }),
    );
    expect(imap.ok, JSON.stringify(imap)).toBe(true);
    expect(imap.incoming.steps.find((s: { id: string }) => s.id === 'select').info).toHaveProperty(
      'uidValidity',
    );
  });

  it('explains a wrong password on both sides and gives no token', async () => {
    const r = await test(fields({ password: 'Wrong-Pass-9' }));
    expect(r.ok).toBe(false);
    expect(r.testToken).toBeUndefined();
    expect(r.smtp.diagnosis.id).toBe('wrong-password');
    expect(r.incoming.diagnosis.id).toBe('wrong-password');
    expect(JSON.stringify(r)).not.toContain('Wrong-Pass-9');
  });

  it('explains SSL on a STARTTLS port (and plaintext on an SSL port)', async () => {
    const r = await test(
      fields({
        smtp: { port: dovecot.ports.submission, security: 'tls' },
        incoming: { port: dovecot.ports.pop3, security: 'tls' },
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.smtp.diagnosis.id).toBe('tls-mode-mismatch');
    expect(r.incoming.diagnosis.id).toBe('tls-mode-mismatch');
  });

  describe('app-password-required reply from the scripted server', () => {
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await startSmtpSink({
        mode: 'tls',
        users: [{ user: 'dana@firma.example', password: PASSWORD }],
        script: {
          auth: '534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor gsmtp',
        },
      });
    });
    afterAll(async () => sink?.close());

    it('names the cause (create an app password) beside Google’s reply, in Polish', async () => {
      const res = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        { ...fields({ smtp: { port: sink.port } }), scope: 'company' },
        { 'accept-language': 'pl' },
      );
      const r = res.json();
      expect(r.smtp.ok).toBe(false);
      expect(r.incoming.ok).toBe(true);
      const auth = r.smtp.steps.find((s: { id: string }) => s.id === 'auth');
      expect(auth.diagnosis.id).toBe('gmail-app-password-required');
      expect(auth.diagnosis.userAction).toMatch(/hasło aplikacji/i);
      expect(auth.reply).toContain('5.7.9');
    });
  });
});
