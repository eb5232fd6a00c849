import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commentAttachments, comments, receivedComments } from '../../src/db/schema/index.js';
import type { ParsedMessage } from '../../src/domain/inbound/parsed-message.js';
import type { InboundProcessor } from '../../src/ports/inbound-processor.js';
import type { RunInTransaction } from '../../src/ports/transaction.js';
import { createInboundProcessor } from '../../src/services/inbound/process-inbound.js';
import { parseMessage } from '../../src/services/inbound/process-parse.js';
import { type InboundThread, inboundThread } from '../helpers/inbound-thread.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The reading of a received message (reply text split from quotes, HTML sanitized, attachments
 * hashed: CPU work on up to megabytes) is done before its transaction opens, not between BEGIN
 * and COMMIT, where it held the row lock and a connection (on PGlite the only one) for its whole
 * length. Watched structurally: the body, the HTML and the parts of the parsed message are read
 * by nothing while a transaction is open. What is stored is the same as before.
 */
let t: TestApp;
let thread: InboundThread;
let processor: InboundProcessor;
let open = 0;
/** Which of the message's body fields were read while a transaction was open. */
const readInTx: string[] = [];
const OURS = '<mr.aaaabbbbccccdddd.outsidetx0001@firma.pl>';

/** The parsed message with its body fields watched. */
function watched(msg: ParsedMessage): ParsedMessage {
  const out = { ...msg };
  for (const key of ['text', 'html', 'parts'] as const)
    Object.defineProperty(out, key, {
      get: () => {
        if (open > 0) readInTx.push(key);
        return msg[key];
      },
    });
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  thread = await inboundThread(t, ['Oferta'], () => processor);
  await thread.sentEmail(thread.taskIds[0]!, OURS, 'klient@klient.example');
  const transaction: RunInTransaction = (fn) =>
    t.ctx.transaction(async (tx) => {
      open++;
      try {
        return await fn(tx);
      } finally {
        open--;
      }
    });
  processor = createInboundProcessor({
    repo: t.ctx.inbound.repo,
    transaction,
    notifier: t.ctx.notifier,
    randomBytes,
    parse: async (raw) => watched(await parseMessage(raw)),
  });
});
afterAll(async () => t?.close());
beforeEach(() => {
  readInTx.length = 0;
});

const message = (headers: string) =>
  Buffer.from(
    `From: Klient <klient@klient.example>\r\nTo: biuro@firma.pl\r\n${headers}` +
      `Message-ID: <${randomUUID()}@klient.example>\r\nMIME-Version: 1.0\r\n` +
      'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
      '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n' +
      '--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
      'Tak, przyjmujemy.\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, Ewa <biuro@firma.pl> wrote:\r\n> Oferta w załączniku.\r\n' +
      '--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
      '<p>Tak, <b>przyjmujemy</b>.<img src="https://tracker.example/p.gif"></p>' +
      '<blockquote>Oferta w załączniku.</blockquote>\r\n' +
      '--b2--\r\n' +
      '--b1\r\nContent-Type: text/plain; name="umowa.txt"\r\nContent-Disposition: attachment; filename="umowa.txt"\r\n\r\n' +
      'Podpisana.\r\n--b1--\r\n',
  );

async function stored(taskId: string) {
  const rows = await t.ctx.db
    .select({ c: comments, r: receivedComments })
    .from(comments)
    .innerJoin(receivedComments, eq(receivedComments.commentId, comments.id))
    .where(eq(comments.taskId, taskId));
  const { c, r } = rows.at(-1)!;
  const files = await t.ctx.db
    .select({ filename: commentAttachments.filename, size: commentAttachments.size })
    .from(commentAttachments)
    .where(eq(commentAttachments.commentId, c.id));
  return { c, r, files };
}

describe('reading a received message', () => {
  it('a reply: read before the transaction, stored as before (visible text, quote, HTML, attachment)', async () => {
    const row = await thread.storeAndProcess(message(`Subject: Re: Oferta\r\nIn-Reply-To: ${OURS}\r\n`));
    expect(row).toMatchObject({ status: 'processed', kind: 'reply', task_id: thread.taskIds[0] });
    expect(readInTx).toEqual([]);
    const { c, r, files } = await stored(thread.taskIds[0]!);
    expect(c.bodyText).toBe('Tak, przyjmujemy.');
    expect(r.quotedText).toContain('> Oferta w załączniku.');
    expect(c.bodyHtml).toBe(
      '<p>Tak, <b>przyjmujemy</b>.<img data-mr-src="https://tracker.example/p.gif" /></p>' +
        '<blockquote>Oferta w załączniku.</blockquote>',
    );
    expect(r.remoteImages).toBe(1);
    expect(files).toEqual([{ filename: 'umowa.txt', size: 'Podpisana.'.length }]);
  });

  it('new mail that makes a task (M40): read before the transaction too', async () => {
    const projectId = (await thread.ewa.request('GET', `/api/tasks/${thread.taskIds[0]}`)).json().projectId;
    await t.ctx.mailbox.addresses.update(thread.ws.workspaceId, thread.inboxId, {
      createTasksFromNewMail: true,
      newMailProjectId: projectId,
    });
    const row = await thread.storeAndProcess(message('Subject: Zapytanie\r\n'));
    expect(row).toMatchObject({ status: 'processed', kind: 'new_task' });
    expect(readInTx).toEqual([]);
    const { c, files } = await stored(row.task_id as string);
    expect(c.bodyText).toBe('Tak, przyjmujemy.');
    expect(files.map((f) => f.filename)).toEqual(['umowa.txt']);
  });
});
