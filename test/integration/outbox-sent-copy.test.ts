import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAddresses, outgoingMessages } from '../../src/db/schema/index.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';

const PASSWORD = registerSecret('Outbox-Copy-Pass 3');
const USER = 'olga@firma.example';
function find(root: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (readFileSync(p).includes(needle)) out.push(p);
    }
  };
  walk(root);
  return out;
}
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/** The outbox worker (sender) hands each sent email to delivery's copier (M57), end to end. */
describe.skipIf(missing)('outbox worker + Copy in Sent through Dovecot', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ user: USER, password: PASSWORD }], deliverRelayed: true });
    t = await createTestApp();
    t.startWorker();
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });
  it('sends through submission and files a copy in the \\Sent folder', async () => {
    const ws = await t.newWorkspace();
    const fx = outboxFixture({
      db: t.ctx.db,
      secretBox: t.ctx.secretBox,
      committed: () => t.ctx.outboxWakeup.committed(),
    });
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: USER,
      login: USER,
      password: PASSWORD,
      port: dovecot.ports.submissions,
      security: 'tls',
      incomingProtocol: 'imap',
    });
    await t.ctx.db
      .update(emailAddresses)
      .set({ incomingHost: '127.0.0.1', incomingPort: dovecot.ports.imaps, incomingSecurity: 'tls' })
      .where(eq(emailAddresses.id, addressId));
    const m = await fx.enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      to: ['klient@example.com'],
      from: USER,
    });
    const deadline = Date.now() + 30_000;
    let row: typeof outgoingMessages.$inferSelect | undefined;
    for (;;) {
      await t.ctx.outbox.idle();
      [row] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, m.id));
      if ((row!.status === 'sent' && row!.sentCopy !== 'pending') || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(row!.status).toBe('sent');
    expect(row!.sentCopy).toBe('done');
    expect(find(dovecot.maildir(USER), m.messageId).some((p) => p.includes('/.Nadane/'))).toBe(true);
    const api = (
      await ws.admin.request('GET', `/api/messages/${m.id}`, undefined, { 'accept-language': 'pl' })
    ).json();
    expect(api.sentCopy).toEqual({ status: 'done', folder: 'Nadane', note: null });
  }, 60_000);
});
