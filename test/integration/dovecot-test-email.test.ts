import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/leak-scan.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';

const PASSWORD = registerSecret('Round-Trip-Pass 7');
const USER = 'rita@firma.example';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/**
 * "Send a test email" (M23) through a real Dovecot: submission accepts the message, relays it
 * to the fixture's sink, which delivers it into the user's maildir; POP3 and IMAP find it there.
 */
describe.skipIf(missing)('Test email round trip against Dovecot', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: TestWorkspace;
  beforeAll(async () => {
    dovecot = await startDovecot({
      users: [{ user: USER, password: PASSWORD }],
      // More older mail than one arrival check reads headers of.
      messages: { [USER]: Array.from({ length: 30 }, (_, i) => Buffer.from(`Subject: old ${i}\n\nold\n`)) },
      deliverRelayed: true,
    });
    t = await createTestApp(
      { testRateLimit: '1000' },
      { testEmailTiming: { arrivalTimeoutMs: 15_000, checkIntervalsMs: [100, 250, 500] } },
    );
    t.startWorker();
  });
  // One mailbox may be saved once per list, so every round trip gets its own workspace.
  beforeEach(async () => {
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  async function saveAndRoundTrip(smtp: object, incoming: object) {
    const fields = {
      email: USER,
      password: PASSWORD,
      smtp: { host: '127.0.0.1', ...smtp },
      incoming: { host: '127.0.0.1', ...incoming },
    };
    const test = await ws.admin.request('POST', '/api/email-addresses/test', { ...fields, scope: 'company' });
    expect(test.json().ok, test.body).toBe(true);
    const saved = await ws.admin.request('POST', '/api/company/email-addresses', {
      ...fields,
      testToken: test.json().testToken,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const id = saved.json().id as string;
    const started = await ws.admin.request('POST', `/api/email-addresses/${id}/test-emails`);
    expect(started.statusCode, started.body).toBe(202);
    await t.ctx.mailbox.testEmails.idle();
    return (
      await ws.admin.request('GET', `/api/email-addresses/${id}/test-emails/${started.json().id}`)
    ).json();
  }

  it('arrives over POP3 after sending through submissions (465)', async () => {
    const r = await saveAndRoundTrip(
      { port: dovecot.ports.submissions, security: 'tls' },
      { protocol: 'pop3', port: dovecot.ports.pop3s, security: 'tls' },
    );
    expect(r.status, JSON.stringify(r)).toBe('arrived');
    expect(r.send.steps.find((s: { id: string }) => s.id === 'data').reply).toMatch(/^250 /);
    expect(r.arrival.steps.find((s: { id: string }) => s.id === 'find').info.found).toBe(true);
  });

  it('arrives over IMAP after sending through submission with STARTTLS (587)', async () => {
    const r = await saveAndRoundTrip(
      { port: dovecot.ports.submission, security: 'starttls' },
      { protocol: 'imap', port: dovecot.ports.imap, security: 'starttls' },
    );
    expect(r.status, JSON.stringify(r)).toBe('arrived');
    expect(r.arrival.protocol).toBe('imap');
    expect(r.arrival.steps.map((s: { id: string }) => s.id).slice(-3)).toEqual(['select', 'find', 'quit']);
  });
});
