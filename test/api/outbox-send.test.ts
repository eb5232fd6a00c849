import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emailAddresses,
  notifications,
  outgoingMessages,
  outgoingRecipients,
} from '../../src/db/schema/index.js';
import { type OutboxFixture, outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

let t: TestApp;
let ws: TestWorkspace;
let fx: OutboxFixture;
const sinks: SmtpSink[] = [];

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200 } });
  ws = await t.newWorkspace();
  fx = outboxFixture({
    db: t.ctx.db,
    secretBox: t.ctx.secretBox,
    committed: () => t.ctx.outboxWakeup.committed(),
  });
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  for (const s of sinks) await s.close();
});

async function sink(opts: Parameters<typeof startSmtpSink>[0] = {}) {
  const s = await startSmtpSink({
    mode: 'tls',
    users: [{ user: 'box@firma.example', password: 'sink password' }],
    ...opts,
  });
  sinks.push(s);
  return s;
}

const row = async (id: string) => {
  const [m] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  const recipients = await t.ctx.db
    .select()
    .from(outgoingRecipients)
    .where(eq(outgoingRecipients.outgoingMessageId, id))
    .orderBy(outgoingRecipients.email);
  return { ...m!, recipients };
};

describe('outbox worker: queued → sending → sent | failed (M32)', () => {
  it('sends a queued email over TLS with AUTH and records the 250 reply and queue id', async () => {
    const s = await sink();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: s.port,
      login: 'box@firma.example',
    });
    const q = await fx.enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      to: ['klient@example.com'],
      authorEmployeeId: ws.admin.employeeId,
    });
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.acceptedReply).toMatch(/^250 /);
    expect(r.sentAt).toBeInstanceOf(Date);
    expect(r.attempts).toBe(1);
    expect(r.leaseToken).toBeNull();
    expect(r.recipients.map((x) => [x.email, x.status])).toEqual([['klient@example.com', 'accepted']]);
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0]!.to).toEqual(['klient@example.com']);
    expect(s.messages[0]!.raw.toString()).toContain(q.messageId);
    expect(s.authAttempts.map((a) => a.accepted)).toEqual([true]);
  });

  it('reuses one pooled connection for several emails of the same address', async () => {
    const s = await sink();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: s.port,
      login: 'box@firma.example',
      sendMaxConnections: 1,
    });
    const ids = [];
    for (let i = 0; i < 5; i++)
      ids.push((await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: [`k${i}@example.com`] })).id);
    await t.ctx.outbox.idle();
    for (const id of ids) expect((await row(id)).status).toBe('sent');
    expect(s.messages).toHaveLength(5);
    expect(s.connections()).toBe(1);
  });

  it('keeps the pooled connection when the address row changes in nothing it was opened with', async () => {
    const s = await sink();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: s.port,
      login: 'box@firma.example',
      sendMaxConnections: 1,
    });
    const first = await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['a@example.com'] });
    await t.ctx.outbox.idle();
    expect((await row(first.id)).status).toBe('sent');
    // A display-name edit (or a health write) touches the row, not the connection settings.
    await t.ctx.db
      .update(emailAddresses)
      .set({ displayName: 'Biuro (nowa nazwa)', updatedAt: new Date() })
      .where(eq(emailAddresses.id, addressId));
    const second = await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['b@example.com'] });
    await t.ctx.outbox.idle();
    expect((await row(second.id)).status).toBe('sent');
    expect(s.connections()).toBe(1);
    // A new login is a new connection.
    await t.ctx.db
      .update(emailAddresses)
      .set({ login: 'box2@firma.example', updatedAt: new Date() })
      .where(eq(emailAddresses.id, addressId));
    await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['c@example.com'] });
    await t.ctx.outbox.idle();
    expect(s.connections()).toBe(2);
  });

  it('fails an email the server refuses with 5xx after the data, and tells the author', async () => {
    const s = await sink({ script: { data: '554 5.7.1 Message rejected as spam' } });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: s.port,
      login: 'box@firma.example',
    });
    const q = await fx.enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      to: ['k@example.com'],
      authorEmployeeId: ws.admin.employeeId,
    });
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('failed');
    expect(r.failure).toMatchObject({ reason: 'smtp', failure: { responseCode: 554 } });
    expect(r.transmittingAt).toBeNull();
    const notes = await t.ctx.db
      .select()
      .from(notifications)
      .where(eq(notifications.employeeId, ws.admin.employeeId));
    expect(
      notes.some(
        (n) =>
          n.kind === 'message_failed' &&
          (n.payload as { outgoingMessageId?: string }).outgoingMessageId === q.id,
      ),
    ).toBe(true);
  });
});
