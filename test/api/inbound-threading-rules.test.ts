import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, outgoingRecipients, tasks } from '../../src/db/schema/index.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Threading looks only inside the workspace the mail arrived in (M38, M48): a Message-ID, a
 * received id or a thread token that belongs to another workspace matches nothing. Each case
 * first shows the same mail threads in its own workspace, so the other one's "unmatched" is the
 * workspace filter at work, not a reply that could never match.
 */
let t: TestApp;
let a: InboundThread;
let b: InboundThread;
beforeAll(async () => {
  t = await createTestApp();
  a = await inboundThread(t, ['Oferta A']);
  b = await inboundThread(t, ['Oferta B']);
});
afterAll(async () => t?.close());

let n = 0;
/** A reply from a client with these thread headers; its own Message-ID is `<scope-N@klient.example>`. */
const mail = (threadHeaders: string[]) =>
  Buffer.from(
    [
      'From: Jan Kowalski <jan@klient.example>',
      'To: biuro@firma.pl',
      'Subject: Re: Oferta',
      `Message-ID: <scope-${++n}@klient.example>`,
      ...threadHeaders,
      '',
      'Dziękuję, termin pasuje.',
    ].join('\r\n'),
  );
const nobodys = { kind: 'unmatched', task_id: null, outgoing_message_id: null };

describe('threading stays inside the workspace (M38, M48)', () => {
  it('a reply naming another workspace’s email by its Message-ID', async () => {
    const sent = await b.sentEmail(b.taskIds[0]!, '<offer-b-1@firma.pl>', 'jan@klient.example');
    const headers = ['In-Reply-To: <offer-b-1@firma.pl>'];
    expect(await b.storeAndProcess(mail(headers))).toMatchObject({
      kind: 'reply',
      task_id: b.taskIds[0],
      outgoing_message_id: sent.id,
    });
    expect(await a.storeAndProcess(mail(headers))).toMatchObject(nobodys);
  });

  it('a reply to a message another workspace received', async () => {
    await b.sentEmail(b.taskIds[0]!, '<offer-b-2@firma.pl>', 'jan@klient.example');
    expect(await b.storeAndProcess(mail(['In-Reply-To: <offer-b-2@firma.pl>']))).toMatchObject({
      kind: 'reply',
      task_id: b.taskIds[0],
    });
    const received = [`In-Reply-To: <scope-${n}@klient.example>`];
    expect(await b.storeAndProcess(mail(received))).toMatchObject({ kind: 'reply', task_id: b.taskIds[0] });
    expect(await a.storeAndProcess(mail(received))).toMatchObject(nobodys);
  });

  it('a reply carrying only another workspace’s thread token', async () => {
    const [task] = await t.ctx.db.select().from(tasks).where(eq(tasks.id, b.taskIds[0]!));
    // A client rewrote our id: only the task's token is left of it.
    const headers = [`References: <mr.${task!.threadToken}.rewrittenbyclient@mangled.example>`];
    expect(await b.storeAndProcess(mail(headers))).toMatchObject({ kind: 'reply', task_id: b.taskIds[0] });
    expect(await a.storeAndProcess(mail(headers))).toMatchObject(nobodys);
  });
});

describe('which of our emails a reply answers (M38)', () => {
  it('In-Reply-To wins over References, whatever order the emails were written in', async () => {
    // Written second: a lookup that kept the database's order would answer with the first one.
    await a.sentEmail(a.taskIds[0]!, '<offer-a-older@firma.pl>', 'jan@klient.example');
    const direct = await a.sentEmail(a.taskIds[0]!, '<offer-a-direct@firma.pl>', 'jan@klient.example');
    const row = await a.storeAndProcess(
      mail(['In-Reply-To: <offer-a-direct@firma.pl>', 'References: <offer-a-older@firma.pl>']),
    );
    expect(row).toMatchObject({ kind: 'reply', outgoing_message_id: direct.id });
  });

  it('a client that upper-cased our Message-ID still names the email it answers', async () => {
    const [task] = await t.ctx.db.select().from(tasks).where(eq(tasks.id, a.taskIds[0]!));
    const id = `<mr.${task!.threadToken}.answeredbyclient@firma.pl>`;
    const answered = await a.sentEmail(a.taskIds[0]!, id, 'jan@klient.example');
    // A newer email of the task: a match by the thread token alone would pick this one.
    await a.sentEmail(
      a.taskIds[0]!,
      `<mr.${task!.threadToken}.newerthanthatone@firma.pl>`,
      'jan@klient.example',
    );
    const row = await a.storeAndProcess(mail([`In-Reply-To: ${id.toUpperCase()}`]));
    expect(row).toMatchObject({ kind: 'reply', outgoing_message_id: answered.id });
  });
});

/** A delivery report for our email `messageId`: one block per recipient (address, action, status). */
const bounce = (messageId: string, blocks: Array<[string, 'failed' | 'delayed', string]>) =>
  Buffer.from(
    [
      'Return-Path: <>',
      'From: MAILER-DAEMON@mx.relay.example (Mail Delivery System)',
      'To: biuro@firma.pl',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn-${++n}@mx.relay.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.relay.example',
      '',
      ...blocks.flatMap(([address, action, status]) => [
        `Final-Recipient: rfc822; ${address}`,
        `Action: ${action}`,
        `Status: ${status}`,
        '',
      ]),
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${messageId}`,
      'Subject: Oferta',
      '',
      '--B--',
    ].join('\r\n'),
  );

/** A second recipient of a sent email, accepted by the server. */
const addOla = (outgoingMessageId: string) =>
  t.ctx.db.insert(outgoingRecipients).values({
    workspaceId: a.ws.workspaceId,
    outgoingMessageId,
    email: 'ola@klient.example',
    status: 'accepted',
  });

describe('which recipient a bounce names (M39)', () => {
  it('a report naming an address the email did not go to marks none of its several recipients', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<offer-a-two@firma.pl>', 'jan@klient.example');
    await addOla(sent.id);
    // A forward we never saw failed: the report is about the email, not about Jan or Ola.
    const row = await a.storeAndProcess(
      bounce('<offer-a-two@firma.pl>', [['jan.private@elsewhere.example', 'failed', '5.1.1']]),
    );
    expect(row).toMatchObject({ kind: 'bounce', outgoing_message_id: sent.id });
    const statuses = await t.ctx.db
      .select({ status: outgoingRecipients.status })
      .from(outgoingRecipients)
      .where(eq(outgoingRecipients.outgoingMessageId, sent.id));
    expect(statuses.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('a report where one recipient failed and another is only delayed bounces the email', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<offer-a-mixed@firma.pl>', 'jan@klient.example');
    const row = await a.storeAndProcess(
      bounce('<offer-a-mixed@firma.pl>', [
        ['ola@other.example', 'delayed', '4.4.1'],
        ['jan@klient.example', 'failed', '5.1.1'],
      ]),
    );
    expect(row).toMatchObject({ kind: 'bounce', outgoing_message_id: sent.id });
    const [email] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, sent.id));
    expect(email).toMatchObject({ status: 'bounced', bounce: expect.objectContaining({ permanent: true }) });
  });

  it('a second report about a recipient already bounced leaves the first explanation', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<offer-a-twice@firma.pl>', 'jan@klient.example');
    const recipient = () =>
      t.ctx.db
        .select({ status: outgoingRecipients.status, failure: outgoingRecipients.failure })
        .from(outgoingRecipients)
        .where(eq(outgoingRecipients.outgoingMessageId, sent.id));
    await a.storeAndProcess(bounce('<offer-a-twice@firma.pl>', [['jan@klient.example', 'failed', '5.1.1']]));
    const [first] = await recipient();
    expect(first).toMatchObject({ status: 'bounced', failure: { failure: { enhancedCode: '5.1.1' } } });
    // Another relay's copy, with another status: Jan is not marked again.
    await a.storeAndProcess(bounce('<offer-a-twice@firma.pl>', [['jan@klient.example', 'failed', '5.2.2']]));
    expect(await recipient()).toEqual([first]);
  });

  it('a second report about a recipient already bounced does not fall on the only other one', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<offer-a-twice-two@firma.pl>', 'jan@klient.example');
    await addOla(sent.id);
    const report = () => bounce('<offer-a-twice-two@firma.pl>', [['jan@klient.example', 'failed', '5.1.1']]);
    await a.storeAndProcess(report());
    await a.storeAndProcess(report());
    const rows = await t.ctx.db
      .select({ email: outgoingRecipients.email, status: outgoingRecipients.status })
      .from(outgoingRecipients)
      .where(eq(outgoingRecipients.outgoingMessageId, sent.id));
    expect(rows.map((r) => `${r.email} ${r.status}`).sort()).toEqual([
      'jan@klient.example bounced',
      'ola@klient.example accepted',
    ]);
  });
});
