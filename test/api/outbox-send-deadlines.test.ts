import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { createSmtpSender } from '../../src/mail/smtp/smtp-sender.js';
import { dripAndHealthyAddresses } from '../helpers/drip-outbox.js';
import { appOutboxFixture, type OutboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import type { RawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * Decision 0008, send deadlines: a server that drips its reply after MAIL FROM costs its own
 * address one deadline, not the outbox. The emails queued behind the send that timed out are
 * deferred with the same failure at once (they would each have waited for a connection and then
 * a whole deadline of their own), and another workspace's address sends meanwhile.
 */
const servers: RawSmtpServer[] = [];
const sender = createSmtpSender({
  resolver: createLoopbackResolver(),
  timeouts: { commandMs: 400, dataEndMs: 400, attemptMs: 5_000, openMs: 10_000 },
});
let t: TestApp;
let fx: OutboxFixture;

beforeAll(async () => {
  t = await createTestApp(
    {},
    {},
    // A long memo so that rows claimed after the first timeout meet it too (the default 2 s
    // covers the emails already queued on the lane, which is what production needs).
    { outbox: { pollMs: 200, sender, options: { sweepEveryMs: 0, failureMemoMs: 60_000 } } },
  );
  fx = appOutboxFixture(t);
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  await Promise.all(servers.map((s) => s.close()));
});

const statusOf = async (id: string) => {
  const [m] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id));
  return { status: m!.status, catalogueId: (m!.failure as { catalogueId?: string } | null)?.catalogueId };
};

describe('outbox: a dripping server holds only its own address, for one deadline', () => {
  it('the emails queued behind a timed-out send are deferred without dialling; another workspace sends', async () => {
    const { drip, slow, a, b, slowAddress, okAddress } = await dripAndHealthyAddresses(t, fx, servers);
    const stuck = [];
    for (let i = 0; i < 12; i++)
      stuck.push(
        await fx.enqueue({
          workspaceId: a.workspaceId,
          addressId: slowAddress,
          to: [`c${i}@example.com`],
          authorEmployeeId: a.admin.employeeId,
        }),
      );
    const other = await fx.enqueue({
      workspaceId: b.workspaceId,
      addressId: okAddress,
      to: ['d@example.com'],
      authorEmployeeId: b.admin.employeeId,
    });
    t.ctx.outboxWakeup.committed();
    await t.ctx.outbox.idle();

    expect(await statusOf(other.id)).toMatchObject({ status: 'sent' });
    for (const m of stuck)
      expect(await statusOf(m.id)).toEqual({ status: 'deferred', catalogueId: 'server-timeout' });
    // Not one drip per email (12): the emails queued on the lane got the timeout at once. The
    // address going `failing` renews its lane (outbox-lanes.ts keys lanes by health), so the
    // first email claimed after that dials once more.
    expect(slow.connections()).toBeLessThanOrEqual(2);
    // The server notices a close a moment after the client's outcome is written.
    await vi.waitFor(() => expect(drip.closedWhileDripping()).toBe(slow.connections()), { timeout: 5_000 });
  });
});
