import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comments, outgoingMessages } from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

/**
 * send-audit: the per-recipient limit (M34) and the idempotency key (M31, case 52) where the
 * outbox's own tests leave room for a bug: recipients written in different letter case, the
 * same key used by two employees, and two concurrent requests with one key.
 */
let t: TestApp;
let ws: TestWorkspace;
let sink: SmtpSink;

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, options: { sweepEveryMs: 0 } } });
  ws = await t.newWorkspace();
  sink = await startSmtpSink({
    mode: 'tls',
    users: [{ user: 'box@firma.example', password: 'sink password' }],
  });
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('M34: at most 50 emails to one recipient in 10 minutes (send-audit)', () => {
  it('counts one recipient whatever the letter case of its address', async () => {
    const fx = outboxFixture({
      db: t.ctx.db,
      secretBox: t.ctx.secretBox,
      committed: () => t.ctx.outboxWakeup.committed(),
    });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: sink.port,
      login: 'box@firma.example',
      sendMaxConnections: 3,
    });
    const spellings = ['Case@Example.com', 'case@example.com', 'CASE@EXAMPLE.COM'];
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) {
      ids.push(
        (
          await fx.enqueue({
            workspaceId: ws.workspaceId,
            addressId,
            to: [spellings[i % spellings.length]!],
            authorEmployeeId: ws.admin.employeeId,
          })
        ).id,
      );
    }
    await t.ctx.outbox.idle();
    const rows = await Promise.all(
      ids.map(
        async (id) => (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!,
      ),
    );
    // Never more than 50 to that one person; the rest wait for the window (attempt not counted).
    // (A send that failed for other reasons on a loaded machine only lowers the count.)
    const sent = rows.filter((r) => r.status === 'sent');
    const limited = rows.filter((r) => r.status === 'deferred' && r.attempts === 0);
    expect(sent.length).toBeLessThanOrEqual(50);
    expect(sink.messages.length).toBeLessThanOrEqual(50);
    expect(sent.length).toBeGreaterThanOrEqual(45);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    for (const r of limited) expect(r.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
  });
});

describe('idempotency key of a comment (M31, case 52; send-audit)', () => {
  let ewa: Caller;
  let olek: Caller;
  let task: string;
  let contactId: string;

  beforeAll(async () => {
    ewa = await ws.newEmployee({ name: 'Ewa' });
    olek = await ws.newEmployee({ name: 'Olek' });
    await t.ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws.workspaceId, scope: 'company', email: 'biuro@firma.example' }),
    );
    const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Klucze' })).json().id;
    contactId = (
      await ws.admin.request('POST', '/api/contacts', {
        name: 'Anna',
        emails: [{ email: 'anna@klient.example' }],
      })
    ).json().id;
    task = (
      await ewa.request('POST', '/api/tasks', { projectId, title: 'Klucz', contactIds: [contactId] })
    ).json().id;
  });

  const post = (who: Caller, key: string, body = 'Ta sama treść') =>
    who.request(
      'POST',
      `/api/tasks/${task}/comments`,
      { body, notifyContactIds: [contactId] },
      { 'idempotency-key': key },
    );
  const commentsOf = async (employeeId: string) =>
    Number(
      (
        await t.ctx.db
          .select({ n: count() })
          .from(comments)
          .where(and(eq(comments.taskId, task), eq(comments.authorEmployeeId, employeeId)))
      )[0]!.n,
    );

  it('the same key from two employees makes two comments: one never sees the other’s', async () => {
    const a = await post(ewa, 'shared-key-1');
    const b = await post(olek, 'shared-key-1');
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.json().id).not.toBe(a.json().id);
    expect(b.json().author.id).toBe(olek.employeeId);
    expect([await commentsOf(ewa.employeeId), await commentsOf(olek.employeeId)]).toEqual([1, 1]);
  });

  it('two concurrent requests with one key: one comment, one email, both answered with it', async () => {
    const before = await commentsOf(ewa.employeeId);
    const [a, b] = await Promise.all([post(ewa, 'race-key'), post(ewa, 'race-key')]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json().id).toBe(a.json().id);
    expect(await commentsOf(ewa.employeeId)).toBe(before + 1);
    const emails = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.commentId, a.json().id));
    expect(emails).toHaveLength(1);
  });

  it('the same key with another body is refused with a stable code and the header path', async () => {
    await post(ewa, 'changed-key', 'Pierwsza');
    const res = await post(ewa, 'changed-key', 'Druga');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(res.json().error.details.fields[0].path).toBe('/headers/idempotency-key');
  });
});
