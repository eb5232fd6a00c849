import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailAddresses, outgoingMessages } from '../../src/db/schema/index.js';
import { registerSecret } from '../helpers/leak-scan.js';
import { type OutboxFixture, outboxFixture } from '../helpers/outbox-fixture.js';
import { serviceMissing } from '../helpers/require-service.js';
import { createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';
import { type DovecotInstance, dovecotMissingReason, startDovecot } from '../servers/dovecot.js';

const PASSWORD = registerSecret('Outbox-Submission 9');
const USER = 'olga@firma.example';
const missing = serviceMissing('Dovecot', dovecotMissingReason());

/**
 * The outbox through a real MSA (issue 9 item 8): Dovecot's submission service authenticates the
 * worker over STARTTLS (587) and implicit TLS (465) and relays to the fixture's sink; a wrong
 * password pauses the address instead of failing the email.
 */
describe.skipIf(missing)('outbox through Dovecot submission', () => {
  let dovecot: DovecotInstance;
  let t: TestApp;
  let ws: TestWorkspace;
  let fx: OutboxFixture;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ user: USER, password: PASSWORD }] });
    t = await createTestApp({}, {}, { outbox: { pollMs: 200 } });
    fx = outboxFixture({
      db: t.ctx.db,
      secretBox: t.ctx.secretBox,
      committed: () => t.ctx.outboxWakeup.committed(),
    });
    t.startWorker();
  });
  afterAll(async () => {
    await t?.close();
    await dovecot?.stop();
  });

  const status = async (id: string) =>
    (await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, id)))[0]!;

  it.each([
    ['submission with STARTTLS (587)', 'starttls'],
    ['submissions (465)', 'tls'],
  ] as const)('sends through %s: 250 recorded, relayed once', async (_name, security) => {
    const port = security === 'tls' ? dovecot.ports.submissions : dovecot.ports.submission;
    // One mailbox may be a company address once per workspace.
    ws = await t.newWorkspace();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: USER,
      login: USER,
      password: PASSWORD,
      port,
      security,
    });
    const before = dovecot.relay!.messages.length;
    const q = await fx.enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      from: USER,
      to: ['klient@example.com'],
    });
    await t.ctx.outbox.idle();
    const r = await status(q.id);
    expect(r.status, JSON.stringify(r.failure)).toBe('sent');
    expect(r.acceptedReply).toMatch(/^250 /);
    const relayed = dovecot.relay!.messages.slice(before);
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.to).toEqual(['klient@example.com']);
    expect(relayed[0]!.raw.toString()).toContain(q.messageId);
  });

  it('a refused password pauses the address; the email stays queued', async () => {
    // One mailbox may be a company address once per workspace.
    ws = await t.newWorkspace();
    const addressId = await fx.address({
      workspaceId: ws.workspaceId,
      email: USER,
      login: USER,
      password: 'not the password',
      port: dovecot.ports.submissions,
      security: 'tls',
    });
    const q = await fx.enqueue({
      workspaceId: ws.workspaceId,
      addressId,
      from: USER,
      to: ['klient@example.com'],
    });
    await t.ctx.outbox.idle();
    expect((await status(q.id)).status).toBe('queued');
    const [address] = await t.ctx.db.select().from(emailAddresses).where(eq(emailAddresses.id, addressId));
    expect(address!.health).toBe('needs_attention');
  });
});
