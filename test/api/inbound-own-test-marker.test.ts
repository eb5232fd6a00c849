import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEmails } from '../../src/db/schema/index.js';
import { addressRow } from '../helpers/address-row.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * `X-Mailroom-Test` marks our own test emails (M23), but anybody can write it: reading treats a
 * message as ours only when the value is a recent test email of the address that collected it
 * (decision 0003, "What counts as ours and as a bounce"; collecting: ingest-pop3.test.ts).
 */
let t: TestApp;
let thread: InboundThread;

beforeAll(async () => {
  t = await createTestApp();
  thread = await inboundThread(t, ['Oferta']);
});
afterAll(async () => {
  await t.close();
});

async function testEmailOf(workspaceId: string, addressId: string, createdAt = new Date()) {
  const [row] = await t.ctx.db
    .insert(testEmails)
    .values({
      workspaceId,
      addressId,
      status: 'arrived',
      messageId: `<mailroom-test.${randomUUID()}@firma.example>`,
      deadlineAt: new Date(createdAt.getTime() + 180_000),
      createdAt,
    })
    .returning();
  return row!.id;
}

describe('reading: a forged test marker does not hide a reply', () => {
  const reply = (testValue: string, ours: string) =>
    Buffer.from(
      `From: Klient <klient@klient.example>\r\nTo: biuro@firma.pl\r\nSubject: Re: Oferta\r\n` +
        `Message-ID: <${randomUUID()}@klient.example>\r\nIn-Reply-To: ${ours}\r\n` +
        `X-Mailroom-Test: ${testValue}\r\n\r\nTak, przyjmujemy ofertę.\r\n`,
    );

  it('makes a reply carrying a random or foreign test id a comment', async () => {
    const ws = thread.ws.workspaceId;
    const taskId = thread.taskIds[0]!;
    const ours = '<mr.aaaabbbbccccdddd.fakeforgedtest1@firma.pl>';
    await thread.sentEmail(taskId, ours, 'klient@klient.example');
    const foreignAddress = (
      await t.ctx.mailbox.addresses.insert(
        addressRow({ workspaceId: ws, scope: 'company', email: 'inne@firma.pl' }),
      )
    ).id;
    const foreign = await testEmailOf(ws, foreignAddress);
    for (const value of [randomUUID(), foreign, '1']) {
      const row = await thread.storeAndProcess(reply(value, ours));
      expect(row).toMatchObject({ status: 'processed', kind: 'reply', task_id: taskId });
    }
  });

  it('still recognises the real test email of the inbox', async () => {
    const real = await testEmailOf(thread.ws.workspaceId, thread.inboxId);
    const row = await thread.storeAndProcess(reply(real, '<nothing@firma.pl>'));
    expect(row).toMatchObject({ status: 'processed', kind: 'test' });
  });
});
