import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type ScriptedSmtpServer, startScriptedSmtp } from '../servers/smtp-script-server.js';

let t: TestApp;
let server: ScriptedSmtpServer;

beforeAll(async () => {
  // The first sender never renews its lease (as if its event loop were blocked).
  t = await createTestApp(
    {},
    {},
    { outbox: { options: { leaseMs: 500, heartbeatMs: 60_000, sweepEveryMs: 0 } } },
  );
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

describe('outbox lease (SECURITY.md §7 case 43)', () => {
  it('a worker stalled past its lease loses the email to another worker and never sends the final dot', async () => {
    let held = false;
    let resume: () => void = () => {};
    const resumed = new Promise<void>((r) => {
      resume = r;
    });
    server = await startScriptedSmtp({
      on: {
        mailFrom: async () => {
          if (held) return;
          held = true; // the first worker stalls here, past its lease
          await resumed;
        },
      },
    });
    const ws = await t.newWorkspace();
    const fx = outboxFixture({ db: t.ctx.db, secretBox: t.ctx.secretBox });
    const addressId = await fx.address({ workspaceId: ws.workspaceId, port: server.port, security: 'none' });
    const q = await fx.enqueue({ workspaceId: ws.workspaceId, addressId, to: ['k@example.com'] });
    const signal = new AbortController().signal;

    const first = t.ctx.outbox.createSender();
    await first.tick(signal);
    while (!held) await new Promise((r) => setTimeout(r, 20));

    // A second worker whose clock is a minute ahead: for it the first one's lease (500 ms) has
    // run out, so it re-claims the email (renewing its own lease) and sends it.
    const second = t.ctx.outbox.createSender({ heartbeatMs: 100 }, () => new Date(Date.now() + 60_000));
    await second.tick(signal);
    await second.idle(10_000);
    const row = async () =>
      (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, q.id)))[0]!;
    expect((await row()).status).toBe('sent');

    // The stalled worker resumes: the row is no longer its own, so its final dot never goes out.
    resume();
    await first.stop(5_000);
    await second.stop();
    const r = await row();
    expect(r.status).toBe('sent');
    expect(r.attempts).toBe(2);
    expect(server.received.filter((m) => m.messageId === q.messageId)).toHaveLength(1);
    expect(server.connections()).toBe(2);
  });
});
