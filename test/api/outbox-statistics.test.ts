import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OutboxFixture, outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type ScriptedSmtpServer, startScriptedSmtp } from '../servers/smtp-script-server.js';

/**
 * Decision 0008, "Statistics behind the backlog": a bulk send queued after the last ANALYZE
 * (PGlite has no autovacuum; the housekeeping ANALYZE runs every 10 minutes, first after 30 s)
 * makes the claim read the due index once per address. The worker's claim notices that it ranked
 * far more waiting rows than the statistics count and runs ANALYZE itself.
 */
let t: TestApp;
let fx: OutboxFixture;
let server: ScriptedSmtpServer;

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, options: { sweepEveryMs: 0 } } });
  fx = outboxFixture({
    db: t.ctx.db,
    secretBox: t.ctx.secretBox,
    committed: () => t.ctx.outboxWakeup.committed(),
  });
  server = await startScriptedSmtp();
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

/** What the last ANALYZE counted in the index of waiting rows (0 before any waiting row). */
const counted = async () => {
  const r = (await t.ctx.db.execute(sql`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class
    WHERE oid = 'outgoing_messages_address_due_idx'::regclass`)) as unknown as { rows: Array<{ n: number }> };
  return Number(r.rows[0]!.n);
};

describe('outbox: statistics older than the backlog', () => {
  it('a bulk send queued after the last ANALYZE: the worker refreshes the statistics after its first claim', async () => {
    // Autovacuum off: on PostgreSQL it could analyse in its place and hide a worker that does not.
    await t.ctx.db.execute(sql`ALTER TABLE outgoing_messages SET (autovacuum_enabled = false)`);
    await t.ctx.db.execute(sql`ANALYZE outgoing_messages`);
    expect(await counted()).toBe(0);
    const ws = await t.newWorkspace();
    const addressId = await fx.address({ workspaceId: ws.workspaceId, port: server.port, security: 'none' });
    const first = await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['x@example.com'] });
    // 199 more as copies of the first row (one statement): more than the address's cap of 64.
    await t.ctx.db.execute(sql`
      INSERT INTO outgoing_messages (workspace_id, task_id, comment_id, address_id, message_id,
        subject, mime, size, next_attempt_at)
      SELECT workspace_id, task_id, comment_id, address_id, message_id || '.' || g, subject, mime,
        size, next_attempt_at + g * interval '1 millisecond'
      FROM outgoing_messages, generate_series(1, 199) g WHERE id = ${first.id}`);
    t.startWorker();
    t.ctx.outboxWakeup.committed();
    // The first claim takes 64; the ANALYZE after it counts most of the other 136 as waiting.
    await vi.waitFor(async () => expect(await counted()).toBeGreaterThan(50), {
      timeout: 20_000,
      interval: 50,
    });
    await t.ctx.db.execute(sql`ALTER TABLE outgoing_messages RESET (autovacuum_enabled)`);
  }, 30_000);
});
