import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emailAddresses,
  notifications,
  outgoingMessages,
  outgoingRecipients,
} from '../../src/db/schema/index.js';
import { type OutboxFixture, outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import {
  type ScriptedSmtpOptions,
  type ScriptedSmtpServer,
  startScriptedSmtp,
} from '../servers/smtp-script-server.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

let t: TestApp;
let ws: TestWorkspace;
let fx: OutboxFixture;
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, options: { sweepEveryMs: 0 } } });
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
  for (const s of servers) await s.close();
});

async function scripted(
  opts: ScriptedSmtpOptions = {},
): Promise<{ server: ScriptedSmtpServer; addressId: string }> {
  const server = await startScriptedSmtp(opts);
  servers.push(server);
  const addressId = await fx.address({ workspaceId: ws.workspaceId, port: server.port, security: 'none' });
  return { server, addressId };
}

async function sink(opts: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const s = await startSmtpSink({
    mode: 'tls',
    users: [{ user: 'box@firma.example', password: 'sink password' }],
    ...opts,
  });
  servers.push(s);
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

const failureOf = (r: { failure: unknown }) =>
  r.failure as { reason: string; catalogueId?: string; failure?: { responseCode?: number } };

/** Makes a deferred row due now, as if its retry time had come. */
async function makeDue(id: string) {
  await t.ctx.db
    .update(outgoingMessages)
    .set({ nextAttemptAt: new Date() })
    .where(eq(outgoingMessages.id, id));
  t.ctx.outboxWakeup.committed();
  await t.ctx.outbox.idle();
}

const enqueue = (
  addressId: string,
  to: string[],
  extra: Partial<Parameters<OutboxFixture['enqueue']>[0]> = {},
) =>
  fx.enqueue({ workspaceId: ws.workspaceId, addressId, to, authorEmployeeId: ws.admin.employeeId, ...extra });

describe('outbox states and retries (M32–M33, SECURITY.md §7)', () => {
  it('case 45: a permanent 550 on one of three recipients fails only that one; the two are delivered once', async () => {
    const { server, addressId } = await scripted({
      rcptTo: (to) =>
        to.startsWith('nobody')
          ? '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown'
          : '250 2.1.5 Ok',
    });
    const q = await enqueue(addressId, ['a@example.com', 'nobody@example.com', 'b@example.com']);
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.recipients.map((x) => [x.email, x.status])).toEqual([
      ['a@example.com', 'accepted'],
      ['b@example.com', 'accepted'],
      ['nobody@example.com', 'rejected'],
    ]);
    expect(r.recipients[2]!.failure).toMatchObject({ catalogueId: 'recipient-unknown' });
    expect(server.received.map((m) => m.to)).toEqual([['a@example.com', 'b@example.com']]);
    await makeDue(q.id); // not due: sent rows are never claimed again
    expect(server.received).toHaveLength(1);
  });

  it('a manual retry of a failed email sends it again to the recipients refused before', async () => {
    let refuse = true;
    const { server, addressId } = await scripted({
      rcptTo: () => (refuse ? '550 5.1.1 <moved@example.com>: User unknown' : '250 2.1.5 Ok'),
    });
    const q = await enqueue(addressId, ['moved@example.com']);
    await t.ctx.outbox.idle();
    expect((await row(q.id)).recipients.map((x) => x.status)).toEqual(['rejected']);
    refuse = false; // the recipient's mailbox exists again
    const res = await ws.admin.request('POST', `/api/messages/${q.id}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.recipients.map((x) => x.status)).toEqual(['accepted']);
    expect(server.received.map((m) => m.to)).toEqual([['moved@example.com']]);
  });

  it('a 4xx for one recipient: the others are accepted, the rest retried later to that recipient only', async () => {
    let greylist = true;
    const { server, addressId } = await scripted({
      rcptTo: (to) =>
        to.startsWith('later') && greylist
          ? '451 4.7.1 Greylisting in action, try again later'
          : '250 2.1.5 Ok',
    });
    const q = await enqueue(addressId, ['now@example.com', 'later@example.com']);
    await t.ctx.outbox.idle();
    let r = await row(q.id);
    expect(r.status).toBe('deferred');
    expect(r.recipients.map((x) => [x.email, x.status])).toEqual([
      ['later@example.com', 'pending'],
      ['now@example.com', 'accepted'],
    ]);
    const wait = r.nextAttemptAt.getTime() - r.updatedAt.getTime();
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThanOrEqual(72_000);
    greylist = false;
    await makeDue(q.id);
    r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.attempts).toBe(2);
    expect(server.received.map((m) => m.to)).toEqual([['now@example.com'], ['later@example.com']]);
  });

  it('case 44: 451 at MAIL FROM three times, then 250: retried on the schedule, delivered once', async () => {
    let refusals = 3;
    const { server, addressId } = await scripted({
      mailFrom: () => (refusals-- > 0 ? '451 4.3.0 Temporary local problem, try again' : '250 2.1.0 Ok'),
    });
    const q = await enqueue(addressId, ['k@example.com']);
    await t.ctx.outbox.idle();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await row(q.id);
      expect(r.status).toBe('deferred');
      expect(r.transmittingAt).toBeNull();
      expect(failureOf(r)).toMatchObject({ reason: 'smtp', failure: { responseCode: 451 } });
      waits.push(r.nextAttemptAt.getTime() - r.updatedAt.getTime());
      await makeDue(q.id);
    }
    const r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.attempts).toBe(4);
    // 1 min, 5 min, 15 min, each stretched by at most 20 %.
    expect(waits[0]).toBeGreaterThanOrEqual(60_000);
    expect(waits[0]).toBeLessThanOrEqual(72_000);
    expect(waits[1]).toBeGreaterThanOrEqual(300_000);
    expect(waits[1]).toBeLessThanOrEqual(360_000);
    expect(waits[2]).toBeGreaterThanOrEqual(900_000);
    expect(waits[2]).toBeLessThanOrEqual(1_080_000);
    expect(server.received).toHaveLength(1);
  });

  it('case 47: the connection drops after the final dot → uncertain, author told, never resent', async () => {
    const { server, addressId } = await scripted({ afterDot: () => 'drop' });
    const q = await enqueue(addressId, ['k@example.com']);
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('uncertain');
    expect(r.transmittingAt).not.toBeNull();
    expect(failureOf(r).reason).toBe('connection_lost_after_data');
    await makeDue(q.id);
    // A full worker pass after the row became due leaves it alone.
    const pass = t.ctx.outbox.nextPass();
    t.ctx.outboxWakeup.committed();
    await pass;
    await t.ctx.outbox.idle();
    expect((await row(q.id)).status).toBe('uncertain');
    expect(server.received).toHaveLength(1);
    const notes = await t.ctx.db
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.employeeId, ws.admin.employeeId), eq(notifications.kind, 'message_failed')),
      );
    expect(
      notes.filter((n) => (n.payload as { outgoingMessageId?: string }).outgoingMessageId === q.id),
    ).toHaveLength(1);
  });

  it('a 4xx reply to the final dot is a definite answer: deferred, not uncertain', async () => {
    let first = true;
    const { server, addressId } = await scripted({
      afterDot: () => {
        if (!first) return '250 2.0.0 Ok: queued as B2';
        first = false;
        return '452 4.3.1 Insufficient system storage';
      },
    });
    const q = await enqueue(addressId, ['k@example.com']);
    await t.ctx.outbox.idle();
    let r = await row(q.id);
    expect(r.status).toBe('deferred');
    expect(r.transmittingAt).toBeNull();
    await makeDue(q.id);
    r = await row(q.id);
    expect(r.status).toBe('sent');
    expect(r.queueId).toBe('B2');
    expect(server.accepted()).toHaveLength(1);
  });

  it('case 27: bigger than the server announces in SIZE → failed too_large before any data', async () => {
    const { server, addressId } = await scripted({
      extensions: ['SIZE 500', 'PIPELINING', 'AUTH PLAIN LOGIN'],
    });
    const q = await enqueue(addressId, ['k@example.com'], { bodyBytes: 2_000 });
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('failed');
    expect(failureOf(r)).toMatchObject({ reason: 'too_large', catalogueId: 'message-too-large' });
    expect(server.received).toHaveLength(0);
    expect(server.plaintext().toString('latin1')).not.toMatch(/MAIL FROM/);
  });

  it('case 23: a non-ASCII local part and a server without SMTPUTF8 → failed smtputf8_required', async () => {
    const { server, addressId } = await scripted({ extensions: ['PIPELINING', 'AUTH PLAIN LOGIN'] });
    const q = await enqueue(addressId, ['użytkownik@пример.рф']);
    await t.ctx.outbox.idle();
    const r = await row(q.id);
    expect(r.status).toBe('failed');
    expect(failureOf(r)).toMatchObject({ reason: 'smtputf8_required', catalogueId: 'smtputf8-unsupported' });
    expect(server.received).toHaveLength(0);
  });

  it('with SMTPUTF8 the IDN domain goes out as punycode and the local part as UTF-8', async () => {
    const { server, addressId } = await scripted();
    const q = await enqueue(addressId, ['użytkownik@пример.рф']);
    await t.ctx.outbox.idle();
    expect((await row(q.id)).status).toBe('sent');
    const wire = server.plaintext().toString('utf8');
    expect(wire).toMatch(/MAIL FROM:<[^>]+> SMTPUTF8/);
    expect(wire).toContain('RCPT TO:<użytkownik@xn--e1afmkfd.xn--p1ai>');
  });

  it('case 46: 535 pauses the address (needs attention, owner told once), its emails stay queued; another address carries on', async () => {
    const bad = await sink({ script: { auth: '535 5.7.8 Username and Password not accepted' } });
    const good = await sink();
    const badId = await fx.address({
      workspaceId: ws.workspaceId,
      port: bad.port,
      login: 'box@firma.example',
    });
    const goodId = await fx.address({
      workspaceId: ws.workspaceId,
      port: good.port,
      login: 'box@firma.example',
    });
    const a1 = await enqueue(badId, ['k1@example.com']);
    const a2 = await enqueue(badId, ['k2@example.com']);
    const b1 = await enqueue(goodId, ['k3@example.com']);
    await t.ctx.outbox.idle();
    for (const id of [a1.id, a2.id]) {
      const r = await row(id);
      expect(r.status).toBe('queued');
      expect(r.attempts).toBe(0);
      expect(failureOf(r).catalogueId).toBe('wrong-password');
    }
    expect((await row(b1.id)).status).toBe('sent');
    const [address] = await t.ctx.db.select().from(emailAddresses).where(eq(emailAddresses.id, badId));
    expect(address!.health).toBe('needs_attention');
    const notes = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.workspaceId, ws.workspaceId), eq(notifications.kind, 'address_health')));
    expect(notes.filter((n) => (n.payload as { addressId?: string }).addressId === badId)).toHaveLength(1);
    // Paused: later passes leave its emails alone (no new login attempts).
    const attempts = bad.authAttempts.length;
    await t.ctx.db
      .update(outgoingMessages)
      .set({ nextAttemptAt: new Date() })
      .where(inArray(outgoingMessages.id, [a1.id, a2.id]));
    const pass = t.ctx.outbox.nextPass();
    t.ctx.outboxWakeup.committed();
    await pass;
    await t.ctx.outbox.idle();
    expect(bad.authAttempts.length).toBe(attempts);
    expect(bad.messages).toHaveLength(0);
  });

  it('M34: at most 50 emails to one recipient in 10 minutes; the rest wait for the window', async () => {
    const s = await sink();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: s.port,
      login: 'box@firma.example',
      sendMaxConnections: 3,
    });
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) ids.push((await enqueue(addressId, ['Busy@Example.com'])).id);
    await t.ctx.outbox.idle();
    const rows = await Promise.all(ids.map(row));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(50);
    const waiting = rows.filter((r) => r.status === 'deferred');
    expect(waiting).toHaveLength(3);
    for (const r of waiting) {
      expect(r.attempts).toBe(0);
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    }
    expect(s.messages).toHaveLength(50);
  });

  it('M33: an email still not sent an hour after it was written: the author is told once; after the window it gives up', async () => {
    const { addressId } = await scripted({ mailFrom: () => '451 4.3.0 Try again later' });
    const late = await enqueue(addressId, ['k@example.com'], {
      createdAt: new Date(Date.now() - 2 * 3600_000),
    });
    const old = await enqueue(addressId, ['k@example.com'], {
      createdAt: new Date(Date.now() - 5 * 24 * 3600_000),
    });
    await t.ctx.outbox.idle();
    // The sweep runs at the start of each pass.
    t.ctx.outboxWakeup.committed();
    await t.ctx.outbox.idle();
    const r = await row(late.id);
    expect(r.status).toBe('deferred');
    expect(r.lateNoticeAt).not.toBeNull();
    const notes = await t.ctx.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.employeeId, ws.admin.employeeId), eq(notifications.kind, 'message_late')));
    expect(
      notes.filter((n) => (n.payload as { outgoingMessageId?: string }).outgoingMessageId === late.id),
    ).toHaveLength(1);
    const o = await row(old.id);
    expect(o.status).toBe('failed');
    expect(failureOf(o).reason).toBe('gave_up');
    // Given up: nobody is left waiting for it.
    expect(o.recipients.map((x) => x.status)).toEqual(['rejected']);
  });
});
