import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAddresses, outgoingMessages } from '../../src/db/schema/index.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { Pop3FakeServer } from '../servers/pop3-fake-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

/**
 * Issue 11 item 1: a server that wants an app password, or has password sign-in switched off,
 * is named exactly — with the fix — in the account test, in the email's state and in the
 * delivery log; also a plain 535 on an address made with the Gmail preset (the preset names
 * the provider when the host does not, as here on a loopback server).
 */
const USER = 'biuro@firma.example';
const PASS = registerSecret('account password 1');

let t: TestApp;
let ws: TestWorkspace;
let smtp: SmtpSink;
let pop3: Pop3FakeServer;
let fx: ReturnType<typeof outboxFixture>;

beforeAll(async () => {
  smtp = await startSmtpSink({ mode: 'tls', users: [{ user: USER, password: PASS }] });
  pop3 = await Pop3FakeServer.start({ implicitTls: true, user: USER, pass: PASS });
  t = await createTestApp();
  ws = await t.newWorkspace('App passwords');
  fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await pop3?.close();
});

const CASES = [
  {
    name: 'Gmail 534 5.7.9 application-specific password required',
    presetId: 'gmail',
    reply:
      '534 5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor - gsmtp',
    entry: 'gmail-app-password-required',
    fix: /hasło aplikacji/i,
  },
  {
    name: 'Gmail preset, a plain 535',
    presetId: 'gmail',
    reply: '535 Authentication failed',
    entry: 'gmail-password-rejected',
    fix: /hasło aplikacji/i,
  },
  {
    name: 'Microsoft 535 5.7.139 SMTP AUTH disabled for the tenant',
    presetId: 'microsoft',
    reply:
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    entry: 'microsoft-smtp-auth-disabled',
    fix: /Połącz z Microsoft|SMTP AUTH/i,
  },
  {
    name: 'Microsoft 535 5.7.3 authentication unsuccessful',
    presetId: 'microsoft',
    reply: '535 5.7.3 Authentication unsuccessful [AM0PR02CA0123.eurprd02.prod.outlook.com]',
    entry: 'microsoft-authentication-unsuccessful',
    fix: /.{40,}/,
  },
] as const;

describe('app password and switched-off sign-in replies, everywhere they show (issue 11 item 1)', () => {
  it.each(CASES)('$name → $entry in the test, the email state and the delivery log', async (c) => {
    smtp.setScript({ auth: c.reply });
    try {
      // 1. The account test in the address dialog.
      const test = await ws.admin.request(
        'POST',
        '/api/email-addresses/test',
        {
          email: USER,
          scope: 'company',
          presetId: c.presetId,
          password: PASS,
          smtp: { host: '127.0.0.1', port: smtp.port, security: 'tls' },
          incoming: { protocol: 'pop3', host: '127.0.0.1', port: pop3.port, security: 'tls' },
        },
        { 'accept-language': 'pl' },
      );
      expect(test.statusCode, test.body).toBe(200);
      const smtpResult = test.json().smtp;
      expect(smtpResult.ok).toBe(false);
      expect(smtpResult.diagnosis).toMatchObject({ id: c.entry, userAction: expect.stringMatching(c.fix) });

      // 2. The outbox: the address pauses, its email waits, explained by the same entry.
      const addressId = await fx.address({
        workspaceId: ws.workspaceId,
        email: `${c.presetId}.${Math.random().toString(36).slice(2, 8)}@firma.example`,
        login: USER,
        password: PASS,
        port: smtp.port,
        security: 'tls',
      });
      await t.ctx.db
        .update(emailAddresses)
        .set({ presetId: c.presetId })
        .where(eq(emailAddresses.id, addressId));
      const q = await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['anna@klient.example'] });
      const sender = t.ctx.outbox.createSender();
      await sender.tick(new AbortController().signal);
      await sender.idle(20_000);
      await sender.stop();
      const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, q.id));
      expect(row!.status).toBe('queued');
      expect(row!.failure).toMatchObject({ catalogueId: c.entry });

      const address = (await ws.admin.request('GET', `/api/company/email-addresses/${addressId}`)).json();
      expect(address.health).toBe('needs_attention');
      expect(address.healthDetail).toMatchObject({ catalogueId: c.entry });

      // 3. The delivery log and the email's state beside its comment (one presenter).
      const log = (
        await ws.admin.request('GET', '/api/messages', undefined, { 'accept-language': 'pl' })
      ).json();
      const item = log.items.find((m: { id: string }) => m.id === q.id);
      expect(item.failure).toMatchObject({
        catalogueId: c.entry,
        fix: expect.stringMatching(c.fix),
        serverReply: expect.stringContaining(c.reply.slice(0, 9)),
        helpHref: `/help/common-causes#${c.entry}`,
      });
      const thread = (
        await ws.admin.request('GET', `/api/tasks/${row!.taskId}/comments?limit=100`, undefined, {
          'accept-language': 'pl',
        })
      ).json();
      const shown = thread.items
        .flatMap((cm: { emails: { id: string }[] }) => cm.emails)
        .find((e: { id: string }) => e.id === q.id);
      expect(shown.failure).toMatchObject({ catalogueId: c.entry, fix: item.failure.fix });
    } finally {
      smtp.setScript({});
    }
  });
});
