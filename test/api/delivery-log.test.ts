import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { seedMessage, seedTask } from '../helpers/delivery-log-rows.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

const failure550 = {
  reason: 'smtp',
  catalogueId: 'recipient-unknown',
  failure: {
    kind: 'reply',
    protocol: 'smtp',
    responseCode: 550,
    enhancedCode: '5.1.1',
    response: '550 5.1.1 User unknown',
  },
  at: '2026-12-04T09:00:00Z',
  attempt: 1,
};

describe('Delivery log API (issue 9 item 6)', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let ewa: Caller;
  let jan: Caller;
  let addressId: string;
  let otherAddressId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
    jan = await ws.newEmployee({ name: 'Jan Kowalski' });
    const db = t.ctx.db;
    addressId = (
      await t.ctx.mailbox.addresses.insert(
        addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.pl' }),
      )
    ).id;
    otherAddressId = (
      await t.ctx.mailbox.addresses.insert(
        addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'handel@firma.pl' }),
      )
    ).id;
    const ewaTask = await seedTask(db, ws.workspaceId, ewa.employeeId, 'Okna dla Kowalskich');
    const janTask = await seedTask(db, ws.workspaceId, jan.employeeId, 'Drzwi');
    const base = { workspaceId: ws.workspaceId, addressId };
    ids.sent = (
      await seedMessage(db, ewaTask, ws.workspaceId, {
        ...base,
        authorEmployeeId: ewa.employeeId,
        status: 'sent',
        sentAt: new Date('2026-12-01T10:00:00Z'),
        createdAt: new Date('2026-12-01T10:00:00Z'),
        acceptedReply: '250 2.0.0 Ok: queued as 4F2A',
        to: [
          { email: 'klient@example.com', name: 'Klient', status: 'accepted' },
          { email: 'biuro@firma.pl', kind: 'bcc', status: 'accepted' },
        ],
      })
    ).id;
    ids.failed = (
      await seedMessage(db, ewaTask, ws.workspaceId, {
        ...base,
        authorEmployeeId: ewa.employeeId,
        status: 'failed',
        attempts: 1,
        failure: failure550,
        createdAt: new Date('2026-12-02T10:00:00Z'),
        to: [{ email: 'nikt@example.com', status: 'rejected' }],
      })
    ).id;
    ids.uncertain = (
      await seedMessage(db, ewaTask, ws.workspaceId, {
        ...base,
        authorEmployeeId: ewa.employeeId,
        status: 'uncertain',
        attempts: 1,
        failure: {
          reason: 'connection_lost_after_data',
          failure: { kind: 'closed', protocol: 'smtp', code: 'ECONNRESET' },
        },
        createdAt: new Date('2026-12-03T10:00:00Z'),
      })
    ).id;
    ids.deferred = (
      await seedMessage(db, janTask, ws.workspaceId, {
        ...base,
        addressId: otherAddressId,
        authorEmployeeId: jan.employeeId,
        status: 'deferred',
        attempts: 2,
        nextAttemptAt: new Date(Date.now() + 3_600_000),
        failure: {
          reason: 'smtp',
          catalogueId: 'greylisted',
          failure: { kind: 'reply', protocol: 'smtp', responseCode: 451, response: '451 4.7.1 Greylisted' },
        },
        createdAt: new Date('2026-12-03T12:00:00Z'),
      })
    ).id;
    ids.noSender = (
      await seedMessage(db, janTask, ws.workspaceId, {
        workspaceId: ws.workspaceId,
        authorEmployeeId: jan.employeeId,
        addressId: null,
        mime: null,
        status: 'failed',
        failure: { reason: 'no_sender' },
        createdAt: new Date('2026-12-04T08:00:00Z'),
      })
    ).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('admins see every email, newest first, explained in their language', async () => {
    const res = await ws.admin.request('GET', '/api/messages', undefined, { 'accept-language': 'pl' });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items.map((m: { id: string }) => m.id)).toEqual([
      ids.noSender,
      ids.deferred,
      ids.uncertain,
      ids.failed,
      ids.sent,
    ]);
    expect(page.total).toBe(5);
    const failed = page.items.find((m: { id: string }) => m.id === ids.failed);
    expect(failed.failure).toMatchObject({
      catalogueId: 'recipient-unknown',
      title: 'Adres odbiorcy nie istnieje',
      serverReply: '550 5.1.1 User unknown',
      helpHref: '/help/common-causes#recipient-unknown',
    });
    expect(failed.author).toEqual({ employeeId: ewa.employeeId, name: 'Ewa Nowak' });
    expect(failed.taskTitle).toBe('Okna dla Kowalskich');
    const sent = page.items.find((m: { id: string }) => m.id === ids.sent);
    expect(sent.to).toEqual([{ email: 'klient@example.com', name: 'Klient', status: 'accepted' }]);
    expect(sent.acceptedReply).toBe('250 2.0.0 Ok: queued as 4F2A');
    expect(JSON.stringify(page)).not.toContain('Treść');
  });

  it('filters by state, address, employee, date range and text, and pages', async () => {
    const get = async (qs: string) => {
      const res = await ws.admin.request('GET', `/api/messages?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items.map((m: { id: string }) => m.id);
    };
    expect(await get('status=failed')).toEqual([ids.noSender, ids.failed]);
    expect(await get(`addressId=${otherAddressId}`)).toEqual([ids.deferred]);
    expect(await get(`employeeId=${ewa.employeeId}`)).toEqual([ids.uncertain, ids.failed, ids.sent]);
    expect(await get('from=2026-12-02T00:00:00Z&to=2026-12-03T11:00:00Z')).toEqual([
      ids.uncertain,
      ids.failed,
    ]);
    expect(await get('q=nikt%40example')).toEqual([ids.failed]);
    const counted = (await ws.admin.request('GET', '/api/messages?q=nikt%40example')).json();
    expect([counted.total, counted.totalExact]).toEqual([1, true]);
    expect(await get('limit=2&offset=1')).toEqual([ids.deferred, ids.uncertain]);
    const bad = await ws.admin.request('GET', '/api/messages?status=lost');
    expect(bad.statusCode).toBe(400);
  });

  it('an employee sees only their own emails, and never another one by id or filter', async () => {
    const mine = await ewa.request('GET', '/api/messages');
    expect(mine.json().items.map((m: { id: string }) => m.id)).toEqual([ids.uncertain, ids.failed, ids.sent]);
    expect((await ewa.request('GET', `/api/messages?employeeId=${jan.employeeId}`)).statusCode).toBe(403);
    expect((await ewa.request('GET', `/api/messages/${ids.deferred}`)).statusCode).toBe(404);
    expect((await ewa.request('POST', `/api/messages/${ids.deferred}/retry`)).statusCode).toBe(404);
    expect((await jan.request('POST', `/api/messages/${ids.uncertain}/send-again`)).statusCode).toBe(404);
  });

  it('another workspace sees nothing of this one', async () => {
    const other = await t.newWorkspace('Inna firma');
    const res = await other.admin.request('GET', '/api/messages');
    expect(res.json().items).toEqual([]);
    expect((await other.admin.request('GET', `/api/messages/${ids.failed}`)).statusCode).toBe(404);
    expect((await other.admin.request('POST', `/api/messages/${ids.failed}/retry`)).statusCode).toBe(404);
  });

  it('retry: only failed or deferred emails, back to the queue due now, and repeatable', async () => {
    for (const id of [ids.sent, ids.uncertain]) {
      const res = await ewa.request('POST', `/api/messages/${id}/retry`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('MESSAGE_NOT_RETRYABLE');
    }
    // Nothing to send without a sender: refused, not queued.
    const none = await ws.admin.request('POST', `/api/messages/${ids.noSender}/retry`);
    expect(none.statusCode).toBe(409);

    const before = Date.now();
    const first = await ewa.request('POST', `/api/messages/${ids.failed}/retry`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('queued');
    const [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, ids.failed!));
    expect(row!.status).toBe('queued');
    expect(row!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const again = await ewa.request('POST', `/api/messages/${ids.failed}/retry`);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('queued');
    // Who retried is in the audit log, once (the repeat changed nothing).
    const audit = (await ws.admin.request('GET', `/api/audit-log?targetId=${ids.failed}`)).json();
    expect(
      audit.items.map((e: { action: string; actorEmployeeId: string }) => [e.action, e.actorEmployeeId]),
    ).toEqual([['outgoing_message.retried', ewa.employeeId]]);

    // "Try now" for a deferred email (its author, or an admin).
    const now = await jan.request('POST', `/api/messages/${ids.deferred}/retry`);
    expect(now.statusCode).toBe(200);
    expect(new Date(now.json().nextAttemptAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('send again: only uncertain emails, a new email with the same Message-ID and recipients, once', async () => {
    const refused = await ewa.request('POST', `/api/messages/${ids.sent}/send-again`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('MESSAGE_NOT_RESENDABLE');

    const [first, second] = await Promise.all([
      ewa.request('POST', `/api/messages/${ids.uncertain}/send-again`),
      ewa.request('POST', `/api/messages/${ids.uncertain}/send-again`),
    ]);
    expect([first!.statusCode, second!.statusCode].sort()).toEqual([200, 201]);
    const resend = first!.json();
    expect(second!.json().id).toBe(resend.id);
    expect(resend).toMatchObject({ status: 'queued', resendOfId: ids.uncertain, failure: null });
    const third = await ewa.request('POST', `/api/messages/${ids.uncertain}/send-again`);
    expect(third.statusCode).toBe(200);
    expect(third.json().id).toBe(resend.id);

    const rows = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.resendOfId, ids.uncertain!));
    expect(rows).toHaveLength(1);
    const [orig] = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.id, ids.uncertain!));
    expect(rows[0]!.messageId).toBe(orig!.messageId);
    expect(rows[0]!.mime!.equals(orig!.mime!)).toBe(true);
    expect(orig!.status).toBe('uncertain');
    const recipients = await t.ctx.db
      .select()
      .from(outgoingRecipients)
      .where(eq(outgoingRecipients.outgoingMessageId, resend.id));
    expect(recipients.map((r) => [r.email, r.status])).toEqual([['klient@example.com', 'pending']]);
    // The original stays in the log beside its resend, and says it was sent again.
    const original = (await ewa.request('GET', `/api/messages/${ids.uncertain}`)).json();
    expect(original).toMatchObject({ status: 'uncertain', resentAsId: resend.id });
    const log = (await ewa.request('GET', '/api/messages?status=queued')).json();
    expect(log.items.map((m: { id: string }) => m.id)).toContain(resend.id);
  });

  it('loads a thread’s emails by comment for the task page, workspace-scoped', async () => {
    const [failed] = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.id, ids.failed!));
    const r = await t.ctx.delivery.log.forComments(ws.workspaceId, [failed!.commentId]);
    expect(r.items.map((m) => m.id)).toEqual(expect.arrayContaining([ids.sent, ids.failed, ids.uncertain]));
    expect(r.items.every((m) => !('mime' in m))).toBe(true);
    expect(r.recipients.get(ids.failed!)?.map((x) => x.email)).toEqual(['nikt@example.com']);
    const other = await t.newWorkspace('Obca');
    expect((await t.ctx.delivery.log.forComments(other.workspaceId, [failed!.commentId])).items).toEqual([]);
  });

  it('wakes the worker when it queues', async () => {
    let woke = 0;
    const original = t.ctx.outboxWakeup.committed;
    t.ctx.outboxWakeup.committed = () => {
      woke++;
      original();
    };
    try {
      const m = await seedMessage(
        t.ctx.db,
        await seedTask(t.ctx.db, ws.workspaceId, ewa.employeeId),
        ws.workspaceId,
        {
          workspaceId: ws.workspaceId,
          addressId,
          authorEmployeeId: ewa.employeeId,
          status: 'failed',
          failure: failure550,
        },
      );
      expect((await ewa.request('POST', `/api/messages/${m.id}/retry`)).statusCode).toBe(200);
      expect(woke).toBe(1);
    } finally {
      t.ctx.outboxWakeup.committed = original;
    }
  });
});
