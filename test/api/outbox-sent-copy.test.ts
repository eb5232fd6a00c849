import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages } from '../../src/db/schema/index.js';
import type { SentCopier } from '../../src/ports/sent-copy.js';
import { outboxFixture } from '../helpers/outbox-fixture.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { type ScriptedSmtpServer, startScriptedSmtp } from '../servers/smtp-script-server.js';

let t: TestApp;
let server: ScriptedSmtpServer;
const appended: Array<{ addressId: string; mime: Buffer }> = [];
let fail = false;
// The port (CONTRACTS.md): the delivery capability implements it over IMAP.
const copier: SentCopier = {
  async append(_ws, addressId, mime) {
    if (fail) throw new Error('APPEND refused');
    appended.push({ addressId, mime });
    return { status: 'done', detail: { folder: 'Sent' } };
  },
};

beforeAll(async () => {
  t = await createTestApp({}, {}, { outbox: { pollMs: 200, sentCopier: copier } });
  server = await startScriptedSmtp();
  t.startWorker();
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

describe('Copy in Sent after `sent` (issue 9 item 4, CONTRACTS.md)', () => {
  it('IMAP addresses get a copy of the frozen MIME; a failed append never changes the email state; POP3 addresses get none', async () => {
    const ws = await t.newWorkspace();
    const fx = outboxFixture({
      db: t.ctx.db,
      secretBox: t.ctx.secretBox,
      committed: () => t.ctx.outboxWakeup.committed(),
    });
    const imap = await fx.address({
      workspaceId: ws.workspaceId,
      port: server.port,
      security: 'none',
      incomingProtocol: 'imap',
    });
    const pop3 = await fx.address({ workspaceId: ws.workspaceId, port: server.port, security: 'none' });
    const a = await fx.enqueue({ workspaceId: ws.workspaceId, addressId: imap, to: ['k@example.com'] });
    const b = await fx.enqueue({ workspaceId: ws.workspaceId, addressId: pop3, to: ['k@example.com'] });
    await t.ctx.outbox.idle();
    const row = async (id: string) =>
      (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!;
    expect((await row(a.id)).sentCopy).toBe('done');
    expect((await row(a.id)).sentCopyDetail).toEqual({ folder: 'Sent' });
    expect(appended.map((x) => x.addressId)).toEqual([imap]);
    expect(appended[0]!.mime.equals(a.mime)).toBe(true);
    expect((await row(b.id)).sentCopy).toBeNull();

    fail = true;
    const c = await fx.enqueue({ workspaceId: ws.workspaceId, addressId: imap, to: ['k@example.com'] });
    await t.ctx.outbox.idle();
    const r = await row(c.id);
    expect(r.status).toBe('sent');
    expect(r.sentCopy).toBe('failed');
  });
});
