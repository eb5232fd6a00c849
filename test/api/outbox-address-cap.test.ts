import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { createSmtpSender } from '../../src/mail/smtp/smtp-sender.js';
import { dripAndHealthyAddresses } from '../helpers/drip-outbox.js';
import { appOutboxFixture, type OutboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { createLoopbackResolver } from '../servers/loopback-resolver.js';
import type { RawSmtpServer } from '../servers/smtp-raw-server.js';

/**
 * Decision 0008, per-address cap: an address whose server drips, with many emails due at once,
 * holds at most its cap of the outbox's in-flight slots; another address's email, written after
 * all of them, is claimed and sent while the first send still drips (its deadline, 60 s, is far
 * away). Without the cap the first two claims take only the dripping address's emails and fill
 * `maxInFlight`, and nothing else is claimed until that deadline.
 */
const CAP = 4;
const servers: RawSmtpServer[] = [];
let t: TestApp;
let fx: OutboxFixture;

beforeAll(async () => {
  t = await createTestApp(
    {},
    {},
    {
      outbox: {
        pollMs: 200,
        // Deadlines far beyond the test: the first send is still dripping when it ends.
        sender: createSmtpSender({
          resolver: createLoopbackResolver(),
          timeouts: { commandMs: 60_000, dataEndMs: 60_000, attemptMs: 120_000, openMs: 10_000 },
        }),
        options: {
          sweepEveryMs: 0,
          batchSize: 6,
          maxInFlight: 12,
          addressCap: { perConnection: CAP, min: CAP, max: CAP },
        },
      },
    },
  );
  fx = appOutboxFixture(t);
  t.startWorker();
});
afterAll(async () => {
  // Stopping aborts the send still dripping (after the outbox's grace period).
  await t?.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('outbox: one address cannot take the in-flight slots of the others', () => {
  it('a dripping address with 30 emails due holds at most its cap; another address’s email is sent meanwhile', async () => {
    const { drip, slow, a, b, slowAddress, okAddress } = await dripAndHealthyAddresses(t, fx, servers);
    const base = Date.now() - 60_000;
    for (let i = 0; i < 30; i++)
      await fx.enqueue({
        workspaceId: a.workspaceId,
        addressId: slowAddress,
        to: [`c${i}@example.com`],
        createdAt: new Date(base + i),
      });
    // Due after every one of the dripping address's emails: a claim in due order reaches it last.
    const other = await fx.enqueue({
      workspaceId: b.workspaceId,
      addressId: okAddress,
      to: ['d@example.com'],
      createdAt: new Date(base + 1_000),
    });
    t.ctx.outboxWakeup.committed();

    const statusOf = async (id: string) =>
      (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!.status;
    await vi.waitFor(async () => expect(await statusOf(other.id)).toBe('sent'), {
      timeout: 20_000,
      interval: 50,
    });

    // The dripping address's first send is still under way: nothing of it was deferred.
    expect(slow.connections()).toBe(1);
    expect(drip.closedWhileDripping()).toBe(0);
    const counts = await t.ctx.db
      .select({ status: outgoingMessages.status, n: sql<number>`count(*)::int` })
      .from(outgoingMessages)
      .where(eq(outgoingMessages.addressId, slowAddress))
      .groupBy(outgoingMessages.status);
    const of = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
    expect(of('sending')).toBeLessThanOrEqual(CAP);
    expect(of('queued')).toBeGreaterThanOrEqual(30 - CAP);
    expect(of('deferred')).toBe(0);
  }, 60_000);
});
