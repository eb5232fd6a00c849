import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressSendStarts, outgoingMessages } from '../../src/db/schema/index.js';
import type { OutboxSender } from '../../src/services/outbox/outbox-sender.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type SmtpSink, startSmtpSink } from '../servers/smtp-sink.js';

let t: TestApp;
let sink: SmtpSink;
const senders: OutboxSender[] = [];

beforeAll(async () => {
  t = await createTestApp();
  sink = await startSmtpSink({
    mode: 'plain',
    users: [{ user: 'box@firma.example', password: 'sink password' }],
  });
});
afterAll(async () => {
  for (const s of senders) await s.stop();
  await t?.close();
  await sink?.close();
});

/**
 * Decision 0011 / M34: an address's per-minute limit is counted in the database, so it holds
 * for the address whatever the number of worker processes. Two senders stand for two worker
 * processes (each its own claims, lanes and connections, on one database, as `--role worker`
 * × 2 on PostgreSQL; the same on PGlite).
 */
describe('per-minute sending limit shared by worker processes (issue 12 item 4)', () => {
  it('two workers holding emails of one address together send at most its limit per minute', async () => {
    const ws = await t.newWorkspace();
    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      port: sink.port,
      security: 'none',
      login: 'box@firma.example',
      sendPerMinute: 5,
      sendMaxConnections: 2,
    });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push((await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: [`k${i}@example.com`] })).id);

    const signal = new AbortController().signal;
    // Each worker claims 6 of the 12: alone, each would send 5 of its own (10 in all).
    const worker = (batch: number, clock?: () => Date) => {
      const s = t.ctx.outbox.createSender(
        { batchSize: batch, maxInFlight: batch, singleProcess: false },
        clock,
      );
      senders.push(s);
      return s;
    };
    const a = worker(6);
    const b = worker(6);
    await a.tick(signal);
    await b.tick(signal);
    await Promise.all([a.idle(), b.idle()]);

    const rows = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.addressId, addressId));
    expect(rows).toHaveLength(12);
    expect(sink.messages).toHaveLength(5);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(5);
    // The rest went back to the queue uncounted, due when the window has room again.
    const waiting = rows.filter((r) => r.status === 'queued');
    expect(waiting).toHaveLength(7);
    const now = Date.now();
    for (const r of waiting) {
      expect(r.attempts).toBe(0);
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(now + 30_000);
    }
    const [starts] = await t.ctx.db
      .select()
      .from(addressSendStarts)
      .where(eq(addressSendStarts.addressId, addressId));
    expect(starts!.starts).toHaveLength(5);

    // A minute later (a worker whose clock is 61 s ahead) the window has room for 5 more.
    const later = worker(12, () => new Date(Date.now() + 61_000));
    await later.tick(signal);
    await later.idle();
    expect(sink.messages).toHaveLength(10);
    const after = await t.ctx.db
      .select()
      .from(outgoingMessages)
      .where(eq(outgoingMessages.addressId, addressId));
    expect(after.filter((r) => r.status === 'sent')).toHaveLength(10);
    expect(after.filter((r) => r.status === 'queued')).toHaveLength(2);
  });
});
