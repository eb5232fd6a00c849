import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { wireProblem } from '../../src/mail/message/compose-outgoing-wire.js';
import { addressRow } from '../helpers/address-row.js';
import { type Caller, createTestApp, type TestApp, type TestWorkspace } from '../helpers/test-app.js';

/**
 * A comment that notifies a contact freezes MIME built by composeOutgoing (issue 9 items 2, 7):
 * a sender display name stored before M55 with a zero-width space and a bidi override reaches
 * `From:` clean, the Message-ID is the row's, replies thread with In-Reply-To/References, and a
 * long thread's References stay bounded, keeping its first and newest ids (RFC 5322 §3.6.4).
 */
let t: TestApp;
let ws: TestWorkspace;
let ewa: Caller;
let taskId: string;
let contactId: string;

beforeAll(async () => {
  t = await createTestApp();
  ws = await t.newWorkspace('Firma');
  ewa = await ws.newEmployee({ name: 'Ewa Nowak' });
  // Inserted straight into the store: the API now refuses such a name.
  await t.ctx.mailbox.addresses.insert(
    addressRow({
      workspaceId: ws.workspaceId,
      scope: 'company',
      email: 'biuro@firma.pl',
      displayName: 'Biuro\u200b Firma\u202e',
    }),
  );
  const projectId = (await ws.admin.request('POST', '/api/projects', { name: 'Okna' })).json().id;
  contactId = (
    await ws.admin.request('POST', '/api/contacts', {
      name: 'Jan Łoś',
      emails: [{ email: 'jan@пример.рф' }],
    })
  ).json().id;
  const task = await ewa.request('POST', '/api/tasks', {
    projectId,
    title: 'Wycena okien',
    contactIds: [contactId],
  });
  expect(task.statusCode, task.body).toBe(201);
  taskId = task.json().id;
});
afterAll(async () => t?.close());

async function comment(body: string) {
  const res = await ewa.request('POST', `/api/tasks/${taskId}/comments`, {
    body,
    notifyContactIds: [contactId],
  });
  expect(res.statusCode, res.body).toBe(201);
  const rows = await t.ctx.db
    .select()
    .from(outgoingMessages)
    .where(eq(outgoingMessages.commentId, res.json().id));
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(row.mime).toBeTruthy();
  return { row, mime: Buffer.from(row.mime as Uint8Array) };
}

describe('comment emails are composed safely', () => {
  it('strips invisible characters from a stored sender name and threads the reply', async () => {
    const first = await comment('Dzień dobry,\nprzesyłam wycenę.');
    expect(wireProblem(first.mime)).toBeNull();
    const parsed = await simpleParser(first.mime);
    expect(parsed.from?.value).toEqual([{ address: 'biuro@firma.pl', name: 'Biuro Firma' }]);
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([
      { address: 'jan@пример.рф', name: 'Jan Łoś' },
    ]);
    // The parser shows the Unicode domain; the bytes carry punycode.
    expect(first.mime.toString('latin1')).toContain('<jan@xn--e1afmkfd.xn--p1ai>');
    expect(parsed.messageId).toBe(first.row.messageId);
    expect(parsed.subject).toBe('Wycena okien');
    expect(first.mime.toString('latin1')).not.toMatch(/\u200b|=E2=80=8B|=E2=80=AE/i);

    const second = await comment('Czy wycena jest aktualna?');
    const reply = await simpleParser(second.mime);
    expect(reply.inReplyTo).toBe(first.row.messageId);
    expect(reply.references).toEqual(first.row.messageId);
    expect(reply.subject).toBe('Re: Wycena okien');
    expect(second.row.messageId).not.toBe(first.row.messageId);
  });
});

describe('a reply in a thread of 200 emails', () => {
  it('names the thread’s first email and the newest 19 in References, the newest in In-Reply-To', async () => {
    const earlier = (await comment('Początek wątku.')).row;
    // More emails of the thread, one second apart, stored as the outbox keeps sent mail.
    const before = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.taskId, taskId));
    for (let i = before.length; i < 200; i++) {
      const [row] = await t.ctx.db
        .insert(outgoingMessages)
        .values({
          workspaceId: ws.workspaceId,
          taskId,
          commentId: earlier.commentId,
          senderEmail: 'biuro@firma.pl',
          messageId: `<mr.longlonglonglongl.thread${i}@firma.pl>`,
          subject: 'Re: Wycena okien',
          status: 'sent',
          createdAt: new Date(earlier.createdAt.getTime() + i * 1000),
        })
        .returning();
      await t.ctx.db.insert(outgoingRecipients).values({
        workspaceId: ws.workspaceId,
        outgoingMessageId: row!.id,
        contactId,
        email: 'jan@xn--e1afmkfd.xn--p1ai',
        status: 'accepted',
      });
    }
    const thread = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.taskId, taskId));
    expect(thread).toHaveLength(200);
    const ids = thread.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((r) => r.messageId);
    const { mime } = await comment('Odpowiedź w długim wątku.');
    const reply = await simpleParser(mime);
    expect(reply.inReplyTo).toBe(ids.at(-1));
    expect(reply.references).toEqual([ids[0], ...ids.slice(-19)]);
    const header = /^References:(.*(?:\r\n[ \t].*)*)/im.exec(mime.toString('latin1'))?.[1] ?? '';
    expect(header.length).toBeLessThan(2_000);
  });
});
