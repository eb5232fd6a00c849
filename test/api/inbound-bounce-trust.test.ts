import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoingMessages, outgoingRecipients } from '../../src/db/schema/index.js';
import { classifyInbound } from '../../src/domain/inbound/classify-inbound.js';
import { parseMessage } from '../../src/services/inbound/process-parse.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Which email and which recipient a bounce may mark (decision 0003, "What counts as ours and as
 * a bounce"): the "only recipient" guess needs a mail system's report whose sender did not get
 * the email; a report-shaped message from a recipient is his mail; a standard report is matched
 * by its returned copy's Message-ID (else In-Reply-To), not by any id it quotes.
 */
let t: TestApp;
let a: InboundThread;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  a = await inboundThread(t, ['Oferta']);
});
afterAll(async () => {
  await t.close();
});

const textBounce = (head: string[], inReplyTo: string) =>
  Buffer.from(
    [
      ...head,
      'To: biuro@firma.pl',
      `Message-ID: <b-${++n}@klient.example>`,
      `In-Reply-To: ${inReplyTo}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your message could not be delivered.',
      '',
    ].join('\r\n'),
  );

/** A Postfix-like RFC 3464 report on Jan, with or without the returned copy's headers. */
const dsn = (returnedId: string | null, extra: string[]) => {
  const head = `Return-Path: <>\nFrom: MAILER-DAEMON@mx.klient.example (Mail Delivery System)\nTo: biuro@firma.pl
Subject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn-${++n}@mx.klient.example>\n${extra.map((h) => `${h}\n`).join('')}`;
  const status =
    'Reporting-MTA: dns; mx.klient.example\n\nFinal-Recipient: rfc822; jan@klient.example\nAction: failed\nStatus: 5.1.1\n';
  const returned = returnedId
    ? `--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: ${returnedId}\nSubject: Oferta\n\n`
    : '';
  const body = `--B\nContent-Type: text/plain\n\nYour message could not be delivered.\n--B\nContent-Type: message/delivery-status\n\n${status}\n${returned}--B--\n`;
  const mime =
    'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n';
  return Buffer.from(`${head}${mime}${body}`.replace(/\n/g, '\r\n'));
};

async function statusOf(outgoingId: string) {
  const [email] = await t.ctx.db.select().from(outgoingMessages).where(eq(outgoingMessages.id, outgoingId));
  const recipients = await t.ctx.db
    .select({ status: outgoingRecipients.status })
    .from(outgoingRecipients)
    .where(eq(outgoingRecipients.outgoingMessageId, outgoingId));
  return { email: email!.status, recipients: recipients.map((r) => r.status) };
}

describe('the "only recipient" guess', () => {
  it('a "bounce" from the email\'s only recipient, not a mail system\'s, is his reply', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<self-bounce@firma.pl>', 'jan@klient.example');
    const raw = textBounce(
      ['From: Jan <jan@klient.example>', 'Subject: Undeliverable: Oferta'],
      sent.messageId,
    );
    expect(classifyInbound(await parseMessage(raw)).kind).toBe('bounce');
    expect(await a.storeAndProcess(raw)).toMatchObject({ kind: 'reply', task_id: a.taskIds[0] });
    expect(await statusOf(sent.id)).toEqual({ email: 'sent', recipients: ['accepted'] });
  });

  it('is never made for a recipient that sent the report itself', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<to-postmaster@firma.pl>', 'postmaster@klient.example');
    const raw = textBounce(
      ['Return-Path: <>', 'From: postmaster@klient.example', 'Subject: Undelivered Mail Returned to Sender'],
      sent.messageId,
    );
    expect(await a.storeAndProcess(raw)).toMatchObject({ kind: 'bounce', outgoing_message_id: sent.id });
    expect((await statusOf(sent.id)).recipients).toEqual(['accepted']);
  });

  it("is still made for a mail system's report that names nobody", async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<only-ola@firma.pl>', 'ola@klient.example');
    const raw = textBounce(
      [
        'Return-Path: <>',
        'From: Mail Delivery System <MAILER-DAEMON@mx.klient.example>',
        'Subject: Undelivered Mail Returned to Sender',
      ],
      sent.messageId,
    );
    expect(await a.storeAndProcess(raw)).toMatchObject({ kind: 'bounce', outgoing_message_id: sent.id });
    expect(await statusOf(sent.id)).toEqual({ email: 'bounced', recipients: ['bounced'] });
  });
});

describe('which email a standard report is about', () => {
  it('the returned copy names another email: our id quoted in its References marks nothing', async () => {
    const sent = await a.sentEmail(a.taskIds[0]!, '<quoted-only@firma.pl>', 'jan@klient.example');
    const raw = dsn('<someone-else@klient.example>', [`References: ${sent.messageId}`]);
    expect(await a.storeAndProcess(raw)).toMatchObject({ kind: 'bounce', outgoing_message_id: null });
    expect(await statusOf(sent.id)).toEqual({ email: 'sent', recipients: ['accepted'] });
  });

  it('the returned copy names ours, or (no returned copy) In-Reply-To does', async () => {
    const returned = await a.sentEmail(a.taskIds[0]!, '<dsn-returned@firma.pl>', 'jan@klient.example');
    const replied = await a.sentEmail(a.taskIds[0]!, '<dsn-replied@firma.pl>', 'jan@klient.example');
    for (const [sent, raw] of [
      [returned, dsn(returned.messageId, [])],
      [replied, dsn(null, [`In-Reply-To: ${replied.messageId}`])],
    ] as const) {
      expect(await a.storeAndProcess(raw)).toMatchObject({ kind: 'bounce', outgoing_message_id: sent.id });
      expect(await statusOf(sent.id)).toEqual({ email: 'bounced', recipients: ['bounced'] });
    }
  });
});
