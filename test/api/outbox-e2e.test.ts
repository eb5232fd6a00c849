import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

let t: TestApp;
let sink: SmtpSink;

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200 } });
  sink = await startSmtpSink({
    mode: 'tls',
    users: [{ user: 'biuro@firma.example', password: 'sink password' }],
  });
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('a comment notifying a contact is sent by the worker (issue 9, end to end)', () => {
  it('POST comment → queued in its transaction → sent over SMTP, accepted reply recorded', async () => {
    const ws = await t.newWorkspace('Firma');
    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: 'biuro@firma.example',
      login: 'biuro@firma.example',
      port: sink.port,
    });
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Sklep' })).json().id;
    const contactId = (
      await ws.admin.request('POST', '/api/contacts', {
        name: 'Anna',
        emails: [{ email: 'anna@klient.example' }],
      })
    ).json().id;
    const task = (
      await ws.admin.request('POST', '/api/tasks', {
        projectId,
        title: 'Reklamacja',
        contactIds: [contactId],
      })
    ).json().id;
    const res = await ws.admin.request('POST', `/api/tasks/${task}/comments`, {
      body: 'Dzień dobry, przyjęliśmy reklamację.',
      notifyContactIds: [contactId],
      senderAddressId: addressId,
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.ctx.outbox.idle();
    const [row] = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.commentId, res.json().id));
    expect(row!.status, JSON.stringify(row!.failure)).toBe('sent');
    expect(row!.acceptedReply).toMatch(/^250 /);
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.to).toEqual(['anna@klient.example']);
    expect(sink.messages[0]!.raw.toString()).toContain(row!.messageId);
  });
});
